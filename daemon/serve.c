// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - take messages from the backend, dispatch system calls, reply.
 *
 * Where a system call goes: the VUOS management calls (negative numbers)
 * to the handlers in vu_mgmt_calls; the calls with path or fd arguments
 * to sc/table.c, which serves those naming something virtual; everything
 * else runs natively. After a request that changed what is virtual (a
 * module loaded, a mount, the first or last virtual file), the kernel
 * filter is brought in step before the reply, so the member's next call
 * already sees the change.
 *
 * The pool (Documentation/design.md, "The daemon's thread pool"): the
 * thread that called vu_serve reads every message. It hands SYSCALL
 * requests to worker threads, which serve and answer them; a request that
 * blocks in a module (flock, a FIFO) holds one worker and no one else. The
 * pool grows while every worker is busy, up to a limit no workload meets
 * before the user's own limit of processes (vu_pool_default_max: half of
 * RLIMIT_NPROC, or of threads-max; logged when reached: requests then
 * wait their turn, and a signal to a waiting member still interrupts its
 * call), and idle workers retire. A call that only looks, through modules
 * whose lookups never wait, the reader serves itself, saving the hand-off
 * (vu_reader_serve: a method that may wait is refused there, and the
 * request goes to a worker after all). The reader applies the other
 * messages itself, in the order they come:
 *
 *  - FORK before any request of the child is handed out (it is read first);
 *  - EXIT forgets the member and cancels a call still held for it;
 *  - RELEASE drops the table's reference on the file at once: requests read
 *    before it pinned the file (vfd.c), so a worker in a module call on it
 *    keeps it, and the module's close runs at the last reference; if that
 *    is the table's, the close goes to a worker (ahead of the requests
 *    queued, and whatever the limit), so that a slow close holds up no
 *    message. A request read after it waits for that close before it uses
 *    the same mount (vfd.c, the horizon): close then open again, or
 *    vuumount, find the file closed, as when the reader closed it;
 *  - INTERRUPT: a request not started yet is answered -EINTR at once; one
 *    in a module call is cancelled: its worker gets VU_POOL_SIGNAL
 *    (installed without SA_RESTART) until the call returns, so a blocking
 *    system call of the module fails with EINTR, and the worker answers
 *    with what the module returned (-EINTR, or the result if it completed
 *    first). Exactly one reply per request, always from the thread that
 *    holds it.
 *
 * While a module has a mod_inheritance upcall registered, SYSCALL requests
 * go to a thread of their member's own instead (core/mthread.h, Documentation/
 * module-api.md "Per-process state"); FORK queues the upcalls' CLONE on the
 * parent's thread, EXIT their TERMINATE on the member's. Cancellation and
 * interrupts are the same; closes stay with the workers.
 *
 * Modules must be thread safe, as in VUOS (umvu is multithreaded too), and
 * a blocking method must return EINTR when its thread gets a signal.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "core/call.h"
#include "filter.h"
#include "base/log.h"
#include "core/member.h"
#include "core/modctx.h"
#include "core/modret.h"
#include "core/mthread.h"
#include "host/inherit.h"
#include "host/modmgmt.h"
#include "serve.h"
#include "sc/handlers.h"
#include "sc/socket.h"
#include "core/vfd.h"
#include "sc/vuctl.h"
#include "core/vuht.h"
#include "sc/exec_ids.h"

/* what poll(2) says of a regular file */
#define VU_POLL_ALWAYS (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)

/* This thread is a member's own (core/mthread.h): modules' per-process state lives here. */
static __thread bool vu_in_member;

/* Indexed by -nr: add a management call here. */
static const struct {
	const char *name;
	vu_call_handler_t handler;
} vu_mgmt_calls[] = {
	[-__NR_vu_insmod] = { "vu_insmod", vu_insmod },
	[-__NR_vu_rmmod] = { "vu_rmmod", vu_rmmod },
	[-__NR_vu_lsmod] = { "vu_lsmod", vu_lsmod },
	[-__NR_vuctl] = { "vuctl", vu_vuctl },
	[-__NR_msocket] = { "msocket", vu_msocket },
};

#define VU_NMGMT ((long)(sizeof(vu_mgmt_calls) / sizeof(vu_mgmt_calls[0])))

static void vu_dispatch(struct vu_call *call)
{
	long nr = call->msg->nr;

	if (nr < 0 && nr > -VU_NMGMT && vu_mgmt_calls[-nr].handler) {
		/* loading and removing modules check, then act: one at a time */
		static pthread_mutex_t modules_lock = PTHREAD_MUTEX_INITIALIZER;
		bool modules = nr == __NR_vu_insmod || nr == __NR_vu_rmmod;

		vu_debug('c', "tid %d: %s", call->msg->tid, vu_mgmt_calls[-nr].name);
		if (modules)
			pthread_mutex_lock(&modules_lock);
		vu_mgmt_calls[-nr].handler(call);
		if (modules)
			pthread_mutex_unlock(&modules_lock);
		return;
	}
	vu_syscall_serve(call);
}

/*
 * Has what may be virtual changed since the filter was last pushed? The
 * lock makes a thread that finds nothing to do wait for another that is
 * pushing a change, maybe its own: no reply leaves before the filter that
 * its call changed is in the kernel.
 */
static void vu_serve_filter(struct vu_backend *be)
{
	static pthread_mutex_t filter_lock = PTHREAD_MUTEX_INITIALIZER;
	static bool had_files, had_chroots, had_upcalls;

	pthread_mutex_lock(&filter_lock);
	bool has_files = vu_vfd_count(NULL) > 0, has_chroots = vu_member_chroots() > 0;
	bool has_upcalls = vu_inherit_active(); /* every exec is forwarded (filter.c) */

	if (vuht_take_changed() || has_files != had_files || has_chroots != had_chroots ||
	    has_upcalls != had_upcalls) {
		had_files = has_files;
		had_chroots = has_chroots;
		had_upcalls = has_upcalls;
		vu_filter_sync(be);
	}
	pthread_mutex_unlock(&filter_lock);
}

/* Serve the request: the reply is in call->reply, not sent yet. */
static void vu_serve_run(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;

	vu_debug_set_current(vu_member_tags(msg->tid));
	vu_modctx_begin(call);
	vu_debug('s', "tid %d: syscall %ld (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)%s%s",
		 msg->tid, msg->nr, (unsigned long long)msg->args[0],
		 (unsigned long long)msg->args[1], (unsigned long long)msg->args[2],
		 (unsigned long long)msg->args[3], (unsigned long long)msg->args[4],
		 (unsigned long long)msg->args[5], msg->path[0] ? " path " : "",
		 msg->path[0] ? msg->path[0] : "");
	vu_dispatch(call);
	if (vu_in_member)
		vu_exec_inherit(call); /* MOD_INH_EXEC, on the member's own thread */
	vu_serve_filter(call->be);
}

/* Send the reply of a served request and release what it owns. */
static void vu_serve_answer(struct vu_call *call)
{
	struct vu_backend *be = call->be;
	const struct vu_msg *msg = call->msg;

	/* modules' errnos are clamped where they are called (modret.h): this is a bug here */
	if (call->reply.kind == VU_REPLY_RETURN && !vu_retval_ok(call->reply.retval)) {
		vu_log(LOG_ERR, "tid %d: syscall %ld would return %ld, which the kernel refuses: "
		       "EIO instead", msg->tid, msg->nr, call->reply.retval);
		call->reply.retval = -EIO;
		call->reply.ncopy = 0;
	}
	if (call->reply.kind == VU_REPLY_RETURN)
		vu_debug('a', "tid %d: return %ld", msg->tid, call->reply.retval);
	else if (call->reply.kind == VU_REPLY_VFD)
		vu_debug('a', "tid %d: virtual file %llu", msg->tid,
			 (unsigned long long)call->reply.handle);
	else
		vu_debug('a', "tid %d: %s", msg->tid,
			 call->reply.kind == VU_REPLY_NATIVE ? "native" :
			 call->reply.kind == VU_REPLY_MMAP ? "mmap of a daemon file" :
			 call->reply.kind == VU_REPLY_FILE ? "a daemon file, passed through" :
							     "native, rewritten");
	int ret = be->ops->reply(be, msg, &call->reply);

	if (ret == -ENOENT)
		vu_log(LOG_DEBUG, "tid %d left before its reply (request %llu)", msg->tid,
		       (unsigned long long)msg->unique);
	else if (ret < 0)
		vu_log(LOG_ERR, "reply to tid %d refused: %s", msg->tid, strerror(-ret));
	/* a refused reply leaves the member waiting: answer plainly instead */
	if (ret < 0 && ret != -ENOENT &&
	    !(call->reply.kind == VU_REPLY_RETURN && call->reply.retval == -EIO &&
	      !call->reply.ncopy)) {
		struct vu_reply fail = { .kind = VU_REPLY_RETURN, .retval = -EIO };

		if (be->ops->reply(be, msg, &fail) < 0)
			vu_log(LOG_ERR, "tid %d cannot be answered at all", msg->tid);
	}
	/*
	 * Modules have no readiness to tell yet (VUOS's epoll_ctl method, for
	 * sockets, is not asked: the vunet issue's): a virtual file is always ready,
	 * as a regular file is, so that poll, select and epoll never wait on it.
	 */
	if (ret == 0 && call->reply.kind == VU_REPLY_VFD && be->ops->vfd_poll) {
		int r = be->ops->vfd_poll(be, call->reply.handle, VU_POLL_ALWAYS);

		/* ENOENT: the member closed it already (its RELEASE is on its way) */
		if (r == -ENOENT)
			vu_debug('a', "virtual file %llu closed before its readiness was set",
				 (unsigned long long)call->reply.handle);
		else if (r < 0)
			vu_log(LOG_ERR, "virtual file %llu: cannot set its readiness: %s",
			       (unsigned long long)call->reply.handle, strerror(-r));
	}
	/* a directory under a redirect: where it is, so calls relative to it may stay in the kernel */
	if (ret == 0 && call->reply.kind == VU_REPLY_VFD && call->vfd_dir && be->ops->vfd_path) {
		struct vu_vfd *f = vu_vfd_pin(call->reply.handle);
		int r = f ? be->ops->vfd_path(be, call->reply.handle, f->path, call->vfd_dev,
					      call->vfd_ino) : 0;

		if (r < 0 && r != -ENOENT)
			vu_log(LOG_DEBUG, "virtual directory %llu: the kernel was not told its path: %s",
			       (unsigned long long)call->reply.handle, strerror(-r));
		vu_vfd_unpin(f);
	}
	/* a placeholder never installed is never released: close the file now */
	if (ret < 0 && call->reply.kind == VU_REPLY_VFD) {
		vu_vfd_release(call->reply.handle);
		vu_serve_filter(be);
	}
	vu_call_free(call);
	vu_modctx_end();
	vu_debug_set_current(0);
}

/* The module's close of @f, released and detached (vu_vfd_detach). */
static void vu_serve_close(struct vu_backend *be, struct vu_vfd *f)
{
	uint64_t handle = f->handle;
	int ret = vu_vfd_close(f);

	vu_debug('a', "virtual file %llu closed", (unsigned long long)handle);
	if (ret < 0)
		vu_log(LOG_NOTICE, "closing virtual file %llu: %s", (unsigned long long)handle,
		       strerror(-ret));
	vu_serve_filter(be); /* its entry may have gone with it */
}

static void vu_serve_release(struct vu_backend *be, uint64_t handle)
{
	int ret = vu_vfd_release(handle);

	vu_debug('a', "virtual file %llu released", (unsigned long long)handle);
	if (ret < 0)
		vu_log(LOG_NOTICE, "closing virtual file %llu: %s", (unsigned long long)handle,
		       strerror(-ret));
	vu_serve_filter(be);
}

/* The files a request names, pinned while it is served. */
static void vu_serve_pin(const struct vu_msg *msg, struct vu_vfd *pin[2])
{
	for (int i = 0; i < 2; i++)
		pin[i] = msg->vfd[i] ? vu_vfd_pin(msg->vfd[i]) : NULL;
}

static void vu_serve_unpin(struct vu_vfd *pin[2])
{
	for (int i = 0; i < 2; i++)
		vu_vfd_unpin(pin[i]);
}

void vu_serve_msg(struct vu_backend *be, const struct vu_msg *msg)
{
	switch (msg->type) {
	case VU_MSG_SYSCALL: {
		struct vu_call call = { .be = be, .msg = msg, .reply = { .kind = VU_REPLY_NATIVE } };
		struct vu_vfd *pin[2];

		vu_serve_pin(msg, pin);
		vu_serve_run(&call);
		vu_serve_answer(&call);
		vu_serve_unpin(pin);
		break;
	}
	case VU_MSG_INTERRUPT:
		vu_log(LOG_DEBUG, "tid %d: request %llu interrupted after its reply", msg->tid,
		       (unsigned long long)msg->unique);
		break;
	case VU_MSG_RELEASE:
		vu_serve_release(be, msg->handle);
		break;
	case VU_MSG_FORK:
		if (vu_member_fork(msg->tid, msg->child, msg->clone_flags) < 0)
			vu_log(LOG_ERR, "tid %d: no memory for what child %d inherits", msg->tid,
			       msg->child);
		break;
	case VU_MSG_EXIT:
		vu_member_exit(msg->tid);
		vu_serve_filter(be); /* the last member in a chroot may have gone */
		break;
	}
}

/* ---- the pool ---- */

struct vu_job {
	struct vu_msg msg; /* its paths point into path[] */
	struct vu_vfd *pin[2];
	struct vu_vfd *close; /* not a request: the module's close of this released file */
	uint64_t horizon;     /* vu_vfd_horizon_now() when it was read */
	bool running;   /* a worker has it */
	bool in_module; /* its worker is serving it (not answering yet) */
	bool cancelled; /* interrupted, or its member exited */
	pthread_t worker;
	struct vu_job *next; /* in the queue or the running list */
	char path[];
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t work; /* a job was queued, or the pool stops */
	pthread_cond_t done; /* a job was finished, or a worker retired */
	pthread_cond_t kick; /* a job was cancelled, or the kicker stops */
	struct vu_backend *be;
	struct vu_job *qhead, *qtail; /* not started, oldest first */
	struct vu_job *running;
	unsigned int nqueued, nworkers, nwaiting, nbusy;
	struct vu_pool_stats stats;
	unsigned int max, idle_ms;
	unsigned int limit; /* the max in force: the configured one, or the default */
	bool reader_off; /* vu_pool_set_reader_serves(false); atomic */
	bool stopping;
	bool at_cap; /* the cap was logged, and no worker went idle since */
	bool kicker_on, kicker_stop;
	pthread_t kicker;
} vu_pool = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.work = PTHREAD_COND_INITIALIZER,
	.done = PTHREAD_COND_INITIALIZER,
	.kick = PTHREAD_COND_INITIALIZER,
	.idle_ms = VU_POOL_IDLE_MS_DEFAULT,
};

int vu_pool_signal(void)
{
	return SIGRTMIN + 2;
}

/* A number from a /proc/sys file, or 0. */
static unsigned long vu_pool_sysctl(const char *path)
{
	unsigned long v = 0;
	FILE *f = fopen(path, "re");

	if (f) {
		if (fscanf(f, "%lu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/*
 * Each request that blocks is a member thread that waits, and the
 * members' threads and the daemon's count against the same RLIMIT_NPROC
 * of the user: with half of it for workers, every blocked call of the
 * other half has a worker, and the workload meets its own limit (fork and
 * pthread_create fail) before the pool's. Without a limit, half of the
 * system's threads-max.
 */
unsigned int vu_pool_default_max(void)
{
	unsigned long n = vu_pool_sysctl("/proc/sys/kernel/threads-max");
	struct rlimit r;

	if (getrlimit(RLIMIT_NPROC, &r) == 0 && r.rlim_cur != RLIM_INFINITY &&
	    (n == 0 || r.rlim_cur < n))
		n = r.rlim_cur;
	n /= 2;
	if (n < VU_POOL_MIN)
		n = VU_POOL_MIN;
	return n > UINT_MAX ? UINT_MAX : (unsigned int)n;
}

void vu_pool_config(unsigned int max, unsigned int idle_ms)
{
	pthread_mutex_lock(&vu_pool.lock);
	vu_pool.max = max;
	vu_pool.idle_ms = idle_ms ? idle_ms : VU_POOL_IDLE_MS_DEFAULT;
	pthread_mutex_unlock(&vu_pool.lock);
}

void vu_pool_set_reader_serves(bool on)
{
	__atomic_store_n(&vu_pool.reader_off, !on, __ATOMIC_RELAXED);
}

void vu_pool_get_stats(struct vu_pool_stats *st)
{
	pthread_mutex_lock(&vu_pool.lock);
	*st = vu_pool.stats;
	st->workers = vu_pool.nworkers;
	st->busy = vu_pool.nbusy;
	st->queued = vu_pool.nqueued;
	pthread_mutex_unlock(&vu_pool.lock);
}

static void vu_pool_on_signal(int sig)
{
	(void)sig; /* its only purpose: make the worker's blocking call fail with EINTR */
}

/* Workers block most signals; a process a module forks must not inherit that. */
static __thread bool vu_in_worker;
static sigset_t vu_pool_outer_mask; /* the reader's mask when the pool started */

static void vu_pool_atfork_child(void)
{
	if (vu_in_worker)
		pthread_sigmask(SIG_SETMASK, &vu_pool_outer_mask, NULL);
}

static struct vu_job *vu_job_new(const struct vu_msg *msg)
{
	size_t len[2] = { 0, 0 };
	struct vu_job *job;
	char *p;

	for (int i = 0; i < 2; i++)
		if (msg->path[i])
			len[i] = strlen(msg->path[i]) + 1;
	job = calloc(1, sizeof(*job) + len[0] + len[1]);
	if (!job)
		return NULL;
	job->msg = *msg;
	/* the backend's buffer is reused at the next read: copy the paths */
	p = job->path;
	for (int i = 0; i < 2; i++) {
		if (!msg->path[i])
			continue;
		memcpy(p, msg->path[i], len[i]);
		job->msg.path[i] = p;
		p += len[i];
	}
	vu_serve_pin(msg, job->pin);
	job->horizon = vu_vfd_horizon_now();
	return job;
}

static void vu_job_free(struct vu_job *job)
{
	vu_serve_unpin(job->pin);
	free(job);
}

/* Unlink @job from the list at @head; true if it was there. Lock held. */
static bool vu_job_unlink(struct vu_job **head, struct vu_job *job)
{
	for (struct vu_job **pp = head; *pp; pp = &(*pp)->next)
		if (*pp == job) {
			*pp = job->next;
			job->next = NULL;
			return true;
		}
	return false;
}

static void vu_queue_remove(struct vu_job *job)
{
	struct vu_job *prev = NULL;

	for (struct vu_job *j = vu_pool.qhead; j && j != job; j = j->next)
		prev = j;
	if (vu_job_unlink(&vu_pool.qhead, job)) {
		if (vu_pool.qtail == job)
			vu_pool.qtail = prev;
		vu_pool.nqueued--;
	}
}

/* Re-signal the workers of cancelled jobs until their module calls return. */
static void *vu_kicker_main(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&vu_pool.lock);
	while (!vu_pool.kicker_stop) {
		bool any = false;

		for (struct vu_job *j = vu_pool.running; j; j = j->next)
			if (j->cancelled && j->in_module) {
				/*
				 * Once is not enough: the signal may land just
				 * before the module enters its blocking call.
				 */
				pthread_kill(j->worker, vu_pool_signal());
				any = true;
			}
		if (any) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += VU_POOL_KICK_MS * 1000000L;
			if (ts.tv_nsec >= 1000000000L) {
				ts.tv_sec++;
				ts.tv_nsec -= 1000000000L;
			}
			pthread_cond_timedwait(&vu_pool.kick, &vu_pool.lock, &ts);
		} else {
			pthread_cond_wait(&vu_pool.kick, &vu_pool.lock);
		}
	}
	pthread_mutex_unlock(&vu_pool.lock);
	return NULL;
}

/* Lock held. */
static void vu_job_cancel(struct vu_job *job)
{
	if (job->cancelled)
		return;
	job->cancelled = true;
	vu_pool.stats.cancelled++;
	if (!vu_pool.kicker_on) {
		vu_pool.kicker_stop = false;
		if (pthread_create(&vu_pool.kicker, NULL, vu_kicker_main, NULL) == 0)
			vu_pool.kicker_on = true;
		else
			vu_log(LOG_ERR, "cannot start the thread that interrupts module calls");
	}
	pthread_cond_signal(&vu_pool.kick);
}

/* Serve one job in a worker; the lock is not held. */
static void vu_worker_serve(struct vu_job *job)
{
	struct vu_call call = { .be = vu_pool.be, .msg = &job->msg,
				.reply = { .kind = VU_REPLY_NATIVE } };

	if (job->close) {
		vu_serve_close(vu_pool.be, job->close);
		return;
	}
	vu_vfd_set_horizon(job->horizon);
	vu_serve_run(&call);
	vu_vfd_set_horizon(0);
	pthread_mutex_lock(&vu_pool.lock);
	job->in_module = false;
	bool cancelled = job->cancelled;

	pthread_mutex_unlock(&vu_pool.lock);
	if (cancelled)
		vu_log(LOG_DEBUG, "tid %d: request %llu interrupted, answered %s", job->msg.tid,
		       (unsigned long long)job->msg.unique,
		       call.reply.kind == VU_REPLY_RETURN && call.reply.retval == -EINTR ?
			       "EINTR" : "with its result");
	vu_serve_answer(&call);
}

/* Serve @job on this thread, among the running ones. Lock held, released meanwhile. */
static void vu_job_run_locked(struct vu_job *job)
{
	job->running = true;
	job->in_module = true;
	job->worker = pthread_self();
	job->next = vu_pool.running;
	vu_pool.running = job;
	vu_pool.nbusy++;
	pthread_mutex_unlock(&vu_pool.lock);

	vu_worker_serve(job);

	pthread_mutex_lock(&vu_pool.lock);
	vu_job_unlink(&vu_pool.running, job);
	vu_pool.nbusy--;
	if (job->close)
		vu_pool.stats.closed++;
	else
		vu_pool.stats.served++;
	pthread_mutex_unlock(&vu_pool.lock);
	vu_job_free(job); /* the last reference of a released file closes it */
	pthread_mutex_lock(&vu_pool.lock);
	pthread_cond_broadcast(&vu_pool.done);
}

static bool vu_worker_wait(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += vu_pool.idle_ms / 1000;
	ts.tv_nsec += (long)(vu_pool.idle_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	vu_pool.nwaiting++;
	vu_pool.at_cap = false;
	int ret = pthread_cond_timedwait(&vu_pool.work, &vu_pool.lock, &ts);

	vu_pool.nwaiting--;
	return ret != ETIMEDOUT;
}

static void *vu_worker_main(void *arg)
{
	(void)arg;
	vu_in_worker = true;
	pthread_mutex_lock(&vu_pool.lock);
	for (;;) {
		bool timedout = false;

		while (!vu_pool.qhead && !vu_pool.stopping && !timedout)
			timedout = !vu_worker_wait();
		if (!vu_pool.qhead)
			break; /* idle for a while, or the pool stops */

		struct vu_job *job = vu_pool.qhead;

		vu_queue_remove(job);
		vu_job_run_locked(job);
	}
	vu_pool.nworkers--;
	pthread_cond_broadcast(&vu_pool.done);
	pthread_mutex_unlock(&vu_pool.lock);
	return NULL;
}

/* Lock held. Start a worker; false if none could be. */
static bool vu_worker_start(void)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;
	int ret;

	/*
	 * Workers take no signal but the pool's: SIGCHLD and the others are
	 * the reader's, and must not break a module's blocking call.
	 */
	sigfillset(&all);
	sigdelset(&all, vu_pool_signal());
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&t, &attr, vu_worker_main, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (ret) {
		vu_log(LOG_ERR, "cannot start a worker thread: %s", strerror(ret));
		return false;
	}
	vu_pool.nworkers++;
	if (vu_pool.nworkers > vu_pool.stats.peak)
		vu_pool.stats.peak = vu_pool.nworkers;
	return true;
}

/*
 * While an upcall is registered (host/inherit.h), each member's requests
 * run on a thread of its own (core/mthread.h), where the modules' upcalls
 * run too. Without one, the pool serves as before, and idle member
 * threads retire.
 */
static void vu_member_run(void *item)
{
	vu_inherit_catch_up(); /* START for upcalls registered since */
	pthread_mutex_lock(&vu_pool.lock);
	vu_job_run_locked(item);
	pthread_mutex_unlock(&vu_pool.lock);
}

static void vu_member_start(void *value)
{
	vu_in_worker = true;
	vu_in_member = true;
	vu_inherit_start(value);
}

static const struct vu_mthread_ops vu_member_ops = {
	.run = vu_member_run,
	.clone = vu_inherit_clone,
	.start = vu_member_start,
	.end = vu_inherit_terminate,
	.wanted = vu_inherit_active,
};

/* Hand a request to its member's own thread (the reader); a member without one gets EAGAIN. */
static void vu_member_submit(const struct vu_msg *msg)
{
	struct vu_job *job = vu_job_new(msg);
	int ret = job ? vu_mthread_submit(msg->tid, job) : -ENOMEM;

	if (ret == 0)
		return;
	struct vu_reply fail = { .kind = VU_REPLY_RETURN, .retval = ret };

	vu_debug('a', "tid %d: no thread of its own: %s", msg->tid, strerror(-ret));
	if (vu_pool.be->ops->reply(vu_pool.be, msg, &fail) < 0)
		vu_log(LOG_ERR, "tid %d cannot be answered at all", msg->tid);
	if (job)
		vu_job_free(job);
}

static bool vu_job_is(void *item, void *arg)
{
	return ((struct vu_job *)item)->msg.unique == *(const uint64_t *)arg;
}

/*
 * Serve @msg in the reader, without the hand-off to a worker (a futex
 * wake and a context switch), if that cannot make the reader wait: the
 * call is one the reader may try (sc/handlers.h: vu_syscall_reader_may), no
 * close is pending that it might have to wait for (vfd.c, the horizon),
 * and every module method it reaches is a lookup of a module that says
 * its lookups never wait (VU_MODULE_QUICK_LOOKUP; modctx.h refuses any
 * other before it runs). False if refused: nothing was answered, the
 * caller hands @msg to a worker, which serves it afresh (nothing was
 * changed before the refusal, and the copies to the member go with the
 * reply, which is dropped).
 */
static bool vu_reader_serve(struct vu_backend *be, const struct vu_msg *msg)
{
	struct vu_call call = { .be = be, .msg = msg, .reply = { .kind = VU_REPLY_NATIVE } };
	struct vu_vfd *pin[2];
	uint64_t horizon;
	bool refused;

	if (__atomic_load_n(&vu_pool.reader_off, __ATOMIC_RELAXED) ||
	    !vu_syscall_reader_may(msg->nr))
		return false;
	/* the horizon first: a close numbered after it is not waited for */
	horizon = vu_vfd_horizon_now();
	if (vu_vfd_closes_pending())
		return false;
	vu_serve_pin(msg, pin);
	vu_modctx_set_reader(true);
	vu_vfd_set_horizon(horizon);
	vu_serve_run(&call);
	vu_vfd_set_horizon(0);
	refused = vu_modctx_refused();
	vu_modctx_set_reader(false);
	pthread_mutex_lock(&vu_pool.lock);
	if (refused)
		vu_pool.stats.handed++;
	else
		vu_pool.stats.in_reader++; /* before the reply: a test that sees it sees this */
	pthread_mutex_unlock(&vu_pool.lock);
	if (refused) {
		vu_call_free(&call);
		vu_modctx_end();
		vu_debug_set_current(0);
	} else {
		vu_serve_answer(&call);
	}
	vu_serve_unpin(pin);
	return !refused;
}

/* Hand a request to the pool (the reader). */
static void vu_pool_submit(const struct vu_msg *msg)
{
	struct vu_job *job = vu_job_new(msg);

	if (!job) {
		struct vu_reply fail = { .kind = VU_REPLY_RETURN, .retval = -ENOMEM };

		vu_log(LOG_ERR, "tid %d: no memory to queue a request", msg->tid);
		if (vu_pool.be->ops->reply(vu_pool.be, msg, &fail) < 0)
			vu_log(LOG_ERR, "tid %d cannot be answered at all", msg->tid);
		return;
	}
	pthread_mutex_lock(&vu_pool.lock);
	if (vu_pool.qtail)
		vu_pool.qtail->next = job;
	else
		vu_pool.qhead = job;
	vu_pool.qtail = job;
	vu_pool.nqueued++;
	/* more requests waiting than idle workers to take them: grow */
	if (vu_pool.nwaiting < vu_pool.nqueued) {
		if (vu_pool.nworkers < vu_pool.limit) {
			if (!vu_worker_start() && vu_pool.nworkers == 0) {
				/* not even one: serve it here rather than never */
				vu_queue_remove(job);
				pthread_mutex_unlock(&vu_pool.lock);
				vu_serve_msg(vu_pool.be, &job->msg);
				vu_job_free(job);
				return;
			}
		} else if (!vu_pool.at_cap) {
			vu_pool.at_cap = true;
			vu_pool.stats.cap_reached++;
			vu_log(LOG_WARNING,
			       "all %u worker threads are busy (the limit%s): requests wait for "
			       "one; a signal to a waiting member interrupts its call",
			       vu_pool.limit, vu_pool.max ? ", kmview's setting" :
							    ": half of RLIMIT_NPROC or threads-max");
		}
	}
	pthread_cond_signal(&vu_pool.work);
	pthread_mutex_unlock(&vu_pool.lock);
}

/*
 * RELEASE (the reader): the file stops being open now; its module's close,
 * if due now, runs in a worker, first in the queue and whatever the limit
 * (it waits on nobody, and requests may wait for it).
 */
static void vu_pool_release(const struct vu_msg *msg)
{
	struct vu_vfd *f = vu_vfd_detach(msg->handle);
	struct vu_job *job;

	vu_debug('a', "virtual file %llu released", (unsigned long long)msg->handle);
	if (!f) {
		vu_serve_filter(vu_pool.be);
		return;
	}
	job = calloc(1, sizeof(*job));
	if (!job) {
		vu_log(LOG_ERR, "virtual file %llu: no memory to close it aside: closed now",
		       (unsigned long long)msg->handle);
		vu_serve_close(vu_pool.be, f);
		return;
	}
	job->msg.type = VU_MSG_RELEASE;
	job->msg.handle = msg->handle;
	job->close = f;
	pthread_mutex_lock(&vu_pool.lock);
	job->next = vu_pool.qhead;
	vu_pool.qhead = job;
	if (!vu_pool.qtail)
		vu_pool.qtail = job;
	vu_pool.nqueued++;
	if (vu_pool.nwaiting < vu_pool.nqueued && !vu_worker_start() && vu_pool.nworkers == 0) {
		vu_queue_remove(job);
		pthread_mutex_unlock(&vu_pool.lock);
		vu_serve_close(vu_pool.be, f);
		free(job);
		return;
	}
	pthread_cond_signal(&vu_pool.work);
	pthread_mutex_unlock(&vu_pool.lock);
	vu_serve_filter(vu_pool.be); /* it no longer counts as open */
}

/* Lock held: the job of request @unique, queued or running, or NULL. */
static struct vu_job *vu_pool_find(uint64_t unique)
{
	for (struct vu_job *j = vu_pool.qhead; j; j = j->next)
		if (!j->close && j->msg.unique == unique)
			return j;
	for (struct vu_job *j = vu_pool.running; j; j = j->next)
		if (!j->close && j->msg.unique == unique)
			return j;
	return NULL;
}

static void vu_pool_interrupt(const struct vu_msg *msg)
{
	struct vu_backend *be = vu_pool.be;
	struct vu_job *queued = vu_mthread_withdraw(msg->tid, vu_job_is, (void *)&msg->unique);

	pthread_mutex_lock(&vu_pool.lock);
	struct vu_job *job = queued ? queued : vu_pool_find(msg->unique);

	if (job && !job->running) {
		/* not started: nothing to undo, answer it from here */
		struct vu_reply intr = { .kind = VU_REPLY_RETURN, .retval = -EINTR };

		if (!queued)
			vu_queue_remove(job);
		vu_pool.stats.cancelled++;
		pthread_mutex_unlock(&vu_pool.lock);
		vu_debug('a', "tid %d: request %llu interrupted before it was served: EINTR",
			 msg->tid, (unsigned long long)msg->unique);
		int ret = be->ops->reply(be, &job->msg, &intr);

		if (ret < 0 && ret != -ENOENT)
			vu_log(LOG_ERR, "reply to tid %d refused: %s", msg->tid, strerror(-ret));
		vu_job_free(job);
		return;
	}
	if (job) {
		vu_debug('a', "tid %d: request %llu interrupted while served", msg->tid,
			 (unsigned long long)msg->unique);
		vu_job_cancel(job);
	} else {
		vu_log(LOG_DEBUG, "tid %d: request %llu interrupted after its reply", msg->tid,
		       (unsigned long long)msg->unique);
	}
	pthread_mutex_unlock(&vu_pool.lock);
}

/* @tid exited: whatever is still served for it will find no one to answer. */
static void vu_pool_exit(pid_t tid)
{
	pthread_mutex_lock(&vu_pool.lock);
	for (struct vu_job *j = vu_pool.running; j; j = j->next)
		if (!j->close && j->msg.tid == tid)
			vu_job_cancel(j);
	pthread_mutex_unlock(&vu_pool.lock);
	vu_member_exit(tid);
}

/*
 * Wait for the workers to go. At the end of the view (@ret 0) every
 * queued request is still served, as the backend asked; if the backend
 * failed, nobody can be answered: drop the queue, cancel what runs, and
 * give the workers a bounded time.
 */
static void vu_pool_drain(int ret)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += VU_POOL_DRAIN_S;
	pthread_mutex_lock(&vu_pool.lock);
	if (ret < 0) {
		while (vu_pool.qhead) {
			struct vu_job *job = vu_pool.qhead;

			vu_queue_remove(job);
			pthread_mutex_unlock(&vu_pool.lock);
			if (job->close)
				vu_serve_close(vu_pool.be, job->close); /* the module's file still */
			vu_job_free(job);
			pthread_mutex_lock(&vu_pool.lock);
		}
		for (struct vu_job *j = vu_pool.running; j; j = j->next)
			if (!j->close)
				vu_job_cancel(j);
	}
	vu_pool.stopping = true;
	pthread_cond_broadcast(&vu_pool.work);
	while (vu_pool.nworkers > 0) {
		if (ret < 0 && pthread_cond_timedwait(&vu_pool.done, &vu_pool.lock, &deadline) ==
				       ETIMEDOUT) {
			vu_log(LOG_WARNING, "%u worker threads still in module calls: left behind",
			       vu_pool.nworkers);
			break;
		} else if (ret >= 0) {
			pthread_cond_wait(&vu_pool.done, &vu_pool.lock);
		}
	}
	if (vu_pool.kicker_on) {
		vu_pool.kicker_stop = true;
		pthread_cond_signal(&vu_pool.kick);
		pthread_mutex_unlock(&vu_pool.lock);
		pthread_join(vu_pool.kicker, NULL);
		pthread_mutex_lock(&vu_pool.lock);
		vu_pool.kicker_on = false;
	}
	vu_pool.stopping = false;
	vu_pool.at_cap = false;
	pthread_mutex_unlock(&vu_pool.lock);
}

static void vu_pool_atfork_register(void)
{
	pthread_atfork(NULL, NULL, vu_pool_atfork_child);
}

int vu_serve(struct vu_backend *be)
{
	struct sigaction sa;
	struct vu_msg msg;
	int ret;

	/*
	 * Modules create files for members with the mode the member asked
	 * for, masked with the member's umask by the handlers: the daemon's
	 * own umask must not mask it again.
	 */
	umask(0);

	/* no SA_RESTART: a module's blocking call in a worker fails with EINTR */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vu_pool_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(vu_pool_signal(), &sa, NULL);
	pthread_sigmask(SIG_SETMASK, NULL, &vu_pool_outer_mask);
	static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

	pthread_once(&atfork_once, vu_pool_atfork_register);

	vu_pool.be = be;
	pthread_mutex_lock(&vu_pool.lock);
	vu_pool.limit = vu_pool.max ? vu_pool.max : vu_pool_default_max();
	pthread_mutex_unlock(&vu_pool.lock);
	vu_debug('a', "worker threads: at most %u", vu_pool.limit);
	vu_mthread_setup(&vu_member_ops, vu_pool.limit, vu_pool.idle_ms, vu_pool_signal());
	while ((ret = be->ops->next(be, &msg)) > 0) {
		switch (msg.type) {
		case VU_MSG_SYSCALL:
			if (vu_inherit_active())
				vu_member_submit(&msg);
			else if (!vu_reader_serve(be, &msg))
				vu_pool_submit(&msg);
			break;
		case VU_MSG_RELEASE:
			vu_pool_release(&msg);
			break;
		case VU_MSG_INTERRUPT:
			vu_pool_interrupt(&msg);
			break;
		case VU_MSG_EXIT:
			vu_pool_exit(msg.tid);
			vu_mthread_exit(msg.tid); /* its thread's TERMINATE, if it has one */
			vu_serve_filter(be); /* the last member in a chroot may have gone */
			break;
		case VU_MSG_FORK:
			vu_serve_msg(be, &msg);
			/* the parent's thread runs CLONE, in order with its requests */
			if (vu_inherit_active() &&
			    vu_mthread_fork(msg.tid, msg.child, msg.clone_flags) < 0)
				vu_log(LOG_ERR, "tid %d: no memory for child %d's module state",
				       msg.tid, msg.child);
			break;
		default:
			/* FORK: now, before any later request is handed out */
			vu_serve_msg(be, &msg);
			break;
		}
	}
	if (ret < 0) {
		/* nobody can be answered: members' threads must not wait in module calls */
		pthread_mutex_lock(&vu_pool.lock);
		for (struct vu_job *j = vu_pool.running; j; j = j->next)
			if (!j->close)
				vu_job_cancel(j);
		pthread_mutex_unlock(&vu_pool.lock);
	}
	unsigned int left = vu_mthread_stop(ret < 0 ? VU_POOL_DRAIN_S * 1000 : 0);

	if (left)
		vu_log(LOG_WARNING, "%u member threads still in module calls: left behind", left);
	vu_pool_drain(ret);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mthread.c - a thread per member (mthread.h).
 *
 * A member's record is in the table from its first need (or its FORK)
 * to its EXIT; its thread holds it too, and so does a parent's CLONE
 * still queued for it: the last of the three frees it. A child's thread
 * may be made before its parent's thread has run the CLONE (the child's
 * first request can be read first): it waits for the value, which
 * arrives once the parent's thread has served what was queued before the
 * FORK.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/log.h"
#include "core/mthread.h"

#define VU_MT_BUCKETS 256

struct vu_mt;

struct vu_mitem {
	struct vu_mitem *next;
	void *item;          /* NULL: the CLONE of @child */
	struct vu_mt *child; /* a reference */
	uint64_t clone_flags;
};

struct vu_mt {
	struct vu_mt *hnext;
	pid_t tid;
	int refs;
	bool in_table, has_thread, clone_due;
	bool exiting; /* its EXIT came: end after the queue */
	void *value;  /* the parent's CLONE's, until the thread starts with it */
	struct vu_mitem *qhead, *qtail;
	pthread_cond_t cv; /* an item, the value, the exit or the stop */
};

static struct {
	pthread_mutex_t lock;
	pthread_cond_t gone; /* a thread ended */
	struct vu_mt *table[VU_MT_BUCKETS];
	const struct vu_mthread_ops *ops;
	unsigned int max, idle_ms, nthreads;
	int signal;
	bool stopping, at_cap;
} vu_mt = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.gone = PTHREAD_COND_INITIALIZER,
	.idle_ms = 10000,
};

void vu_mthread_setup(const struct vu_mthread_ops *ops, unsigned int max, unsigned int idle_ms,
		      int signal)
{
	pthread_mutex_lock(&vu_mt.lock);
	vu_mt.ops = ops;
	vu_mt.max = max;
	vu_mt.idle_ms = idle_ms ? idle_ms : 10000;
	vu_mt.signal = signal;
	pthread_mutex_unlock(&vu_mt.lock);
}

/* Lock held. */
static struct vu_mt **vu_mt_slot(pid_t tid)
{
	struct vu_mt **pp = &vu_mt.table[(unsigned int)tid % VU_MT_BUCKETS];

	while (*pp && (*pp)->tid != tid)
		pp = &(*pp)->hnext;
	return pp;
}

/* Lock held. */
static void vu_mt_put(struct vu_mt *t)
{
	if (--t->refs > 0)
		return;
	pthread_cond_destroy(&t->cv);
	free(t);
}

/* Lock held: the table no longer has @t (its member exited, or it retires). */
static void vu_mt_unlink(struct vu_mt *t)
{
	struct vu_mt **pp = vu_mt_slot(t->tid);

	if (!t->in_table || *pp != t)
		return;
	*pp = t->hnext;
	t->in_table = false;
	vu_mt_put(t);
}

/* Lock held: a new record for @tid, in the table; NULL on ENOMEM. */
static struct vu_mt *vu_mt_new(pid_t tid)
{
	struct vu_mt *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->tid = tid;
	t->refs = 1;
	t->in_table = true;
	pthread_cond_init(&t->cv, NULL);
	struct vu_mt **pp = vu_mt_slot(tid);

	t->hnext = *pp;
	*pp = t;
	return t;
}

static void vu_mt_clone(struct vu_mitem *it)
{
	void *value = vu_mt.ops->clone(it->clone_flags);

	pthread_mutex_lock(&vu_mt.lock);
	struct vu_mt *c = it->child;

	if (!c->has_thread && !c->in_table) {
		/* it exited and no thread could be made for its START */
		vu_log(LOG_WARNING, "tid %d: exited without a thread: its modules' inherited "
		       "state is not started nor terminated", c->tid);
	}
	c->value = value;
	c->clone_due = false;
	pthread_cond_broadcast(&c->cv);
	vu_mt_put(c);
	pthread_mutex_unlock(&vu_mt.lock);
}

/* Lock held: wait for an item; false if the thread should end. */
static bool vu_mt_wait(struct vu_mt *t)
{
	while (!t->qhead) {
		if (t->exiting || vu_mt.stopping)
			return false;
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += vu_mt.idle_ms / 1000;
		ts.tv_nsec += (long)(vu_mt.idle_ms % 1000) * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&t->cv, &vu_mt.lock, &ts) == ETIMEDOUT && !t->qhead &&
		    !vu_mt.ops->wanted()) {
			vu_mt_unlink(t); /* nobody keeps state in it: retire */
			return false;
		}
	}
	return true;
}

static void *vu_mt_main(void *arg)
{
	struct vu_mt *t = arg;

	pthread_mutex_lock(&vu_mt.lock);
	while (t->clone_due)
		pthread_cond_wait(&t->cv, &vu_mt.lock);
	void *value = t->value;

	t->value = NULL;
	pthread_mutex_unlock(&vu_mt.lock);
	vu_mt.ops->start(value);
	pthread_mutex_lock(&vu_mt.lock);
	while (vu_mt_wait(t)) {
		struct vu_mitem *it = t->qhead;

		t->qhead = it->next;
		if (!t->qhead)
			t->qtail = NULL;
		pthread_mutex_unlock(&vu_mt.lock);
		if (it->item)
			vu_mt.ops->run(it->item);
		else
			vu_mt_clone(it);
		free(it);
		pthread_mutex_lock(&vu_mt.lock);
	}
	t->has_thread = false;
	pthread_mutex_unlock(&vu_mt.lock);
	vu_mt.ops->end();
	pthread_mutex_lock(&vu_mt.lock);
	vu_mt.nthreads--;
	vu_mt.at_cap = false;
	vu_mt_put(t);
	pthread_cond_broadcast(&vu_mt.gone);
	pthread_mutex_unlock(&vu_mt.lock);
	return NULL;
}

/* Lock held: give @t its thread (@bounded: within the limit). 0 or -EAGAIN. */
static int vu_mt_start(struct vu_mt *t, bool bounded)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t th;
	int ret;

	if (t->has_thread)
		return 0;
	if (bounded && vu_mt.nthreads >= vu_mt.max) {
		if (!vu_mt.at_cap)
			vu_log(LOG_WARNING, "all %u member threads are in use (the pool's limit): "
			       "the calls of members without one fail with EAGAIN", vu_mt.max);
		vu_mt.at_cap = true;
		return -EAGAIN;
	}
	/* as the pool's workers: no signal but the one that interrupts a module call */
	sigfillset(&all);
	sigdelset(&all, vu_mt.signal);
	sigdelset(&all, SIGSEGV);
	sigdelset(&all, SIGBUS);
	sigdelset(&all, SIGFPE);
	sigdelset(&all, SIGILL);
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	t->refs++;
	ret = pthread_create(&th, &attr, vu_mt_main, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (ret) {
		t->refs--;
		vu_log(LOG_ERR, "tid %d: cannot start its thread: %s", t->tid, strerror(ret));
		return -EAGAIN;
	}
	t->has_thread = true;
	vu_mt.nthreads++;
	return 0;
}

/* Lock held: append @it to @t's queue. */
static void vu_mt_queue(struct vu_mt *t, struct vu_mitem *it)
{
	if (t->qtail)
		t->qtail->next = it;
	else
		t->qhead = it;
	t->qtail = it;
	pthread_cond_signal(&t->cv);
}

int vu_mthread_submit(pid_t tid, void *item)
{
	struct vu_mitem *it = calloc(1, sizeof(*it));
	int ret = -ENOMEM;

	if (!it)
		return -ENOMEM;
	it->item = item;
	pthread_mutex_lock(&vu_mt.lock);
	struct vu_mt *t = *vu_mt_slot(tid);
	bool fresh = !t;

	if (!t)
		t = vu_mt_new(tid);
	if (t) {
		ret = vu_mt_start(t, true);
		if (ret == 0)
			vu_mt_queue(t, it);
		else if (fresh)
			vu_mt_unlink(t); /* nothing is due to it: no record */
	}
	pthread_mutex_unlock(&vu_mt.lock);
	if (ret < 0)
		free(it);
	return ret;
}

/* Lock held: @tid is gone; its thread, if any, ends after its queue. */
static void vu_mt_exit_locked(struct vu_mt *t)
{
	t->exiting = true;
	/* a value still due or waiting needs its START and TERMINATE, whatever the limit */
	if (!t->has_thread && (t->clone_due || t->value) && vu_mt_start(t, false) < 0)
		vu_log(LOG_WARNING, "tid %d: no thread for its modules' TERMINATE", t->tid);
	pthread_cond_broadcast(&t->cv);
	vu_mt_unlink(t);
}

int vu_mthread_fork(pid_t parent, pid_t child, uint64_t clone_flags)
{
	struct vu_mitem *it = calloc(1, sizeof(*it));
	int ret = 0;

	if (!it)
		return -ENOMEM;
	pthread_mutex_lock(&vu_mt.lock);
	struct vu_mt *stale = *vu_mt_slot(child), *p, *c = NULL;

	if (stale)
		vu_mt_exit_locked(stale); /* a reused tid whose EXIT was not seen */
	p = *vu_mt_slot(parent);
	if (!p)
		p = vu_mt_new(parent);
	if (p && vu_mt_start(p, true) == 0)
		c = vu_mt_new(child);
	if (c) {
		c->clone_due = true;
		c->refs++; /* the CLONE's */
		it->child = c;
		it->clone_flags = clone_flags;
		vu_mt_queue(p, it);
		it = NULL;
	} else if (!p) {
		ret = -ENOMEM;
	} else {
		/* the child starts with nothing, as a member older than the upcalls */
		vu_log(LOG_WARNING, "tid %d: no thread to run its modules' CLONE for child %d",
		       parent, child);
		if (!p->has_thread && !p->qhead && !p->clone_due && !p->value)
			vu_mt_unlink(p);
	}
	pthread_mutex_unlock(&vu_mt.lock);
	free(it);
	return ret;
}

void vu_mthread_exit(pid_t tid)
{
	pthread_mutex_lock(&vu_mt.lock);
	struct vu_mt *t = *vu_mt_slot(tid);

	if (t)
		vu_mt_exit_locked(t);
	pthread_mutex_unlock(&vu_mt.lock);
}

void *vu_mthread_withdraw(pid_t tid, bool (*match)(void *item, void *arg), void *arg)
{
	void *item = NULL;

	pthread_mutex_lock(&vu_mt.lock);
	struct vu_mt *t = *vu_mt_slot(tid);

	for (struct vu_mitem **pp = t ? &t->qhead : NULL, *prev = NULL; pp && *pp;
	     prev = *pp, pp = &(*pp)->next) {
		struct vu_mitem *it = *pp;

		if (!it->item || !match(it->item, arg))
			continue;
		*pp = it->next;
		if (t->qtail == it)
			t->qtail = prev;
		item = it->item;
		free(it);
		break;
	}
	pthread_mutex_unlock(&vu_mt.lock);
	return item;
}

unsigned int vu_mthread_count(void)
{
	pthread_mutex_lock(&vu_mt.lock);
	unsigned int n = vu_mt.nthreads;

	pthread_mutex_unlock(&vu_mt.lock);
	return n;
}

bool vu_mthread_has(pid_t tid)
{
	pthread_mutex_lock(&vu_mt.lock);
	bool has = *vu_mt_slot(tid) != NULL;

	pthread_mutex_unlock(&vu_mt.lock);
	return has;
}

unsigned int vu_mthread_stop(unsigned int timeout_ms)
{
	struct timespec deadline;

	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&vu_mt.lock);
	vu_mt.stopping = true;
	for (unsigned int i = 0; i < VU_MT_BUCKETS; i++)
		while (vu_mt.table[i])
			vu_mt_exit_locked(vu_mt.table[i]);
	while (vu_mt.nthreads > 0) {
		if (!timeout_ms)
			pthread_cond_wait(&vu_mt.gone, &vu_mt.lock);
		else if (pthread_cond_timedwait(&vu_mt.gone, &vu_mt.lock, &deadline) == ETIMEDOUT)
			break;
	}
	unsigned int left = vu_mt.nthreads;

	vu_mt.stopping = false;
	vu_mt.at_cap = false;
	pthread_mutex_unlock(&vu_mt.lock);
	return left;
}

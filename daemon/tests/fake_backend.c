// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fake_backend.c - see fake_backend.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/kmview.h>

#include "fake_backend.h"
#include "sc/procmounts.h"
#include "serve.h"

#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

static struct fake_backend *fake(struct vu_backend *be)
{
	return container_of(be, struct fake_backend, be);
}

static void fake_violation(struct fake_backend *f, const char *what)
{
	printf("# fake backend: %s\n", what);
	f->protocol_errors++;
}

/* The slot of held request @unique, or -1. Lock held. */
static int fake_held_slot(struct fake_backend *f, uint64_t unique)
{
	for (size_t i = 0; unique && i < f->nheld; i++)
		if (f->held[i] == unique)
			return (int)i;
	return -1;
}

void fake_hold(struct fake_backend *f, uint64_t unique)
{
	pthread_mutex_lock(&f->lock);
	if (f->nheld < FAKE_MAX_MSGS)
		f->held[f->nheld++] = unique;
	pthread_mutex_unlock(&f->lock);
}

static int fake_next(struct vu_backend *be, struct vu_msg *msg)
{
	struct fake_backend *f = fake(be);
	int ret = 0;

	pthread_mutex_lock(&f->lock);
	while (f->live && !f->closed && f->qpos == f->nqueue)
		pthread_cond_wait(&f->cv, &f->lock);
	if (f->qpos < f->nqueue) {
		*msg = f->queue[f->qpos++];
		if (msg->type == VU_MSG_SYSCALL && f->nheld < FAKE_MAX_MSGS)
			f->held[f->nheld++] = msg->unique;
		ret = 1;
	}
	pthread_mutex_unlock(&f->lock);
	return ret;
}

static ssize_t fake_mem(struct fake_backend *f, const struct vu_msg *req, uint64_t addr,
			void *buf, size_t len, int write);

static int fake_reply(struct vu_backend *be, const struct vu_msg *req, const struct vu_reply *rep)
{
	struct fake_backend *f = fake(be);
	int slot, ret = 0;

	/* the kernel writes the copies to the member where the call succeeds */
	if (rep->kind != VU_REPLY_NATIVE && rep->kind != VU_REPLY_REWRITE &&
	    !(rep->kind == VU_REPLY_RETURN && rep->retval < 0))
		for (unsigned int i = 0; i < rep->ncopy; i++)
			fake_mem(f, req, rep->copy[i].addr, (void *)(uintptr_t)rep->copy[i].data,
				 rep->copy[i].len, 1);
	pthread_mutex_lock(&f->lock);
	slot = req->type == VU_MSG_SYSCALL ? fake_held_slot(f, req->unique) : -1;
	if (slot < 0) {
		fake_violation(f, "reply to a request not held");
		pthread_mutex_unlock(&f->lock);
		return -ENOENT;
	}
	/* the kernel refuses what it cannot deliver (kmod/reply_check.c): the member still waits */
	if (rep->kind == VU_REPLY_RETURN &&
	    (rep->retval < -4095 || (rep->retval <= -512 && rep->retval >= -530))) {
		fake_violation(f, "errno out of range: the kernel refuses the reply");
		pthread_mutex_unlock(&f->lock);
		return -EINVAL;
	}
	f->held[slot] = f->held[--f->nheld];
	if (f->nreplies < FAKE_MAX_MSGS) {
		f->replies[f->nreplies].unique = req->unique;
		f->replies[f->nreplies].rep = *rep;
		/* the copies are the call's, freed after the reply */
		f->replies[f->nreplies].rep.copy = NULL;
		if (rep->kind == VU_REPLY_REWRITE && rep->path) {
			snprintf(f->paths[f->nreplies], sizeof(f->paths[0]), "%s", rep->path);
			f->replies[f->nreplies].rep.path = f->paths[f->nreplies];
		}
		f->replies[f->nreplies].file = -1;
		if (rep->kind == VU_REPLY_FILE) {
			f->replies[f->nreplies].file = fcntl(rep->fd, F_DUPFD_CLOEXEC, 0);
			if (f->replies[f->nreplies].file < 0)
				fake_violation(f, "FILE reply with a bad fd");
		}
		f->nreplies++;
	}
	if (f->reply_error) {
		ret = -f->reply_error;
		f->reply_error = 0;
	}
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->lock);
	return ret;
}

static struct fake_region *fake_find(struct fake_backend *f, uint64_t addr)
{
	for (size_t i = 0; i < f->nregions; i++)
		if (addr >= f->regions[i].addr && addr - f->regions[i].addr < f->regions[i].len)
			return &f->regions[i];
	return NULL;
}

/* Copies up to the end of the region: like the kernel, short at an unmapped page. */
static ssize_t fake_mem(struct fake_backend *f, const struct vu_msg *req, uint64_t addr,
			void *buf, size_t len, int write)
{
	struct fake_region *r;
	size_t n;

	pthread_mutex_lock(&f->lock);
	if (fake_held_slot(f, req->unique) < 0) {
		fake_violation(f, "memory access outside a held request");
		pthread_mutex_unlock(&f->lock);
		return -ENOENT;
	}
	r = fake_find(f, addr);
	if (!r) {
		pthread_mutex_unlock(&f->lock);
		return -EFAULT;
	}
	n = r->len - (size_t)(addr - r->addr);
	if (n > len)
		n = len;
	if (write) {
		memcpy(r->mem + (addr - r->addr), buf, n);
		if (f->nwrites < FAKE_MAX_WRITES) {
			f->writes[f->nwrites].addr = addr;
			f->writes[f->nwrites].len = n;
			f->nwrites++;
		}
	} else {
		memcpy(buf, r->mem + (addr - r->addr), n);
	}
	pthread_mutex_unlock(&f->lock);
	return (ssize_t)n;
}

static ssize_t fake_mem_read(struct vu_backend *be, const struct vu_msg *req, uint64_t addr,
			     void *buf, size_t len)
{
	return fake_mem(fake(be), req, addr, buf, len, 0);
}

static ssize_t fake_mem_write(struct vu_backend *be, const struct vu_msg *req, uint64_t addr,
			      const void *buf, size_t len)
{
	return fake_mem(fake(be), req, addr, (void *)(uintptr_t)buf, len, 1);
}

static int fake_vfd_poll(struct vu_backend *be, uint64_t handle, uint32_t events)
{
	struct fake_backend *f = fake(be);
	int e;

	pthread_mutex_lock(&f->lock);
	f->ready_handle = handle;
	f->ready_events = events;
	e = f->poll_error;
	f->poll_error = 0;
	pthread_mutex_unlock(&f->lock);
	return -e;
}

static int fake_set_filter(struct vu_backend *be, const uint64_t *bitmap, unsigned int nbits,
			   unsigned int flags)
{
	struct fake_backend *f = fake(be);

	if ((flags & VU_FILTER_ALL_EXECS) && !(be->features & VU_BE_ALL_EXECS)) {
		fake_violation(f, "VU_FILTER_ALL_EXECS without VU_BE_ALL_EXECS");
		return -EINVAL; /* as a kmview.ko before 1.3 */
	}
	f->strict_paths = flags & VU_FILTER_STRICT_PATHS;
	if ((flags & VU_FILTER_NO_VDSO) && !(be->features & VU_BE_NO_VDSO)) {
		fake_violation(f, "VU_FILTER_NO_VDSO without VU_BE_NO_VDSO");
		return -EINVAL;
	}
	f->all_execs = flags & VU_FILTER_ALL_EXECS;
	f->no_vdso = flags & VU_FILTER_NO_VDSO;
	if (nbits > 16 * 64)
		return -EINVAL;
	pthread_mutex_lock(&f->lock);
	memset(f->bitmap, 0, sizeof(f->bitmap));
	memcpy(f->bitmap, bitmap, (nbits + 63) / 64 * sizeof(uint64_t));
	f->nfilters++;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

/* The kernel's rules: nonzero unused ids, KMVIEW_MAX_PREFIXES in all. */
static int fake_add_prefix(struct vu_backend *be, uint64_t id, const char *path,
			   unsigned int flags, const char *src)
{
	struct fake_backend *f = fake(be);

	if (id == 0 || path[0] != '/' || (flags & VU_PREFIX_REDIRECT) != (src != NULL))
		return -EINVAL;
	if (f->nprefixes + f->nmtab_prefixes == KMVIEW_MAX_PREFIXES)
		return -ENOSPC;
	if (id > VU_PM_PREFIX_ID - 64) {
		f->nmtab_prefixes++;
		return 0;
	}
	for (size_t i = 0; i < f->nprefixes; i++)
		if (f->prefixes[i].id == id)
			return -EEXIST;
	f->prefixes[f->nprefixes].id = id;
	snprintf(f->prefixes[f->nprefixes].path, sizeof(f->prefixes[0].path), "%s", path);
	f->prefixes[f->nprefixes].flags = flags;
	snprintf(f->prefixes[f->nprefixes].src, sizeof(f->prefixes[0].src), "%s", src ? src : "");
	f->nprefixes++;
	return 0;
}

static int fake_del_prefix(struct vu_backend *be, uint64_t id)
{
	struct fake_backend *f = fake(be);

	if (id > VU_PM_PREFIX_ID - 64) {
		if (f->nmtab_prefixes == 0)
			return -ENOENT;
		f->nmtab_prefixes--;
		return 0;
	}
	for (size_t i = 0; i < f->nprefixes; i++)
		if (f->prefixes[i].id == id) {
			f->prefixes[i] = f->prefixes[--f->nprefixes];
			return 0;
		}
	return -ENOENT;
}

static int fake_set_keys(struct vu_backend *be, const struct vu_keys *keys)
{
	struct fake_backend *f = fake(be);

	if (!(be->features & VU_BE_KEYS))
		return -ENOTTY; /* a kmview.ko before 1.2 */
	if (keys->nioctls > VU_MAX_KEYS || keys->ndevs > VU_MAX_KEYS)
		return -E2BIG;
	pthread_mutex_lock(&f->lock);
	f->keys = *keys;
	f->nkeys++;
	pthread_mutex_unlock(&f->lock);
	return 0;
}

static const struct vu_backend_ops fake_ops = {
	.name = "fake",
	.next = fake_next,
	.reply = fake_reply,
	.mem_read = fake_mem_read,
	.mem_write = fake_mem_write,
	.set_filter = fake_set_filter,
	.vfd_poll = fake_vfd_poll,
	.add_prefix = fake_add_prefix,
	.del_prefix = fake_del_prefix,
	.set_keys = fake_set_keys,
};

void fake_init(struct fake_backend *f, unsigned int features)
{
	memset(f, 0, sizeof(*f));
	pthread_mutex_init(&f->lock, NULL);
	pthread_cond_init(&f->cv, NULL);
	f->be.ops = &fake_ops;
	f->be.features = features;
	f->be.nr_syscalls = 1024;
	f->next_unique = 1;
}

void fake_map(struct fake_backend *f, uint64_t addr, void *mem, size_t len)
{
	if (f->nregions == FAKE_MAX_REGIONS) {
		fake_violation(f, "too many regions");
		return;
	}
	f->regions[f->nregions++] = (struct fake_region){ addr, len, mem };
}

uint64_t fake_push(struct fake_backend *f, struct vu_msg m)
{
	pthread_mutex_lock(&f->lock);
	if (f->nqueue == FAKE_MAX_MSGS) {
		fake_violation(f, "queue full");
		pthread_mutex_unlock(&f->lock);
		return 0;
	}
	if (m.type == VU_MSG_SYSCALL)
		m.unique = f->next_unique++;
	f->queue[f->nqueue++] = m;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->lock);
	return m.unique;
}

uint64_t fake_push_syscall(struct fake_backend *f, pid_t tid, long nr, uint64_t a0, uint64_t a1,
			   uint64_t a2, uint64_t a3)
{
	struct vu_msg m = { .type = VU_MSG_SYSCALL, .tid = tid, .tgid = tid, .nr = nr };

	m.args[0] = a0;
	m.args[1] = a1;
	m.args[2] = a2;
	m.args[3] = a3;
	return fake_push(f, m);
}

int fake_run(struct fake_backend *f)
{
	f->nreplies = 0;
	f->nwrites = 0;
	int ret = vu_serve(&f->be);

	if (f->nheld)
		fake_violation(f, "a request left unanswered");
	f->nqueue = f->qpos = 0;
	return ret;
}

void fake_live(struct fake_backend *f)
{
	pthread_mutex_lock(&f->lock);
	f->nreplies = 0;
	f->nwrites = 0;
	f->nqueue = f->qpos = 0;
	f->live = true;
	f->closed = false;
	pthread_mutex_unlock(&f->lock);
}

void fake_close(struct fake_backend *f)
{
	pthread_mutex_lock(&f->lock);
	f->closed = true;
	pthread_cond_broadcast(&f->cv);
	pthread_mutex_unlock(&f->lock);
}

long fake_wait(struct fake_backend *f, uint64_t unique, int ms)
{
	struct timespec ts;
	long ret;

	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&f->lock);
	while ((ret = fake_result(f, unique)) == FAKE_NO_REPLY)
		if (pthread_cond_timedwait(&f->cv, &f->lock, &ts) == ETIMEDOUT) {
			ret = fake_result(f, unique);
			break;
		}
	pthread_mutex_unlock(&f->lock);
	return ret;
}

long fake_result(const struct fake_backend *f, uint64_t unique)
{
	long found = FAKE_NO_REPLY;
	int n = 0;

	for (size_t i = 0; i < f->nreplies; i++) {
		if (f->replies[i].unique != unique)
			continue;
		n++;
		found = f->replies[i].rep.kind == VU_REPLY_NATIVE ? FAKE_NATIVE :
								   f->replies[i].rep.retval;
	}
	return n > 1 ? FAKE_TWO_REPLIES : found;
}

long fake_call(struct fake_backend *f, pid_t tid, long nr, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3)
{
	uint64_t u = fake_push_syscall(f, tid, nr, a0, a1, a2, a3);

	fake_run(f);
	return fake_result(f, u);
}

struct vu_msg fake_msg(pid_t tid, long nr, const char *path)
{
	struct vu_msg m = { .type = VU_MSG_SYSCALL, .tid = tid, .tgid = tid, .nr = nr };

	m.fd_arg[0] = m.fd_arg[1] = m.path_arg[0] = m.path_arg[1] = VU_NO_ARG;
	m.path[0] = path;
	if (path)
		m.path_arg[0] = 0;
	return m;
}

long fake_serve(struct fake_backend *f, struct vu_msg m)
{
	uint64_t u = fake_push(f, m);

	fake_run(f);
	return fake_result(f, u);
}

uint64_t fake_open_vfd(struct fake_backend *f, pid_t tid, const char *path, int flags, long *err)
{
	struct vu_msg m = fake_msg(tid, __NR_open, path);
	uint64_t u;

	m.args[1] = (uint64_t)flags;
	u = fake_push(f, m);
	fake_run(f);
	for (size_t i = 0; i < f->nreplies; i++)
		if (f->replies[i].unique == u && f->replies[i].rep.kind == VU_REPLY_VFD)
			return f->replies[i].rep.handle;
	if (err)
		*err = fake_result(f, u);
	return 0;
}

long fake_mount(struct fake_backend *f, pid_t tid, uint64_t source, uint64_t target, uint64_t fstype,
		uint64_t data)
{
	struct vu_msg m = fake_msg(tid, __NR_mount, NULL);

	m.args[0] = source;
	m.args[1] = target;
	m.args[2] = fstype;
	m.args[4] = data;
	return fake_serve(f, m);
}

pid_t fake_member(mode_t umask_of_it)
{
	pid_t pid = fork();

	if (pid == 0) {
		umask(umask_of_it);
		pause();
		_exit(0);
	}
	return pid;
}

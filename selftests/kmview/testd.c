// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The selftests' view daemon: see testd.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "testd.h"
#include "../../kmod/path.h"

#define ALIGN8(x) (((x) + 7) & ~(size_t)7)

int testd_open(struct testd *t, uint64_t features)
{
	memset(t, 0, sizeof(*t));
	t->fd = open(KMVIEW_DEVICE, O_RDWR | O_CLOEXEC);
	if (t->fd < 0)
		return -1;
	t->hello.major = KMVIEW_API_MAJOR;
	t->hello.minor = KMVIEW_API_MINOR;
	t->hello.features = features;
	return ioctl(t->fd, KMVIEW_IOC_HELLO, &t->hello);
}

int testd_filter(struct testd *t, const int *nrs, unsigned int n, uint32_t flags)
{
	uint64_t bits[KMVIEW_NR_SYSCALLS / 64] = { 0 };
	struct kmview_filter f = { .bitmap = (uintptr_t)bits, .nr_bits = KMVIEW_NR_SYSCALLS,
				   .flags = flags };
	unsigned int i;

	for (i = 0; i < n; i++)
		bits[nrs[i] / 64] |= 1ULL << (nrs[i] % 64);
	return ioctl(t->fd, KMVIEW_IOC_SET_FILTER, &f);
}

int testd_add_prefix(struct testd *t, const char *path, uint64_t id)
{
	struct kmview_prefix p = { .path = (uintptr_t)path, .len = strlen(path), .id = id };

	return ioctl(t->fd, KMVIEW_IOC_ADD_PREFIX, &p);
}

pid_t testd_spawn(struct testd *t, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid == 0) {
		if (ioctl(t->fd, KMVIEW_IOC_ATTACH, 0)) {
			perror("testd: attach");
			_exit(125);
		}
		close(t->fd);
		_exit(fn(arg));
	}
	t->member = pid;
	return pid;
}

int testd_reply(struct testd *t, const struct kmview_reply *r)
{
	ssize_t n = write(t->fd, r, r->len);

	return n == (ssize_t)r->len ? 0 : -1;
}

int testd_reply_return(struct testd *t, uint64_t unique, int64_t val)
{
	struct kmview_reply r = { .unique = unique, .len = sizeof(r),
				  .kind = KMVIEW_REPLY_RETURN, .retval = val };

	return testd_reply(t, &r);
}

static int testd_reply_kind(struct testd *t, uint64_t unique, uint16_t kind)
{
	struct kmview_reply r = { .unique = unique, .len = sizeof(r), .kind = kind };

	return testd_reply(t, &r);
}

static int testd_copyout(struct testd *t, uint64_t unique, uint64_t addr, uint32_t len)
{
	size_t size = sizeof(struct kmview_reply) + sizeof(struct kmview_copy) + ALIGN8(len);
	struct kmview_reply *r = calloc(1, size);
	struct kmview_copy *c = (struct kmview_copy *)(r + 1);
	char *data = (char *)(c + 1);
	uint32_t i;
	int ret;

	if (!r)
		return -1;
	r->unique = unique;
	r->len = size;
	r->kind = KMVIEW_REPLY_RETURN;
	r->retval = len;
	r->ncopy = 1;
	c->addr = addr;
	c->len = len;
	for (i = 0; i < len; i++)
		data[i] = 'A' + i % 26;
	ret = testd_reply(t, r);
	free(r);
	return ret;
}

static long testd_mem(struct testd *t, uint64_t unique, uint64_t addr, void *buf, uint32_t len,
		      uint32_t flags)
{
	struct kmview_mem m = { .unique = unique, .addr = addr, .buf = (uintptr_t)buf,
				.len = len, .flags = flags };

	return ioctl(t->fd, KMVIEW_IOC_MEM, &m);
}

static int testd_released(struct testd *t, uint64_t handle)
{
	unsigned int i;

	for (i = 0; i < t->nreleased; i++)
		if (t->released[i] == handle)
			return 1;
	return 0;
}

/* Held requests: unique and the command they came with. */
struct testd_held {
	uint64_t unique;
	long cmd;
	pid_t tid;
};

static struct testd_held held[64];
static unsigned int nheld;
static pid_t held_once_tids[64];
static unsigned int nheld_once;

static int testd_getppid(struct testd *t, const struct kmview_msg *m,
			 const struct kmview_syscall *sc, int *pause_ms)
{
	const __u64 *a = sc->args;
	char buf[256];
	long n, i;

	switch (a[0]) {
	case TESTD_NATIVE:
		return testd_reply_kind(t, m->unique, KMVIEW_REPLY_NATIVE);
	case TESTD_RETURN:
		return testd_reply_return(t, m->unique, a[1]);
	case TESTD_ERROR:
		return testd_reply_return(t, m->unique, -(int64_t)a[1]);
	case TESTD_COPYOUT:
		return testd_copyout(t, m->unique, a[1], a[2]);
	case TESTD_VFD: {
		struct kmview_reply r = { .unique = m->unique, .len = sizeof(r),
					  .kind = KMVIEW_REPLY_VFD, .handle = a[1],
					  .open_flags = a[2] };
		if (testd_reply(t, &r))
			return testd_reply_return(t, m->unique, -errno);
		return 0;
	}
	case TESTD_FILE: {
		struct kmview_reply r = { .unique = m->unique, .len = sizeof(r),
					  .kind = KMVIEW_REPLY_FILE, .open_flags = a[2] & O_CLOEXEC };
		int fd;

		n = testd_mem(t, m->unique, a[1], buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return testd_reply_return(t, m->unique, -EFAULT);
		buf[n] = 0;
		fd = open(buf, (a[2] & ~O_CLOEXEC) | O_CLOEXEC);
		if (fd < 0)
			return testd_reply_return(t, m->unique, -errno);
		r.fd = fd;
		n = testd_reply(t, &r);
		close(fd);
		return n;
	}
	case TESTD_HOLD:
	case TESTD_HOLD_FOREVER:
		break;
	case TESTD_HOLD_ONCE:
		for (i = 0; i < (long)nheld_once; i++)
			if (held_once_tids[i] == m->tid)
				return testd_reply_return(t, m->unique, 42);
		if (nheld_once < 64)
			held_once_tids[nheld_once++] = m->tid;
		break;
	case TESTD_MEM:
		n = testd_mem(t, m->unique, a[1], buf, sizeof(buf) - 1, 0);
		if (n <= 0)
			return testd_reply_return(t, m->unique, -EFAULT);
		buf[n] = 0;
		n = strlen(buf);
		for (i = 0; i < n; i++)
			if (buf[i] >= 'a' && buf[i] <= 'z')
				buf[i] -= 'a' - 'A';
		if (testd_mem(t, m->unique, a[1], buf, n, KMVIEW_MEM_WRITE) != n)
			return testd_reply_return(t, m->unique, -EIO);
		return testd_reply_return(t, m->unique, n);
	case TESTD_POLL: {
		struct kmview_vfd_poll p = { .handle = a[1], .events = a[2] };

		n = ioctl(t->fd, KMVIEW_IOC_VFD_POLL, &p);
		return testd_reply_return(t, m->unique, n ? -errno : 0);
	}
	case TESTD_RELEASED:
		return testd_reply_return(t, m->unique, testd_released(t, a[1]));
	case TESTD_PAUSE:
		*pause_ms = a[1];
		return testd_reply_return(t, m->unique, 0);
	case TESTD_COUNT:
		return testd_reply_return(t, m->unique, t->requests);
	default:
		return testd_reply_return(t, m->unique, -EINVAL);
	}
	if (nheld == 64)
		return testd_reply_return(t, m->unique, -EBUSY);
	held[nheld++] = (struct testd_held){ m->unique, (long)a[0], m->tid };
	return 0;
}

static void testd_interrupt(struct testd *t, uint64_t unique)
{
	unsigned int i;

	t->interrupts++;
	for (i = 0; i < nheld; i++) {
		if (held[i].unique != unique || held[i].cmd == TESTD_HOLD_FOREVER)
			continue;
		testd_reply_return(t, unique, -EINTR);
		held[i] = held[--nheld];
		return;
	}
}

/* @path made absolute from the member's cwd, and folded as the kernel filter does. */
static void testd_absolute(char *dst, size_t size, pid_t tid, const char *path)
{
	char link[64];
	ssize_t n = 0;

	if (path[0] != '/') {
		snprintf(link, sizeof(link), "/proc/%d/cwd", tid);
		n = readlink(link, dst, size / 2);
		if (n < 0)
			n = 0;
		dst[n++] = '/';
	}
	snprintf(dst + n, size - n, "%s", path);
	kmview_path_normalize(dst, strlen(dst));
}

/* Rewrite a path under t->strip_prefix to the same path without it, natively. */
static int testd_strip(struct testd *t, const struct kmview_msg *m,
		       const struct kmview_syscall *sc, const char *paths[2])
{
	size_t plen = strlen(t->strip_prefix), len;
	char abs[2][2 * KMVIEW_PATH_MAX];
	const char *rest;
	struct kmview_reply *r;
	int i, ret;

	for (i = 0; i < 2; i++) {
		if (!paths[i])
			continue;
		testd_absolute(abs[i], sizeof(abs[i]), m->tid, paths[i]);
		if (kmview_path_under(t->strip_prefix, plen, abs[i], strlen(abs[i])))
			break;
	}
	if (i == 2)
		return testd_reply_kind(t, m->unique, KMVIEW_REPLY_NATIVE);
	rest = abs[i][plen] ? abs[i] + plen : "/";
	len = strlen(rest) + 1;
	r = calloc(1, sizeof(*r) + ALIGN8(len));
	if (!r)
		return -1;
	r->unique = m->unique;
	r->len = sizeof(*r) + ALIGN8(len);
	r->kind = KMVIEW_REPLY_REWRITE;
	r->flags = KMVIEW_REPLY_F_PATH;
	r->path_arg = sc->path_arg[i];
	r->path_len = len;
	memcpy(r + 1, rest, len);
	ret = testd_reply(t, r);
	free(r);
	return ret;
}

static int testd_syscall(struct testd *t, const struct kmview_msg *m, int *pause_ms)
{
	const struct kmview_syscall *sc = (const void *)(m + 1);
	const char *p = (const char *)(sc + 1);
	const char *paths[2] = { NULL, NULL };
	int i;

	t->requests++;
	if (t->hello.features & KMVIEW_FEAT_NOTIFY_FORK && m->tid != t->member) {
		for (i = 0; i < (int)t->nforked; i++)
			if (t->forked[i] == m->tid)
				break;
		if (i == (int)t->nforked)
			t->unannounced++;
	}
	for (i = 0; i < 2; i++) {
		if (!sc->path_len[i])
			continue;
		paths[i] = p;
		p += ALIGN8(sc->path_len[i]);
	}
	if (t->policy && t->policy(t, m, sc, paths) == 0)
		return 0;
	if (sc->nr == SYS_getppid)
		return testd_getppid(t, m, sc, pause_ms);
	if (t->strip_prefix)
		return testd_strip(t, m, sc, paths);
	return testd_reply_kind(t, m->unique, KMVIEW_REPLY_NATIVE);
}

int testd_serve(struct testd *t)
{
	static char buf[2 * KMVIEW_READ_MIN] __attribute__((aligned(8)));
	int status = -1;

	for (;;) {
		ssize_t n = read(t->fd, buf, sizeof(buf));
		size_t off = 0;
		int pause_ms = 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		while (off < (size_t)n) {
			const struct kmview_msg *m = (const void *)(buf + off);

			switch (m->type) {
			case KMVIEW_MSG_SYSCALL:
				testd_syscall(t, m, &pause_ms);
				break;
			case KMVIEW_MSG_INTERRUPT:
				testd_interrupt(t, m->unique);
				break;
			case KMVIEW_MSG_FORK:
				t->nforks++;
				if (t->nforked < TESTD_MAX_HANDLES) {
					const struct kmview_fork *f = (const void *)(m + 1);

					t->fork_flags[t->nforked] = f->clone_flags;
					t->fork_parent[t->nforked] = m->tid;
					t->forked[t->nforked++] = f->child;
				}
				break;
			case KMVIEW_MSG_EXIT:
				t->nexited++;
				break;
			case KMVIEW_MSG_RELEASE:
				if (t->nreleased < TESTD_MAX_HANDLES)
					t->released[t->nreleased++] =
						((const struct kmview_release *)(m + 1))->handle;
				break;
			}
			off += m->len;
		}
		if (pause_ms)
			poll(NULL, 0, pause_ms);
	}
	if (t->member > 0)
		waitpid(t->member, &status, 0);
	return status;
}

void testd_close(struct testd *t)
{
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

long testd_call(long cmd, long a1, long a2, long a3)
{
	return syscall(SYS_getppid, cmd, a1, a2, a3);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest.c - nesting: a module's own calls on files see the view as it was
 * before the module's entry (its epoch), so a vufs mount whose source is
 * in another vufs mount reads through that older mount.
 *
 * The C library functions a module calls are rebound to the nest_*.c
 * functions when the module is loaded (nest_bind.c): the daemon's own
 * calls are never rebound. Outside a module method (the thread's epoch is
 * "now") each one is the C library's; inside a method an absolute path,
 * or a path relative to a stand-in dirfd, that is virtual at the thread's
 * epoch goes to the module that serves it, and a file opened that way is
 * a real fd number (reserved on /dev/null) that stands for the inner
 * module's file in the fd functions. This file keeps those stand-ins and
 * decides, for a path, virtual or real. -x (nonesting) turns it all off.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/nest.h"
#include "host/nest_impl.h"

static bool vu_nest_off;
static pthread_mutex_t vu_nfd_lock = PTHREAD_MUTEX_INITIALIZER;
/* By fd number; grown as needed: the daemon's fds go as high as its RLIMIT_NOFILE. */
static struct vu_nfd **vu_nfd;
static int vu_nfd_size;
static int vu_nfd_n;

void vu_nest_disable(void)
{
	vu_nest_off = true;
}

bool vu_nest_active(void)
{
	return !vu_nest_off && vu_epoch_get() != VU_EPOCH_NOW;
}

struct vu_nfd *vu_nfd_get(int fd)
{
	struct vu_nfd *n = NULL;

	if (fd < 0 || __atomic_load_n(&vu_nfd_n, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	pthread_mutex_lock(&vu_nfd_lock);
	n = fd < vu_nfd_size ? vu_nfd[fd] : NULL;
	pthread_mutex_unlock(&vu_nfd_lock);
	return n;
}

const char *vu_nfd_mpath(const struct vu_nfd *n)
{
	return vuht_path2mpath(n->ht, n->path);
}

int vu_nest_path(int dirfd, const char *path, bool follow, struct vu_target *t,
		 const char **real)
{
	char joined[KMVIEW_PATH_MAX];
	const char *abs = path;
	int ret;

	*real = path;
	if (!vu_nest_active() || !path)
		return 0;
	if (path[0] != '/') {
		struct vu_nfd *n = dirfd == AT_FDCWD ? NULL : vu_nfd_get(dirfd);

		if (!n)
			return 0; /* relative to a real directory: real */
		if (snprintf(joined, sizeof(joined), "%s/%s", n->path, path) >=
		    (int)sizeof(joined)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		abs = joined;
	}
	ret = vu_resolve_abs(abs, follow ? VU_RES_FOLLOW : 0, t);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	if (t->ht)
		return 1;
	if (t->rewritten || abs != path)
		*real = t->path; /* a virtual symlink or a stand-in dirfd led to the real tree */
	return 0;
}

long vu_nest_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Make room for @fd in the table: 0 or -1 (ENOMEM). Under the lock. */
static int vu_nfd_fit(int fd)
{
	if (fd >= vu_nfd_size) {
		int size = fd < 64 ? 64 : fd * 2;
		struct vu_nfd **t = realloc(vu_nfd, (size_t)size * sizeof(*t));

		if (!t)
			return -1;
		memset(t + vu_nfd_size, 0, (size_t)(size - vu_nfd_size) * sizeof(*t));
		vu_nfd = t;
		vu_nfd_size = size;
	}
	return 0;
}

/* Name @n by @fd (a fresh /dev/null fd): 0, or -1 (ENOMEM). */
static int vu_nfd_put(int fd, struct vu_nfd *n)
{
	int ret;

	pthread_mutex_lock(&vu_nfd_lock);
	ret = vu_nfd_fit(fd);
	if (ret == 0) {
		vu_nfd[fd] = n;
		n->refs++;
		__atomic_add_fetch(&vu_nfd_n, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vu_nfd_lock);
	return ret;
}

/* The module's close of @n: its last fd number is gone. */
static long vu_nfd_free(struct vu_nfd *n)
{
	long r = vu_mcall(n->ht, close, int, (int, void *), n->sfd, n->fdprivate);

	if (r == -ENOSYS)
		r = 0;
	vuht_drop(n->ht);
	free(n->path);
	free(n);
	return r;
}

int vu_nfd_open(struct vu_target *t, int flags, mode_t mode)
{
	void *fdprivate = NULL;
	long sfd = vu_mcall(t->ht, open, int, (const char *, int, mode_t, void **), t->mpath,
			    flags, mode, &fdprivate);
	struct vu_nfd *n;
	int fd;

	if (sfd < 0)
		return (int)vu_nest_ret(sfd);
	n = calloc(1, sizeof(*n));
	fd = n ? open("/dev/null", O_RDONLY | (flags & O_CLOEXEC)) : -1;
	if (n && fd >= 0)
		n->path = strdup(t->path);
	if (fd < 0 || !n->path || vu_nfd_put(fd, n) < 0) {
		vu_mcall(t->ht, close, int, (int, void *), (int)sfd, fdprivate);
		if (fd >= 0)
			close(fd);
		if (n)
			free(n->path);
		free(n);
		errno = EMFILE;
		return -1;
	}
	vuht_pick_again(t->ht);
	n->ht = t->ht;
	n->sfd = (int)sfd;
	n->fdprivate = fdprivate;
	n->flags = flags;
	return fd;
}

int vu_nfd_dup(struct vu_nfd *n, int newfd)
{
	if (newfd < 0)
		return -1;
	if (vu_nfd_put(newfd, n) < 0) {
		close(newfd);
		errno = EMFILE;
		return -1;
	}
	return newfd;
}

int vu_nfd_close(int fd)
{
	struct vu_nfd *n;
	bool last = false;
	long r = 0;

	pthread_mutex_lock(&vu_nfd_lock);
	n = fd >= 0 && fd < vu_nfd_size ? vu_nfd[fd] : NULL;
	if (n) {
		vu_nfd[fd] = NULL;
		last = --n->refs == 0;
		__atomic_sub_fetch(&vu_nfd_n, 1, __ATOMIC_RELEASE);
	}
	pthread_mutex_unlock(&vu_nfd_lock);
	if (!n) {
		errno = EBADF;
		return -1;
	}
	if (last)
		r = vu_nfd_free(n);
	close(fd);
	return (int)vu_nest_ret(r);
}

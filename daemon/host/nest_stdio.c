// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest_stdio.c - streams of the nesting layer (nest.c): fopen and the
 * directory streams. The C library's fopen and opendir open their file
 * with internal calls that are not rebound, so on a virtual path they are
 * built here: a FILE of fopencookie over a stand-in fd, and a directory
 * stream of our own over the module's getdents64. A stream of a real file
 * is the C library's, untouched; the directory functions tell ours from
 * the C library's by a table of the ones handed out.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "host/nest_impl.h"

/* ---- fopen ---- */

/* fopen's mode string as open flags: -1 (EINVAL) if it is not one. */
static int vu_nest_fmode(const char *mode)
{
	int flags;

	switch (mode[0]) {
	case 'r':
		flags = O_RDONLY;
		break;
	case 'w':
		flags = O_WRONLY | O_CREAT | O_TRUNC;
		break;
	case 'a':
		flags = O_WRONLY | O_CREAT | O_APPEND;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	for (const char *m = mode + 1; *m && *m != ','; m++) {
		if (*m == '+')
			flags = (flags & ~O_ACCMODE) | O_RDWR;
		else if (*m == 'x')
			flags |= O_EXCL;
		else if (*m == 'e')
			flags |= O_CLOEXEC;
	}
	return flags;
}

static ssize_t vu_cookie_read(void *c, char *buf, size_t size)
{
	return vu_nest_read((int)(intptr_t)c, buf, size);
}

static ssize_t vu_cookie_write(void *c, const char *buf, size_t size)
{
	ssize_t r = vu_nest_write((int)(intptr_t)c, buf, size);

	return r < 0 ? 0 : r; /* fopencookie: 0 is the error */
}

static int vu_cookie_seek(void *c, off64_t *pos, int whence)
{
	off_t r = vu_nest_lseek((int)(intptr_t)c, *pos, whence);

	if (r < 0)
		return -1;
	*pos = r;
	return 0;
}

static int vu_cookie_close(void *c)
{
	return vu_nfd_close((int)(intptr_t)c);
}

static FILE *vu_nest_fopen(const char *path, const char *mode)
{
	static const cookie_io_functions_t io = {
		.read = vu_cookie_read,
		.write = vu_cookie_write,
		.seek = vu_cookie_seek,
		.close = vu_cookie_close,
	};
	struct vu_target t;
	const char *rp;
	int v = vu_nest_path(AT_FDCWD, path, true, &t, &rp);
	int flags, fd;
	FILE *f;

	if (v < 0)
		return NULL;
	if (v == 0)
		return fopen(rp, mode);
	flags = vu_nest_fmode(mode);
	fd = flags < 0 ? -1 : vu_nfd_open(&t, flags, 0666);
	vu_target_put(&t);
	if (fd < 0)
		return NULL;
	if ((flags & O_APPEND) && vu_nest_lseek(fd, 0, SEEK_END) < 0) {
		int e = errno;

		vu_nfd_close(fd);
		errno = e;
		return NULL;
	}
	f = fopencookie((void *)(intptr_t)fd, mode, io);
	if (!f) {
		int e = errno;

		vu_nfd_close(fd);
		errno = e;
	}
	return f;
}

/* ---- directory streams ---- */

struct vu_ndir {
	struct vu_ndir *next;
	int fd;
	size_t pos, len;
	long last_off; /* d_off of the entry last returned: telldir */
	char buf[32768] __attribute__((aligned(8)));
};

static pthread_mutex_t vu_ndir_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vu_ndir *vu_ndirs;
static int vu_ndir_n;

/* @d as one of ours, or NULL: the C library's. */
static struct vu_ndir *vu_ndir_of(DIR *d)
{
	struct vu_ndir *p;

	if (__atomic_load_n(&vu_ndir_n, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	pthread_mutex_lock(&vu_ndir_lock);
	for (p = vu_ndirs; p && (DIR *)p != d; p = p->next)
		;
	pthread_mutex_unlock(&vu_ndir_lock);
	return p;
}

static DIR *vu_ndir_new(int fd)
{
	struct vu_ndir *d = calloc(1, sizeof(*d));

	if (!d)
		return NULL;
	d->fd = fd;
	pthread_mutex_lock(&vu_ndir_lock);
	d->next = vu_ndirs;
	vu_ndirs = d;
	__atomic_add_fetch(&vu_ndir_n, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vu_ndir_lock);
	return (DIR *)d;
}

static DIR *vu_nest_opendir(const char *path)
{
	struct vu_target t;
	const char *rp;
	int v = vu_nest_path(AT_FDCWD, path, true, &t, &rp);
	struct vu_nfd *n;
	struct stat st;
	int fd;
	DIR *d;

	if (v < 0)
		return NULL;
	if (v == 0)
		return opendir(rp);
	fd = vu_nfd_open(&t, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
	vu_target_put(&t);
	if (fd < 0)
		return NULL;
	/* a module may not check O_DIRECTORY itself */
	n = vu_nfd_get(fd);
	if (vu_mcall(n->ht, lstat, int, VU_LSTAT_PROTO, (char *)vu_nfd_mpath(n), &st, 0, n->sfd,
		     n->fdprivate) == 0 &&
	    !S_ISDIR(st.st_mode)) {
		vu_nfd_close(fd);
		errno = ENOTDIR;
		return NULL;
	}
	d = vu_ndir_new(fd);
	if (!d) {
		vu_nfd_close(fd);
		errno = ENOMEM;
	}
	return d;
}

static DIR *vu_nest_fdopendir(int fd)
{
	if (!vu_nfd_get(fd))
		return fdopendir(fd);
	return vu_ndir_new(fd);
}

static struct dirent *vu_nest_readdir(DIR *dir)
{
	struct vu_ndir *d = vu_ndir_of(dir);
	struct dirent64 *e;

	if (!d)
		return readdir(dir);
	if (d->pos >= d->len) {
		ssize_t n = vu_nest_getdents64(d->fd, d->buf, sizeof(d->buf));

		if (n <= 0)
			return NULL; /* the end (errno untouched), or an error (errno) */
		d->len = (size_t)n;
		d->pos = 0;
	}
	e = (struct dirent64 *)(d->buf + d->pos);
	d->pos += e->d_reclen;
	d->last_off = e->d_off;
	/* struct dirent is struct dirent64 on x86-64 */
	return (struct dirent *)e;
}

static int vu_nest_closedir(DIR *dir)
{
	struct vu_ndir *d = vu_ndir_of(dir), **pp;

	if (!d)
		return closedir(dir);
	pthread_mutex_lock(&vu_ndir_lock);
	for (pp = &vu_ndirs; *pp != d; pp = &(*pp)->next)
		;
	*pp = d->next;
	__atomic_sub_fetch(&vu_ndir_n, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vu_ndir_lock);
	int r = vu_nfd_close(d->fd);

	free(d);
	return r;
}

static int vu_nest_dirfd(DIR *dir)
{
	struct vu_ndir *d = vu_ndir_of(dir);

	return d ? d->fd : dirfd(dir);
}

static void vu_nest_seekdir(DIR *dir, long off)
{
	struct vu_ndir *d = vu_ndir_of(dir);

	if (!d) {
		seekdir(dir, off);
		return;
	}
	if (vu_nest_lseek(d->fd, off, SEEK_SET) >= 0) {
		d->pos = d->len = 0;
		d->last_off = off;
	}
}

static void vu_nest_rewinddir(DIR *dir)
{
	if (!vu_ndir_of(dir)) {
		rewinddir(dir);
		return;
	}
	vu_nest_seekdir(dir, 0);
}

static long vu_nest_telldir(DIR *dir)
{
	struct vu_ndir *d = vu_ndir_of(dir);

	return d ? d->last_off : telldir(dir);
}

const struct vu_nest_sym vu_nest_stdio_syms[] = {
	NEST_SYM(fopen, vu_nest_fopen), NEST_SYM(fopen64, vu_nest_fopen),
	NEST_SYM(opendir, vu_nest_opendir), NEST_SYM(fdopendir, vu_nest_fdopendir),
	NEST_SYM(readdir, vu_nest_readdir), NEST_SYM(readdir64, vu_nest_readdir),
	NEST_SYM(closedir, vu_nest_closedir), NEST_SYM(dirfd, vu_nest_dirfd),
	NEST_SYM(seekdir, vu_nest_seekdir), NEST_SYM(rewinddir, vu_nest_rewinddir),
	NEST_SYM(telldir, vu_nest_telldir),
	{ NULL, NULL, NULL },
};

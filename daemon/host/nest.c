// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest.c - nesting: a module's own system calls see the view as it was
 * before the module's entry (its epoch), so a vufs mount whose source is
 * in another vufs mount reads through that older mount.
 *
 * How: kmview (linked -rdynamic) defines the C library's file functions
 * that modules call (open, stat, read, ...). The dynamic linker binds a
 * module's references to the executable's definitions first, as it would
 * to an LD_PRELOAD library. Outside a module method (the thread's epoch is
 * "now") each function is the C library's own, found with RTLD_NEXT, so
 * the daemon itself and a preloaded library keep their meaning. Inside a
 * method, an absolute path that is virtual at the thread's epoch goes to
 * the module that serves it, and a file opened that way is a real fd
 * number (reserved on /dev/null) that stands for the inner module's file
 * in the read, write, fstat... functions. VUOS does the same with
 * purelibc for every libc call; kmview covers the functions below, which
 * are what modules use on files. Relative paths and the *at functions
 * with a real dirfd stay real. -x (nonesting) turns it all off.
 *
 * Only the real binary links this file: the unit tests run without it.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>

#include "core/modcall.h"
#include "host/nest.h"
#include "core/vpath.h"


struct vu_nfd {
	struct vuht_entry_t *ht; /* holds a use */
	int sfd;
	void *fdprivate;
	char *path;
};

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

/* The C library's own function @name (or a preloaded library's). */
#define REAL(name)                                                              \
	({                                                                      \
		static __typeof__(&name) vu_real_;                              \
		if (!vu_real_)                                                  \
			*(void **)&vu_real_ = dlsym(RTLD_NEXT, #name);          \
		vu_real_;                                                       \
	})

static bool vu_nest_active(void)
{
	return !vu_nest_off && vu_epoch_get() != VU_EPOCH_NOW;
}

static struct vu_nfd *vu_nfd_get(int fd)
{
	struct vu_nfd *n = NULL;

	if (fd < 0 || __atomic_load_n(&vu_nfd_n, __ATOMIC_ACQUIRE) == 0)
		return NULL;
	pthread_mutex_lock(&vu_nfd_lock);
	n = fd < vu_nfd_size ? vu_nfd[fd] : NULL;
	pthread_mutex_unlock(&vu_nfd_lock);
	return n;
}

/*
 * A path of a module's call: true if it is virtual at the thread's epoch
 * (@t holds the entry), false if real (@real is the path to use then).
 * -1 and errno for a path that cannot be resolved.
 */
static int vu_nest_path(const char *path, bool follow, struct vu_target *t, const char **real)
{
	int ret;

	*real = path;
	if (!vu_nest_active() || !path || path[0] != '/')
		return 0;
	ret = vu_resolve_abs(path, follow ? VU_RES_FOLLOW : 0, t);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	if (t->ht)
		return 1;
	if (t->rewritten)
		*real = t->path; /* a virtual symlink led back to the real tree */
	return 0;
}

/* A method's result as the C library returns it. */
static long vu_nest_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* Path functions: virtual → method @call on t.mpath; real → @realcall on rp. */
#define NEST_PATH(path, follow, call, realcall)                                 \
	do {                                                                    \
		struct vu_target t_;                                            \
		const char *rp;                                                 \
		int v_ = vu_nest_path((path), (follow), &t_, &rp);              \
		if (v_ < 0)                                                     \
			return -1;                                              \
		if (v_ == 0)                                                    \
			return realcall;                                        \
		long r_ = (call);                                               \
		vu_target_put(&t_);                                             \
		return vu_nest_ret(r_);                                         \
	} while (0)
#define MP (t_.mpath)
#define HT (t_.ht)

/* Fd functions: a nested fd → method @call on n->sfd; else @realcall. */
#define NEST_FD(fd, call, realcall)                                             \
	do {                                                                    \
		struct vu_nfd *n = vu_nfd_get(fd);                              \
		if (!n)                                                         \
			return realcall;                                        \
		return vu_nest_ret(call);                                       \
	} while (0)

#define LSTAT_PROTO (char *, struct stat *, int, int, void *)

/* A count for a buffer of @max bytes: never more (modret.h); @max 0 asks for a size. */
#define NEST_SIZE(ht, name, call, max) \
	((max) ? vu_mod_size((ht), (name), (call), (max)) : (call))

int stat(const char *restrict path, struct stat *restrict buf)
{
	NEST_PATH(path, true, vu_mcall(HT, lstat, int, LSTAT_PROTO, (char *)MP, buf, 0, -1, NULL),
		  REAL(stat)(rp, buf));
}

int lstat(const char *restrict path, struct stat *restrict buf)
{
	NEST_PATH(path, false,
		  vu_mcall(HT, lstat, int, LSTAT_PROTO, (char *)MP, buf, AT_SYMLINK_NOFOLLOW, -1,
			   NULL),
		  REAL(lstat)(rp, buf));
}

int fstat(int fd, struct stat *buf)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lstat, int, LSTAT_PROTO, (char *)vuht_path2mpath(n->ht, n->path),
			 buf, 0, n->sfd, n->fdprivate),
		REAL(fstat)(fd, buf));
}

int access(const char *path, int mode)
{
	NEST_PATH(path, true, vu_mcall(HT, access, int, (char *, int, int), (char *)MP, mode, 0),
		  REAL(access)(rp, mode));
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (path[0] != '/')
		return REAL(faccessat)(dirfd, path, mode, flags);
	NEST_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW),
		  vu_mcall(HT, access, int, (char *, int, int), (char *)MP, mode,
			   flags & AT_EACCESS),
		  REAL(faccessat)(dirfd, rp, mode, flags));
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t size)
{
	NEST_PATH(path, false,
		  NEST_SIZE(HT, "readlink",
			    vu_mcall(HT, readlink, ssize_t, (char *, char *, size_t), (char *)MP,
				     buf, size),
			    size),
		  REAL(readlink)(rp, buf, size));
}

/* Make room for @fd in the table: 0 or -1 (ENOMEM). */
static int vu_nfd_fit(int fd)
{
	int ret = 0;

	pthread_mutex_lock(&vu_nfd_lock);
	if (fd >= vu_nfd_size) {
		int size = fd < 64 ? 64 : fd * 2;
		struct vu_nfd **t = realloc(vu_nfd, (size_t)size * sizeof(*t));

		if (t) {
			memset(t + vu_nfd_size, 0, (size_t)(size - vu_nfd_size) * sizeof(*t));
			vu_nfd = t;
			vu_nfd_size = size;
		} else {
			ret = -1;
		}
	}
	pthread_mutex_unlock(&vu_nfd_lock);
	return ret;
}

/* An inner module's file, as a real fd number the outer module can use. */
static int vu_nest_open(struct vu_target *t, int flags, mode_t mode)
{
	void *fdprivate = NULL;
	long sfd = vu_mcall(t->ht, open, int, (const char *, int, mode_t, void **), t->mpath,
			    flags, mode, &fdprivate);
	struct vu_nfd *n;
	int fd;

	if (sfd < 0)
		return (int)vu_nest_ret(sfd);
	n = calloc(1, sizeof(*n));
	fd = n ? REAL(open)("/dev/null", O_RDONLY | O_CLOEXEC) : -1;
	if (fd < 0 || !(n->path = strdup(t->path)) || vu_nfd_fit(fd) < 0) {
		vu_mcall(t->ht, close, int, (int, void *), (int)sfd, fdprivate);
		if (fd >= 0)
			REAL(close)(fd);
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
	pthread_mutex_lock(&vu_nfd_lock);
	vu_nfd[fd] = n;
	__atomic_add_fetch(&vu_nfd_n, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vu_nfd_lock);
	return fd;
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_list ap;

		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	NEST_PATH(path, follow, vu_nest_open(&t_, flags, mode), REAL(open)(rp, flags, mode));
}

int close(int fd)
{
	struct vu_nfd *n = vu_nfd_get(fd);
	long r;

	if (!n)
		return REAL(close)(fd);
	pthread_mutex_lock(&vu_nfd_lock);
	vu_nfd[fd] = NULL;
	__atomic_sub_fetch(&vu_nfd_n, 1, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&vu_nfd_lock);
	r = vu_mcall(n->ht, close, int, (int, void *), n->sfd, n->fdprivate);
	if (r == -ENOSYS)
		r = 0;
	vuht_drop(n->ht);
	free(n->path);
	free(n);
	REAL(close)(fd);
	return (int)vu_nest_ret(r);
}

ssize_t read(int fd, void *buf, size_t count)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "read",
			  vu_mcall(n->ht, read, ssize_t, (int, void *, size_t, void *), n->sfd, buf,
				   count, n->fdprivate),
			  count),
		REAL(read)(fd, buf, count));
}

ssize_t write(int fd, const void *buf, size_t count)
{
	NEST_FD(fd,
		vu_mcall(n->ht, write, ssize_t, (int, const void *, size_t, void *), n->sfd, buf,
			 count, n->fdprivate),
		REAL(write)(fd, buf, count));
}

ssize_t pread(int fd, void *buf, size_t count, off_t off)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "pread64",
			  vu_mcall(n->ht, pread64, ssize_t,
				   (int, void *, size_t, off_t, int, void *), n->sfd, buf, count,
				   off, 0, n->fdprivate),
			  count),
		REAL(pread)(fd, buf, count, off));
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t off)
{
	NEST_FD(fd,
		vu_mcall(n->ht, pwrite64, ssize_t, (int, const void *, size_t, off_t, int, void *),
			 n->sfd, buf, count, off, 0, n->fdprivate),
		REAL(pwrite)(fd, buf, count, off));
}

off_t lseek(int fd, off_t off, int whence)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lseek, off_t, (int, off_t, int, void *), n->sfd, off, whence,
			 n->fdprivate),
		REAL(lseek)(fd, off, whence));
}

ssize_t getdents64(int fd, void *buf, size_t count)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "getdents64",
			  vu_mcall(n->ht, getdents64, int,
				   (unsigned int, void *, unsigned int, void *),
				   (unsigned int)n->sfd, buf, (unsigned int)count, n->fdprivate),
			  (unsigned int)count),
		REAL(getdents64)(fd, buf, count));
}

int unlink(const char *path)
{
	NEST_PATH(path, false, vu_mcall(HT, unlink, int, (const char *), MP), REAL(unlink)(rp));
}

int rmdir(const char *path)
{
	NEST_PATH(path, false, vu_mcall(HT, rmdir, int, (const char *), MP), REAL(rmdir)(rp));
}

int mkdir(const char *path, mode_t mode)
{
	NEST_PATH(path, false, vu_mcall(HT, mkdir, int, (const char *, mode_t), MP, mode),
		  REAL(mkdir)(rp, mode));
}

int mknod(const char *path, mode_t mode, dev_t dev)
{
	NEST_PATH(path, false,
		  vu_mcall(HT, mknod, int, (const char *, mode_t, dev_t), MP, mode, dev),
		  REAL(mknod)(rp, mode, dev));
}

int chmod(const char *path, mode_t mode)
{
	NEST_PATH(path, true,
		  vu_mcall(HT, chmod, int, (const char *, mode_t, int, void *), MP, mode, -1, NULL),
		  REAL(chmod)(rp, mode));
}

int fchmod(int fd, mode_t mode)
{
	NEST_FD(fd,
		vu_mcall(n->ht, chmod, int, (const char *, mode_t, int, void *),
			 vuht_path2mpath(n->ht, n->path), mode, n->sfd, n->fdprivate),
		REAL(fchmod)(fd, mode));
}

int lchown(const char *path, uid_t owner, gid_t group)
{
	NEST_PATH(path, false,
		  vu_mcall(HT, lchown, int, (const char *, uid_t, gid_t, int, void *), MP, owner,
			   group, -1, NULL),
		  REAL(lchown)(rp, owner, group));
}

int fchown(int fd, uid_t owner, gid_t group)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lchown, int, (const char *, uid_t, gid_t, int, void *),
			 vuht_path2mpath(n->ht, n->path), owner, group, n->sfd, n->fdprivate),
		REAL(fchown)(fd, owner, group));
}

int truncate(const char *path, off_t len)
{
	NEST_PATH(path, true,
		  vu_mcall(HT, truncate, int, (const char *, off_t, int, void *), MP, len, -1, NULL),
		  REAL(truncate)(rp, len));
}

int ftruncate(int fd, off_t len)
{
	NEST_FD(fd,
		vu_mcall(n->ht, truncate, int, (const char *, off_t, int, void *),
			 vuht_path2mpath(n->ht, n->path), len, n->sfd, n->fdprivate),
		REAL(ftruncate)(fd, len));
}

#define UTIMENS_PROTO (int, const char *, const struct timespec *, int, int, void *)

int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
	if (path[0] != '/')
		return REAL(utimensat)(dirfd, path, times, flags);
	NEST_PATH(path, !(flags & AT_SYMLINK_NOFOLLOW),
		  vu_mcall(HT, utimensat, int, UTIMENS_PROTO, AT_FDCWD, MP, times,
			   flags & AT_SYMLINK_NOFOLLOW, -1, NULL),
		  REAL(utimensat)(dirfd, rp, times, flags));
}

int futimens(int fd, const struct timespec times[2])
{
	NEST_FD(fd,
		vu_mcall(n->ht, utimensat, int, UTIMENS_PROTO, AT_FDCWD,
			 vuht_path2mpath(n->ht, n->path), times, 0, n->sfd, n->fdprivate),
		REAL(futimens)(fd, times));
}

int symlink(const char *target, const char *linkpath)
{
	NEST_PATH(linkpath, false,
		  vu_mcall(HT, symlink, int, (const char *, const char *), target, MP),
		  REAL(symlink)(target, rp));
}

/* Two paths: both in one inner mount, both real, or EXDEV. */
static int vu_nest_two(const char *a, const char *b, bool follow_a, struct vu_target *ta,
		       struct vu_target *tb, const char **ra, const char **rb)
{
	int va = vu_nest_path(a, follow_a, ta, ra), vb;

	if (va < 0)
		return -1;
	vb = vu_nest_path(b, false, tb, rb);
	if (vb < 0 || va != vb || (va && ta->ht != tb->ht)) {
		vu_target_put(ta);
		vu_target_put(tb);
		if (vb >= 0)
			errno = EXDEV;
		return -1;
	}
	return va;
}

int link(const char *from, const char *to)
{
	struct vu_target ta, tb;
	const char *ra, *rb;
	int v = vu_nest_two(from, to, false, &ta, &tb, &ra, &rb);
	long r;

	if (v <= 0)
		return v < 0 ? -1 : REAL(link)(ra, rb);
	r = vu_mcall(ta.ht, link, int, (const char *, const char *), ta.mpath, tb.mpath);
	vu_target_put(&ta);
	vu_target_put(&tb);
	return (int)vu_nest_ret(r);
}

int renameat2(int olddirfd, const char *from, int newdirfd, const char *to, unsigned int flags)
{
	struct vu_target ta, tb;
	const char *ra, *rb;
	int v;
	long r;

	if (!from || !to || from[0] != '/' || to[0] != '/')
		return REAL(renameat2)(olddirfd, from, newdirfd, to, flags);
	v = vu_nest_two(from, to, false, &ta, &tb, &ra, &rb);
	if (v <= 0)
		return v < 0 ? -1 : REAL(renameat2)(olddirfd, ra, newdirfd, rb, flags);
	r = vu_mcall(ta.ht, rename, int, (const char *, const char *, int), ta.mpath, tb.mpath,
		     (int)flags);
	vu_target_put(&ta);
	vu_target_put(&tb);
	return (int)vu_nest_ret(r);
}

int rename(const char *from, const char *to)
{
	return renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

int statfs(const char *path, struct statfs *buf)
{
	NEST_PATH(path, true,
		  vu_mcall(HT, statfs, int, (const char *, struct statfs *, int, void *), MP, buf,
			   -1, NULL),
		  REAL(statfs)(rp, buf));
}

int fstatfs(int fd, struct statfs *buf)
{
	NEST_FD(fd,
		vu_mcall(n->ht, statfs, int, (const char *, struct statfs *, int, void *),
			 vuht_path2mpath(n->ht, n->path), buf, n->sfd, n->fdprivate),
		REAL(fstatfs)(fd, buf));
}

ssize_t lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	NEST_PATH(path, false,
		  vu_mcall(HT, lgetxattr, ssize_t,
			   (const char *, const char *, void *, size_t, int, void *), MP, name,
			   value, size, -1, NULL),
		  REAL(lgetxattr)(rp, name, value, size));
}

ssize_t fgetxattr(int fd, const char *name, void *value, size_t size)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lgetxattr, ssize_t,
			 (const char *, const char *, void *, size_t, int, void *),
			 vuht_path2mpath(n->ht, n->path), name, value, size, n->sfd, n->fdprivate),
		REAL(fgetxattr)(fd, name, value, size));
}

ssize_t llistxattr(const char *path, char *list, size_t size)
{
	NEST_PATH(path, false,
		  vu_mcall(HT, llistxattr, ssize_t, (const char *, char *, size_t, int, void *), MP,
			   list, size, -1, NULL),
		  REAL(llistxattr)(rp, list, size));
}

ssize_t flistxattr(int fd, char *list, size_t size)
{
	NEST_FD(fd,
		vu_mcall(n->ht, llistxattr, ssize_t, (const char *, char *, size_t, int, void *),
			 vuht_path2mpath(n->ht, n->path), list, size, n->sfd, n->fdprivate),
		REAL(flistxattr)(fd, list, size));
}

int fsync(int fd)
{
	NEST_FD(fd,
		n->ht->service->method[VU_M_fsync]
			? vu_mcall(n->ht, fsync, int, (int, void *), n->sfd, n->fdprivate)
			: 0,
		REAL(fsync)(fd));
}

int fdatasync(int fd)
{
	NEST_FD(fd,
		n->ht->service->method[VU_M_fdatasync]
			? vu_mcall(n->ht, fdatasync, int, (int, void *), n->sfd, n->fdprivate)
			: 0,
		REAL(fdatasync)(fd));
}

int fallocate(int fd, int mode, off_t off, off_t len)
{
	NEST_FD(fd,
		vu_mcall(n->ht, fallocate, int, (int, int, off_t, off_t, void *), n->sfd, mode, off,
			 len, n->fdprivate),
		REAL(fallocate)(fd, mode, off, len));
}

int flock(int fd, int op)
{
	NEST_FD(fd, vu_mcall(n->ht, flock, int, (int, int, void *), n->sfd, op, n->fdprivate),
		REAL(flock)(fd, op));
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	long arg;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	NEST_FD(fd,
		cmd == F_SETFL ? vu_mcall(n->ht, fcntl, int, (int, int, long, void *), n->sfd, cmd,
					  arg, n->fdprivate)
			       : -ENOSYS,
		REAL(fcntl)(fd, cmd, arg));
}

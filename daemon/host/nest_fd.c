// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest_fd.c - the fd functions of the nesting layer (nest.c): on a
 * stand-in fd (a file a module opened through an older mount) each goes
 * to the inner module's method, on any other fd it is the C library's.
 * The _FORTIFY_SOURCE forms (__read_chk, __pread64_chk) check the buffer
 * as the C library does. What a stand-in cannot be (mapped, a cwd) fails
 * clearly instead of acting on the /dev/null fd behind it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/uio.h>
#include <sys/xattr.h>

#include "host/nest_impl.h"

static int vu_nest_close(int fd)
{
	if (!vu_nfd_get(fd))
		return close(fd);
	return vu_nfd_close(fd);
}

ssize_t vu_nest_read(int fd, void *buf, size_t count)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "read",
			  vu_mcall(n->ht, read, ssize_t, (int, void *, size_t, void *), n->sfd, buf,
				   count, n->fdprivate),
			  count),
		read(fd, buf, count));
}

static ssize_t vu_nest_read_chk(int fd, void *buf, size_t count, size_t buflen)
{
	if (count > buflen)
		__chk_fail();
	return vu_nest_read(fd, buf, count);
}

ssize_t vu_nest_write(int fd, const void *buf, size_t count)
{
	NEST_FD(fd,
		vu_mcall(n->ht, write, ssize_t, (int, const void *, size_t, void *), n->sfd, buf,
			 count, n->fdprivate),
		write(fd, buf, count));
}

static ssize_t vu_nest_pread(int fd, void *buf, size_t count, off_t off)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "pread64",
			  vu_mcall(n->ht, pread64, ssize_t,
				   (int, void *, size_t, off_t, int, void *), n->sfd, buf, count,
				   off, 0, n->fdprivate),
			  count),
		pread(fd, buf, count, off));
}

static ssize_t vu_nest_pread_chk(int fd, void *buf, size_t count, off_t off, size_t buflen)
{
	if (count > buflen)
		__chk_fail();
	return vu_nest_pread(fd, buf, count, off);
}

static ssize_t vu_nest_pwrite(int fd, const void *buf, size_t count, off_t off)
{
	NEST_FD(fd,
		vu_mcall(n->ht, pwrite64, ssize_t, (int, const void *, size_t, off_t, int, void *),
			 n->sfd, buf, count, off, 0, n->fdprivate),
		pwrite(fd, buf, count, off));
}

/* readv and writev on a stand-in: one method call per buffer, up to a short one. */
static ssize_t vu_nest_rwv(int fd, const struct iovec *iov, int iovcnt, bool wr)
{
	ssize_t done = 0;

	for (int i = 0; i < iovcnt; i++) {
		ssize_t r = wr ? vu_nest_write(fd, iov[i].iov_base, iov[i].iov_len)
			       : vu_nest_read(fd, iov[i].iov_base, iov[i].iov_len);

		if (r < 0)
			return done ? done : -1;
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	return done;
}

static ssize_t vu_nest_readv(int fd, const struct iovec *iov, int iovcnt)
{
	if (!vu_nfd_get(fd))
		return readv(fd, iov, iovcnt);
	return vu_nest_rwv(fd, iov, iovcnt, false);
}

static ssize_t vu_nest_writev(int fd, const struct iovec *iov, int iovcnt)
{
	if (!vu_nfd_get(fd))
		return writev(fd, iov, iovcnt);
	return vu_nest_rwv(fd, iov, iovcnt, true);
}

off_t vu_nest_lseek(int fd, off_t off, int whence)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lseek, off_t, (int, off_t, int, void *), n->sfd, off, whence,
			 n->fdprivate),
		lseek(fd, off, whence));
}

ssize_t vu_nest_getdents64(int fd, void *buf, size_t count)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "getdents64",
			  vu_mcall(n->ht, getdents64, int,
				   (unsigned int, void *, unsigned int, void *),
				   (unsigned int)n->sfd, buf, (unsigned int)count, n->fdprivate),
			  (unsigned int)count),
		getdents64(fd, buf, count));
}

static int vu_nest_fstat(int fd, struct stat *buf)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lstat, int, VU_LSTAT_PROTO, (char *)vu_nfd_mpath(n), buf, 0, n->sfd,
			 n->fdprivate),
		fstat(fd, buf));
}

static int vu_nest_fxstat(int ver, int fd, struct stat *buf)
{
	return vu_nest_fstat(fd, buf);
}

static int vu_nest_fchmod(int fd, mode_t mode)
{
	NEST_FD(fd,
		vu_mcall(n->ht, chmod, int, (const char *, mode_t, int, void *), vu_nfd_mpath(n),
			 mode, n->sfd, n->fdprivate),
		fchmod(fd, mode));
}

static int vu_nest_fchown(int fd, uid_t owner, gid_t group)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lchown, int, (const char *, uid_t, gid_t, int, void *),
			 vu_nfd_mpath(n), owner, group, n->sfd, n->fdprivate),
		fchown(fd, owner, group));
}

static int vu_nest_ftruncate(int fd, off_t len)
{
	NEST_FD(fd,
		vu_mcall(n->ht, truncate, int, (const char *, off_t, int, void *), vu_nfd_mpath(n),
			 len, n->sfd, n->fdprivate),
		ftruncate(fd, len));
}

static int vu_nest_futimens(int fd, const struct timespec times[2])
{
	NEST_FD(fd,
		vu_mcall(n->ht, utimensat, int,
			 (int, const char *, const struct timespec *, int, int, void *), AT_FDCWD,
			 vu_nfd_mpath(n), times, 0, n->sfd, n->fdprivate),
		futimens(fd, times));
}

#define STATFS_PROTO (const char *, struct statfs *, int, void *)

static int vu_nest_fstatfs(int fd, struct statfs *buf)
{
	NEST_FD(fd,
		vu_mcall(n->ht, statfs, int, STATFS_PROTO, vu_nfd_mpath(n), buf, n->sfd,
			 n->fdprivate),
		fstatfs(fd, buf));
}

#ifndef ST_VALID
#define ST_VALID 0x0020 /* the kernel's "f_flags is set" bit (linux/statfs.h) */
#endif

void vu_nest_statvfs_fill(struct statvfs *vfs, const struct statfs *sf)
{
	memset(vfs, 0, sizeof(*vfs));
	vfs->f_bsize = (unsigned long)sf->f_bsize;
	vfs->f_frsize = (unsigned long)(sf->f_frsize ? sf->f_frsize : sf->f_bsize);
	vfs->f_blocks = sf->f_blocks;
	vfs->f_bfree = sf->f_bfree;
	vfs->f_bavail = sf->f_bavail;
	vfs->f_files = sf->f_files;
	vfs->f_ffree = sf->f_ffree;
	vfs->f_favail = sf->f_ffree;
	memcpy(&vfs->f_fsid, &sf->f_fsid, sizeof(vfs->f_fsid) < sizeof(sf->f_fsid)
						  ? sizeof(vfs->f_fsid)
						  : sizeof(sf->f_fsid));
	vfs->f_flag = (unsigned long)sf->f_flags & ~(unsigned long)ST_VALID;
	vfs->f_namemax = (unsigned long)sf->f_namelen;
}

static int vu_nest_fstatvfs(int fd, struct statvfs *buf)
{
	struct statfs sf;
	int r;

	if (!vu_nfd_get(fd))
		return fstatvfs(fd, buf);
	r = vu_nest_fstatfs(fd, &sf);
	if (r == 0)
		vu_nest_statvfs_fill(buf, &sf);
	return r;
}

static ssize_t vu_nest_fgetxattr(int fd, const char *name, void *value, size_t size)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "lgetxattr",
			  vu_mcall(n->ht, lgetxattr, ssize_t,
				   (const char *, const char *, void *, size_t, int, void *),
				   vu_nfd_mpath(n), name, value, size, n->sfd, n->fdprivate),
			  size),
		fgetxattr(fd, name, value, size));
}

static int vu_nest_fsetxattr(int fd, const char *name, const void *value, size_t size, int flags)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lsetxattr, int,
			 (const char *, const char *, const void *, size_t, int, int, void *),
			 vu_nfd_mpath(n), name, value, size, flags, n->sfd, n->fdprivate),
		fsetxattr(fd, name, value, size, flags));
}

static ssize_t vu_nest_flistxattr(int fd, char *list, size_t size)
{
	NEST_FD(fd,
		NEST_SIZE(n->ht, "llistxattr",
			  vu_mcall(n->ht, llistxattr, ssize_t,
				   (const char *, char *, size_t, int, void *), vu_nfd_mpath(n),
				   list, size, n->sfd, n->fdprivate),
			  size),
		flistxattr(fd, list, size));
}

static int vu_nest_fremovexattr(int fd, const char *name)
{
	NEST_FD(fd,
		vu_mcall(n->ht, lremovexattr, int, (const char *, const char *, int, void *),
			 vu_nfd_mpath(n), name, n->sfd, n->fdprivate),
		fremovexattr(fd, name));
}

/* fsync and fdatasync: a module without them keeps nothing to flush. */
static int vu_nest_fsync(int fd)
{
	NEST_FD(fd,
		n->ht->service->method[VU_M_fsync]
			? vu_mcall(n->ht, fsync, int, (int, void *), n->sfd, n->fdprivate)
			: 0,
		fsync(fd));
}

static int vu_nest_fdatasync(int fd)
{
	NEST_FD(fd,
		n->ht->service->method[VU_M_fdatasync]
			? vu_mcall(n->ht, fdatasync, int, (int, void *), n->sfd, n->fdprivate)
			: 0,
		fdatasync(fd));
}

static int vu_nest_fallocate(int fd, int mode, off_t off, off_t len)
{
	NEST_FD(fd,
		vu_mcall(n->ht, fallocate, int, (int, int, off_t, off_t, void *), n->sfd, mode, off,
			 len, n->fdprivate),
		fallocate(fd, mode, off, len));
}

/* posix_fallocate returns the error itself. */
static int vu_nest_posix_fallocate(int fd, off_t off, off_t len)
{
	if (!vu_nfd_get(fd))
		return posix_fallocate(fd, off, len);
	return vu_nest_fallocate(fd, 0, off, len) < 0 ? errno : 0;
}

static int vu_nest_flock(int fd, int op)
{
	NEST_FD(fd, vu_mcall(n->ht, flock, int, (int, int, void *), n->sfd, op, n->fdprivate),
		flock(fd, op));
}

static int vu_nest_dup(int fd)
{
	struct vu_nfd *n = vu_nfd_get(fd);

	if (!n)
		return dup(fd);
	return vu_nfd_dup(n, dup(fd));
}

static int vu_nest_dup3(int fd, int newfd, int flags)
{
	struct vu_nfd *n = vu_nfd_get(fd), *old = vu_nfd_get(newfd);

	if (!n && !old)
		return dup3(fd, newfd, flags);
	if (fd == newfd) {
		errno = EINVAL;
		return -1;
	}
	if (old && vu_nfd_close(newfd) < 0 && errno != EBADF)
		return -1; /* the fd number was freed: dup3 takes it again */
	if (!n)
		return dup3(fd, newfd, flags);
	return vu_nfd_dup(n, dup3(fd, newfd, flags));
}

static int vu_nest_dup2(int fd, int newfd)
{
	if (fd == newfd && vu_nfd_get(fd))
		return fd;
	if (!vu_nfd_get(fd) && !vu_nfd_get(newfd))
		return dup2(fd, newfd);
	return vu_nest_dup3(fd, newfd, 0);
}

static int vu_nest_fcntl(int fd, int cmd, ...)
{
	struct vu_nfd *n = vu_nfd_get(fd);
	va_list ap;
	long arg;
	long r;

	va_start(ap, cmd);
	arg = va_arg(ap, long);
	va_end(ap);
	if (!n)
		return fcntl(fd, cmd, arg);
	switch (cmd) {
	case F_GETFD:
	case F_SETFD:
		return fcntl(fd, cmd, arg); /* close-on-exec is the fd number's */
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		return vu_nfd_dup(n, fcntl(fd, cmd, arg));
	case F_GETFL:
		return n->flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC | O_CLOEXEC);
	default:
		r = vu_mcall(n->ht, fcntl, int, (int, int, long, void *), n->sfd, cmd, arg,
			     n->fdprivate);
		if (r == 0 && cmd == F_SETFL)
			n->flags = (n->flags & O_ACCMODE) | (int)(arg & ~O_ACCMODE);
		return (int)vu_nest_ret(r);
	}
}

/* A stand-in has no pages of its own to map: the module's file is not a real one. */
static void *vu_nest_mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	if (!(flags & MAP_ANONYMOUS) && vu_nfd_get(fd)) {
		errno = ENODEV;
		return MAP_FAILED;
	}
	return mmap(addr, len, prot, flags, fd, off);
}

const struct vu_nest_sym vu_nest_fd_syms[] = {
	NEST_SYM(close, vu_nest_close),
	NEST_SYM(read, vu_nest_read), NEST_SYM(__read_chk, vu_nest_read_chk),
	NEST_SYM(write, vu_nest_write),
	NEST_SYM(pread, vu_nest_pread), NEST_SYM(pread64, vu_nest_pread),
	NEST_SYM(__pread_chk, vu_nest_pread_chk), NEST_SYM(__pread64_chk, vu_nest_pread_chk),
	NEST_SYM(pwrite, vu_nest_pwrite), NEST_SYM(pwrite64, vu_nest_pwrite),
	NEST_SYM(readv, vu_nest_readv), NEST_SYM(writev, vu_nest_writev),
	NEST_SYM(lseek, vu_nest_lseek), NEST_SYM(lseek64, vu_nest_lseek),
	NEST_SYM(getdents64, vu_nest_getdents64),
	NEST_SYM(fstat, vu_nest_fstat), NEST_SYM(fstat64, vu_nest_fstat),
	NEST_SYMV(__fxstat, "GLIBC_2.2.5", vu_nest_fxstat),
	NEST_SYMV(__fxstat64, "GLIBC_2.2.5", vu_nest_fxstat),
	NEST_SYM(fchmod, vu_nest_fchmod), NEST_SYM(fchown, vu_nest_fchown),
	NEST_SYM(ftruncate, vu_nest_ftruncate), NEST_SYM(ftruncate64, vu_nest_ftruncate),
	NEST_SYM(futimens, vu_nest_futimens),
	NEST_SYM(fstatfs, vu_nest_fstatfs), NEST_SYM(fstatfs64, vu_nest_fstatfs),
	NEST_SYM(fstatvfs, vu_nest_fstatvfs), NEST_SYM(fstatvfs64, vu_nest_fstatvfs),
	NEST_SYM(fgetxattr, vu_nest_fgetxattr), NEST_SYM(fsetxattr, vu_nest_fsetxattr),
	NEST_SYM(flistxattr, vu_nest_flistxattr), NEST_SYM(fremovexattr, vu_nest_fremovexattr),
	NEST_SYM(fsync, vu_nest_fsync), NEST_SYM(fdatasync, vu_nest_fdatasync),
	NEST_SYM(fallocate, vu_nest_fallocate), NEST_SYM(fallocate64, vu_nest_fallocate),
	NEST_SYM(posix_fallocate, vu_nest_posix_fallocate),
	NEST_SYM(posix_fallocate64, vu_nest_posix_fallocate),
	NEST_SYM(flock, vu_nest_flock),
	NEST_SYM(dup, vu_nest_dup), NEST_SYM(dup2, vu_nest_dup2), NEST_SYM(dup3, vu_nest_dup3),
	NEST_SYM(fcntl, vu_nest_fcntl), NEST_SYM(fcntl64, vu_nest_fcntl),
	NEST_SYM(mmap, vu_nest_mmap), NEST_SYM(mmap64, vu_nest_mmap),
	{ NULL, NULL, NULL },
};

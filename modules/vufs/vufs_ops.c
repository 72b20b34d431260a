// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_ops.c - the methods of vufs: each is the real system call on
 * SOURCE + the path inside the mount (vufs_path), or on the module's own
 * fd for a call on an open file. The hypervisor has resolved the path
 * (symlinks followed where the call follows them), so a method acts on
 * the last component as given and never follows it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "vufs.h"

VU_PROTOTYPES(vufs)
VU_KMVIEW_PROTOTYPES(vufs)

/* Declare `char p[PATH_MAX]` holding the real path of @mpath, or return -1. */
#define VUFS_PATH(p, mpath)                                     \
	char p[PATH_MAX];                                       \
	if (vufs_path((mpath), p, sizeof(p)) < 0)               \
		return -1

int vu_vufs_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	/* an open file is asked by its fd: it may have been renamed or unlinked */
	if (sfd >= 0)
		return fstat(sfd, buf);
	VUFS_PATH(p, pathname);
	return lstat(p, buf);
}

int vu_vufs_access(char *path, int mode, int flags)
{
	VUFS_PATH(p, path);
	return faccessat(AT_FDCWD, p, mode, flags | AT_SYMLINK_NOFOLLOW);
}

ssize_t vu_vufs_readlink(char *path, char *buf, size_t bufsiz)
{
	VUFS_PATH(p, path);
	return readlink(p, buf, bufsiz);
}

int vu_vufs_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	VUFS_PATH(p, pathname);
	/* the module's fd must not leak into what the daemon runs */
	return open(p, flags | O_CLOEXEC, mode);
}

int vu_vufs_close(int fd, void *fdprivate)
{
	return close(fd);
}

ssize_t vu_vufs_read(int fd, void *buf, size_t count, void *fdprivate)
{
	return read(fd, buf, count);
}

ssize_t vu_vufs_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	return write(fd, buf, count);
}

ssize_t vu_vufs_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			void *fdprivate)
{
	return pread(fd, buf, count, offset);
}

ssize_t vu_vufs_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			 void *fdprivate)
{
	return pwrite(fd, buf, count, offset);
}

int vu_vufs_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
		       void *fdprivate)
{
	return (int)getdents64((int)fd, dirp, count);
}

off_t vu_vufs_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	return lseek(fd, offset, whence);
}

int vu_vufs_unlink(const char *pathname)
{
	VUFS_PATH(p, pathname);
	return unlink(p);
}

int vu_vufs_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	if (fd >= 0)
		return ftruncate(fd, length);
	VUFS_PATH(p, path);
	return truncate(p, length);
}

int vu_vufs_mkdir(const char *pathname, mode_t mode)
{
	VUFS_PATH(p, pathname);
	return mkdir(p, mode);
}

int vu_vufs_mknod(const char *pathname, mode_t mode, dev_t dev)
{
	VUFS_PATH(p, pathname);
	return mknod(p, mode, dev);
}

int vu_vufs_rmdir(const char *pathname)
{
	VUFS_PATH(p, pathname);
	return rmdir(p);
}

int vu_vufs_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fchmod(fd, mode);
	VUFS_PATH(p, pathname);
	return chmod(p, mode);
}

int vu_vufs_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fchown(fd, owner, group);
	VUFS_PATH(p, pathname);
	return lchown(p, owner, group);
}

int vu_vufs_utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags,
		      int fd, void *fdprivate)
{
	if (fd >= 0)
		return futimens(fd, times);
	VUFS_PATH(p, pathname);
	return utimensat(AT_FDCWD, p, times, flags & AT_SYMLINK_NOFOLLOW);
}

int vu_vufs_symlink(const char *target, const char *linkpath)
{
	/* the target is the link's contents: it is not a path of the module */
	VUFS_PATH(p, linkpath);
	return symlink(target, p);
}

int vu_vufs_link(const char *target, const char *linkpath)
{
	VUFS_PATH(from, target);
	VUFS_PATH(to, linkpath);
	return link(from, to);
}

int vu_vufs_rename(const char *target, const char *linkpath, int flags)
{
	VUFS_PATH(from, target);
	VUFS_PATH(to, linkpath);
	return renameat2(AT_FDCWD, from, AT_FDCWD, to, (unsigned int)flags);
}

int vu_vufs_statfs(const char *pathname, struct statfs *buf, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fstatfs(fd, buf);
	VUFS_PATH(p, pathname);
	return statfs(p, buf);
}

ssize_t vu_vufs_lgetxattr(const char *path, const char *name, void *value, size_t size, int fd,
			  void *fdprivate)
{
	if (fd >= 0)
		return fgetxattr(fd, name, value, size);
	VUFS_PATH(p, path);
	return lgetxattr(p, name, value, size);
}

ssize_t vu_vufs_llistxattr(const char *path, char *list, size_t size, int fd, void *fdprivate)
{
	if (fd >= 0)
		return flistxattr(fd, list, size);
	VUFS_PATH(p, path);
	return llistxattr(p, list, size);
}

int vu_vufs_lsetxattr(const char *path, const char *name, const void *value, size_t size,
		      int flags, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fsetxattr(fd, name, value, size, flags);
	VUFS_PATH(p, path);
	return lsetxattr(p, name, value, size, flags);
}

int vu_vufs_lremovexattr(const char *path, const char *name, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fremovexattr(fd, name);
	VUFS_PATH(p, path);
	return lremovexattr(p, name);
}

/* The file status flags (F_SETFL) of the module's own fd. */
int vu_vufs_fcntl(int fd, int cmd, long arg, void *fdprivate)
{
	return fcntl(fd, cmd, arg);
}

/* kmview's methods for the fd calls VUOS serves through vu_syscall_handler. */
int vu_vufs_fsync(int fd, void *fdprivate)
{
	return fsync(fd);
}

int vu_vufs_fdatasync(int fd, void *fdprivate)
{
	return fdatasync(fd);
}

int vu_vufs_fallocate(int fd, int mode, off_t offset, off_t len, void *fdprivate)
{
	return fallocate(fd, mode, offset, len);
}

int vu_vufs_flock(int fd, int operation, void *fdprivate)
{
	return flock(fd, operation);
}

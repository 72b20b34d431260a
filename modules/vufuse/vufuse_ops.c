// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuse_ops.c - the path methods of vufuse, each the file system's
 * operation as the kernel's FUSE asks it: an operation the file system
 * lacks is ENOSYS, but for those FUSE treats so (access, statfs: success
 * or defaults; the xattrs: EOPNOTSUPP). A read-only mount (ro) refuses
 * every change with EROFS before the file system sees it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>

#include "vufuse_op.h"

#pragma GCC visibility push(default)
VU_PROTOTYPES(vufuse)
#pragma GCC visibility pop

#define FUSE_SUPER_MAGIC 0x65735546

/* A number for a file system that leaves st_ino 0 (many small ones do). */
static ino_t vufuse_hash_ino(const char *path)
{
	unsigned long h = 5381;

	for (; *path; path++)
		h = h * 33 + (unsigned char)*path;
	return h ? h : 1;
}

int vufuse_getattr(struct fuse *f, const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int r;

	if (!f->ops.getattr)
		return -ENOSYS;
	memset(st, 0, sizeof(*st));
	r = f->ops.getattr(path, st, fi);
	if (r < 0)
		return r;
	if (st->st_ino == 0)
		st->st_ino = vufuse_hash_ino(path);
	if (f->set_uid)
		st->st_uid = f->uid;
	if (f->set_gid)
		st->st_gid = f->gid;
	if (f->set_mode)
		st->st_mode = (st->st_mode & S_IFMT) | (st->st_mode & ~S_IFMT & ~f->umask);
	return 0;
}

int vu_vufuse_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)flags;
	(void)sfd;
	return vufuse_ret(VUFUSE_OP(f, vufuse_getattr(f, pathname, buf, vufuse_fi(file))));
}

/* Without an access operation FUSE lets every access pass (the mode is not checked). */
static int vufuse_access_op(struct fuse *f, const char *path, int mode)
{
	struct stat st;
	int r = vufuse_getattr(f, path, &st, NULL);

	if (r < 0)
		return r;
	if ((mode & W_OK) && vufuse_ro(f))
		return -EROFS;
	if (!f->ops.access || mode == F_OK)
		return 0;
	r = f->ops.access(path, mode);
	return r == -ENOSYS ? 0 : r;
}

int vu_vufuse_access(char *path, int mode, int flags)
{
	struct fuse *f = vufuse_mount_of_request();

	(void)flags;
	return vufuse_ret(VUFUSE_OP(f, vufuse_access_op(f, path, mode)));
}

/* FUSE's readlink fills a NUL-terminated string; the call returns its length. */
static long vufuse_readlink_op(struct fuse *f, const char *path, char *buf, size_t size)
{
	char link[PATH_MAX + 1];
	size_t n;
	int r;

	if (!f->ops.readlink)
		return -ENOSYS;
	link[0] = '\0';
	r = f->ops.readlink(path, link, sizeof(link));
	if (r < 0)
		return r;
	link[PATH_MAX] = '\0';
	n = strlen(link);
	if (n > size)
		n = size;
	memcpy(buf, link, n);
	return (long)n;
}

ssize_t vu_vufuse_readlink(char *path, char *buf, size_t bufsiz)
{
	struct fuse *f = vufuse_mount_of_request();

	return vufuse_ret(VUFUSE_OP(f, vufuse_readlink_op(f, path, buf, bufsiz)));
}

/* Without a statfs operation libfuse answers a block size of 512 and names of 255. */
static int vufuse_statfs_op(struct fuse *f, const char *path, struct statfs *buf)
{
	struct statvfs v = { .f_bsize = 512, .f_namemax = 255 };
	int r = f->ops.statfs ? f->ops.statfs(path, &v) : 0;

	if (r < 0)
		return r;
	memset(buf, 0, sizeof(*buf));
	buf->f_type = FUSE_SUPER_MAGIC;
	buf->f_bsize = v.f_bsize;
	buf->f_frsize = v.f_frsize ? v.f_frsize : v.f_bsize;
	buf->f_blocks = v.f_blocks;
	buf->f_bfree = v.f_bfree;
	buf->f_bavail = v.f_bavail;
	buf->f_files = v.f_files;
	buf->f_ffree = v.f_ffree;
	buf->f_namelen = v.f_namemax;
	buf->f_flags = vufuse_ro(f) ? ST_RDONLY : 0;
	return 0;
}

int vu_vufuse_statfs(const char *pathname, struct statfs *buf, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	return vufuse_ret(VUFUSE_OP(f, vufuse_statfs_op(f, pathname, buf)));
}

/* The operations that change the tree: EROFS on a read-only mount, ENOSYS if missing. */
#define VUFUSE_CHANGE(f, op, ...)                                                         \
	({                                                                                \
		long rr_;                                                                 \
		if (vufuse_ro(f))                                                         \
			rr_ = -EROFS;                                                     \
		else                                                                      \
			rr_ = VUFUSE_OP(f, (f)->ops.op ? (f)->ops.op(__VA_ARGS__) : -ENOSYS); \
		vufuse_ret(rr_);                                                          \
	})

int vu_vufuse_mkdir(const char *pathname, mode_t mode)
{
	struct fuse *f = vufuse_mount_of_request();

	if (vufuse_ro(f)) {
		errno = EROFS;
		return -1;
	}
	return vufuse_ret(VUFUSE_OP_UMASK(f, true, f->ops.mkdir ? f->ops.mkdir(pathname, mode)
								: -ENOSYS));
}

int vu_vufuse_rmdir(const char *pathname)
{
	struct fuse *f = vufuse_mount_of_request();

	return VUFUSE_CHANGE(f, rmdir, pathname);
}

int vu_vufuse_unlink(const char *pathname)
{
	struct fuse *f = vufuse_mount_of_request();

	return VUFUSE_CHANGE(f, unlink, pathname);
}

int vu_vufuse_rename(const char *target, const char *linkpath, int flags)
{
	struct fuse *f = vufuse_mount_of_request();

	return VUFUSE_CHANGE(f, rename, target, linkpath, (unsigned int)flags);
}

int vu_vufuse_symlink(const char *target, const char *linkpath)
{
	struct fuse *f = vufuse_mount_of_request();

	return VUFUSE_CHANGE(f, symlink, target, linkpath);
}

int vu_vufuse_link(const char *target, const char *linkpath)
{
	struct fuse *f = vufuse_mount_of_request();

	return VUFUSE_CHANGE(f, link, target, linkpath);
}

int vu_vufuse_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	return VUFUSE_CHANGE(f, chmod, pathname, mode, vufuse_fi(file));
}

int vu_vufuse_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	return VUFUSE_CHANGE(f, chown, pathname, owner, group, vufuse_fi(file));
}

int vu_vufuse_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	if (file && (file->flags & O_ACCMODE) == O_RDONLY) {
		errno = EINVAL; /* ftruncate of a file not open for writing */
		return -1;
	}
	return VUFUSE_CHANGE(f, truncate, path, length, vufuse_fi(file));
}

int vu_vufuse_utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags,
			int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();
	const struct timespec now[2] = { { 0, UTIME_NOW }, { 0, UTIME_NOW } };

	(void)dirfd;
	(void)flags;
	(void)fd;
	return VUFUSE_CHANGE(f, utimens, pathname, times ? times : now, vufuse_fi(file));
}

/* mknod of a regular file: libfuse uses create (and release) when there is no mknod. */
static int vufuse_mknod_op(struct fuse *f, const char *path, mode_t mode, dev_t dev)
{
	struct fuse_file_info fi = { .flags = O_CREAT | O_EXCL | O_WRONLY };
	int r;

	if (f->ops.mknod)
		return f->ops.mknod(path, mode, dev);
	if (!S_ISREG(mode) || !f->ops.create)
		return -ENOSYS;
	r = f->ops.create(path, mode, &fi);
	if (r == 0 && f->ops.release)
		f->ops.release(path, &fi);
	return r;
}

int vu_vufuse_mknod(const char *pathname, mode_t mode, dev_t dev)
{
	struct fuse *f = vufuse_mount_of_request();

	if (vufuse_ro(f)) {
		errno = EROFS;
		return -1;
	}
	return vufuse_ret(VUFUSE_OP_UMASK(f, true, vufuse_mknod_op(f, pathname, mode, dev)));
}

/* FUSE answers EOPNOTSUPP for the xattr operations a file system lacks. */
static long vufuse_xattr_ret(long r)
{
	return vufuse_ret(r == -ENOSYS ? -EOPNOTSUPP : r);
}

ssize_t vu_vufuse_lgetxattr(const char *path, const char *name, void *value, size_t size, int fd,
			    void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	return vufuse_xattr_ret(VUFUSE_OP(
		f, f->ops.getxattr ? f->ops.getxattr(path, name, value, size) : -ENOSYS));
}

ssize_t vu_vufuse_llistxattr(const char *path, char *list, size_t size, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	return vufuse_xattr_ret(
		VUFUSE_OP(f, f->ops.listxattr ? f->ops.listxattr(path, list, size) : -ENOSYS));
}

int vu_vufuse_lsetxattr(const char *path, const char *name, const void *value, size_t size,
			int flags, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	if (vufuse_ro(f)) {
		errno = EROFS;
		return -1;
	}
	return vufuse_xattr_ret(VUFUSE_OP(
		f, f->ops.setxattr ? f->ops.setxattr(path, name, value, size, flags) : -ENOSYS));
}

int vu_vufuse_lremovexattr(const char *path, const char *name, int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	if (vufuse_ro(f)) {
		errno = EROFS;
		return -1;
	}
	return vufuse_xattr_ret(
		VUFUSE_OP(f, f->ops.removexattr ? f->ops.removexattr(path, name) : -ENOSYS));
}

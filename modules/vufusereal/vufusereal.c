// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufusereal.c - a FUSE 3 file system that shows a directory (SOURCE)
 * as it is: every operation is the C library's call on SOURCE/path.
 *
 *   vu_insmod vufuse; vumount -t vufusereal [-o opts] SOURCE TARGET   (a view)
 *   fusereal [-o opts] SOURCE MOUNTPOINT                      (the kernel's FUSE)
 *
 * One source, two builds: vufusereal.so (a vufuse submodule, whose fuse_*
 * calls are vufuse's) and fusereal (linked with libfuse3). It uses the
 * FUSE 3.1 API (fuse_main, FUSE_USE_VERSION 31). Inside a view its calls
 * on SOURCE go through the view (nesting): SOURCE may be in another mount.
 */
#define FUSE_USE_VERSION 31

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/xattr.h>

#include <fuse3/fuse.h>

/* More than one mount at once: nothing global but the operations. */
int fuse_reentrant_tag;

struct real {
	char *source;
};

/* SOURCE/path into @buf; "/" is SOURCE itself. */
static const char *real_path(const char *path, char *buf)
{
	struct real *r = fuse_get_context()->private_data;

	if (strcmp(path, "/") == 0)
		path = "";
	if (snprintf(buf, PATH_MAX, "%s%s", r->source, path) >= PATH_MAX)
		return NULL;
	return buf;
}

#define REAL_PATH(p)                                  \
	char p##_buf[PATH_MAX];                       \
	const char *p##_real = real_path(p, p##_buf); \
	if (!p##_real)                                \
		return -ENAMETOOLONG

#define RET(x) ((x) < 0 ? -errno : 0)

static int real_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	REAL_PATH(path);
	if (fi) /* an open regular file: FUSE gives no fi for directories */
		return RET(fstat((int)fi->fh, st));
	return RET(lstat(path_real, st));
}

static int real_access(const char *path, int mask)
{
	REAL_PATH(path);
	return RET(access(path_real, mask));
}

static int real_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;

	REAL_PATH(path);
	n = readlink(path_real, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

static int real_opendir(const char *path, struct fuse_file_info *fi)
{
	DIR *d;

	REAL_PATH(path);
	d = opendir(path_real);
	if (!d)
		return -errno;
	fi->fh = (uintptr_t)d;
	return 0;
}

static int real_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
			struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	DIR *d = (DIR *)(uintptr_t)fi->fh;
	struct dirent *e;

	(void)path;
	(void)offset;
	(void)flags;
	rewinddir(d);
	while ((e = readdir(d))) {
		struct stat st = { .st_ino = e->d_ino, .st_mode = DTTOIF(e->d_type) };

		if (filler(buf, e->d_name, &st, 0, 0))
			break;
	}
	return 0;
}

static int real_releasedir(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	closedir((DIR *)(uintptr_t)fi->fh);
	return 0;
}

static int real_mknod(const char *path, mode_t mode, dev_t rdev)
{
	REAL_PATH(path);
	if (S_ISFIFO(mode))
		return RET(mkfifo(path_real, mode));
	return RET(mknod(path_real, mode, rdev));
}

static int real_mkdir(const char *path, mode_t mode)
{
	REAL_PATH(path);
	return RET(mkdir(path_real, mode));
}

static int real_unlink(const char *path)
{
	REAL_PATH(path);
	return RET(unlink(path_real));
}

static int real_rmdir(const char *path)
{
	REAL_PATH(path);
	return RET(rmdir(path_real));
}

static int real_symlink(const char *target, const char *linkpath)
{
	REAL_PATH(linkpath);
	return RET(symlink(target, linkpath_real));
}

static int real_rename(const char *from, const char *to, unsigned int flags)
{
	REAL_PATH(from);
	REAL_PATH(to);
	if (flags)
		return RET(renameat2(AT_FDCWD, from_real, AT_FDCWD, to_real, flags));
	return RET(rename(from_real, to_real));
}

static int real_link(const char *from, const char *to)
{
	REAL_PATH(from);
	REAL_PATH(to);
	return RET(link(from_real, to_real));
}

static int real_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	REAL_PATH(path);
	(void)fi;
	return RET(chmod(path_real, mode));
}

static int real_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	REAL_PATH(path);
	(void)fi;
	return RET(lchown(path_real, uid, gid));
}

static int real_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	REAL_PATH(path);
	if (fi)
		return RET(ftruncate((int)fi->fh, size));
	return RET(truncate(path_real, size));
}

static int real_utimens(const char *path, const struct timespec ts[2], struct fuse_file_info *fi)
{
	REAL_PATH(path);
	(void)fi;
	return RET(utimensat(AT_FDCWD, path_real, ts, AT_SYMLINK_NOFOLLOW));
}

static int real_open(const char *path, struct fuse_file_info *fi)
{
	int fd;

	REAL_PATH(path);
	fd = open(path_real, fi->flags);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int real_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd;

	REAL_PATH(path);
	fd = open(path_real, fi->flags | O_CREAT, mode);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int real_read(const char *path, char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	ssize_t n = pread((int)fi->fh, buf, size, off);

	(void)path;
	return n < 0 ? -errno : (int)n;
}

static int real_write(const char *path, const char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	ssize_t n = pwrite((int)fi->fh, buf, size, off);

	(void)path;
	return n < 0 ? -errno : (int)n;
}

static int real_statfs(const char *path, struct statvfs *st)
{
	REAL_PATH(path);
	return RET(statvfs(path_real, st));
}

static int real_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	close((int)fi->fh);
	return 0;
}

static int real_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	return RET(datasync ? fdatasync((int)fi->fh) : fsync((int)fi->fh));
}

static int real_setxattr(const char *path, const char *name, const char *value, size_t size,
			 int flags)
{
	REAL_PATH(path);
	return RET(lsetxattr(path_real, name, value, size, flags));
}

static int real_getxattr(const char *path, const char *name, char *value, size_t size)
{
	ssize_t n;

	REAL_PATH(path);
	n = lgetxattr(path_real, name, value, size);
	return n < 0 ? -errno : (int)n;
}

static int real_listxattr(const char *path, char *list, size_t size)
{
	ssize_t n;

	REAL_PATH(path);
	n = llistxattr(path_real, list, size);
	return n < 0 ? -errno : (int)n;
}

static int real_removexattr(const char *path, const char *name)
{
	REAL_PATH(path);
	return RET(lremovexattr(path_real, name));
}

static off_t real_lseek(const char *path, off_t off, int whence, struct fuse_file_info *fi)
{
	off_t r = lseek((int)fi->fh, off, whence);

	(void)path;
	return r < 0 ? -errno : r;
}

static const struct fuse_operations real_ops = {
	.getattr = real_getattr,
	.readlink = real_readlink,
	.mknod = real_mknod,
	.mkdir = real_mkdir,
	.unlink = real_unlink,
	.rmdir = real_rmdir,
	.symlink = real_symlink,
	.rename = real_rename,
	.link = real_link,
	.chmod = real_chmod,
	.chown = real_chown,
	.truncate = real_truncate,
	.open = real_open,
	.read = real_read,
	.write = real_write,
	.statfs = real_statfs,
	.release = real_release,
	.fsync = real_fsync,
	.setxattr = real_setxattr,
	.getxattr = real_getxattr,
	.listxattr = real_listxattr,
	.removexattr = real_removexattr,
	.opendir = real_opendir,
	.readdir = real_readdir,
	.releasedir = real_releasedir,
	.access = real_access,
	.create = real_create,
	.utimens = real_utimens,
	.lseek = real_lseek,
};

/* The first non-option is SOURCE; the rest (the mount point, options) is fuse_main's. */
static int real_opt(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct real *r = data;

	(void)outargs;
	if (key == FUSE_OPT_KEY_NONOPT && !r->source) {
		r->source = strdup(arg);
		return r->source ? 0 : -1;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct real r = { NULL };
	struct stat st;
	size_t n;
	int ret;

	if (fuse_opt_parse(&args, &r, NULL, real_opt) < 0)
		return 1;
	if (!r.source) {
		fprintf(stderr, "usage: fusereal [-o options] SOURCE MOUNTPOINT\n");
		fuse_opt_free_args(&args);
		return 1;
	}
	/* a relative SOURCE must survive the daemon's chdir("/") of libfuse */
	if (r.source[0] != '/') {
		char *abs = realpath(r.source, NULL);

		if (abs) {
			free(r.source);
			r.source = abs;
		}
	}
	for (n = strlen(r.source); n > 1 && r.source[n - 1] == '/'; n--)
		r.source[n - 1] = '\0';
	if (strcmp(r.source, "/") == 0)
		r.source[0] = '\0'; /* SOURCE + "/etc" */
	if (stat(*r.source ? r.source : "/", &st) < 0) {
		fprintf(stderr, "fusereal: %s: %s\n", r.source, strerror(errno));
		ret = 1;
	} else if (!S_ISDIR(st.st_mode)) {
		fprintf(stderr, "fusereal: %s: not a directory\n", r.source);
		ret = 1;
	} else {
		ret = fuse_main(args.argc, args.argv, &real_ops, &r);
	}
	fuse_opt_free_args(&args);
	free(r.source);
	return ret;
}

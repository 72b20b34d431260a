// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unreal.c - the test module of VUOS, for kmview: /unreal shows the whole
 * real tree, served by the module.
 *
 * Every method is the real system call on the same path (the path inside
 * the mount is the real path), so anything run on /unreal/X must behave
 * exactly as on X: the differential tests compare the two. The module
 * adds /unreal at init and, at a later epoch, /unreal/unreal: the second
 * mount is served by the same module, and shows that a later mount can
 * stack on an earlier one. /unreal is a redirect (vuht_redirect): where
 * the kernel can be sure of the answer, it runs the call on the real path
 * itself (kmview --no-redirect: every call comes here).
 *
 *   vu_insmod unreal; ls -l /unreal/etc; vu_rmmod unreal
 */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/xattr.h>

#include <vumodule.h>

VU_PROTOTYPES(unreal)
VU_KMVIEW_PROTOTYPES(unreal)

struct vu_module_t vu_module = {
	.name = "unreal",
	.description = "/unreal: the real file system, through a module",
	/* its fd is the real file and its fd methods the real calls */
	.flags = VU_MODULE_FDPASS,
};

static struct vuht_entry_t *unreal_ht, *unreal_ht2;

int vu_unreal_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	/* an open file is asked by its fd: it may have been renamed or unlinked */
	if (sfd >= 0)
		return fstat(sfd, buf);
	return lstat(pathname, buf);
}

int vu_unreal_access(char *path, int mode, int flags)
{
	return faccessat(AT_FDCWD, path, mode, flags | AT_SYMLINK_NOFOLLOW);
}

ssize_t vu_unreal_readlink(char *path, char *buf, size_t bufsiz)
{
	return readlink(path, buf, bufsiz);
}

int vu_unreal_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	/* the module's fd must not leak into what the daemon runs */
	return open(pathname, flags | O_CLOEXEC, mode);
}

int vu_unreal_close(int fd, void *fdprivate)
{
	return close(fd);
}

ssize_t vu_unreal_read(int fd, void *buf, size_t count, void *fdprivate)
{
	return read(fd, buf, count);
}

ssize_t vu_unreal_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	return write(fd, buf, count);
}

ssize_t vu_unreal_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	return pread(fd, buf, count, offset);
}

ssize_t vu_unreal_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			   void *fdprivate)
{
	return pwrite(fd, buf, count, offset);
}

int vu_unreal_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
			 void *fdprivate)
{
	return (int)syscall(__NR_getdents64, fd, dirp, count);
}

off_t vu_unreal_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	return lseek(fd, offset, whence);
}

ssize_t vu_unreal_lgetxattr(const char *path, const char *name, void *value, size_t size, int fd,
			    void *fdprivate)
{
	if (fd >= 0)
		return fgetxattr(fd, name, value, size);
	return lgetxattr(path, name, value, size);
}

ssize_t vu_unreal_llistxattr(const char *path, char *list, size_t size, int fd, void *fdprivate)
{
	if (fd >= 0)
		return flistxattr(fd, list, size);
	return llistxattr(path, list, size);
}

int vu_unreal_lsetxattr(const char *path, const char *name, const void *value, size_t size,
			int flags, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fsetxattr(fd, name, value, size, flags);
	return lsetxattr(path, name, value, size, flags);
}

int vu_unreal_lremovexattr(const char *path, const char *name, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fremovexattr(fd, name);
	return lremovexattr(path, name);
}

int vu_unreal_mkdir(const char *pathname, mode_t mode)
{
	return mkdir(pathname, mode);
}

int vu_unreal_rmdir(const char *pathname)
{
	return rmdir(pathname);
}

int vu_unreal_unlink(const char *pathname)
{
	return unlink(pathname);
}

int vu_unreal_rename(const char *target, const char *linkpath, int flags)
{
	return renameat2(AT_FDCWD, target, AT_FDCWD, linkpath, (unsigned int)flags);
}

int vu_unreal_mknod(const char *pathname, mode_t mode, dev_t dev)
{
	return mknod(pathname, mode, dev);
}

int vu_unreal_symlink(const char *target, const char *linkpath)
{
	return symlink(target, linkpath);
}

int vu_unreal_link(const char *target, const char *linkpath)
{
	return link(target, linkpath);
}

/*
 * The attribute methods serve the path form (the daemon has followed
 * symlinks already where the call follows) and the fd form (@fd >= 0).
 */
int vu_unreal_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fchmod(fd, mode);
	return chmod(pathname, mode);
}

int vu_unreal_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fchown(fd, owner, group);
	return lchown(pathname, owner, group);
}

int vu_unreal_utimensat(int dirfd, const char *pathname, const struct timespec times[2],
			int flags, int fd, void *fdprivate)
{
	if (fd >= 0)
		return futimens(fd, times);
	return utimensat(AT_FDCWD, pathname, times, flags & AT_SYMLINK_NOFOLLOW);
}

int vu_unreal_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	if (fd >= 0)
		return ftruncate(fd, length);
	return truncate(path, length);
}

int vu_unreal_statfs(const char *pathname, struct statfs *buf, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fstatfs(fd, buf);
	return statfs(pathname, buf);
}

int vu_unreal_fcntl(int fd, int cmd, long arg, void *fdprivate)
{
	return fcntl(fd, cmd, arg);
}

int vu_unreal_fsync(int fd, void *fdprivate)
{
	return fsync(fd);
}

int vu_unreal_fdatasync(int fd, void *fdprivate)
{
	return fdatasync(fd);
}

int vu_unreal_syncfs(int fd, void *fdprivate)
{
	return syncfs(fd);
}

int vu_unreal_fallocate(int fd, int mode, off_t offset, off_t len, void *fdprivate)
{
	return fallocate(fd, mode, offset, len);
}

int vu_unreal_flock(int fd, int operation, void *fdprivate)
{
	return flock(fd, operation);
}

void *vu_unreal_init(void)
{
	struct vu_service_t *s = vu_mod_getservice();

	unreal_ht = vuht_pathadd(CHECKPATH, "/", "/unreal", "unreal", 0, "", s, 0, NULL, NULL);
	if (!unreal_ht)
		return VU_INIT_FAILED;
	/* /unreal is the real tree: the kernel may run its calls there (kmview) */
	vuht_redirect(unreal_ht, "/");
	unreal_ht2 = vuht_pathadd(CHECKPATH, "/", "/unreal/unreal", "unreal", 0, "", s, 0, NULL,
				  NULL);
	if (!unreal_ht2) {
		int e = errno;

		vuht_del(unreal_ht, MNT_FORCE);
		errno = e;
		return VU_INIT_FAILED;
	}
	return NULL;
}

int vu_unreal_fini(void *private)
{
	if (unreal_ht2 && vuht_del(unreal_ht2, MNT_FORCE) == 0)
		unreal_ht2 = NULL;
	if (unreal_ht && vuht_del(unreal_ht, MNT_FORCE) == 0)
		unreal_ht = NULL;
	return 0;
}

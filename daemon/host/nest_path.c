// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest_path.c - the path functions of the nesting layer (nest.c): every
 * form the C library has of them, as a module built with
 * -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 calls them (open64,
 * __open64_2, stat64, __readlink_chk...). On x86-64 the 64 forms are the
 * plain ones (off_t, struct stat and struct statfs are the 64-bit ones),
 * so one function serves both names.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <utime.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <sys/xattr.h>

#include "core/statx.h"
#include "host/nest_impl.h"

/* The C library's own entry points of these names (they are not in its headers). */
extern int __open_2(const char *path, int flags);
extern int __openat_2(int dirfd, const char *path, int flags);
extern ssize_t __readlink_chk(const char *path, char *buf, size_t len, size_t buflen);
extern ssize_t __readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
				size_t buflen);
extern char *__realpath_chk(const char *path, char *resolved, size_t resolvedlen);

/* ---- the stat family ---- */

static int vu_nest_fstatat(int dirfd, const char *path, struct stat *buf, int flags)
{
	struct vu_nfd *n;

	if (path && path[0] == '\0' && (flags & AT_EMPTY_PATH) && (n = vu_nfd_get(dirfd)))
		return (int)vu_nest_ret(vu_mcall(n->ht, lstat, int, VU_LSTAT_PROTO,
						 (char *)vu_nfd_mpath(n), buf, 0, n->sfd,
						 n->fdprivate));
	NEST_AT(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
		vu_mcall(HT, lstat, int, VU_LSTAT_PROTO, (char *)MP, buf,
			 flags & AT_SYMLINK_NOFOLLOW, -1, NULL),
		fstatat(dirfd, rp, buf, flags));
}

static int vu_nest_stat(const char *path, struct stat *buf)
{
	return vu_nest_fstatat(AT_FDCWD, path, buf, 0);
}

static int vu_nest_lstat(const char *path, struct stat *buf)
{
	return vu_nest_fstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

/* glibc before 2.33 called these (a module built then still does). */
static int vu_nest_xstat(int ver, const char *path, struct stat *buf)
{
	return vu_nest_fstatat(AT_FDCWD, path, buf, 0);
}

static int vu_nest_lxstat(int ver, const char *path, struct stat *buf)
{
	return vu_nest_fstatat(AT_FDCWD, path, buf, AT_SYMLINK_NOFOLLOW);
}

static int vu_nest_fxstatat(int ver, int dirfd, const char *path, struct stat *buf, int flags)
{
	return vu_nest_fstatat(dirfd, path, buf, flags);
}

static int vu_nest_statx(int dirfd, const char *path, int flags, unsigned int mask,
			 struct statx *sx)
{
	struct vu_target t;
	const char *rp;
	struct stat st;
	int v, ret;

	if (path && path[0] == '\0' && (flags & AT_EMPTY_PATH) && vu_nfd_get(dirfd))
		v = 2;
	else
		v = vu_nest_path(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), &t, &rp);
	if (v < 0)
		return -1;
	if (v == 0)
		return statx(dirfd, rp, flags, mask, sx);
	if (v == 1) {
		vu_target_put(&t);
		ret = vu_nest_fstatat(dirfd, path, &st, flags & AT_SYMLINK_NOFOLLOW);
	} else {
		ret = vu_nest_fstatat(dirfd, "", &st, AT_EMPTY_PATH);
	}
	if (ret == 0)
		vu_statx_from_stat(sx, &st);
	return ret;
}

/* ---- access, readlink ---- */

static int vu_nest_faccessat(int dirfd, const char *path, int mode, int flags)
{
	NEST_AT(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
		vu_mcall(HT, access, int, (char *, int, int), (char *)MP, mode, flags & AT_EACCESS),
		faccessat(dirfd, rp, mode, flags));
}

static int vu_nest_access(const char *path, int mode)
{
	return vu_nest_faccessat(AT_FDCWD, path, mode, 0);
}

static int vu_nest_euidaccess(const char *path, int mode)
{
	return vu_nest_faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

static ssize_t vu_nest_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	NEST_AT(dirfd, path, false,
		NEST_SIZE(HT, "readlink",
			  vu_mcall(HT, readlink, ssize_t, (char *, char *, size_t), (char *)MP, buf,
				   size),
			  size),
		readlinkat(dirfd, rp, buf, size));
}

static ssize_t vu_nest_readlink(const char *path, char *buf, size_t size)
{
	return vu_nest_readlinkat(AT_FDCWD, path, buf, size);
}

static ssize_t vu_nest_readlink_chk(const char *path, char *buf, size_t len, size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return vu_nest_readlinkat(AT_FDCWD, path, buf, len);
}

static ssize_t vu_nest_readlinkat_chk(int dirfd, const char *path, char *buf, size_t len,
				      size_t buflen)
{
	if (len > buflen)
		__chk_fail();
	return vu_nest_readlinkat(dirfd, path, buf, len);
}

/* ---- open ---- */

static int vu_nest_openat_mode(int dirfd, const char *path, int flags, mode_t mode)
{
	/* O_CREAT|O_EXCL never follows, as the kernel's open */
	bool follow = !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);

	NEST_AT(dirfd, path, follow, vu_nfd_open(&t_, flags, mode),
		openat(dirfd, rp, flags, mode));
}

static mode_t vu_nest_mode_arg(int flags, va_list ap)
{
	return flags & (O_CREAT | O_TMPFILE) ? (mode_t)va_arg(ap, int) : 0;
}

static int vu_nest_open(const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = vu_nest_mode_arg(flags, ap);
	va_end(ap);
	return vu_nest_openat_mode(AT_FDCWD, path, flags, mode);
}

static int vu_nest_openat(int dirfd, const char *path, int flags, ...)
{
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = vu_nest_mode_arg(flags, ap);
	va_end(ap);
	return vu_nest_openat_mode(dirfd, path, flags, mode);
}

/* _FORTIFY_SOURCE's forms, for flags not known at compile time: no mode. */
static int vu_nest_openat_2(int dirfd, const char *path, int flags)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return __openat_2(dirfd, path, flags); /* the C library's abort */
	return vu_nest_openat_mode(dirfd, path, flags, 0);
}

static int vu_nest_open_2(const char *path, int flags)
{
	if (flags & (O_CREAT | O_TMPFILE))
		return __open_2(path, flags);
	return vu_nest_openat_mode(AT_FDCWD, path, flags, 0);
}

static int vu_nest_creat(const char *path, mode_t mode)
{
	return vu_nest_openat_mode(AT_FDCWD, path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

/* ---- making and removing names ---- */

static int vu_nest_mkdirat(int dirfd, const char *path, mode_t mode)
{
	NEST_AT(dirfd, path, false, vu_mcall(HT, mkdir, int, (const char *, mode_t), MP, mode),
		mkdirat(dirfd, rp, mode));
}

static int vu_nest_mkdir(const char *path, mode_t mode)
{
	return vu_nest_mkdirat(AT_FDCWD, path, mode);
}

static int vu_nest_unlinkat(int dirfd, const char *path, int flags)
{
	if (flags & AT_REMOVEDIR)
		NEST_AT(dirfd, path, false, vu_mcall(HT, rmdir, int, (const char *), MP),
			unlinkat(dirfd, rp, flags));
	NEST_AT(dirfd, path, false, vu_mcall(HT, unlink, int, (const char *), MP),
		unlinkat(dirfd, rp, flags));
}

static int vu_nest_unlink(const char *path)
{
	return vu_nest_unlinkat(AT_FDCWD, path, 0);
}

static int vu_nest_rmdir(const char *path)
{
	return vu_nest_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

static int vu_nest_mknodat(int dirfd, const char *path, mode_t mode, dev_t dev)
{
	NEST_AT(dirfd, path, false,
		vu_mcall(HT, mknod, int, (const char *, mode_t, dev_t), MP, mode, dev),
		mknodat(dirfd, rp, mode, dev));
}

static int vu_nest_mknod(const char *path, mode_t mode, dev_t dev)
{
	return vu_nest_mknodat(AT_FDCWD, path, mode, dev);
}

static int vu_nest_mkfifoat(int dirfd, const char *path, mode_t mode)
{
	return vu_nest_mknodat(dirfd, path, (mode & ~(mode_t)S_IFMT) | S_IFIFO, 0);
}

static int vu_nest_mkfifo(const char *path, mode_t mode)
{
	return vu_nest_mkfifoat(AT_FDCWD, path, mode);
}

static int vu_nest_symlinkat(const char *target, int dirfd, const char *linkpath)
{
	NEST_AT(dirfd, linkpath, false,
		vu_mcall(HT, symlink, int, (const char *, const char *), target, MP),
		symlinkat(target, dirfd, rp));
}

static int vu_nest_symlink(const char *target, const char *linkpath)
{
	return vu_nest_symlinkat(target, AT_FDCWD, linkpath);
}

/* Two paths: 1 both in one inner mount, 0 both real, -1 (EXDEV: one of each, or two mounts). */
static int vu_nest_two(int da, const char *a, int db, const char *b, bool follow_a,
		       struct vu_target *ta, struct vu_target *tb, const char **ra, const char **rb)
{
	int va = vu_nest_path(da, a, follow_a, ta, ra), vb;

	if (va < 0)
		return -1;
	vb = vu_nest_path(db, b, false, tb, rb);
	if (vb < 0 || va != vb || (va && ta->ht != tb->ht)) {
		if (va > 0)
			vu_target_put(ta);
		if (vb > 0)
			vu_target_put(tb);
		if (vb >= 0)
			errno = EXDEV;
		return -1;
	}
	return va;
}

static int vu_nest_linkat(int da, const char *from, int db, const char *to, int flags)
{
	struct vu_target ta, tb;
	const char *ra, *rb;
	int v = vu_nest_two(da, from, db, to, flags & AT_SYMLINK_FOLLOW, &ta, &tb, &ra, &rb);
	long r;

	if (v <= 0)
		return v < 0 ? -1 : linkat(da, ra, db, rb, flags);
	r = vu_mcall(ta.ht, link, int, (const char *, const char *), ta.mpath, tb.mpath);
	vu_target_put(&ta);
	vu_target_put(&tb);
	return (int)vu_nest_ret(r);
}

static int vu_nest_link(const char *from, const char *to)
{
	return vu_nest_linkat(AT_FDCWD, from, AT_FDCWD, to, 0);
}

static int vu_nest_renameat2(int da, const char *from, int db, const char *to, unsigned int flags)
{
	struct vu_target ta, tb;
	const char *ra, *rb;
	int v = vu_nest_two(da, from, db, to, false, &ta, &tb, &ra, &rb);
	long r;

	if (v <= 0)
		return v < 0 ? -1 : renameat2(da, ra, db, rb, flags);
	r = vu_mcall(ta.ht, rename, int, (const char *, const char *, int), ta.mpath, tb.mpath,
		     (int)flags);
	vu_target_put(&ta);
	vu_target_put(&tb);
	return (int)vu_nest_ret(r);
}

static int vu_nest_renameat(int da, const char *from, int db, const char *to)
{
	return vu_nest_renameat2(da, from, db, to, 0);
}

static int vu_nest_rename(const char *from, const char *to)
{
	return vu_nest_renameat2(AT_FDCWD, from, AT_FDCWD, to, 0);
}

/* ---- attributes ---- */

static int vu_nest_fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	NEST_AT(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
		vu_mcall(HT, chmod, int, (const char *, mode_t, int, void *), MP, mode, -1, NULL),
		fchmodat(dirfd, rp, mode, flags));
}

static int vu_nest_chmod(const char *path, mode_t mode)
{
	return vu_nest_fchmodat(AT_FDCWD, path, mode, 0);
}

static int vu_nest_fchownat(int dirfd, const char *path, uid_t owner, gid_t group, int flags)
{
	NEST_AT(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
		vu_mcall(HT, lchown, int, (const char *, uid_t, gid_t, int, void *), MP, owner,
			 group, -1, NULL),
		fchownat(dirfd, rp, owner, group, flags));
}

static int vu_nest_chown(const char *path, uid_t owner, gid_t group)
{
	return vu_nest_fchownat(AT_FDCWD, path, owner, group, 0);
}

static int vu_nest_lchown(const char *path, uid_t owner, gid_t group)
{
	return vu_nest_fchownat(AT_FDCWD, path, owner, group, AT_SYMLINK_NOFOLLOW);
}

static int vu_nest_truncate(const char *path, off_t len)
{
	NEST_PATH(path, true,
		  vu_mcall(HT, truncate, int, (const char *, off_t, int, void *), MP, len, -1, NULL),
		  truncate(rp, len));
}

#define UTIMENS_PROTO (int, const char *, const struct timespec *, int, int, void *)

static int vu_nest_utimensat(int dirfd, const char *path, const struct timespec times[2],
			     int flags)
{
	struct vu_nfd *n;

	/* utimensat(fd, NULL, ...) is futimens */
	if (!path && (n = vu_nfd_get(dirfd)))
		return (int)vu_nest_ret(vu_mcall(n->ht, utimensat, int, UTIMENS_PROTO, AT_FDCWD,
						 vu_nfd_mpath(n), times, 0, n->sfd,
						 n->fdprivate));
	NEST_AT(dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW),
		vu_mcall(HT, utimensat, int, UTIMENS_PROTO, AT_FDCWD, MP, times,
			 flags & AT_SYMLINK_NOFOLLOW, -1, NULL),
		utimensat(dirfd, rp, times, flags));
}

static int vu_nest_utimes(const char *path, const struct timeval tv[2])
{
	struct timespec ts[2];

	if (!tv)
		return vu_nest_utimensat(AT_FDCWD, path, NULL, 0);
	for (int i = 0; i < 2; i++) {
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return vu_nest_utimensat(AT_FDCWD, path, ts, 0);
}

static int vu_nest_utime(const char *path, const struct utimbuf *ub)
{
	struct timespec ts[2] = { 0 };

	if (!ub)
		return vu_nest_utimensat(AT_FDCWD, path, NULL, 0);
	ts[0].tv_sec = ub->actime;
	ts[1].tv_sec = ub->modtime;
	return vu_nest_utimensat(AT_FDCWD, path, ts, 0);
}

static int vu_nest_statfs(const char *path, struct statfs *buf)
{
	NEST_PATH(path, true,
		  vu_mcall(HT, statfs, int, (const char *, struct statfs *, int, void *), MP, buf,
			   -1, NULL),
		  statfs(rp, buf));
}

static int vu_nest_statvfs(const char *path, struct statvfs *buf)
{
	struct vu_target t;
	const char *rp;
	struct statfs sf;
	int v = vu_nest_path(AT_FDCWD, path, true, &t, &rp);
	long r;

	if (v <= 0)
		return v < 0 ? -1 : statvfs(rp, buf);
	r = vu_mcall(t.ht, statfs, int, (const char *, struct statfs *, int, void *), t.mpath, &sf,
		     -1, NULL);
	vu_target_put(&t);
	if (r == 0)
		vu_nest_statvfs_fill(buf, &sf);
	return (int)vu_nest_ret(r);
}

/* ---- extended attributes ---- */

#define GETXATTR_PROTO (const char *, const char *, void *, size_t, int, void *)
#define SETXATTR_PROTO (const char *, const char *, const void *, size_t, int, int, void *)
#define LISTXATTR_PROTO (const char *, char *, size_t, int, void *)

static ssize_t vu_nest_getxattr_do(const char *path, bool follow, const char *name, void *value,
				   size_t size)
{
	NEST_PATH(path, follow,
		  NEST_SIZE(HT, "lgetxattr",
			    vu_mcall(HT, lgetxattr, ssize_t, GETXATTR_PROTO, MP, name, value, size,
				     -1, NULL),
			    size),
		  (follow ? getxattr : lgetxattr)(rp, name, value, size));
}

static ssize_t vu_nest_getxattr(const char *path, const char *name, void *value, size_t size)
{
	return vu_nest_getxattr_do(path, true, name, value, size);
}

static ssize_t vu_nest_lgetxattr(const char *path, const char *name, void *value, size_t size)
{
	return vu_nest_getxattr_do(path, false, name, value, size);
}

static int vu_nest_setxattr_do(const char *path, bool follow, const char *name,
			       const void *value, size_t size, int flags)
{
	NEST_PATH(path, follow,
		  vu_mcall(HT, lsetxattr, int, SETXATTR_PROTO, MP, name, value, size, flags, -1,
			   NULL),
		  (follow ? setxattr : lsetxattr)(rp, name, value, size, flags));
}

static int vu_nest_setxattr(const char *path, const char *name, const void *value, size_t size,
			    int flags)
{
	return vu_nest_setxattr_do(path, true, name, value, size, flags);
}

static int vu_nest_lsetxattr(const char *path, const char *name, const void *value, size_t size,
			     int flags)
{
	return vu_nest_setxattr_do(path, false, name, value, size, flags);
}

static ssize_t vu_nest_listxattr_do(const char *path, bool follow, char *list, size_t size)
{
	NEST_PATH(path, follow,
		  NEST_SIZE(HT, "llistxattr",
			    vu_mcall(HT, llistxattr, ssize_t, LISTXATTR_PROTO, MP, list, size, -1,
				     NULL),
			    size),
		  (follow ? listxattr : llistxattr)(rp, list, size));
}

static ssize_t vu_nest_listxattr(const char *path, char *list, size_t size)
{
	return vu_nest_listxattr_do(path, true, list, size);
}

static ssize_t vu_nest_llistxattr(const char *path, char *list, size_t size)
{
	return vu_nest_listxattr_do(path, false, list, size);
}

static int vu_nest_removexattr_do(const char *path, bool follow, const char *name)
{
	NEST_PATH(path, follow,
		  vu_mcall(HT, lremovexattr, int, (const char *, const char *, int, void *), MP,
			   name, -1, NULL),
		  (follow ? removexattr : lremovexattr)(rp, name));
}

static int vu_nest_removexattr(const char *path, const char *name)
{
	return vu_nest_removexattr_do(path, true, name);
}

static int vu_nest_lremovexattr(const char *path, const char *name)
{
	return vu_nest_removexattr_do(path, false, name);
}

/* ---- realpath ---- */

/*
 * The C library's realpath walks with its own internal calls, which are
 * not rebound: a virtual path is resolved by the daemon's walk instead,
 * and must exist, as realpath requires.
 */
static char *vu_nest_realpath(const char *path, char *resolved)
{
	struct vu_target t;
	const char *rp;
	struct stat st;
	int v = vu_nest_path(AT_FDCWD, path, true, &t, &rp);
	long r;

	if (v < 0)
		return NULL;
	if (v == 0)
		return realpath(rp, resolved);
	r = vu_mcall(t.ht, lstat, int, VU_LSTAT_PROTO, (char *)t.mpath, &st, 0, -1, NULL);
	vu_target_put(&t);
	if (vu_nest_ret(r) < 0)
		return NULL;
	if (strlen(t.path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	if (!resolved)
		return strdup(t.path);
	return strcpy(resolved, t.path);
}

static char *vu_nest_realpath_chk(const char *path, char *resolved, size_t resolvedlen)
{
	if (resolved && resolvedlen < PATH_MAX)
		__chk_fail();
	return vu_nest_realpath(path, resolved);
}

static char *vu_nest_canonicalize_file_name(const char *path)
{
	return vu_nest_realpath(path, NULL);
}

const struct vu_nest_sym vu_nest_path_syms[] = {
	NEST_SYM(stat, vu_nest_stat), NEST_SYM(stat64, vu_nest_stat),
	NEST_SYM(lstat, vu_nest_lstat), NEST_SYM(lstat64, vu_nest_lstat),
	NEST_SYM(fstatat, vu_nest_fstatat), NEST_SYM(fstatat64, vu_nest_fstatat),
	NEST_SYMV(__xstat, "GLIBC_2.2.5", vu_nest_xstat),
	NEST_SYMV(__xstat64, "GLIBC_2.2.5", vu_nest_xstat),
	NEST_SYMV(__lxstat, "GLIBC_2.2.5", vu_nest_lxstat),
	NEST_SYMV(__lxstat64, "GLIBC_2.2.5", vu_nest_lxstat),
	NEST_SYMV(__fxstatat, "GLIBC_2.4", vu_nest_fxstatat),
	NEST_SYMV(__fxstatat64, "GLIBC_2.4", vu_nest_fxstatat),
	NEST_SYM(statx, vu_nest_statx),
	NEST_SYM(access, vu_nest_access), NEST_SYM(faccessat, vu_nest_faccessat),
	NEST_SYM(euidaccess, vu_nest_euidaccess), NEST_SYM(eaccess, vu_nest_euidaccess),
	NEST_SYM(readlink, vu_nest_readlink), NEST_SYM(readlinkat, vu_nest_readlinkat),
	NEST_SYM(__readlink_chk, vu_nest_readlink_chk),
	NEST_SYM(__readlinkat_chk, vu_nest_readlinkat_chk),
	NEST_SYM(open, vu_nest_open), NEST_SYM(open64, vu_nest_open),
	NEST_SYM(openat, vu_nest_openat), NEST_SYM(openat64, vu_nest_openat),
	NEST_SYM(__open_2, vu_nest_open_2), NEST_SYM(__open64_2, vu_nest_open_2),
	NEST_SYM(__openat_2, vu_nest_openat_2), NEST_SYM(__openat64_2, vu_nest_openat_2),
	NEST_SYM(creat, vu_nest_creat), NEST_SYM(creat64, vu_nest_creat),
	NEST_SYM(mkdir, vu_nest_mkdir), NEST_SYM(mkdirat, vu_nest_mkdirat),
	NEST_SYM(unlink, vu_nest_unlink), NEST_SYM(unlinkat, vu_nest_unlinkat),
	NEST_SYM(rmdir, vu_nest_rmdir),
	NEST_SYM(mknod, vu_nest_mknod), NEST_SYM(mknodat, vu_nest_mknodat),
	NEST_SYM(mkfifo, vu_nest_mkfifo), NEST_SYM(mkfifoat, vu_nest_mkfifoat),
	NEST_SYM(symlink, vu_nest_symlink), NEST_SYM(symlinkat, vu_nest_symlinkat),
	NEST_SYM(link, vu_nest_link), NEST_SYM(linkat, vu_nest_linkat),
	NEST_SYM(rename, vu_nest_rename), NEST_SYM(renameat, vu_nest_renameat),
	NEST_SYM(renameat2, vu_nest_renameat2),
	NEST_SYM(chmod, vu_nest_chmod), NEST_SYM(fchmodat, vu_nest_fchmodat),
	NEST_SYM(chown, vu_nest_chown), NEST_SYM(lchown, vu_nest_lchown),
	NEST_SYM(fchownat, vu_nest_fchownat),
	NEST_SYM(truncate, vu_nest_truncate), NEST_SYM(truncate64, vu_nest_truncate),
	NEST_SYM(utimensat, vu_nest_utimensat), NEST_SYM(utimes, vu_nest_utimes),
	NEST_SYM(utime, vu_nest_utime),
	NEST_SYM(statfs, vu_nest_statfs), NEST_SYM(statfs64, vu_nest_statfs),
	NEST_SYM(statvfs, vu_nest_statvfs), NEST_SYM(statvfs64, vu_nest_statvfs),
	NEST_SYM(getxattr, vu_nest_getxattr), NEST_SYM(lgetxattr, vu_nest_lgetxattr),
	NEST_SYM(setxattr, vu_nest_setxattr), NEST_SYM(lsetxattr, vu_nest_lsetxattr),
	NEST_SYM(listxattr, vu_nest_listxattr), NEST_SYM(llistxattr, vu_nest_llistxattr),
	NEST_SYM(removexattr, vu_nest_removexattr),
	NEST_SYM(lremovexattr, vu_nest_lremovexattr),
	NEST_SYM(realpath, vu_nest_realpath), NEST_SYM(__realpath_chk, vu_nest_realpath_chk),
	NEST_SYM(canonicalize_file_name, vu_nest_canonicalize_file_name),
	{ NULL, NULL, NULL },
};

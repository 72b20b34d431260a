// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_attr.c - the methods of vufs on attributes: truncate, chmod,
 * chown (virtual in cow and mincow: the vstat record), utimes, statfs,
 * xattrs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "vufs_mode.h"

VU_PROTOTYPES(vufs)
VU_KMVIEW_PROTOTYPES(vufs)

/*
 * Who may chmod: the owner (in the view), root (in the view), and the
 * user who owns SOURCE, whose copy it is (as in VUOS, where chmod of a
 * copy of root's /etc/passwd works for the user who mounted it).
 */
static bool vufs_owner_ok(struct vufs *v, const char *mpath, const struct vufs_where *w)
{
	struct vufs_vstat vs;
	struct stat st = w->st;
	uid_t cu, su;
	gid_t cg, sg;

	vufs_caller(&cu, &cg);
	vufs_self(&su, &sg);
	vufs_vstat_get(v, mpath, &vs);
	vufs_vstat_apply(&vs, &st);
	return cu == 0 || cu == st.st_uid || cu == su;
}

int vu_vufs_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	int ret;

	if (fd >= 0)
		return ftruncate(fd, length);
	VUFS_WHERE(v, w, path);
	vufs_lock(v);
	ret = vufs_permit(v, path, &w, VUFS_MAY_WRITE);
	if (ret == 0)
		ret = vufs_prepare(v, path, &w);
	if (ret == 0) {
		ret = truncate(vufs_lpath(&w), length);
		if (vufs_fallback(v, path, &w, ret) > 0)
			ret = truncate(w.vpath, length);
	}
	{
		int e = errno;

		vufs_unlock(v);
		errno = e;
	}
	return ret;
}

static int vufs_do_chmod(struct vufs *v, const char *mpath, struct vufs_where *w, mode_t mode)
{
	struct vufs_vstat vs = { .mask = VUFS_VS_MODE, .mode = mode & 07777 };
	mode_t keep;
	int ret;

	if (!vufs_layered(v))
		return v->o.ro ? vufs_fail(EROFS) : chmod(w->vpath, mode);
	if (w->layer == VUFS_L_NONE)
		return vufs_fail(w->err);
	if (v->o.mode != VUFS_MERGE && !vufs_owner_ok(v, mpath, w))
		return vufs_fail(v->o.ro ? EROFS : EPERM);
	if (vufs_writes_src(v) && v->o.nochcopy && w->layer == VUFS_L_REAL && !v->o.ro)
		return vufs_vstat_set(v, mpath, &vs);
	if (vufs_prepare(v, mpath, w) < 0)
		return -1;
	if (v->o.mode == VUFS_MERGE || w->layer == VUFS_L_REAL) {
		ret = chmod(w->rpath, mode);
		if (vufs_fallback(v, mpath, w, ret) <= 0)
			return ret;
	}
	/* the copy stays the user's to read and write; the record says the mode */
	if (S_ISLNK(w->st.st_mode))
		return 0;
	keep = S_ISDIR(w->st.st_mode) ? 0700 : 0600;
	if (chmod(w->vpath, (mode & 07777) | keep) < 0)
		return -1;
	return vufs_vstat_set(v, mpath, &vs);
}

int vu_vufs_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	int ret;

	/* on a patchwork mount the fd form goes by the path: the record is per path */
	if (fd >= 0 && !vufs_fd_by_path(fdprivate))
		return fchmod(fd, mode);
	VUFS_WHERE(v, w, pathname);
	VUFS_LOCKED(v, ret, vufs_do_chmod(v, pathname, &w, mode));
	return ret;
}

static int vufs_do_chown(struct vufs *v, const char *mpath, struct vufs_where *w, uid_t owner,
			 gid_t group)
{
	struct vufs_vstat vs = { 0 }, cur;
	struct stat st;
	uid_t cu;
	gid_t cg;
	int ret;

	if (!vufs_layered(v))
		return v->o.ro ? vufs_fail(EROFS) : lchown(w->vpath, owner, group);
	if (w->layer == VUFS_L_NONE)
		return vufs_fail(w->err);
	if (v->o.ro)
		return vufs_fail(EROFS);
	if (v->o.mode == VUFS_MERGE) {
		if (w->layer == VUFS_L_VIRT)
			return vufs_fail(EROFS);
		return lchown(w->rpath, owner, group);
	}
	/* the kernel's rule: root changes both, the owner only the group */
	vufs_caller(&cu, &cg);
	st = w->st;
	vufs_vstat_get(v, mpath, &cur);
	vufs_vstat_apply(&cur, &st);
	if (cu != 0 &&
	    ((owner != (uid_t)-1 && owner != st.st_uid) || (group != (gid_t)-1 && cu != st.st_uid)))
		return vufs_fail(EPERM);
	if (v->o.mode == VUFS_MINCOW && w->layer == VUFS_L_REAL) {
		ret = lchown(w->rpath, owner, group);
		if (ret == 0 || !vufs_refused(errno))
			return ret;
	}
	if (!(v->o.nochcopy && w->layer == VUFS_L_REAL) && vufs_copyup(v, mpath) < 0)
		return -1;
	if (owner != (uid_t)-1) {
		vs.uid = owner;
		vs.mask |= VUFS_VS_UID;
	}
	if (group != (gid_t)-1) {
		vs.gid = group;
		vs.mask |= VUFS_VS_GID;
	}
	/* as the kernel does: a new owner of an executable loses setuid and setgid */
	if (vs.mask && S_ISREG(st.st_mode) && (st.st_mode & (S_ISUID | S_ISGID))) {
		vs.mode = st.st_mode & 07777 & ~(mode_t)S_ISUID;
		if (st.st_mode & S_IXGRP)
			vs.mode &= ~(mode_t)S_ISGID;
		vs.mask |= VUFS_VS_MODE;
	}
	return vs.mask ? vufs_vstat_set(v, mpath, &vs) : 0;
}

int vu_vufs_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	int ret;

	if (fd >= 0 && !vufs_fd_by_path(fdprivate))
		return fchown(fd, owner, group);
	VUFS_WHERE(v, w, pathname);
	VUFS_LOCKED(v, ret, vufs_do_chown(v, pathname, &w, owner, group));
	return ret;
}

/* The kernel's rule: the times of now need the owner or write access; any other, the owner. */
static int vufs_utimes_permit(struct vufs *v, const char *mpath, const struct vufs_where *w,
			      const struct timespec times[2])
{
	bool now = !times || (times[0].tv_nsec == UTIME_NOW && times[1].tv_nsec == UTIME_NOW);

	if (vufs_permit_owner(v, mpath, w) == 0)
		return 0;
	return now ? vufs_permit(v, mpath, w, VUFS_MAY_WRITE) : -1;
}

int vu_vufs_utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags,
		      int fd, void *fdprivate)
{
	int ret;

	if (fd >= 0 && !vufs_fd_by_path(fdprivate))
		return futimens(fd, times);
	VUFS_WHERE(v, w, pathname);
	vufs_lock(v);
	ret = vufs_utimes_permit(v, pathname, &w, times);
	if (ret == 0)
		ret = vufs_prepare(v, pathname, &w);
	if (ret == 0) {
		ret = utimensat(AT_FDCWD, vufs_lpath(&w), times, AT_SYMLINK_NOFOLLOW);
		if (vufs_fallback(v, pathname, &w, ret) > 0)
			ret = utimensat(AT_FDCWD, w.vpath, times, AT_SYMLINK_NOFOLLOW);
	}
	{
		int e = errno;

		vufs_unlock(v);
		errno = e;
	}
	return ret;
}

int vu_vufs_statfs(const char *pathname, struct statfs *buf, int fd, void *fdprivate)
{
	if (fd >= 0)
		return fstatfs(fd, buf);
	VUFS_WHERE(v, w, pathname);
	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	return statfs(vufs_lpath(&w), buf);
}

ssize_t vu_vufs_lgetxattr(const char *path, const char *name, void *value, size_t size, int fd,
			  void *fdprivate)
{
	if (fd >= 0)
		return fgetxattr(fd, name, value, size);
	VUFS_WHERE(v, w, path);
	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	return lgetxattr(vufs_lpath(&w), name, value, size);
}

ssize_t vu_vufs_llistxattr(const char *path, char *list, size_t size, int fd, void *fdprivate)
{
	if (fd >= 0)
		return flistxattr(fd, list, size);
	VUFS_WHERE(v, w, path);
	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	return llistxattr(vufs_lpath(&w), list, size);
}

/* A change of xattrs: on the layer the mode says (@value NULL: remove @name). */
static int vufs_xattr_change(const char *path, const char *name, const void *value, size_t size,
			     int flags)
{
	VUFS_WHERE(v, w, path);
	int ret;

	vufs_lock(v);
	ret = vufs_prepare(v, path, &w);
	for (int i = 0; ret == 0 && i < 2; i++) {
		const char *p = i ? w.vpath : vufs_lpath(&w);

		ret = value ? lsetxattr(p, name, value, size, flags) : lremovexattr(p, name);
		if (i || vufs_fallback(v, path, &w, ret) <= 0)
			break;
	}
	{
		int e = errno;

		vufs_unlock(v);
		errno = e;
	}
	return ret;
}

int vu_vufs_lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags,
		      int fd, void *fdprivate)
{
	if (fd >= 0 && !vufs_fd_by_path(fdprivate))
		return fsetxattr(fd, name, value, size, flags);
	return vufs_xattr_change(path, name, value ? value : "", size, flags);
}

int vu_vufs_lremovexattr(const char *path, const char *name, int fd, void *fdprivate)
{
	if (fd >= 0 && !vufs_fd_by_path(fdprivate))
		return fremovexattr(fd, name);
	return vufs_xattr_change(path, name, NULL, 0, 0);
}

/* The file status flags (F_SETFL) of the module's own fd. */

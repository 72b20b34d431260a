// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_mode.c - where a change goes, by mode: something new (vufs_create),
 * a change of what is there (vufs_prepare, and mincow's vufs_fallback).
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

/* Make @n at @path of one layer; @virt: in SOURCE, where devices are plain files. */
static int vufs_make(const struct vufs_new *n, const char *path, bool virt)
{
	switch (n->kind) {
	case VUFS_K_OPEN:
		return open(path, n->flags | O_CLOEXEC, virt ? n->mode | 0600 : n->mode);
	case VUFS_K_MKDIR:
		return mkdir(path, virt ? n->mode | 0700 : n->mode);
	case VUFS_K_SYMLINK:
		return symlink(n->target, path);
	case VUFS_K_MKNOD:
		if (virt && !S_ISFIFO(n->mode) && !S_ISREG(n->mode)) {
			int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

			return fd < 0 ? -1 : close(fd);
		}
		return mknod(path, virt ? n->mode | 0600 : n->mode, n->dev);
	}
	return vufs_fail(EINVAL);
}

/* The vstat record of something new in SOURCE: its owner, a device's type. */
static int vufs_new_vstat(struct vufs *v, const char *mpath, const struct vufs_new *n)
{
	struct vufs_vstat vs = { 0 };
	uid_t cu, su;
	gid_t cg, sg;

	vufs_caller(&cu, &cg);
	vufs_self(&su, &sg);
	if (cu != su) {
		vs.uid = cu;
		vs.mask |= VUFS_VS_UID;
	}
	if (cg != sg) {
		vs.gid = cg;
		vs.mask |= VUFS_VS_GID;
	}
	if (n->kind == VUFS_K_MKNOD && !S_ISFIFO(n->mode) && !S_ISREG(n->mode)) {
		vs.type = n->mode & S_IFMT;
		vs.rdev = n->dev;
		vs.mask |= VUFS_VS_TYPE | VUFS_VS_RDEV;
	}
	if (n->kind != VUFS_K_SYMLINK) {
		mode_t keep = n->kind == VUFS_K_MKDIR ? 0700 : 0600;

		if ((vs.mask & VUFS_VS_TYPE) || (n->mode & 07777) != ((n->mode | keep) & 07777)) {
			vs.mode = n->mode & 07777;
			vs.mask |= VUFS_VS_MODE;
		}
	}
	vufs_vstat_drop(v, mpath);
	return vs.mask ? vufs_vstat_set(v, mpath, &vs) : 0;
}

/* Make @n in SOURCE: the parent copied up first, the record beside it. */
static int vufs_make_virt(struct vufs *v, const char *mpath, struct vufs_where *w,
			  const struct vufs_new *n)
{
	char parent[PATH_MAX];
	bool deleted = vufs_deleted(v, mpath);
	int ret;

	vufs_parent(mpath, parent, sizeof(parent));
	if (vufs_copyup_dir(v, parent) < 0)
		return -1;
	if (vufs_new_vstat(v, mpath, n) < 0)
		return -1;
	ret = vufs_make(n, w->vpath, true);
	if (ret < 0) {
		int e = errno;

		vufs_vstat_drop(v, mpath);
		return vufs_fail(e);
	}
	/* a directory made where one was deleted must not show the real entries */
	if (n->kind == VUFS_K_MKDIR && deleted)
		vufs_meta_dir(v, mpath);
	return ret;
}

int vufs_create(struct vufs *v, const char *mpath, struct vufs_where *w, const struct vufs_new *n)
{
	char parent[PATH_MAX];
	struct vufs_where pw;
	int ret;

	if (v->o.ro)
		return vufs_fail(EROFS);
	if (vufs_reserved(v, mpath))
		return vufs_fail(EPERM);
	if (vufs_permit_parent(v, mpath, NULL) < 0)
		return -1;
	switch (v->o.mode) {
	case VUFS_BIND:
	case VUFS_MOVE:
		return vufs_make(n, w->vpath, false);
	case VUFS_MERGE:
		ret = vufs_make(n, w->rpath, false);
		if (ret < 0 && errno == ENOENT) {
			/* the parent is the virtual layer's: read-only */
			vufs_parent(mpath, parent, sizeof(parent));
			if (vufs_where(v, parent, &pw) == 0 && pw.layer == VUFS_L_VIRT)
				return vufs_fail(EROFS);
			return vufs_fail(ENOENT);
		}
		return ret;
	case VUFS_COW:
		return vufs_make_virt(v, mpath, w, n);
	case VUFS_MINCOW:
		vufs_parent(mpath, parent, sizeof(parent));
		if (!vufs_deleted(v, mpath) && vufs_where(v, parent, &pw) == 0 &&
		    pw.layer == VUFS_L_REAL) {
			ret = vufs_make(n, w->rpath, false);
			if (ret >= 0 || !vufs_refused(errno))
				return ret;
		}
		return vufs_make_virt(v, mpath, w, n);
	}
	return vufs_fail(EINVAL);
}

int vufs_prepare(struct vufs *v, const char *mpath, struct vufs_where *w)
{
	if (v->o.ro)
		return vufs_fail(EROFS);
	if (w->layer == VUFS_L_NONE)
		return vufs_fail(w->err);
	if (!vufs_layered(v))
		return 0;
	if (v->o.mode == VUFS_MERGE)
		return w->layer == VUFS_L_VIRT ? vufs_fail(EROFS) : 0;
	if (v->o.mode == VUFS_COW && w->layer == VUFS_L_REAL) {
		if (vufs_copyup(v, mpath) < 0)
			return -1;
		w->layer = VUFS_L_VIRT;
	}
	return 0;
}

int vufs_fallback(struct vufs *v, const char *mpath, struct vufs_where *w, int ret)
{
	if (ret >= 0 || v->o.mode != VUFS_MINCOW || w->layer != VUFS_L_REAL || !vufs_refused(errno))
		return 0;
	if (vufs_copyup(v, mpath) < 0)
		return -1;
	w->layer = VUFS_L_VIRT;
	return 1;
}

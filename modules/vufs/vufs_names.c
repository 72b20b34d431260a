// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_names.c - the methods of vufs on names: unlink, rmdir, mkdir,
 * mknod, symlink, link, rename (whiteouts, copy-up across layers).
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
#include <dirent.h>

#include "vufs_mode.h"

VU_PROTOTYPES(vufs)
VU_KMVIEW_PROTOTYPES(vufs)

/* After the virtual object @mpath is gone, hide the real one, if any. */
static int vufs_hide_real(struct vufs *v, const char *mpath, const struct vufs_where *w)
{
	struct stat st;

	if (vufs_deleted(v, mpath) || lstat(w->rpath, &st) < 0)
		return 0;
	return vufs_whiteout(v, mpath);
}

static int vufs_remove(struct vufs *v, const char *mpath, struct vufs_where *w, bool dir)
{
	int (*rm)(const char *) = dir ? rmdir : unlink;
	int ret;

	if (v->o.ro)
		return vufs_fail(EROFS);
	if (!vufs_layered(v))
		return rm(w->vpath);
	if (w->layer == VUFS_L_NONE)
		return vufs_fail(w->err);
	if (dir && !S_ISDIR(w->st.st_mode))
		return vufs_fail(ENOTDIR);
	if (!dir && S_ISDIR(w->st.st_mode))
		return vufs_fail(EISDIR);
	if (dir && strcmp(mpath, "/") == 0)
		return vufs_fail(EBUSY);
	if (vufs_permit_parent(v, mpath, w) < 0)
		return -1;
	if (dir) {
		ret = vufs_merged_nonempty(v, mpath);
		if (ret != 0)
			return ret < 0 ? -1 : vufs_fail(ENOTEMPTY);
	}
	if (v->o.mode == VUFS_MERGE)
		return w->layer == VUFS_L_VIRT ? vufs_fail(EROFS) : rm(w->rpath);
	if (w->layer == VUFS_L_REAL && v->o.mode == VUFS_MINCOW) {
		ret = rm(w->rpath);
		/* a real directory whose entries are all deleted is not empty for real */
		if (ret == 0 || !(vufs_refused(errno) || (dir && errno == ENOTEMPTY))) {
			if (ret == 0)
				vufs_meta_clear(v, mpath);
			return ret;
		}
	}
	if (w->layer == VUFS_L_VIRT && rm(w->vpath) < 0)
		return -1;
	vufs_meta_clear(v, mpath);
	return vufs_hide_real(v, mpath, w);
}

int vu_vufs_unlink(const char *pathname)
{
	VUFS_WHERE(v, w, pathname);
	int ret;

	VUFS_LOCKED(v, ret, vufs_remove(v, pathname, &w, false));
	return ret;
}

int vu_vufs_rmdir(const char *pathname)
{
	VUFS_WHERE(v, w, pathname);
	int ret;

	VUFS_LOCKED(v, ret, vufs_remove(v, pathname, &w, true));
	return ret;
}

/* ---- making ---- */

static int vufs_mk(const char *mpath, const struct vufs_new *n)
{
	VUFS_WHERE(v, w, mpath);
	int ret;

	if (w.layer != VUFS_L_NONE)
		return vufs_fail(EEXIST);
	if (vufs_layered(v) && w.err != ENOENT)
		return vufs_fail(w.err);
	VUFS_LOCKED(v, ret, vufs_create(v, mpath, &w, n));
	return ret;
}

int vu_vufs_mkdir(const char *pathname, mode_t mode)
{
	struct vufs_new n = { VUFS_K_MKDIR, 0, mode, 0, NULL };

	return vufs_mk(pathname, &n);
}

int vu_vufs_mknod(const char *pathname, mode_t mode, dev_t dev)
{
	struct vufs_new n = { VUFS_K_MKNOD, 0, mode, dev, NULL };
	struct vufs *v = vufs_get();
	uid_t cu;
	gid_t cg;

	if ((mode & S_IFMT) == 0)
		n.mode |= S_IFREG;
	/* a device node needs root, in the view (the kernel asks CAP_MKNOD) */
	if (v && vufs_writes_src(v) && (S_ISCHR(n.mode) || S_ISBLK(n.mode))) {
		vufs_caller(&cu, &cg);
		if (cu != 0)
			return vufs_fail(EPERM);
	}
	return vufs_mk(pathname, &n);
}

int vu_vufs_symlink(const char *target, const char *linkpath)
{
	/* the target is the link's contents: it is not a path of the module */
	struct vufs_new n = { VUFS_K_SYMLINK, 0, 0777, 0, target };

	return vufs_mk(linkpath, &n);
}

static int vufs_do_link(struct vufs *v, const char *from, struct vufs_where *wf, const char *to,
			struct vufs_where *wt)
{
	char parent[PATH_MAX];
	int ret;

	if (v->o.ro)
		return vufs_fail(EROFS);
	if (!vufs_layered(v))
		return link(wf->vpath, wt->vpath);
	if (wf->layer == VUFS_L_NONE)
		return vufs_fail(wf->err);
	if (wt->layer != VUFS_L_NONE)
		return vufs_fail(EEXIST);
	if (wt->err != ENOENT)
		return vufs_fail(wt->err);
	if (S_ISDIR(wf->st.st_mode))
		return vufs_fail(EPERM);
	if (vufs_reserved(v, to))
		return vufs_fail(EPERM);
	if (vufs_permit_parent(v, to, NULL) < 0)
		return -1;
	if (v->o.mode == VUFS_MERGE)
		return wf->layer == VUFS_L_VIRT ? vufs_fail(EROFS) : link(wf->rpath, wt->rpath);
	if (v->o.mode == VUFS_MINCOW && wf->layer == VUFS_L_REAL && !vufs_deleted(v, to)) {
		ret = link(wf->rpath, wt->rpath);
		if (ret == 0 || !(vufs_refused(errno) || errno == ENOENT))
			return ret;
	}
	/* cow: a real file is copied up, then linked in SOURCE */
	if (vufs_copyup(v, from) < 0)
		return -1;
	vufs_parent(to, parent, sizeof(parent));
	if (vufs_copyup_dir(v, parent) < 0)
		return -1;
	if (link(wf->vpath, wt->vpath) < 0)
		return -1;
	if (vufs_vstat_link(v, from, to) < 0) {
		int e = errno;

		unlink(wt->vpath);
		return vufs_fail(e);
	}
	return 0;
}

int vu_vufs_link(const char *target, const char *linkpath)
{
	VUFS_WHERE(v, wf, target);
	struct vufs_where wt;
	int ret;

	if (vufs_where(v, linkpath, &wt) < 0)
		return -1;
	VUFS_LOCKED(v, ret, vufs_do_link(v, target, &wf, linkpath, &wt));
	return ret;
}

/* ---- rename ---- */

/* Move what SOURCE/.-/@from holds to SOURCE/.-/@to, entry by entry where both are directories. */
static int vufs_meta_move(const char *from, const char *to)
{
	struct stat fst, tst;
	struct dirent *de;
	DIR *d;

	if (lstat(from, &fst) < 0)
		return 0;
	if (lstat(to, &tst) < 0)
		return rename(from, to);
	if (!S_ISDIR(fst.st_mode) || !S_ISDIR(tst.st_mode))
		return vufs_rm_tree(from);
	d = opendir(from);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char f[PATH_MAX], t[PATH_MAX];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(f, sizeof(f), "%s/%s", from, de->d_name) >= (int)sizeof(f) ||
		    snprintf(t, sizeof(t), "%s/%s", to, de->d_name) >= (int)sizeof(t))
			continue;
		vufs_meta_move(f, t);
	}
	closedir(d);
	return vufs_rm_tree(from);
}

/*
 * Both parents (write, search, the sticky bit), and a directory that
 * changes parent, whose ".." is written.
 */
static int vufs_rename_permit(struct vufs *v, const char *from, struct vufs_where *wf,
			      const char *to, struct vufs_where *wt)
{
	char pf[PATH_MAX], pt[PATH_MAX];

	if (vufs_permit_parent(v, from, wf) < 0 || vufs_permit_parent(v, to, wt) < 0)
		return -1;
	vufs_parent(from, pf, sizeof(pf));
	vufs_parent(to, pt, sizeof(pt));
	if (S_ISDIR(wf->st.st_mode) && strcmp(pf, pt) != 0)
		return vufs_permit(v, from, wf, VUFS_MAY_WRITE);
	return 0;
}

static int vufs_rename_checks(struct vufs *v, const char *from, struct vufs_where *wf,
			      const char *to, struct vufs_where *wt, int flags)
{
	int ret;

	if (wf->layer == VUFS_L_NONE)
		return vufs_fail(wf->err);
	if (wt->layer == VUFS_L_NONE && wt->err != ENOENT)
		return vufs_fail(wt->err);
	if (strcmp(from, "/") == 0 || strcmp(to, "/") == 0)
		return vufs_fail(EBUSY);
	if (vufs_reserved(v, to))
		return vufs_fail(EPERM);
	if ((flags & RENAME_NOREPLACE) && wt->layer != VUFS_L_NONE)
		return vufs_fail(EEXIST);
	if ((flags & RENAME_EXCHANGE) && wt->layer == VUFS_L_NONE)
		return vufs_fail(ENOENT);
	if (vufs_rename_permit(v, from, wf, to, wt) < 0)
		return -1;
	if (wt->layer == VUFS_L_NONE || (flags & RENAME_EXCHANGE))
		return 0;
	if (S_ISDIR(wf->st.st_mode) && !S_ISDIR(wt->st.st_mode))
		return vufs_fail(ENOTDIR);
	if (!S_ISDIR(wf->st.st_mode) && S_ISDIR(wt->st.st_mode))
		return vufs_fail(EISDIR);
	if (S_ISDIR(wt->st.st_mode) && strcmp(from, to) != 0) {
		ret = vufs_merged_nonempty(v, to);
		if (ret != 0)
			return ret < 0 ? -1 : vufs_fail(ENOTEMPTY);
	}
	return 0;
}

/* Copy @mpath up, wholly if it is a directory. */
static int vufs_copyup_any(struct vufs *v, const char *mpath, const struct vufs_where *w)
{
	return S_ISDIR(w->st.st_mode) ? vufs_copyup_tree(v, mpath) : vufs_copyup(v, mpath);
}

static int vufs_do_rename(struct vufs *v, const char *from, struct vufs_where *wf, const char *to,
			  struct vufs_where *wt, int flags)
{
	char parent[PATH_MAX], mf[PATH_MAX], mt[PATH_MAX];
	struct stat st;
	bool dir = S_ISDIR(wf->st.st_mode);
	int ret;

	if (v->o.ro)
		return vufs_fail(EROFS);
	if (!vufs_layered(v))
		return renameat2(AT_FDCWD, wf->vpath, AT_FDCWD, wt->vpath, (unsigned int)flags);
	if (vufs_rename_checks(v, from, wf, to, wt, flags) < 0)
		return -1;
	if (strcmp(from, to) == 0)
		return 0;
	if (v->o.mode == VUFS_MERGE) {
		if (wf->layer == VUFS_L_VIRT || wt->layer == VUFS_L_VIRT)
			return vufs_fail(EROFS);
		return renameat2(AT_FDCWD, wf->rpath, AT_FDCWD, wt->rpath, (unsigned int)flags);
	}
	if (vufs_join(mf, sizeof(mf), v->meta, from, NULL) < 0 ||
	    vufs_join(mt, sizeof(mt), v->meta, to, NULL) < 0)
		return -1;
	/* mincow renames for real what has no whiteouts below it to carry */
	if (v->o.mode == VUFS_MINCOW && wf->layer == VUFS_L_REAL && wt->layer != VUFS_L_VIRT &&
	    !vufs_deleted(v, to) && !(dir && lstat(mf, &st) == 0)) {
		ret = renameat2(AT_FDCWD, wf->rpath, AT_FDCWD, wt->rpath, (unsigned int)flags);
		if (ret == 0 || !(vufs_refused(errno) || errno == ENOENT || errno == ENOTEMPTY))
			return ret;
	}
	/* cow: both ends in SOURCE, then the rename there */
	if (vufs_copyup_any(v, from, wf) < 0)
		return -1;
	if ((flags & RENAME_EXCHANGE) && vufs_copyup_any(v, to, wt) < 0)
		return -1;
	vufs_parent(to, parent, sizeof(parent));
	if (vufs_copyup_dir(v, parent) < 0)
		return -1;
	if (dir && vufs_deleted(v, to) && vufs_meta_dir(v, to) < 0)
		return -1;
	if (renameat2(AT_FDCWD, wf->vpath, AT_FDCWD, wt->vpath, (unsigned int)flags) < 0)
		return -1;
	if (flags & RENAME_EXCHANGE) {
		/* the records change places too (the lock is held: one name will do) */
		vufs_vstat_rename(v, from, "/\177xchg");
		vufs_vstat_rename(v, to, from);
		vufs_vstat_rename(v, "/\177xchg", to);
		return 0;
	}
	vufs_vstat_rename(v, from, to);
	if (dir)
		vufs_meta_move(mf, mt);
	return vufs_hide_real(v, from, wf);
}

int vu_vufs_rename(const char *target, const char *linkpath, int flags)
{
	VUFS_WHERE(v, wf, target);
	struct vufs_where wt;
	int ret;

	if (vufs_where(v, linkpath, &wt) < 0)
		return -1;
	VUFS_LOCKED(v, ret, vufs_do_rename(v, target, &wf, linkpath, &wt, flags));
	return ret;
}

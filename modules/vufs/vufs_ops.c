// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_ops.c - the methods of vufs. In bind and move mode each is the
 * real system call on SOURCE + the path inside the mount; in merge, cow
 * and mincow the path is first found in its layer (vufs_where) and a
 * change goes where the mode says (vufs.h). The hypervisor has resolved
 * the path (symlinks followed where the call follows them), so a method
 * acts on the last component as given and never follows it again.
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

#include "vufs_dir.h"
#include "vufs_layer.h"

VU_PROTOTYPES(vufs)
VU_KMVIEW_PROTOTYPES(vufs)

static struct vufs *vufs_get(void)
{
	return vu_get_ht_private_data();
}

/*
 * Declare `struct vufs *v` and `struct vufs_where w` for @mpath, or return
 * -1 (declarations: no do { } while (0)).
 */
/* clang-format off */
#define VUFS_WHERE(v, w, mpath)                                         \
	struct vufs *v = vufs_get();                                    \
	struct vufs_where w;                                            \
	if (!v || vufs_where(v, (mpath), &w) < 0)                       \
		return -1
/* clang-format on */

static int vufs_fail(int e)
{
	errno = e;
	return -1;
}

/* The refusals after which mincow copies up and tries again. */
static bool vufs_refused(int e)
{
	return e == EACCES || e == EPERM || e == EROFS;
}

static const char *vufs_lpath(const struct vufs_where *w)
{
	return w->layer == VUFS_L_REAL ? w->rpath : w->vpath;
}

static void vufs_lock(struct vufs *v)
{
	if (vufs_layered(v))
		pthread_mutex_lock(&v->lock);
}

static void vufs_unlock(struct vufs *v)
{
	if (vufs_layered(v))
		pthread_mutex_unlock(&v->lock);
}

/* Run @ret = EXPR with the mount's lock held, keeping errno. */
#define VUFS_LOCKED(v, ret, expr) \
	do {                      \
		int e_;           \
		vufs_lock(v);     \
		ret = (expr);     \
		e_ = errno;       \
		vufs_unlock(v);   \
		errno = e_;       \
	} while (0)

/* ---- making something new ---- */

enum vufs_kind {
	VUFS_K_OPEN,
	VUFS_K_MKDIR,
	VUFS_K_MKNOD,
	VUFS_K_SYMLINK
};

struct vufs_new {
	enum vufs_kind kind;
	int flags;
	mode_t mode;
	dev_t dev;
	const char *target; /* of a symlink */
};

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

/* Make @n at @mpath (nothing there) in the layer the mode says. */
static int vufs_create(struct vufs *v, const char *mpath, struct vufs_where *w,
		       const struct vufs_new *n)
{
	char parent[PATH_MAX];
	struct vufs_where pw;
	int ret;

	if (v->o.ro)
		return vufs_fail(EROFS);
	if (vufs_reserved(mpath))
		return vufs_fail(EPERM);
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

/*
 * Make ready to change the existing @w of @mpath: 0 and w->layer says
 * where (cow copies up), or -1 with errno (EROFS in merge for the virtual
 * layer). mincow leaves REAL: the caller tries it and calls vufs_copyup.
 */
static int vufs_prepare(struct vufs *v, const char *mpath, struct vufs_where *w)
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

/* mincow: after a refusal of the real layer, the copy. */
static int vufs_fallback(struct vufs *v, const char *mpath, struct vufs_where *w, int ret)
{
	if (ret >= 0 || v->o.mode != VUFS_MINCOW || w->layer != VUFS_L_REAL || !vufs_refused(errno))
		return 0;
	if (vufs_copyup(v, mpath) < 0)
		return -1;
	w->layer = VUFS_L_VIRT;
	return 1;
}

/* ---- status ---- */

static struct vufs_file *vufs_fp(void *fdprivate)
{
	return fdprivate;
}

/*
 * Whether a change through an open file goes by its path: on a patchwork
 * mount, where the layer and the record are the path's (the fd may be a
 * real file, or a directory of the virtual layer alone).
 */
static bool vufs_fd_by_path(void *fdprivate)
{
	struct vufs *v = vufs_get();

	(void)fdprivate;
	return v && vufs_layered(v);
}

int vu_vufs_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vufs *v = vufs_get();
	struct vufs_where w;
	struct vufs_vstat vs;

	if (!v)
		return vufs_fail(EINVAL);
	/* an open file is asked by its fd: it may have been renamed or unlinked */
	if (sfd >= 0) {
		if (fstat(sfd, buf) < 0)
			return -1;
	} else {
		if (vufs_where(v, pathname, &w) < 0)
			return -1;
		if (w.layer == VUFS_L_NONE)
			return vufs_fail(w.err);
		*buf = w.st;
	}
	vufs_vstat_get(v, fdprivate ? vufs_fp(fdprivate)->mpath : pathname, &vs);
	vufs_vstat_apply(&vs, buf);
	return 0;
}

int vu_vufs_access(char *path, int mode, int flags)
{
	VUFS_WHERE(v, w, path);

	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	if ((mode & W_OK) && (v->o.ro || (v->o.mode == VUFS_MERGE && w.layer == VUFS_L_VIRT)))
		return vufs_fail(EROFS);
	/* what cow would write is its own copy */
	if (w.layer == VUFS_L_REAL && vufs_writes_src(v) && (mode & W_OK)) {
		if (faccessat(AT_FDCWD, w.rpath, mode, flags | AT_SYMLINK_NOFOLLOW) == 0)
			return 0;
		if (errno != EACCES && errno != EROFS)
			return -1;
		mode &= ~W_OK;
	}
	return faccessat(AT_FDCWD, vufs_lpath(&w), mode, flags | AT_SYMLINK_NOFOLLOW);
}

ssize_t vu_vufs_readlink(char *path, char *buf, size_t bufsiz)
{
	VUFS_WHERE(v, w, path);

	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	return readlink(vufs_lpath(&w), buf, bufsiz);
}

/* ---- open files ---- */

/*
 * An open file keeps a struct vufs_file (and so stays virtual, never
 * passed through) if it is a directory of a patchwork mount (its merged
 * listing), a file written in SOURCE by cow or mincow (fchown, fchmod on
 * it are virtual) or a file with a vstat record (its fstat merges it).
 */
static int vufs_keep(struct vufs *v, const char *mpath, int fd, int flags, void **fdprivate)
{
	struct vufs_vstat vs;
	struct vufs_file *f;
	struct stat st;
	bool dir, keep;

	if (!vufs_layered(v) || fstat(fd, &st) < 0)
		return 0;
	dir = S_ISDIR(st.st_mode);
	keep = dir;
	if (!keep && vufs_writes_src(v)) {
		vufs_vstat_get(v, mpath, &vs);
		keep = vs.mask || (flags & O_ACCMODE) != O_RDONLY;
	}
	if (!keep)
		return 0;
	f = calloc(1, sizeof(*f) + strlen(mpath) + 1);
	if (!f)
		return vufs_fail(ENOMEM);
	f->is_dir = dir;
	strcpy(f->mpath, mpath);
	*fdprivate = f;
	return 0;
}

static int vufs_open_layered(struct vufs *v, const char *mpath, struct vufs_where *w, int flags,
			     mode_t mode)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	struct vufs_new n = { VUFS_K_OPEN, flags, mode, 0, NULL };
	int fd;

	if (w->layer == VUFS_L_NONE) {
		if (w->err != ENOENT || !(flags & O_CREAT))
			return vufs_fail(w->err);
		return vufs_create(v, mpath, w, &n);
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return vufs_fail(EEXIST);
	flags &= ~(O_CREAT | O_EXCL);
	if (!writing)
		return open(vufs_lpath(w), flags | O_CLOEXEC);
	/* a directory opened for writing: the real EISDIR, nothing copied */
	if (S_ISDIR(w->st.st_mode))
		return vufs_fail(v->o.ro ? EROFS : EISDIR);
	if (vufs_prepare(v, mpath, w) < 0)
		return -1;
	fd = open(vufs_lpath(w), flags | O_CLOEXEC);
	if (vufs_fallback(v, mpath, w, fd) > 0)
		fd = open(w->vpath, flags | O_CLOEXEC);
	return fd;
}

int vu_vufs_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	VUFS_WHERE(v, w, pathname);
	int fd;

	if (!vufs_layered(v)) {
		if (v->o.ro && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
			return vufs_fail(EROFS);
		/* the module's fd must not leak into what the daemon runs */
		return open(w.vpath, flags | O_CLOEXEC, mode);
	}
	VUFS_LOCKED(v, fd, vufs_open_layered(v, pathname, &w, flags, mode));
	if (fd >= 0 && vufs_keep(v, pathname, fd, flags, fdprivate) < 0) {
		close(fd);
		return vufs_fail(ENOMEM);
	}
	return fd;
}

int vu_vufs_close(int fd, void *fdprivate)
{
	struct vufs_file *f = fdprivate;

	if (f) {
		vufs_list_free(&f->l);
		free(f);
	}
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

ssize_t vu_vufs_pread64(int fd, void *buf, size_t count, off_t offset, int flags, void *fdprivate)
{
	return pread(fd, buf, count, offset);
}

ssize_t vu_vufs_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			 void *fdprivate)
{
	return pwrite(fd, buf, count, offset);
}

int vu_vufs_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count, void *fdprivate)
{
	struct vufs_file *f = fdprivate;
	struct vufs *v = vufs_get();
	long n;

	if (!f || !f->is_dir || !v)
		return (int)getdents64((int)fd, dirp, count);
	if (!f->listed) {
		off_t pos = f->l.pos;

		vufs_list_free(&f->l);
		if (vufs_merged_list(v, f->mpath, true, &f->l) < 0)
			return -1;
		f->l.pos = pos;
		f->listed = true;
	}
	n = vufs_list_fill(&f->l, dirp, count);
	return (int)n;
}

off_t vu_vufs_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct vufs_file *f = fdprivate;
	off_t pos;

	if (!f || !f->is_dir)
		return lseek(fd, offset, whence);
	/* a directory's offset is an index of its merged listing */
	if (whence == SEEK_SET)
		pos = offset;
	else if (whence == SEEK_CUR)
		pos = f->l.pos + offset;
	else
		return vufs_fail(EINVAL);
	if (pos < 0)
		return vufs_fail(EINVAL);
	/* a rewind lists again, as a real directory shows what is new */
	if (pos == 0)
		f->listed = false;
	f->l.pos = pos;
	return pos;
}

/* ---- removing ---- */

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
	if (vufs_reserved(to))
		return vufs_fail(EPERM);
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
	if (vufs_reserved(to))
		return vufs_fail(EPERM);
	if ((flags & RENAME_NOREPLACE) && wt->layer != VUFS_L_NONE)
		return vufs_fail(EEXIST);
	if ((flags & RENAME_EXCHANGE) && wt->layer == VUFS_L_NONE)
		return vufs_fail(ENOENT);
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

/* ---- changing what is there ---- */

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

int vu_vufs_utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags,
		      int fd, void *fdprivate)
{
	int ret;

	if (fd >= 0 && !vufs_fd_by_path(fdprivate))
		return futimens(fd, times);
	VUFS_WHERE(v, w, pathname);
	vufs_lock(v);
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

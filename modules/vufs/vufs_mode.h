/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufs_mode.h - what the methods of vufs share: finding the mount and the
 * path's layer, the lock, and where the mode sends a change (vufs_mode.c).
 */
#ifndef KMVIEW_MODULES_VUFS_MODE_H
#define KMVIEW_MODULES_VUFS_MODE_H

#include <errno.h>

#include "vufs_dir.h"
#include "vufs_layer.h"

static inline struct vufs *vufs_get(void)
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

static inline int vufs_fail(int e)
{
	errno = e;
	return -1;
}

/* The refusals after which mincow copies up and tries again. */
static inline bool vufs_refused(int e)
{
	return e == EACCES || e == EPERM || e == EROFS;
}

static inline const char *vufs_lpath(const struct vufs_where *w)
{
	return w->layer == VUFS_L_REAL ? w->rpath : w->vpath;
}

static inline void vufs_lock(struct vufs *v)
{
	if (vufs_layered(v))
		pthread_mutex_lock(&v->lock);
}

static inline void vufs_unlock(struct vufs *v)
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

static inline struct vufs_file *vufs_fp(void *fdprivate)
{
	return fdprivate;
}

/*
 * Whether a change through an open file goes by its path: on a patchwork
 * mount, where the layer and the record are the path's (the fd may be a
 * real file, or a directory of the virtual layer alone).
 */
static inline bool vufs_fd_by_path(void *fdprivate)
{
	struct vufs *v = vufs_get();

	(void)fdprivate;
	return v && vufs_layered(v);
}

/* Something new to make (vufs_create). */
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

/* Make @n at @mpath (nothing there) in the layer the mode says: its result, or -1. */
int vufs_create(struct vufs *v, const char *mpath, struct vufs_where *w, const struct vufs_new *n);
/*
 * Make ready to change the existing @w of @mpath: 0 and w->layer says
 * where (cow copies up), or -1 with errno (EROFS in merge for the virtual
 * layer). mincow leaves REAL: the caller tries it, then vufs_fallback.
 */
int vufs_prepare(struct vufs *v, const char *mpath, struct vufs_where *w);
/* mincow: after a refusal (@ret < 0) of the real layer, the copy-up: 1 retry in SOURCE, 0, -1. */
int vufs_fallback(struct vufs *v, const char *mpath, struct vufs_where *w, int ret);

/*
 * Permission checks on the virtual metadata (vufs_perm.c): the owner of
 * SOURCE always passes, anyone else the view makes is checked as the
 * kernel would check its virtual credentials on the merged stat.
 */
#define VUFS_MAY_EXEC 1
#define VUFS_MAY_WRITE 2
#define VUFS_MAY_READ 4
#define VUFS_MAY_REAL_IDS 8 /* access(2): the real ids, not the fs ones */
/* May the caller @mask the existing @w of @mpath? 0, or -1 EACCES. */
int vufs_permit(struct vufs *v, const char *mpath, const struct vufs_where *w, int mask);
/*
 * May it add or remove an entry @mpath in its parent (write and search)?
 * With the entry @victim (NULL: none) in a sticky directory, only its
 * owner, the directory's owner or CAP_FOWNER: EPERM. 0, or -1.
 */
int vufs_permit_parent(struct vufs *v, const char *mpath, const struct vufs_where *victim);
/* Is it the owner of @w (or has CAP_FOWNER)? 0, or -1 EPERM. */
int vufs_permit_owner(struct vufs *v, const char *mpath, const struct vufs_where *w);

#endif /* KMVIEW_MODULES_VUFS_MODE_H */

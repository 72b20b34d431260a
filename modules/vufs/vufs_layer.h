/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufs_layer.h - where a path of a patchwork mount is (vufs_layer.c), its
 * whiteouts and virtual metadata, and the copy-up (vufs_copy.c).
 */
#ifndef KMVIEW_MODULES_VUFS_LAYER_H
#define KMVIEW_MODULES_VUFS_LAYER_H

#include "vufs.h"

enum vufs_layer {
	VUFS_L_NONE,
	VUFS_L_VIRT,
	VUFS_L_REAL
};

struct vufs_where {
	enum vufs_layer layer;
	int err; /* why NONE: ENOENT, ENOTDIR... */
	struct stat st; /* the object in its layer */
	char vpath[PATH_MAX]; /* SOURCE + mpath */
	char rpath[PATH_MAX]; /* the real layer + mpath */
};

/* bind and move have one layer; merge, cow and mincow two. */
static inline bool vufs_layered(const struct vufs *v)
{
	return v->o.mode >= VUFS_MERGE;
}

/* cow and mincow write SOURCE, whiteouts and vstat records. */
static inline bool vufs_writes_src(const struct vufs *v)
{
	return v->o.mode == VUFS_COW || v->o.mode == VUFS_MINCOW;
}

/* Find @mpath: 0 (w->layer NONE with w->err if it is nowhere), or -1 ENAMETOOLONG. */
int vufs_where(struct vufs *v, const char *mpath, struct vufs_where *w);
/* Whether @mpath is deleted in the virtual layer (a whiteout, of it or of an ancestor). */
bool vufs_deleted(struct vufs *v, const char *mpath);
/* Record that @mpath is deleted. */
int vufs_whiteout(struct vufs *v, const char *mpath);
/* Make SRC/.-/@mpath a directory, a whiteout there becoming one for each real entry. */
int vufs_meta_dir(struct vufs *v, const char *mpath);
/* Remove what SRC/.-/ holds for @mpath (a whiteout, or a directory of them), and its vstat. */
int vufs_meta_clear(struct vufs *v, const char *mpath);

/* The vstat record of @mpath into @vs (mask 0 if there is none). */
void vufs_vstat_get(struct vufs *v, const char *mpath, struct vufs_vstat *vs);
/* Lay @add over the record of @mpath (created if need be). */
int vufs_vstat_set(struct vufs *v, const char *mpath, const struct vufs_vstat *add);
void vufs_vstat_drop(struct vufs *v, const char *mpath);
int vufs_vstat_rename(struct vufs *v, const char *from, const char *to);
int vufs_vstat_link(struct vufs *v, const char *from, const char *to);

/* The caller's fs ids (the view's, through unrealuidgid) and the daemon's own. */
void vufs_caller(uid_t *uid, gid_t *gid);
void vufs_self(uid_t *uid, gid_t *gid);

/* The parent of @mpath into @buf ("/" for "/x"). */
void vufs_parent(const char *mpath, char *buf, size_t size);

/*
 * Copy the real object @mpath up into SOURCE (its ancestors first),
 * atomically: 0, or -1 with errno, nothing visible changed.
 */
int vufs_copyup(struct vufs *v, const char *mpath);
/* The same, without the data if not @data (for an open with O_TRUNC). */
int vufs_copyup_data(struct vufs *v, const char *mpath, bool data);
/* Make the directory @mpath exist in SOURCE (copying up the ancestors as need be). */
int vufs_copyup_dir(struct vufs *v, const char *mpath);
/* Copy the merged tree @mpath (a directory) wholly into SOURCE. */
int vufs_copyup_tree(struct vufs *v, const char *mpath);

/* Remove every entry of a directory of SOURCE/.-, recursively, and the directory. */
int vufs_rm_tree(const char *path);

#endif /* KMVIEW_MODULES_VUFS_LAYER_H */

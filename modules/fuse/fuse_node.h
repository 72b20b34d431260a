/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse_node.h - paths to node ids. The protocol names inodes, a module's
 * methods get paths: each call looks its path up from the root, one
 * LOOKUP per component, and forgets what it looked up when it is done
 * (an open file keeps its node until close). No cache: the server's own
 * timeouts never matter, a rename or an unlink elsewhere is seen at once.
 */
#ifndef KMVIEW_FUSE_NODE_H
#define KMVIEW_FUSE_NODE_H

#include "fuse_conn.h"

struct fuse_walk {
	uint64_t ids[16]; /* looked up, to forget; more go at once in batches */
	int n;
	struct fuse_conn *c;
	struct fuse_caller who;
};

void fuse_walk_init(struct fuse_walk *w, struct fuse_conn *c);
/* A node to forget at fuse_walk_done (a lookup count the server gave). */
void fuse_walk_add(struct fuse_walk *w, uint64_t nodeid);
/* Forget every node of @w (one BATCH_FORGET, FORGETs before 7.16). */
void fuse_walk_done(struct fuse_walk *w);
/* Forget the last node added, it stays ours: returns it. */
uint64_t fuse_walk_keep_last(struct fuse_walk *w);

/*
 * fuse_walk_lookup() - the node of @path ("/" is the root, FUSE_ROOT_ID),
 * and its attributes in @attr if not NULL. Returns 0 or -errno.
 */
int fuse_walk_lookup(struct fuse_walk *w, const char *path, uint64_t *nodeid,
		     struct fuse_attr *attr);

/*
 * fuse_walk_parent() - the node of @path's directory, and in *@name its
 * last component (pointing into @path). -EINVAL for the root.
 */
int fuse_walk_parent(struct fuse_walk *w, const char *path, uint64_t *dirid, const char **name);

/* GETATTR of @nodeid (with @fh if @use_fh). */
int fuse_getattr(struct fuse_conn *c, const struct fuse_caller *who, uint64_t nodeid, bool use_fh,
		 uint64_t fh, struct fuse_attr *attr);

#endif

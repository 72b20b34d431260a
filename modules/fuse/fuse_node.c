// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_node.c - see fuse_node.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "fuse_mod.h"
#include "fuse_node.h"

void fuse_walk_init(struct fuse_walk *w, struct fuse_conn *c)
{
	w->n = 0;
	w->c = c;
	fuse_who(&w->who);
}

static void forget(struct fuse_walk *w)
{
	struct fuse_batch_forget_in bi = { .count = (uint32_t)w->n };
	struct fuse_forget_one one[16];
	int i;

	if (w->n == 0)
		return;
	if (w->c->minor >= 16) {
		struct iovec iov[2] = { { &bi, sizeof(bi) }, { one, sizeof(one[0]) * w->n } };

		for (i = 0; i < w->n; i++) {
			one[i].nodeid = w->ids[i];
			one[i].nlookup = 1;
		}
		fuse_conn_send(w->c, FUSE_BATCH_FORGET, 0, &w->who, iov, 2);
	} else {
		for (i = 0; i < w->n; i++) {
			struct fuse_forget_in fi = { .nlookup = 1 };
			struct iovec iov = { &fi, sizeof(fi) };

			fuse_conn_send(w->c, FUSE_FORGET, w->ids[i], &w->who, &iov, 1);
		}
	}
	w->n = 0;
}

void fuse_walk_add(struct fuse_walk *w, uint64_t nodeid)
{
	if (nodeid == FUSE_ROOT_ID || nodeid == 0)
		return;
	if (w->n == (int)(sizeof(w->ids) / sizeof(w->ids[0])))
		forget(w);
	w->ids[w->n++] = nodeid;
}

void fuse_walk_done(struct fuse_walk *w)
{
	forget(w);
}

uint64_t fuse_walk_keep_last(struct fuse_walk *w)
{
	return w->n ? w->ids[--w->n] : FUSE_ROOT_ID;
}

int fuse_getattr(struct fuse_conn *c, const struct fuse_caller *who, uint64_t nodeid, bool use_fh,
		 uint64_t fh, struct fuse_attr *attr)
{
	struct fuse_getattr_in in = { .getattr_flags = use_fh ? FUSE_GETATTR_FH : 0, .fh = fh };
	struct iovec iov = { &in, sizeof(in) };
	struct fuse_attr_out out;
	size_t len = 0;
	int err = fuse_conn_call(c, FUSE_GETATTR, nodeid, who, &iov, 1, &out, sizeof(out), &len);

	if (err)
		return err;
	if (len < sizeof(out))
		return -EIO;
	*attr = out.attr;
	return 0;
}

/* LOOKUP of @name in @dir, len bytes of it. */
static int lookup(struct fuse_walk *w, uint64_t dir, const char *name, size_t len,
		  uint64_t *nodeid, struct fuse_attr *attr)
{
	char nm[NAME_MAX + 2];
	struct iovec iov = { nm, len + 1 };
	struct fuse_entry_out eo;
	size_t olen = 0;
	int err;

	if (len > NAME_MAX)
		return -ENAMETOOLONG;
	memcpy(nm, name, len);
	nm[len] = 0;
	err = fuse_conn_call(w->c, FUSE_LOOKUP, dir, &w->who, &iov, 1, &eo, sizeof(eo), &olen);
	if (err)
		return err;
	if (olen < sizeof(eo))
		return -EIO;
	/* nodeid 0: a negative entry, no reference taken */
	if (eo.nodeid == 0)
		return -ENOENT;
	fuse_walk_add(w, eo.nodeid);
	if (eo.nodeid == FUSE_ROOT_ID)
		return -EIO; /* the root is nobody's child */
	*nodeid = eo.nodeid;
	if (attr)
		*attr = eo.attr;
	return 0;
}

/* Walk @len bytes of @path from the root. */
static int walk(struct fuse_walk *w, const char *path, size_t len, uint64_t *nodeid,
		struct fuse_attr *attr)
{
	uint64_t cur = FUSE_ROOT_ID;
	size_t pos = 0;
	int err;

	while (pos < len && path[pos] == '/')
		pos++;
	if (pos >= len) {
		*nodeid = FUSE_ROOT_ID;
		return attr ? fuse_getattr(w->c, &w->who, FUSE_ROOT_ID, false, 0, attr) : 0;
	}
	while (pos < len) {
		size_t end = pos;
		bool last;

		while (end < len && path[end] != '/')
			end++;
		last = end >= len;
		err = lookup(w, cur, path + pos, end - pos, &cur, last ? attr : NULL);
		if (err)
			return err;
		pos = end;
		while (pos < len && path[pos] == '/')
			pos++;
	}
	*nodeid = cur;
	return 0;
}

int fuse_walk_lookup(struct fuse_walk *w, const char *path, uint64_t *nodeid,
		     struct fuse_attr *attr)
{
	return walk(w, path, strlen(path), nodeid, attr);
}

int fuse_walk_parent(struct fuse_walk *w, const char *path, uint64_t *dirid, const char **name)
{
	const char *slash = strrchr(path, '/');

	if (!slash || slash[1] == 0)
		return -EINVAL;
	*name = slash + 1;
	return walk(w, path, (size_t)(slash - path), dirid, NULL);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* vufuseext2: extended attributes, through libext2fs' ext2fs_xattrs_* handles. */
#include <errno.h>
#include <string.h>
#include <sys/xattr.h>
#include "fe2.h"

/* Open path's xattrs, read. */
static int xopen(struct fe2 *e, const char *path, ext2_ino_t *ino, struct ext2_xattr_handle **h)
{
	int ret = fe2_lookup(e->fs, path, ino);

	if (ret)
		return ret;
	if (!ext2fs_has_feature_xattr(e->fs->super))
		return -EOPNOTSUPP;
	ret = fe2_err(ext2fs_xattrs_open(e->fs, *ino, h));
	if (ret)
		return ret;
	ret = fe2_err(ext2fs_xattrs_read(*h));
	if (ret)
		ext2fs_xattrs_close(h);
	return ret;
}

static void stamp_ctime(ext2_filsys fs, ext2_ino_t ino)
{
	struct ext2_inode_large in;

	if (fe2_read_inode(fs, ino, &in) == 0) {
		fe2_set_times(fs, &in, FE2_CTIME, NULL);
		fe2_write_inode(fs, ino, &in);
	}
}

int fe2_getxattr(const char *path, const char *name, char *value, size_t size)
{
	struct fe2 *e = fe2_get();
	struct ext2_xattr_handle *h;
	void *val = NULL;
	size_t len = 0;
	ext2_ino_t ino;
	int ret = xopen(e, path, &ino, &h);

	if (ret)
		goto out;
	ret = fe2_err(ext2fs_xattr_get(h, name, &val, &len));
	if (!ret) {
		if (size == 0)
			ret = (int)len;
		else if (len > size)
			ret = -ERANGE;
		else {
			memcpy(value, val, len);
			ret = (int)len;
		}
		ext2fs_free_mem(&val);
	}
	ext2fs_xattrs_close(&h);
out:
	fe2_put(e);
	return ret;
}

int fe2_setxattr(const char *path, const char *name, const char *value, size_t size, int flags)
{
	struct fe2 *e = fe2_get();
	struct ext2_xattr_handle *h;
	void *val = NULL;
	size_t len;
	ext2_ino_t ino;
	bool had;
	int ret = e->rw ? xopen(e, path, &ino, &h) : -EROFS;

	if (ret)
		goto out;
	had = ext2fs_xattr_get(h, name, &val, &len) == 0;
	if (had)
		ext2fs_free_mem(&val);
	if ((flags & XATTR_CREATE) && had)
		ret = -EEXIST;
	else if ((flags & XATTR_REPLACE) && !had)
		ret = -ENODATA;
	else
		ret = fe2_err(ext2fs_xattr_set(h, name, value, size));
	if (!ret)
		ret = fe2_err(ext2fs_xattrs_close(&h));
	else
		ext2fs_xattrs_close(&h);
	if (!ret)
		stamp_ctime(e->fs, ino);
out:
	fe2_put(e);
	return ret;
}

struct list {
	char *buf;
	size_t size, used;
};

static int list_proc(char *name, char *value, size_t value_len, void *data)
{
	struct list *l = data;
	size_t n = strlen(name) + 1;

	if (l->size && l->used + n <= l->size)
		memcpy(l->buf + l->used, name, n);
	l->used += n;
	return 0;
}

int fe2_listxattr(const char *path, char *list, size_t size)
{
	struct fe2 *e = fe2_get();
	struct ext2_xattr_handle *h;
	struct list l = { list, size, 0 };
	ext2_ino_t ino;
	int ret = xopen(e, path, &ino, &h);

	if (ret == -EOPNOTSUPP)
		ret = 0; /* no xattrs at all: an empty list */
	else if (!ret) {
		ret = fe2_err(ext2fs_xattrs_iterate(h, list_proc, &l));
		ext2fs_xattrs_close(&h);
		if (!ret)
			ret = (size && l.used > size) ? -ERANGE : (int)l.used;
	}
	fe2_put(e);
	return ret;
}

int fe2_removexattr(const char *path, const char *name)
{
	struct fe2 *e = fe2_get();
	struct ext2_xattr_handle *h;
	void *val = NULL;
	size_t len;
	ext2_ino_t ino;
	int ret = e->rw ? xopen(e, path, &ino, &h) : -EROFS;

	if (ret)
		goto out;
	/* libext2fs says nothing when the name is not there: ask first */
	ret = fe2_err(ext2fs_xattr_get(h, name, &val, &len));
	if (!ret) {
		ext2fs_free_mem(&val);
		ret = fe2_err(ext2fs_xattr_remove(h, name));
	}
	if (!ret)
		ret = fe2_err(ext2fs_xattrs_close(&h));
	else
		ext2fs_xattrs_close(&h);
	if (!ret)
		stamp_ctime(e->fs, ino);
out:
	fe2_put(e);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* vufuseext2: directories (opendir, readdir, mkdir, rmdir). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "fe2.h"

int fe2_opendir(const char *path, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret = fe2_lookup(e->fs, path, &ino);

	if (!ret)
		ret = fe2_read_inode(e->fs, ino, &in);
	if (!ret && !LINUX_S_ISDIR(in.i_mode))
		ret = -ENOTDIR;
	if (!ret)
		fi->fh = ino;
	fe2_put(e);
	return ret;
}

int fe2_releasedir(const char *path, struct fuse_file_info *fi)
{
	return 0;
}

/*
 * The offset of an entry is its place in the directory file (block number
 * and offset in the block, plus one): an entry never moves when others are
 * added or removed, so a listing continued at an offset is right.
 */
struct rd {
	void *buf;
	fuse_fill_dir_t filler;
	off_t from;
	unsigned int block;
	int last;
	bool full;
};

static const mode_t ft_mode[] = {
	[EXT2_FT_REG_FILE] = S_IFREG, [EXT2_FT_DIR] = S_IFDIR,	[EXT2_FT_CHRDEV] = S_IFCHR,
	[EXT2_FT_BLKDEV] = S_IFBLK,   [EXT2_FT_FIFO] = S_IFIFO, [EXT2_FT_SOCK] = S_IFSOCK,
	[EXT2_FT_SYMLINK] = S_IFLNK,
};

static int rd_proc(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset, int blocksize,
		   char *buf, void *priv)
{
	struct rd *r = priv;
	char name[EXT2_NAME_LEN + 1];
	struct stat st;
	int len, ft;
	off_t pos;

	/* With DIRENT_FLAG_INCLUDE_EMPTY every block starts at offset 0. */
	if (offset <= r->last && r->last >= 0)
		r->block++;
	r->last = offset;
	if (de->inode == 0)
		return 0;
	pos = (off_t)r->block * blocksize + offset + 1;
	if (pos <= r->from)
		return 0;
	len = ext2fs_dirent_name_len(de);
	memcpy(name, de->name, len);
	name[len] = '\0';
	memset(&st, 0, sizeof(st));
	st.st_ino = de->inode;
	ft = ext2fs_dirent_file_type(de);
	if (ft > 0 && ft < (int)(sizeof(ft_mode) / sizeof(ft_mode[0])))
		st.st_mode = ft_mode[ft];
	if (r->filler(r->buf, name, &st, pos, 0)) {
		r->full = true;
		return DIRENT_ABORT;
	}
	return 0;
}

int fe2_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
		struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct fe2 *e = fe2_get();
	struct rd r = { buf, filler, off, 0, -1, false };
	ext2_ino_t ino;
	int ret = 0;

	if (fi && fi->fh)
		ino = (ext2_ino_t)fi->fh;
	else
		ret = fe2_lookup(e->fs, path, &ino);
	if (!ret)
		ret = fe2_err(fe2_dir_iterate(e->fs, ino, DIRENT_FLAG_INCLUDE_EMPTY, rd_proc, &r));
	fe2_put(e);
	return ret;
}

/* New objects take the group of a set-group-ID directory, as on Linux. */
void fe2_inherit_owner(ext2_filsys fs, ext2_ino_t dir, struct ext2_inode_large *in)
{
	struct fuse_context *ctx = fuse_get_context();
	struct ext2_inode_large pin;
	gid_t gid = ctx->gid;

	if (fe2_read_inode(fs, dir, &pin) == 0 && (pin.i_mode & S_ISGID)) {
		gid = inode_gid(pin);
		if (LINUX_S_ISDIR(in->i_mode))
			in->i_mode |= S_ISGID;
	}
	fe2_set_owner(in, ctx->uid, gid);
}

int fe2_mkdir(const char *path, mode_t mode)
{
	struct fe2 *e = fe2_get();
	ext2_filsys fs = e->fs;
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	ret = e->rw ? fe2_parent(fs, path, &dir, &name) : -EROFS;
	if (ret)
		goto out;
	if (ext2fs_lookup(fs, dir, name, strlen(name), NULL, &ino) == 0) {
		ret = -EEXIST;
		goto out;
	}
	ret = fe2_dir_make_room(fs, dir, strlen(name));
	if (!ret)
		ret = fe2_err(ext2fs_mkdir(fs, dir, 0, name));
	if (!ret)
		ret = fe2_err(ext2fs_lookup(fs, dir, name, strlen(name), NULL, &ino));
	if (!ret)
		ret = fe2_read_inode(fs, ino, &in);
	if (ret)
		goto out;
	in.i_mode = LINUX_S_IFDIR | (mode & 07777);
	fe2_inherit_owner(fs, dir, &in);
	fe2_set_times(fs, &in, FE2_ATIME | FE2_MTIME | FE2_CTIME | FE2_CRTIME, NULL);
	ret = fe2_write_inode(fs, ino, &in);
	fe2_touch_dir(fs, dir);
out:
	fe2_put(e);
	return ret;
}

int fe2_rmdir(const char *path)
{
	struct fe2 *e = fe2_get();
	ext2_filsys fs = e->fs;
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	ret = e->rw ? fe2_parent(fs, path, &dir, &name) : -EROFS;
	if (!ret)
		ret = fe2_err(ext2fs_lookup(fs, dir, name, strlen(name), NULL, &ino));
	if (!ret)
		ret = fe2_read_inode(fs, ino, &in);
	if (ret)
		goto out;
	if (!LINUX_S_ISDIR(in.i_mode)) {
		ret = -ENOTDIR;
		goto out;
	}
	ret = fe2_dir_is_empty(fs, ino);
	if (ret <= 0) {
		ret = ret ? ret : -ENOTEMPTY;
		goto out;
	}
	ret = fe2_err(ext2fs_unlink(fs, dir, name, ino, 0));
	if (!ret)
		ret = fe2_drop_link(fs, ino);
	if (!ret && fe2_read_inode(fs, dir, &in) == 0) {
		/* the child's ".." is gone; a count of 1 means "too many to count" */
		if (in.i_links_count > 2)
			in.i_links_count--;
		fe2_set_times(fs, &in, FE2_MTIME | FE2_CTIME, NULL);
		ret = fe2_write_inode(fs, dir, &in);
	}
out:
	fe2_put(e);
	return ret;
}

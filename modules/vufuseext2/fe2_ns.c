// SPDX-License-Identifier: GPL-2.0-or-later
/* vufuseext2: names (mknod, unlink, rename, link, symlink, readlink). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include "fe2.h"

static int exists(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t *ino)
{
	ext2_ino_t tmp;
	errcode_t err = ext2fs_lookup(fs, dir, name, strlen(name), NULL, ino ? ino : &tmp);

	if (err == EXT2_ET_FILE_NOT_FOUND)
		return 0;
	return err ? fe2_err(err) : 1;
}

static void set_rdev(struct ext2_inode_large *in, dev_t rdev)
{
	unsigned int ma = major(rdev), mi = minor(rdev);

	if (ma < 256 && mi < 256) {
		in->i_block[0] = (ma << 8) | mi;
		in->i_block[1] = 0;
	} else {
		in->i_block[0] = 0;
		in->i_block[1] = (mi & 0xff) | (ma << 8) | ((mi & ~0xffu) << 12);
	}
}

int fe2_new_node(ext2_filsys fs, const char *path, mode_t mode, dev_t rdev, ext2_ino_t *ino)
{
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir;
	int ret;

	ret = fe2_parent(fs, path, &dir, &name);
	if (ret)
		return ret;
	ret = exists(fs, dir, name, NULL);
	if (ret)
		return ret < 0 ? ret : -EEXIST;
	/* no fe2_dir_make_room: fe2_add_link expands the directory itself, and a failed link is undone below */
	ret = fe2_err(ext2fs_new_inode(fs, dir, mode, NULL, ino));
	if (ret)
		return ret;
	memset(&in, 0, sizeof(in));
	in.i_mode = mode;
	in.i_links_count = 1;
	fe2_inherit_owner(fs, dir, &in);
	if (LINUX_S_ISCHR(mode) || LINUX_S_ISBLK(mode)) {
		set_rdev(&in, rdev);
	} else if (LINUX_S_ISREG(mode) && ext2fs_has_feature_extents(fs->super)) {
		ext2_extent_handle_t h;

		/* an empty extent tree: the header goes into i_block */
		in.i_flags |= EXT4_EXTENTS_FL;
		ret = fe2_err(ext2fs_extent_open2(fs, *ino, (struct ext2_inode *)&in, &h));
		if (ret)
			return ret;
		ext2fs_extent_free(h);
	}
	/* extra_isize first: it says which time fields have nanoseconds */
	if (EXT2_INODE_SIZE(fs->super) > EXT2_GOOD_OLD_INODE_SIZE)
		in.i_extra_isize = sizeof(in) - EXT2_GOOD_OLD_INODE_SIZE;
	fe2_set_times(fs, &in, FE2_ATIME | FE2_MTIME | FE2_CTIME | FE2_CRTIME, NULL);
	ret = fe2_write_new_inode(fs, *ino, &in);
	if (ret)
		return ret;
	ext2fs_inode_alloc_stats2(fs, *ino, +1, 0);
	ret = fe2_add_link(fs, dir, name, *ino, mode);
	if (ret) {
		in.i_links_count = 0;
		fe2_write_inode(fs, *ino, &in);
		ext2fs_inode_alloc_stats2(fs, *ino, -1, 0);
	}
	return ret;
}

int fe2_mknod(const char *path, mode_t mode, dev_t rdev)
{
	struct fe2 *e = fe2_get();
	ext2_ino_t ino;
	int ret;

	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		ret = e->rw ? fe2_new_node(e->fs, path, mode, rdev, &ino) : -EROFS;
		break;
	default:
		ret = -EINVAL;
	}
	fe2_put(e);
	return ret;
}

int fe2_unlink(const char *path)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	ret = e->rw ? fe2_parent(e->fs, path, &dir, &name) : -EROFS;
	if (!ret)
		ret = fe2_err(ext2fs_lookup(e->fs, dir, name, strlen(name), NULL, &ino));
	if (!ret)
		ret = fe2_read_inode(e->fs, ino, &in);
	if (!ret && LINUX_S_ISDIR(in.i_mode))
		ret = -EISDIR;
	if (!ret)
		ret = fe2_err(ext2fs_unlink(e->fs, dir, name, ino, 0));
	if (!ret) {
		fe2_touch_dir(e->fs, dir);
		ret = fe2_drop_link(e->fs, ino);
	}
	fe2_put(e);
	return ret;
}

/* Is dir inside (or) the directory anc? Walks up by "..". */
static int is_under(ext2_filsys fs, ext2_ino_t dir, ext2_ino_t anc)
{
	for (int depth = 0; depth < 4096; depth++) {
		ext2_ino_t up;

		if (dir == anc)
			return 1;
		if (dir == EXT2_ROOT_INO)
			return 0;
		if (ext2fs_lookup(fs, dir, "..", 2, NULL, &up))
			return -EIO;
		dir = up;
	}
	return -ELOOP;
}

static int dotdot_proc(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
		       int blocksize, char *buf, void *priv)
{
	if (ext2fs_dirent_name_len(de) == 2 && de->name[0] == '.' && de->name[1] == '.') {
		de->inode = *(ext2_ino_t *)priv;
		return DIRENT_CHANGED | DIRENT_ABORT;
	}
	return 0;
}

static int add_dir_links(ext2_filsys fs, ext2_ino_t dir, int delta)
{
	struct ext2_inode_large in;
	int ret = fe2_read_inode(fs, dir, &in);

	if (ret)
		return ret;
	if (delta < 0 && in.i_links_count > 2)
		in.i_links_count--;
	else if (delta > 0 && in.i_links_count > 1 && in.i_links_count < EXT2_LINK_MAX)
		in.i_links_count++;
	else if (delta > 0 && in.i_links_count >= EXT2_LINK_MAX)
		in.i_links_count = 1; /* dir_nlink: too many to count */
	fe2_set_times(fs, &in, FE2_MTIME | FE2_CTIME, NULL);
	return fe2_write_inode(fs, dir, &in);
}

int fe2_rename(const char *from, const char *to, unsigned int flags)
{
	struct fe2 *e = fe2_get();
	ext2_filsys fs = e->fs;
	struct ext2_inode_large fin, tin;
	const char *fname, *tname;
	ext2_ino_t fdir, tdir, fino, tino = 0;
	bool isdir;
	int ret;

	if (!e->rw) {
		ret = -EROFS;
		goto out;
	}
	if (flags & ~RENAME_NOREPLACE) {
		ret = -EINVAL; /* RENAME_EXCHANGE, RENAME_WHITEOUT: not supported */
		goto out;
	}
	ret = fe2_parent(fs, from, &fdir, &fname);
	if (!ret)
		ret = fe2_parent(fs, to, &tdir, &tname);
	if (!ret)
		ret = fe2_err(ext2fs_lookup(fs, fdir, fname, strlen(fname), NULL, &fino));
	if (!ret)
		ret = fe2_read_inode(fs, fino, &fin);
	if (ret)
		goto out;
	isdir = LINUX_S_ISDIR(fin.i_mode);
	ret = exists(fs, tdir, tname, &tino);
	if (ret < 0)
		goto out;
	if (ret) {
		if (flags & RENAME_NOREPLACE) {
			ret = -EEXIST;
			goto out;
		}
		if (tino == fino) { /* two names of one inode: nothing to do */
			ret = 0;
			goto out;
		}
		ret = fe2_read_inode(fs, tino, &tin);
		if (ret)
			goto out;
		if (isdir && !LINUX_S_ISDIR(tin.i_mode)) {
			ret = -ENOTDIR;
			goto out;
		}
		if (!isdir && LINUX_S_ISDIR(tin.i_mode)) {
			ret = -EISDIR;
			goto out;
		}
		if (LINUX_S_ISDIR(tin.i_mode)) {
			ret = fe2_dir_is_empty(fs, tino);
			if (ret <= 0) {
				ret = ret ? ret : -ENOTEMPTY;
				goto out;
			}
		}
	} else {
		tino = 0;
	}
	if (isdir) {
		ret = is_under(fs, tdir, fino);
		if (ret) {
			ret = ret > 0 ? -EINVAL : ret;
			goto out;
		}
	}
	if (tino) {
		ret = fe2_err(ext2fs_unlink(fs, tdir, tname, tino, 0));
		if (!ret)
			ret = fe2_drop_link(fs, tino);
		if (!ret && isdir)
			ret = add_dir_links(fs, tdir, -1);
		if (ret)
			goto out;
	}
	ret = fe2_add_link(fs, tdir, tname, fino, fin.i_mode);
	if (!ret)
		ret = fe2_err(ext2fs_unlink(fs, fdir, fname, fino, 0));
	if (ret)
		goto out;
	fe2_touch_dir(fs, fdir);
	if (isdir && fdir != tdir) {
		ret = fe2_err(fe2_dir_iterate(fs, fino, 0, dotdot_proc, &tdir));
		if (!ret)
			ret = add_dir_links(fs, fdir, -1);
		if (!ret)
			ret = add_dir_links(fs, tdir, +1);
	}
	if (!ret && fe2_read_inode(fs, fino, &fin) == 0) {
		fe2_set_times(fs, &fin, FE2_CTIME, NULL);
		ret = fe2_write_inode(fs, fino, &fin);
	}
out:
	fe2_put(e);
	return ret;
}

int fe2_link(const char *from, const char *to)
{
	struct fe2 *e = fe2_get();
	ext2_filsys fs = e->fs;
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	ret = e->rw ? fe2_lookup(fs, from, &ino) : -EROFS;
	if (!ret)
		ret = fe2_read_inode(fs, ino, &in);
	if (!ret && LINUX_S_ISDIR(in.i_mode))
		ret = -EPERM;
	if (!ret && in.i_links_count >= EXT2_LINK_MAX)
		ret = -EMLINK;
	if (!ret)
		ret = fe2_parent(fs, to, &dir, &name);
	if (!ret) {
		ret = exists(fs, dir, name, NULL);
		if (ret > 0)
			ret = -EEXIST;
	}
	if (!ret)
		ret = fe2_add_link(fs, dir, name, ino, in.i_mode);
	if (!ret) {
		in.i_links_count++;
		fe2_set_times(fs, &in, FE2_CTIME, NULL);
		ret = fe2_write_inode(fs, ino, &in);
	}
	fe2_put(e);
	return ret;
}

int fe2_symlink(const char *target, const char *path)
{
	struct fe2 *e = fe2_get();
	ext2_filsys fs = e->fs;
	struct ext2_inode_large in;
	const char *name;
	ext2_ino_t dir, ino;
	int ret;

	ret = e->rw ? fe2_parent(fs, path, &dir, &name) : -EROFS;
	if (!ret && strlen(target) >= fs->blocksize)
		ret = -ENAMETOOLONG;
	if (!ret) {
		ret = exists(fs, dir, name, NULL);
		if (ret > 0)
			ret = -EEXIST;
	}
	if (!ret)
		ret = fe2_dir_make_room(fs, dir, strlen(name));
	if (!ret)
		ret = fe2_err(ext2fs_symlink(fs, dir, 0, name, target));
	if (!ret)
		ret = fe2_err(ext2fs_lookup(fs, dir, name, strlen(name), NULL, &ino));
	if (!ret)
		ret = fe2_read_inode(fs, ino, &in);
	if (!ret) {
		fe2_inherit_owner(fs, dir, &in);
		in.i_mode &= ~S_ISGID;
		fe2_set_times(fs, &in, FE2_ATIME | FE2_MTIME | FE2_CTIME | FE2_CRTIME, NULL);
		ret = fe2_write_inode(fs, ino, &in);
		fe2_touch_dir(fs, dir);
	}
	fe2_put(e);
	return ret;
}

int fe2_readlink(const char *path, char *buf, size_t size)
{
	struct fe2 *e = fe2_get();
	ext2_filsys fs = e->fs;
	struct ext2_inode_large in;
	ext2_ino_t ino;
	size_t len;
	int ret;

	ret = fe2_lookup(fs, path, &ino);
	if (!ret)
		ret = fe2_read_inode(fs, ino, &in);
	if (!ret && !LINUX_S_ISLNK(in.i_mode))
		ret = -EINVAL;
	if (ret || size == 0)
		goto out;
	len = EXT2_I_SIZE(&in);
	if (len > size - 1)
		len = size - 1;
	if (ext2fs_is_fast_symlink((struct ext2_inode *)&in)) {
		memcpy(buf, (char *)in.i_block, len);
	} else {
		/* a slow symlink (block-mapped, extent or inline data): read it as a file */
		ext2_file_t f;
		unsigned int got = 0;
		errcode_t err = ext2fs_file_open2(fs, ino, (struct ext2_inode *)&in, 0, &f);

		if (!err) {
			err = ext2fs_file_read(f, buf, len, &got);
			ext2fs_file_close(f);
		}
		ret = fe2_err(err);
		len = got;
	}
	if (!ret)
		buf[len] = '\0';
out:
	fe2_put(e);
	return ret;
}

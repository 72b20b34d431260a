// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuseext2: regular files (open, create, read, write, truncate, fsync).
 * fh is the inode number; each read or write opens libext2fs' file for the
 * call, so two handles of one inode never hold different copies of it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include "fe2.h"

static int check_open(struct fe2 *e, ext2_ino_t ino, int flags)
{
	struct ext2_inode_large in;
	int ret = fe2_read_inode(e->fs, ino, &in);

	if (ret)
		return ret;
	if (LINUX_S_ISDIR(in.i_mode) && (flags & O_ACCMODE) != O_RDONLY)
		return -EISDIR;
	if ((flags & O_ACCMODE) != O_RDONLY && !e->rw)
		return -EROFS;
	return 0;
}

/* Set the size of ino; stamps mtime and ctime. */
static int set_size(ext2_filsys fs, ext2_ino_t ino, off_t size)
{
	struct ext2_inode_large in;
	ext2_file_t f;
	errcode_t err, err2;
	int ret;

	err = ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f);
	if (err)
		return fe2_err(err);
	err = ext2fs_file_set_size2(f, size);
	err2 = ext2fs_file_close(f);
	if (err || err2)
		return fe2_err(err ? err : err2);
	ret = fe2_read_inode(fs, ino, &in);
	if (!ret) {
		fe2_set_times(fs, &in, FE2_MTIME | FE2_CTIME, NULL);
		ret = fe2_write_inode(fs, ino, &in);
	}
	return ret;
}

int fe2_open_op(const char *path, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	ext2_ino_t ino;
	int ret = fe2_lookup(e->fs, path, &ino);

	if (!ret)
		ret = check_open(e, ino, fi->flags);
	if (!ret && (fi->flags & O_TRUNC) && (fi->flags & O_ACCMODE) != O_RDONLY)
		ret = set_size(e->fs, ino, 0);
	if (!ret)
		fi->fh = ino;
	fe2_put(e);
	return ret;
}

int fe2_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	ext2_ino_t ino;
	int ret = e->rw ? fe2_new_node(e->fs, path, LINUX_S_IFREG | (mode & 07777), 0, &ino) :
			  -EROFS;

	if (ret == -EEXIST && !(fi->flags & O_EXCL)) {
		/* lost a race with another creator: open what is there */
		ret = fe2_lookup(e->fs, path, &ino);
		if (!ret)
			ret = check_open(e, ino, fi->flags);
	}
	if (!ret)
		fi->fh = ino;
	fe2_put(e);
	return ret;
}

static int inode_of(struct fe2 *e, const char *path, struct fuse_file_info *fi, ext2_ino_t *ino)
{
	if (fi && fi->fh) {
		*ino = (ext2_ino_t)fi->fh;
		return 0;
	}
	return fe2_lookup(e->fs, path, ino);
}

int fe2_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	unsigned int got;
	size_t done = 0;
	ext2_file_t f;
	ext2_ino_t ino;
	errcode_t err;
	int ret;

	ret = inode_of(e, path, fi, &ino);
	if (!ret)
		ret = fe2_read_inode(e->fs, ino, &in);
	if (ret)
		goto out;
	if (!(in.i_flags & EXT4_INLINE_DATA_FL)) {
		ret = fe2_read_mapped(e->fs, ino, &in, buf, size, off);
		goto out;
	}
	/* inline data: the file API knows where it is */
	err = ext2fs_file_open2(e->fs, ino, (struct ext2_inode *)&in, 0, &f);
	if (err) {
		ret = fe2_err(err);
		goto out;
	}
	err = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
	while (!err && done < size) {
		err = ext2fs_file_read(f, buf + done, size - done, &got);
		if (got == 0)
			break;
		done += got;
	}
	ext2fs_file_close(f);
	ret = err ? fe2_err(err) : (int)done;
out:
	fe2_put(e);
	return ret;
}

/* Write through libext2fs' file calls (block by block); returns bytes or -errno. */
int fe2_write_file(ext2_filsys fs, ext2_ino_t ino, const char *buf, size_t size, off_t off)
{
	unsigned int put;
	size_t done = 0;
	ext2_file_t f;
	errcode_t err, err2;
	__u64 end = (__u64)off + size, cur;

	err = ext2fs_file_open(fs, ino, EXT2_FILE_WRITE, &f);
	if (err)
		return fe2_err(err);
	err = ext2fs_file_llseek(f, off, EXT2_SEEK_SET, NULL);
	while (!err && done < size) {
		err = ext2fs_file_write(f, buf + done, size - done, &put);
		if (put == 0)
			break;
		done += put;
	}
	/* a write past the end makes the file longer */
	end = (__u64)off + done;
	if (!err && done && ext2fs_file_get_lsize(f, &cur) == 0 && cur < end)
		err = ext2fs_file_set_size2(f, end);
	err2 = ext2fs_file_close(f);
	if (!err)
		err = err2;
	if (err && done == 0)
		return fe2_err(err);
	return (int)done;
}

/* A partial block at either end through the file calls, whole blocks by the map. */
static int write_range(ext2_filsys fs, ext2_ino_t ino, const char *buf, size_t size, off_t off)
{
	unsigned int bs = fs->blocksize;
	size_t done = 0, head = 0, mid, into = (size_t)(off % bs);
	int ret;

	if (into)
		head = size < bs - into ? size : bs - into;
	if (head) {
		ret = fe2_write_file(fs, ino, buf, head, off);
		if (ret < (int)head)
			return ret;
		done = head;
	}
	mid = (size - done) / bs * bs;
	if (mid) {
		ret = fe2_write_mapped(fs, ino, buf + done, mid, off + done);
		if (ret < 0)
			return done ? (int)done : ret;
		done += ret;
		if ((size_t)ret < mid)
			return (int)done;
	}
	if (done < size) {
		ret = fe2_write_file(fs, ino, buf + done, size - done, off + done);
		if (ret < 0)
			return done ? (int)done : ret;
		done += ret;
	}
	return (int)done;
}

int fe2_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret, done;

	ret = e->rw ? inode_of(e, path, fi, &ino) : -EROFS;
	if (ret)
		goto out;
	done = write_range(e->fs, ino, buf, size, off);
	if (done <= 0) {
		ret = done;
		goto out;
	}
	ret = fe2_read_inode(e->fs, ino, &in);
	if (!ret) {
		fe2_set_times(e->fs, &in, FE2_MTIME | FE2_CTIME, NULL);
		/* a write by someone else drops set-user-ID, as the kernel does */
		if (fuse_get_context()->uid != 0)
			in.i_mode &= ~(S_ISUID | ((in.i_mode & S_IXGRP) ? S_ISGID : 0));
		ret = fe2_write_inode(e->fs, ino, &in);
	}
	if (!ret)
		ret = done;
out:
	fe2_put(e);
	return ret;
}

int fe2_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret;

	ret = e->rw ? inode_of(e, path, fi, &ino) : -EROFS;
	if (!ret)
		ret = fe2_read_inode(e->fs, ino, &in);
	if (!ret && LINUX_S_ISDIR(in.i_mode))
		ret = -EISDIR;
	else if (!ret && !LINUX_S_ISREG(in.i_mode))
		ret = -EINVAL;
	if (!ret && size < 0)
		ret = -EINVAL;
	if (!ret)
		ret = set_size(e->fs, ino, size);
	fe2_put(e);
	return ret;
}

int fe2_release(const char *path, struct fuse_file_info *fi)
{
	return 0;
}

/* Everything is written back: libext2fs keeps no per-file dirty state between calls. */
int fe2_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	int ret = fe2_flush(e);

	fe2_put(e);
	return ret;
}

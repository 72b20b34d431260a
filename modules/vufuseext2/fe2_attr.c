// SPDX-License-Identifier: GPL-2.0-or-later
/* vufuseext2: inode attributes (stat, chmod, chown, utimens, access, statfs). */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include "fe2.h"

/* Device numbers: the old 8:8 form in i_block[0], else the new one in i_block[1]. */
static dev_t inode_rdev(const struct ext2_inode_large *in)
{
	__u32 old = in->i_block[0], new = in->i_block[1];

	if (old)
		return makedev((old >> 8) & 0xff, old & 0xff);
	return makedev((new & 0xfff00) >> 8, (new & 0xff) | ((new >> 12) & 0xfff00));
}

static void fill_stat(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_ino = ino;
	st->st_mode = in->i_mode;
	st->st_nlink = in->i_links_count;
	st->st_uid = inode_uid(*in);
	st->st_gid = inode_gid(*in);
	st->st_size = EXT2_I_SIZE(in);
	st->st_blksize = fs->blocksize;
	st->st_blocks = ext2fs_get_stat_i_blocks(fs, (struct ext2_inode *)in);
	if (LINUX_S_ISCHR(in->i_mode) || LINUX_S_ISBLK(in->i_mode))
		st->st_rdev = inode_rdev(in);
	fe2_get_time(in, FE2_ATIME, &st->st_atim);
	fe2_get_time(in, FE2_MTIME, &st->st_mtim);
	fe2_get_time(in, FE2_CTIME, &st->st_ctim);
}

int fe2_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret = 0;

	if (fi && fi->fh)
		ino = (ext2_ino_t)fi->fh;
	else
		ret = fe2_lookup(e->fs, path, &ino);
	if (!ret)
		ret = fe2_read_inode(e->fs, ino, &in);
	if (!ret)
		fill_stat(e->fs, ino, &in, st);
	fe2_put(e);
	return ret;
}

/* The inode of path (or of the open file), read, for the setattr family. */
static int attr_begin(struct fe2 *e, const char *path, struct fuse_file_info *fi, ext2_ino_t *ino,
		      struct ext2_inode_large *in)
{
	int ret = 0;

	if (!e->rw)
		return -EROFS;
	if (fi && fi->fh)
		*ino = (ext2_ino_t)fi->fh;
	else
		ret = fe2_lookup(e->fs, path, ino);
	if (!ret)
		ret = fe2_read_inode(e->fs, *ino, in);
	return ret;
}

int fe2_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret = attr_begin(e, path, fi, &ino, &in);

	if (!ret) {
		in.i_mode = (in.i_mode & LINUX_S_IFMT) | (mode & 07777);
		fe2_set_times(e->fs, &in, FE2_CTIME, NULL);
		ret = fe2_write_inode(e->fs, ino, &in);
	}
	fe2_put(e);
	return ret;
}

int fe2_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret = attr_begin(e, path, fi, &ino, &in);

	if (!ret) {
		fe2_set_owner(&in, uid == (uid_t)-1 ? inode_uid(in) : uid,
			      gid == (gid_t)-1 ? inode_gid(in) : gid);
		/* As the kernel does: a chown of a non-directory drops set-id bits. */
		if (!LINUX_S_ISDIR(in.i_mode))
			in.i_mode &= ~(S_ISUID | ((in.i_mode & S_IXGRP) ? S_ISGID : 0));
		fe2_set_times(e->fs, &in, FE2_CTIME, NULL);
		ret = fe2_write_inode(e->fs, ino, &in);
	}
	fe2_put(e);
	return ret;
}

int fe2_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi)
{
	struct fe2 *e = fe2_get();
	struct ext2_inode_large in;
	struct timespec now;
	ext2_ino_t ino;
	int ret = attr_begin(e, path, fi, &ino, &in);

	if (!ret) {
		fe2_now(&now);
		for (int i = 0; i < 2; i++) {
			const struct timespec *t = tv ? &tv[i] : &now;

			if (t->tv_nsec == UTIME_OMIT)
				continue;
			fe2_set_times(e->fs, &in, i ? FE2_MTIME : FE2_ATIME,
				      t->tv_nsec == UTIME_NOW ? &now : t);
		}
		fe2_set_times(e->fs, &in, FE2_CTIME, &now);
		ret = fe2_write_inode(e->fs, ino, &in);
	}
	fe2_put(e);
	return ret;
}

int fe2_access(const char *path, int mask)
{
	struct fe2 *e = fe2_get();
	struct fuse_context *ctx = fuse_get_context();
	struct ext2_inode_large in;
	ext2_ino_t ino;
	int ret, bits;

	ret = fe2_lookup(e->fs, path, &ino);
	if (!ret)
		ret = fe2_read_inode(e->fs, ino, &in);
	if (ret || mask == F_OK)
		goto out;
	if ((mask & W_OK) && !e->rw) {
		ret = -EROFS;
		goto out;
	}
	if (ctx->uid == 0) {
		/* root may do anything but execute what nobody may execute */
		if ((mask & X_OK) && !LINUX_S_ISDIR(in.i_mode) && !(in.i_mode & 0111))
			ret = -EACCES;
		goto out;
	}
	if (ctx->uid == inode_uid(in))
		bits = (in.i_mode >> 6) & 7;
	else if (ctx->gid == inode_gid(in))
		bits = (in.i_mode >> 3) & 7;
	else
		bits = in.i_mode & 7;
	if ((mask & bits) != mask)
		ret = -EACCES;
out:
	fe2_put(e);
	return ret;
}

int fe2_statfs(const char *path, struct statvfs *sv)
{
	struct fe2 *e = fe2_get();
	struct ext2_super_block *sb = e->fs->super;
	blk64_t free = ext2fs_free_blocks_count(sb), resv = ext2fs_r_blocks_count(sb);

	memset(sv, 0, sizeof(*sv));
	sv->f_bsize = e->fs->blocksize;
	sv->f_frsize = e->fs->blocksize;
	sv->f_blocks = ext2fs_blocks_count(sb);
	sv->f_bfree = free;
	sv->f_bavail = free > resv ? free - resv : 0;
	sv->f_files = sb->s_inodes_count;
	sv->f_ffree = sb->s_free_inodes_count;
	sv->f_favail = sb->s_free_inodes_count;
	memcpy(&sv->f_fsid, sb->s_uuid, sizeof(sv->f_fsid));
	sv->f_namemax = EXT2_NAME_LEN;
	if (!e->rw)
		sv->f_flag |= ST_RDONLY;
	fe2_put(e);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* vufuseext2: helpers the op files share (errors, paths, inodes, times, links). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include "fe2.h"

struct fe2 *fe2_get(void)
{
	struct fe2 *e = fuse_get_context()->private_data;

	pthread_mutex_lock(&e->lock);
	return e;
}

void fe2_put(struct fe2 *e)
{
	pthread_mutex_unlock(&e->lock);
}

/* libext2fs returns errno values as they are and its own codes (com_err) above them. */
int fe2_err(errcode_t err)
{
	if (err == 0)
		return 0;
	if (err > 0 && err < 4096)
		return -(int)err;
	switch (err) {
	case EXT2_ET_FILE_NOT_FOUND:
		return -ENOENT;
	case EXT2_ET_DIR_EXISTS:
		return -EEXIST;
	case EXT2_ET_NO_DIRECTORY:
		return -ENOTDIR;
	case EXT2_ET_RO_FILSYS:
		return -EROFS;
	case EXT2_ET_NO_MEMORY:
		return -ENOMEM;
	case EXT2_ET_BLOCK_ALLOC_FAIL:
	case EXT2_ET_INODE_ALLOC_FAIL:
	case EXT2_ET_DIR_NO_SPACE:
	case EXT2_ET_EA_NO_SPACE:
	case EXT2_ET_INLINE_DATA_NO_SPACE:
		return -ENOSPC;
	case EXT2_ET_FILE_TOO_BIG:
	case EXT2_ET_EXTENT_NOT_SUPPORTED:
		return -EFBIG;
	case EXT2_ET_EA_KEY_NOT_FOUND:
		return -ENODATA;
	case EXT2_ET_UNIMPLEMENTED:
	case EXT2_ET_OP_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case EXT2_ET_TOO_MANY_REFS:
		return -EMLINK;
	default:
		return -EIO;
	}
}

int fe2_lookup(ext2_filsys fs, const char *path, ext2_ino_t *ino)
{
	if (strlen(path) >= 4096)
		return -ENAMETOOLONG;
	return fe2_err(ext2fs_namei(fs, EXT2_ROOT_INO, EXT2_ROOT_INO, path, ino));
}

int fe2_parent(ext2_filsys fs, const char *path, ext2_ino_t *dir, const char **name)
{
	const char *slash = strrchr(path, '/');
	size_t plen;
	char *p;
	int ret;

	if (!slash)
		return -EINVAL;
	*name = slash + 1;
	if (**name == '\0')
		return -EINVAL;
	if (strlen(*name) > EXT2_NAME_LEN)
		return -ENAMETOOLONG;
	plen = (size_t)(slash - path);
	if (plen == 0) {
		*dir = EXT2_ROOT_INO;
		return 0;
	}
	p = strndup(path, plen);
	if (!p)
		return -ENOMEM;
	ret = fe2_lookup(fs, p, dir);
	free(p);
	if (ret == 0) {
		struct ext2_inode_large in;

		ret = fe2_read_inode(fs, *dir, &in);
		if (ret == 0 && !LINUX_S_ISDIR(in.i_mode))
			ret = -ENOTDIR;
	}
	return ret;
}

int fe2_read_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	memset(in, 0, sizeof(*in));
	return fe2_err(ext2fs_read_inode_full(fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

int fe2_write_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	return fe2_err(ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)in, sizeof(*in)));
}

int fe2_write_new_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	size_t isz = EXT2_INODE_SIZE(fs->super);
	struct ext2_inode_large *buf;
	errcode_t err;

	if (isz < sizeof(*in))
		isz = sizeof(*in);
	buf = calloc(1, isz);
	if (!buf)
		return -ENOMEM;
	if (EXT2_INODE_SIZE(fs->super) > EXT2_GOOD_OLD_INODE_SIZE)
		in->i_extra_isize = sizeof(*in) - EXT2_GOOD_OLD_INODE_SIZE;
	else
		in->i_extra_isize = 0;
	memcpy(buf, in, sizeof(*in));
	err = ext2fs_write_inode_full(fs, ino, (struct ext2_inode *)buf,
				      EXT2_INODE_SIZE(fs->super));
	free(buf);
	return fe2_err(err);
}

void fe2_now(struct timespec *ts)
{
	clock_gettime(CLOCK_REALTIME, ts);
}

/* ext4 keeps nanoseconds and two more epoch bits in the *_extra fields. */
static __u32 encode_extra(const struct timespec *ts)
{
	__u32 epoch = (__u32)(((__s64)ts->tv_sec - (__s32)ts->tv_sec) >> 32) & EXT4_EPOCH_MASK;

	return epoch | ((__u32)ts->tv_nsec << EXT4_EPOCH_BITS);
}

static void decode(__u32 lo, __u32 extra, bool has_extra, struct timespec *ts)
{
	ts->tv_sec = (__s32)lo;
	ts->tv_nsec = 0;
	if (has_extra) {
		ts->tv_sec += (__s64)(extra & EXT4_EPOCH_MASK) << 32;
		ts->tv_nsec = extra >> EXT4_EPOCH_BITS;
	}
}

#define HAS(in, field)          \
	((in)->i_extra_isize && \
	 inode_includes((in)->i_extra_isize + EXT2_GOOD_OLD_INODE_SIZE, field))

void fe2_set_times(ext2_filsys fs, struct ext2_inode_large *in, int which,
		   const struct timespec *ts)
{
	struct timespec now;

	(void)fs;
	if (!ts) {
		fe2_now(&now);
		ts = &now;
	}
	if (which & FE2_ATIME) {
		in->i_atime = (__u32)ts->tv_sec;
		if (HAS(in, i_atime_extra))
			in->i_atime_extra = encode_extra(ts);
	}
	if (which & FE2_MTIME) {
		in->i_mtime = (__u32)ts->tv_sec;
		if (HAS(in, i_mtime_extra))
			in->i_mtime_extra = encode_extra(ts);
	}
	if (which & FE2_CTIME) {
		in->i_ctime = (__u32)ts->tv_sec;
		if (HAS(in, i_ctime_extra))
			in->i_ctime_extra = encode_extra(ts);
	}
	if ((which & FE2_CRTIME) && HAS(in, i_crtime_extra)) {
		in->i_crtime = (__u32)ts->tv_sec;
		in->i_crtime_extra = encode_extra(ts);
	}
}

void fe2_get_time(const struct ext2_inode_large *in, int which, struct timespec *ts)
{
	switch (which) {
	case FE2_ATIME:
		decode(in->i_atime, in->i_atime_extra, HAS(in, i_atime_extra), ts);
		break;
	case FE2_MTIME:
		decode(in->i_mtime, in->i_mtime_extra, HAS(in, i_mtime_extra), ts);
		break;
	case FE2_CTIME:
		decode(in->i_ctime, in->i_ctime_extra, HAS(in, i_ctime_extra), ts);
		break;
	default:
		decode(in->i_crtime, in->i_crtime_extra, HAS(in, i_crtime_extra), ts);
		break;
	}
}

void fe2_touch_dir(ext2_filsys fs, ext2_ino_t dir)
{
	struct ext2_inode_large in;

	if (fe2_read_inode(fs, dir, &in) == 0) {
		fe2_set_times(fs, &in, FE2_MTIME | FE2_CTIME, NULL);
		fe2_write_inode(fs, dir, &in);
	}
}

int fe2_ftype(int mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return EXT2_FT_REG_FILE;
	case S_IFDIR:
		return EXT2_FT_DIR;
	case S_IFLNK:
		return EXT2_FT_SYMLINK;
	case S_IFCHR:
		return EXT2_FT_CHRDEV;
	case S_IFBLK:
		return EXT2_FT_BLKDEV;
	case S_IFIFO:
		return EXT2_FT_FIFO;
	case S_IFSOCK:
		return EXT2_FT_SOCK;
	default:
		return EXT2_FT_UNKNOWN;
	}
}

void fe2_set_owner(struct ext2_inode_large *in, uid_t uid, gid_t gid)
{
	in->i_uid = uid & 0xffff;
	ext2fs_set_i_uid_high(*in, uid >> 16);
	in->i_gid = gid & 0xffff;
	ext2fs_set_i_gid_high(*in, gid >> 16);
}

errcode_t fe2_dir_iterate(ext2_filsys fs, ext2_ino_t dir, int flags,
			  int (*fn)(ext2_ino_t, int, struct ext2_dir_entry *, int, int, char *,
				    void *),
			  void *priv)
{
	struct ext2_inode_large in;

	/* libext2fs wants the inline flag for inline directories, and refuses it for others */
	if (fe2_read_inode(fs, dir, &in) == 0 && (in.i_flags & EXT4_INLINE_DATA_FL))
		flags |= DIRENT_FLAG_INCLUDE_INLINE_DATA;
	return ext2fs_dir_iterate2(fs, dir, flags, NULL, fn, priv);
}

struct room {
	ext2_filsys fs;
	unsigned int need;
	bool found;
};

static int room_proc(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
		     int blocksize, char *buf, void *priv)
{
	struct room *r = priv;
	unsigned int rec_len, used;

	if (ext2fs_get_rec_len(r->fs, de, &rec_len))
		return DIRENT_ABORT;
	used = de->inode ? EXT2_DIR_REC_LEN(ext2fs_dirent_name_len(de)) : 0;
	if (rec_len >= used + r->need) {
		r->found = true;
		return DIRENT_ABORT;
	}
	return 0;
}

/*
 * ext2fs_mkdir and ext2fs_symlink allocate before they link: make sure the
 * link will fit first, so that a full directory never leaks an inode.
 */
int fe2_dir_make_room(ext2_filsys fs, ext2_ino_t dir, size_t len)
{
	struct room r = { fs, EXT2_DIR_REC_LEN(len), false };
	errcode_t err;

	err = fe2_dir_iterate(fs, dir, DIRENT_FLAG_INCLUDE_EMPTY, room_proc, &r);
	if (err)
		return fe2_err(err);
	if (r.found)
		return 0;
	return fe2_err(ext2fs_expand_dir(fs, dir));
}

int fe2_add_link(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino, int mode)
{
	errcode_t err = ext2fs_link(fs, dir, name, ino, fe2_ftype(mode));

	if (err == EXT2_ET_DIR_NO_SPACE) {
		err = ext2fs_expand_dir(fs, dir);
		if (!err)
			err = ext2fs_link(fs, dir, name, ino, fe2_ftype(mode));
	}
	if (!err)
		fe2_touch_dir(fs, dir);
	return fe2_err(err);
}

struct release {
	blk64_t last_cluster;
	bool any;
};

static int release_proc(ext2_filsys fs, blk64_t *blk, e2_blkcnt_t cnt, blk64_t ref_blk, int ref_off,
			void *priv)
{
	struct release *r = priv;
	blk64_t cluster = EXT2FS_B2C(fs, *blk);

	/* bigalloc: a cluster is freed once, for all of its blocks */
	if (r->any && cluster == r->last_cluster)
		return 0;
	r->any = true;
	r->last_cluster = cluster;
	ext2fs_block_alloc_stats2(fs, *blk, -1);
	return 0;
}

/*
 * Give back every block of an inode that is going away: data, indirect and
 * extent tree blocks. Not ext2fs_punch: on a full file system it can fail
 * halfway through a deep extent tree (it may need a block to split one).
 */
static int release_blocks(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in)
{
	struct release r = { 0, false };
	errcode_t err;

	err = ext2fs_block_iterate3(fs, ino, BLOCK_FLAG_READ_ONLY, NULL, release_proc, &r);
	if (err)
		return fe2_err(err);
	memset(in->i_block, 0, sizeof(in->i_block));
	if (in->i_flags & EXT4_EXTENTS_FL) {
		ext2_extent_handle_t h;

		/* an empty tree, as a truncated inode has */
		if (ext2fs_extent_open2(fs, ino, (struct ext2_inode *)in, &h) == 0)
			ext2fs_extent_free(h);
	}
	ext2fs_iblk_set(fs, (struct ext2_inode *)in, 0);
	in->i_size = 0;
	in->i_size_high = 0;
	return 0;
}

int fe2_drop_link(ext2_filsys fs, ext2_ino_t ino)
{
	struct ext2_inode_large in;
	struct timespec now;
	bool dir;
	int ret;

	ret = fe2_read_inode(fs, ino, &in);
	if (ret)
		return ret;
	dir = LINUX_S_ISDIR(in.i_mode);
	fe2_now(&now);
	if (!dir && in.i_links_count > 1) {
		in.i_links_count--;
		fe2_set_times(fs, &in, FE2_CTIME, &now);
		return fe2_write_inode(fs, ino, &in);
	}
	/* The last link: give back the xattr block, the data blocks, the inode. */
	if (ext2fs_file_acl_block(fs, (struct ext2_inode *)&in)) {
		ret = fe2_err(ext2fs_free_ext_attr(fs, ino, &in));
		if (ret)
			return ret;
		ret = fe2_read_inode(fs, ino, &in);
		if (ret)
			return ret;
	}
	if (ext2fs_inode_has_valid_blocks2(fs, (struct ext2_inode *)&in)) {
		ret = release_blocks(fs, ino, &in);
		if (ret)
			return ret;
	}
	in.i_links_count = 0;
	in.i_dtime = (__u32)now.tv_sec;
	fe2_set_times(fs, &in, FE2_CTIME, &now);
	ret = fe2_write_inode(fs, ino, &in);
	if (ret)
		return ret;
	ext2fs_inode_alloc_stats2(fs, ino, -1, dir);
	return 0;
}

static int empty_proc(ext2_ino_t dir, int entry, struct ext2_dir_entry *de, int offset,
		      int blocksize, char *buf, void *priv)
{
	int len = ext2fs_dirent_name_len(de);

	if (de->inode == 0)
		return 0;
	if ((len == 1 && de->name[0] == '.') ||
	    (len == 2 && de->name[0] == '.' && de->name[1] == '.'))
		return 0;
	*(int *)priv = 0;
	return DIRENT_ABORT;
}

int fe2_dir_is_empty(ext2_filsys fs, ext2_ino_t dir)
{
	int empty = 1;
	errcode_t err = fe2_dir_iterate(fs, dir, 0, empty_proc, &empty);

	if (err)
		return fe2_err(err);
	return empty;
}

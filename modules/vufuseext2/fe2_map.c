// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuseext2: reading a file by its block map. libext2fs' file API reads
 * one block per call to the device; here the blocks that are contiguous on
 * disk (an extent, or a run of a block-mapped file) are read in one.
 * Holes and unwritten extents read as zeros. Whole blocks are written the
 * same way, after ext2fs_fallocate has given the range initialized blocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fe2.h"
#include <ext2fs/ext3_extents.h>

/* The run at lblk: its first physical block (0 = hole or unwritten), its length. */
static errcode_t map_run(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in,
			 ext2_extent_handle_t h, blk64_t lblk, blk64_t want, blk64_t *pblk,
			 blk64_t *len)
{
	struct ext2fs_extent ext;
	errcode_t err;
	int flags = 0;

	if (h) {
		err = ext2fs_extent_goto2(h, 0, lblk);
		if (err == EXT2_ET_EXTENT_NOT_FOUND) {
			*pblk = 0;
			*len = 1;
			return 0;
		}
		if (!err)
			err = ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &ext);
		if (err)
			return err;
		if (lblk < ext.e_lblk || lblk >= ext.e_lblk + ext.e_len) {
			*pblk = 0;
			*len = 1;
			return 0;
		}
		*len = ext.e_lblk + ext.e_len - lblk;
		*pblk = (ext.e_flags & EXT2_EXTENT_FLAGS_UNINIT) ? 0 :
								   ext.e_pblk + (lblk - ext.e_lblk);
		return 0;
	}
	err = ext2fs_bmap2(fs, ino, (struct ext2_inode *)in, NULL, 0, lblk, &flags, pblk);
	if (err)
		return err;
	if (flags & BMAP_RET_UNINIT)
		*pblk = 0;
	*len = 1;
	/* extend a mapped run while the next block follows on disk */
	while (*pblk && *len < want) {
		blk64_t next;

		flags = 0;
		if (ext2fs_bmap2(fs, ino, (struct ext2_inode *)in, NULL, 0, lblk + *len, &flags,
				 &next) ||
		    next != *pblk + *len || (flags & BMAP_RET_UNINIT))
			break;
		(*len)++;
	}
	return 0;
}

/* Read up to size bytes at off; returns the count (short at EOF) or -errno. */
int fe2_read_mapped(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in, char *buf,
		    size_t size, off_t off)
{
	__u64 isize = EXT2_I_SIZE(in);
	unsigned int bs = fs->blocksize;
	ext2_extent_handle_t h = NULL;
	char *tmp = NULL;
	size_t done = 0;
	errcode_t err = 0;

	if ((__u64)off >= isize)
		return 0;
	if (size > isize - off)
		size = isize - off;
	if (in->i_flags & EXT4_EXTENTS_FL) {
		err = ext2fs_extent_open2(fs, ino, (struct ext2_inode *)in, &h);
		if (err)
			return fe2_err(err);
	}
	while (!err && done < size) {
		__u64 pos = off + done;
		blk64_t lblk = pos / bs, pblk, len;
		size_t boff = pos % bs, bytes;

		err = map_run(fs, ino, in, h, lblk, (boff + size - done + bs - 1) / bs, &pblk,
			      &len);
		if (err)
			break;
		bytes = len * bs - boff;
		if (bytes > size - done)
			bytes = size - done;
		if (!pblk) {
			memset(buf + done, 0, bytes);
		} else if (boff == 0 && bytes % bs == 0) {
			err = io_channel_read_blk64(fs->io, pblk, bytes / bs, buf + done);
		} else {
			/* a partial block at either end: through a bounce buffer */
			size_t nblk = (boff + bytes + bs - 1) / bs;

			tmp = realloc(tmp, nblk * bs);
			if (!tmp) {
				err = ENOMEM;
				break;
			}
			err = io_channel_read_blk64(fs->io, pblk, nblk, tmp);
			if (!err)
				memcpy(buf + done, tmp + boff, bytes);
		}
		if (!err)
			done += bytes;
	}
	free(tmp);
	if (h)
		ext2fs_extent_free(h);
	return err ? fe2_err(err) : (int)done;
}

/*
 * fallocate makes a new extent for each call, even right after the last
 * one on disk: a file written 128 KiB at a time would have thousands. Join
 * the extent that starts at lblk to the one before it when they touch,
 * logically and on disk. The right one goes first, so that a failure
 * leaves no overlap (at worst blocks e2fsck gives back).
 */
static void merge_left(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in, blk64_t lblk)
{
	struct ext2fs_extent cur, prev;
	ext2_extent_handle_t h;
	__u32 max;

	if (!(in->i_flags & EXT4_EXTENTS_FL) || lblk == 0 ||
	    ext2fs_extent_open2(fs, ino, (struct ext2_inode *)in, &h))
		return;
	if (ext2fs_extent_goto2(h, 0, lblk - 1) ||
	    ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &prev) ||
	    ext2fs_extent_get(h, EXT2_EXTENT_NEXT_LEAF, &cur))
		goto out;
	max = (cur.e_flags & EXT2_EXTENT_FLAGS_UNINIT) ? EXT_UNINIT_MAX_LEN : EXT_INIT_MAX_LEN;
	if (cur.e_lblk != lblk || prev.e_lblk + prev.e_len != lblk ||
	    prev.e_pblk + prev.e_len != cur.e_pblk ||
	    ((prev.e_flags ^ cur.e_flags) & EXT2_EXTENT_FLAGS_UNINIT) ||
	    prev.e_len + cur.e_len > max)
		goto out;
	if (ext2fs_extent_delete(h, 0) || ext2fs_extent_fix_parents(h))
		goto out;
	if (ext2fs_extent_goto2(h, 0, prev.e_lblk) ||
	    ext2fs_extent_get(h, EXT2_EXTENT_CURRENT, &prev))
		goto out;
	prev.e_len += cur.e_len;
	ext2fs_extent_replace(h, 0, &prev);
out:
	ext2fs_extent_free(h);
}

/*
 * Write whole blocks (off and size multiples of the block size): allocate
 * the range, then write each run in one device write. What the map does not
 * show as written blocks (an unwritten extent that fallocate left) goes
 * through the file calls. Returns the bytes written or -errno.
 */
int fe2_write_mapped(ext2_filsys fs, ext2_ino_t ino, const char *buf, size_t size, off_t off)
{
	unsigned int bs = fs->blocksize;
	struct ext2_inode_large in;
	ext2_extent_handle_t h = NULL;
	blk64_t lblk = off / bs, nblk = size / bs, done = 0;
	errcode_t err;
	int ret;

	ret = fe2_read_inode(fs, ino, &in);
	if (ret)
		return ret;
	/*
	 * Near a full file system the file calls, block by block: an extent
	 * tree that fallocate cannot grow is left inconsistent on ENOSPC.
	 */
	if ((in.i_flags & EXT4_INLINE_DATA_FL) ||
	    ext2fs_free_blocks_count(fs->super) < EXT2FS_C2B(fs, 2 * nblk + 256))
		return fe2_write_file(fs, ino, buf, size, off);
	err = ext2fs_fallocate(fs, EXT2_FALLOCATE_FORCE_INIT | EXT2_FALLOCATE_INIT_BEYOND_EOF, ino,
			       (struct ext2_inode *)&in, ~0ULL, lblk, nblk);
	/* fallocate changed the inode in memory, even when it failed */
	ret = fe2_write_inode(fs, ino, &in);
	if (err || ret)
		return err ? fe2_err(err) : ret;
	merge_left(fs, ino, &in, lblk);
	while (done < nblk) {
		blk64_t pblk, len;

		if (!h && (in.i_flags & EXT4_EXTENTS_FL)) {
			err = ext2fs_extent_open2(fs, ino, (struct ext2_inode *)&in, &h);
			if (err)
				break;
		}
		err = map_run(fs, ino, &in, h, lblk + done, nblk - done, &pblk, &len);
		if (err)
			break;
		if (len > nblk - done)
			len = nblk - done;
		if (pblk) {
			err = io_channel_write_blk64(fs->io, pblk, len, buf + done * bs);
			if (err)
				break;
		} else {
			/* the file calls change the inode: take it again after them */
			if (h)
				ext2fs_extent_free(h);
			h = NULL;
			ret = fe2_write_file(fs, ino, buf + done * bs, len * bs, off + done * bs);
			if (ret < 0 || fe2_read_inode(fs, ino, &in)) {
				err = ret < 0 ? (errcode_t)-ret : EIO;
				break;
			}
		}
		done += len;
	}
	if (h)
		ext2fs_extent_free(h);
	if (done && (__u64)off + done * bs > EXT2_I_SIZE(&in)) {
		errcode_t serr = ext2fs_inode_size_set(fs, (struct ext2_inode *)&in,
						       off + done * bs);

		ret = serr ? fe2_err(serr) : fe2_write_inode(fs, ino, &in);
		if (ret)
			return ret;
	}
	if (err && done == 0)
		return fe2_err(err);
	return (int)(done * bs);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_proto.c - see fuse_proto.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <string.h>

#include "fuse_proto.h"

#ifndef FUSE_SUPER_MAGIC
#define FUSE_SUPER_MAGIC 0x65735546
#endif

void fuse_proto_init_in(struct fuse_init_in *in)
{
	memset(in, 0, sizeof(*in));
	in->major = FUSE_KERNEL_VERSION;
	in->minor = FUSE_PROTO_MINOR;
	in->max_readahead = FUSE_PROTO_IO_MAX;
	in->flags = FUSE_PROTO_FLAGS;
}

int fuse_proto_init_reply(const void *buf, size_t len, struct fuse_proto_init *neg)
{
	struct fuse_init_out out;

	memset(&out, 0, sizeof(out));
	if (len < 8)
		return -EPROTO;
	memcpy(&out, buf, len < sizeof(out) ? len : sizeof(out));
	if (out.major != FUSE_KERNEL_VERSION || out.minor < FUSE_PROTO_MINOR_MIN)
		return -EPROTO;
	/* before 7.23 the reply ends at max_write (FUSE_COMPAT_22_INIT_OUT_SIZE) */
	if (out.minor >= 5 && len < FUSE_COMPAT_22_INIT_OUT_SIZE)
		return -EPROTO;
	neg->minor = out.minor < FUSE_PROTO_MINOR ? out.minor : FUSE_PROTO_MINOR;
	neg->flags = out.flags & FUSE_PROTO_FLAGS;
	neg->max_write = out.max_write;
	if (neg->max_write < 4096)
		neg->max_write = 4096;
	if (neg->max_write > FUSE_PROTO_IO_MAX)
		neg->max_write = FUSE_PROTO_IO_MAX;
	return 0;
}

void fuse_proto_attr2stat(const struct fuse_attr *a, uint64_t dev, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = dev;
	st->st_ino = a->ino;
	st->st_mode = a->mode;
	st->st_nlink = a->nlink;
	st->st_uid = a->uid;
	st->st_gid = a->gid;
	st->st_rdev = a->rdev;
	st->st_size = (off_t)a->size;
	st->st_blksize = a->blksize ? a->blksize : 4096;
	st->st_blocks = (blkcnt_t)a->blocks;
	st->st_atim.tv_sec = (time_t)a->atime;
	st->st_atim.tv_nsec = a->atimensec;
	st->st_mtim.tv_sec = (time_t)a->mtime;
	st->st_mtim.tv_nsec = a->mtimensec;
	st->st_ctim.tv_sec = (time_t)a->ctime;
	st->st_ctim.tv_nsec = a->ctimensec;
}

void fuse_proto_statfs(const struct fuse_kstatfs *k, struct statfs *st)
{
	memset(st, 0, sizeof(*st));
	st->f_type = FUSE_SUPER_MAGIC;
	st->f_bsize = k->bsize;
	st->f_frsize = k->frsize ? k->frsize : k->bsize;
	st->f_blocks = k->blocks;
	st->f_bfree = k->bfree;
	st->f_bavail = k->bavail;
	st->f_files = k->files;
	st->f_ffree = k->ffree;
	st->f_namelen = k->namelen;
}

/* linux_dirent64's layout: ino, off, reclen, type, name. */
#define D64_NAME offsetof(struct dirent64, d_name)

long fuse_proto_dirents(const void *in, size_t inlen, void *out, size_t outsize,
			uint64_t *next)
{
	const char *p = in;
	char *o = out;
	size_t used = 0, pos = 0;

	while (inlen - pos >= FUSE_NAME_OFFSET) {
		struct fuse_dirent fd;
		struct dirent64 *d;
		size_t rec, reclen;

		memcpy(&fd, p + pos, FUSE_NAME_OFFSET);
		if (fd.namelen == 0 || fd.namelen > 1024)
			return -EIO;
		rec = FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + fd.namelen);
		if (FUSE_NAME_OFFSET + fd.namelen > inlen - pos)
			return -EIO;
		if (memchr(p + pos + FUSE_NAME_OFFSET, '/', fd.namelen) ||
		    memchr(p + pos + FUSE_NAME_OFFSET, 0, fd.namelen))
			return -EIO;
		reclen = (D64_NAME + fd.namelen + 1 + 7) & ~(size_t)7;
		if (reclen > outsize - used) {
			return used ? (long)used : -EINVAL;
		}
		d = (struct dirent64 *)(o + used);
		memset(d, 0, reclen);
		d->d_ino = fd.ino;
		d->d_off = (int64_t)fd.off;
		d->d_reclen = (unsigned short)reclen;
		d->d_type = (unsigned char)fd.type;
		memcpy(d->d_name, p + pos + FUSE_NAME_OFFSET, fd.namelen);
		used += reclen;
		*next = fd.off;
		pos += rec > inlen - pos ? inlen - pos : rec;
	}
	if (pos != inlen)
		return -EIO;
	return (long)used;
}

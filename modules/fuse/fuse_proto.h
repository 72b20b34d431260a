/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse_proto.h - encoding and decoding of the FUSE protocol's messages
 * that need more than a struct copy: INIT's negotiation, directory
 * entries, attributes and statfs. Pure: unit tested on the host.
 */
#ifndef KMVIEW_FUSE_PROTO_H
#define KMVIEW_FUSE_PROTO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <linux/fuse.h>

/*
 * The protocol we speak: 7.13. A server answers with its own minor, and
 * both sides use the smaller. From 7.14 on libfuse3 reads its requests
 * with splice(2) from /dev/fuse into a pipe once INIT is done, which a
 * virtual /dev/fuse cannot serve (the hypervisor refuses a splice of a
 * virtual file): the server's loop would end at its first such read.
 * 7.13 has every request this module sends but BATCH_FORGET (7.16: one
 * FORGET each) and RENAME2 (7.23: rename with flags is ENOSYS).
 * Below 7.12 the requests' layouts differ: such a server is refused.
 */
#define FUSE_PROTO_MINOR 13
#define FUSE_PROTO_MINOR_MIN 12
/* What we tell a server we do: the flags we implement, nothing more. */
#define FUSE_PROTO_FLAGS (FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_PARALLEL_DIROPS)
/* The largest READ or WRITE we send (the hypervisor moves 256 KiB per call). */
#define FUSE_PROTO_IO_MAX (128 * 1024)

/* The INIT request's arguments (fuse_init_in, 7.36's size, flags2 0). */
void fuse_proto_init_in(struct fuse_init_in *in);

struct fuse_proto_init {
	uint32_t minor, flags, max_write;
};

/*
 * fuse_proto_init_reply() - the server's fuse_init_out (@len bytes, as
 * short as 7.5's 8). Returns 0 with @neg filled (minor the smaller of
 * the two, flags only those we offered, max_write at least 4096 and at
 * most FUSE_PROTO_IO_MAX), or -EPROTO for a version we cannot speak.
 */
int fuse_proto_init_reply(const void *buf, size_t len, struct fuse_proto_init *neg);

/* fuse_attr to struct stat; @dev is the mount's st_dev. */
void fuse_proto_attr2stat(const struct fuse_attr *a, uint64_t dev, struct stat *st);

/* fuse_kstatfs to struct statfs (f_type FUSE_SUPER_MAGIC). */
void fuse_proto_statfs(const struct fuse_kstatfs *k, struct statfs *st);

/*
 * fuse_proto_dirents() - the fuse_dirent records of a READDIR reply
 * (@in, @inlen bytes) as linux_dirent64 records into @out (@outsize).
 * Stops at the first that does not fit. Returns the bytes written, *@next
 * the offset to ask for next (the last record's off; unchanged if none),
 * or -EIO for a malformed reply, -EINVAL if the first does not fit.
 */
long fuse_proto_dirents(const void *in, size_t inlen, void *out, size_t outsize,
			uint64_t *next);

#endif

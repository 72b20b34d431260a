// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fuse_proto.c - INIT's negotiation with libfuse2's and libfuse3's
 * answers, directory entries, attributes.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "fuse_proto.h"
#include "tap.h"

/* One fuse_dirent record, padded, at @p; returns its size. */
static size_t put_dirent(char *p, uint64_t ino, uint64_t off, uint32_t type, const char *name)
{
	struct fuse_dirent d = { .ino = ino, .off = off, .namelen = (uint32_t)strlen(name),
				 .type = type };
	size_t rec = FUSE_DIRENT_ALIGN(FUSE_NAME_OFFSET + d.namelen);

	memset(p, 0, rec);
	memcpy(p, &d, FUSE_NAME_OFFSET);
	memcpy(p + FUSE_NAME_OFFSET, name, d.namelen);
	return rec;
}

int main(void)
{
	struct fuse_init_in in;
	struct fuse_init_out out;
	struct fuse_proto_init neg;
	char buf[512], obuf[512];
	struct dirent64 *d;
	struct fuse_attr a = { 0 };
	struct stat st;
	uint64_t next = 99;
	size_t n;
	long r;

	fuse_proto_init_in(&in);
	is_long(in.major, 7, "INIT offers major 7");
	is_long(in.minor, FUSE_PROTO_MINOR, "and our minor");
	is_long(in.flags, FUSE_PROTO_FLAGS, "and only the flags we implement");

	/* libfuse3 3.14: 7.38, the whole struct, flags it wants */
	memset(&out, 0, sizeof(out));
	out.major = 7;
	out.minor = 38;
	out.flags = FUSE_ASYNC_READ | FUSE_BIG_WRITES | FUSE_DO_READDIRPLUS | FUSE_WRITEBACK_CACHE;
	out.max_write = 1024 * 1024;
	is_long(fuse_proto_init_reply(&out, sizeof(out), &neg), 0, "libfuse3's answer");
	is_long(neg.minor, FUSE_PROTO_MINOR, "minor: the smaller, ours");
	is_long(neg.flags, FUSE_ASYNC_READ | FUSE_BIG_WRITES, "flags: only those offered");
	is_long(neg.max_write, FUSE_PROTO_IO_MAX, "max_write capped");

	/* libfuse2 2.9.9: 7.19, 24 bytes */
	out.minor = 19;
	out.max_write = 4096;
	is_long(fuse_proto_init_reply(&out, FUSE_COMPAT_22_INIT_OUT_SIZE, &neg), 0,
		"libfuse2's 24-byte answer");
	is_long(neg.minor, FUSE_PROTO_MINOR, "minor: the smaller, ours (7.13)");
	is_long(neg.max_write, 4096, "its max_write");
	/* a server older than us: its minor */
	out.minor = 12;
	is_long(fuse_proto_init_reply(&out, FUSE_COMPAT_22_INIT_OUT_SIZE, &neg), 0, "7.12 taken");
	is_long(neg.minor, 12, "minor: the smaller, the server's");
	out.minor = 19;
	out.max_write = 0;
	fuse_proto_init_reply(&out, FUSE_COMPAT_22_INIT_OUT_SIZE, &neg);
	is_long(neg.max_write, 4096, "max_write at least 4096");
	is_long(fuse_proto_init_reply(&out, 16, &neg), -EPROTO, "a short answer of 7.19");
	out.minor = 11;
	is_long(fuse_proto_init_reply(&out, sizeof(out), &neg), -EPROTO, "7.11: refused");
	out.minor = 31;
	out.major = 8;
	is_long(fuse_proto_init_reply(&out, sizeof(out), &neg), -EPROTO, "major 8: refused");
	is_long(fuse_proto_init_reply(&out, 4, &neg), -EPROTO, "4 bytes: refused");

	/* directory entries */
	n = put_dirent(buf, 1, 1, DT_DIR, ".");
	n += put_dirent(buf + n, 1, 2, DT_DIR, "..");
	n += put_dirent(buf + n, 12, 3, DT_REG, "hello.txt");
	r = fuse_proto_dirents(buf, n, obuf, sizeof(obuf), &next);
	ok(r > 0, "three entries convert");
	d = (struct dirent64 *)obuf;
	is_str(d->d_name, ".", "first");
	d = (struct dirent64 *)((char *)d + d->d_reclen);
	is_str(d->d_name, "..", "second");
	d = (struct dirent64 *)((char *)d + d->d_reclen);
	is_str(d->d_name, "hello.txt", "third");
	is_long(d->d_ino, 12, "its inode");
	is_long(d->d_type, DT_REG, "its type");
	is_long(d->d_off, 3, "its offset");
	is_long((char *)d + d->d_reclen - obuf, r, "the length covers them");
	is_long(next, 3, "next offset: the last one's");
	is_long(d->d_reclen % 8, 0, "records 8-aligned");

	next = 99;
	r = fuse_proto_dirents(buf, n, obuf, 48, &next);
	ok(r > 0 && r <= 48, "a small buffer takes what fits");
	is_long(next, ((struct dirent64 *)(obuf + r - ((struct dirent64 *)obuf)->d_reclen))->d_off,
		"and says where to go on");
	next = 99;
	is_long(fuse_proto_dirents(buf, n, obuf, 8, &next), -EINVAL, "none fits: EINVAL");
	is_long(next, 99, "next unchanged");
	is_long(fuse_proto_dirents(buf, 0, obuf, sizeof(obuf), &next), 0, "empty: end");
	is_long(fuse_proto_dirents(buf, n - 8, obuf, sizeof(obuf), &next), -EIO,
		"a cut record: EIO");
	n = put_dirent(buf, 1, 1, DT_REG, "a/b");
	is_long(fuse_proto_dirents(buf, n, obuf, sizeof(obuf), &next), -EIO, "a slash: EIO");
	n = put_dirent(buf, 1, 1, DT_REG, "x");
	((struct fuse_dirent *)buf)->namelen = 0;
	is_long(fuse_proto_dirents(buf, n, obuf, sizeof(obuf), &next), -EIO, "no name: EIO");

	a.ino = 42;
	a.mode = S_IFREG | 0640;
	a.size = 12345;
	a.nlink = 2;
	a.uid = 1000;
	a.mtime = 1000000;
	a.mtimensec = 5;
	fuse_proto_attr2stat(&a, 77, &st);
	ok(st.st_ino == 42 && st.st_mode == (S_IFREG | 0640) && st.st_size == 12345 &&
		   st.st_nlink == 2 && st.st_uid == 1000 && st.st_dev == 77,
	   "attributes");
	ok(st.st_mtim.tv_sec == 1000000 && st.st_mtim.tv_nsec == 5, "times");
	is_long(st.st_blksize, 4096, "blksize 0 becomes 4096");

	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

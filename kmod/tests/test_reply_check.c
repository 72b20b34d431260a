// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of kmod/reply_check.c: every reply the kernel accepts has
 * a layout that adds up exactly; everything else is EINVAL.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "../../daemon/tests/tap.h"
#include "../reply_check.h"

static union {
	struct kmview_reply r;
	char bytes[8192];
} u;

static struct kmview_reply *fresh(uint16_t kind, size_t len)
{
	memset(&u, 0, sizeof(u));
	u.r.unique = 1;
	u.r.kind = kind;
	u.r.len = len;
	return &u.r;
}

static struct kmview_copy *add_copy(size_t off, uint32_t len)
{
	struct kmview_copy *c = (struct kmview_copy *)(u.bytes + off);

	c->addr = 0x1000;
	c->len = len;
	return c;
}

int main(void)
{
	const size_t H = sizeof(struct kmview_reply);
	struct kmview_reply *r;

	r = fresh(KMVIEW_REPLY_RETURN, H);
	is_long(kmview_reply_check(r, H), 0, "plain return");
	r->retval = -4095;
	is_long(kmview_reply_check(r, H), 0, "return -4095");
	r->retval = -4096;
	is_long(kmview_reply_check(r, H), -EINVAL, "return -4096 refused");
	r->retval = -512;
	is_long(kmview_reply_check(r, H), -EINVAL, "ERESTARTSYS refused");
	r->retval = -516;
	is_long(kmview_reply_check(r, H), -EINVAL, "ERESTART_RESTARTBLOCK refused");
	r->retval = -511;
	is_long(kmview_reply_check(r, H), 0, "-511 is an errno");
	r->retval = 0;
	is_long(kmview_reply_check(r, H - 8), -EINVAL, "short write refused");
	is_long(kmview_reply_check(r, H + 8), -EINVAL, "len disagreeing with write refused");
	r->reserved[0] = 1;
	is_long(kmview_reply_check(r, H), -EINVAL, "reserved field refused");
	r = fresh(KMVIEW_REPLY_RETURN, H);
	r->flags = 1;
	is_long(kmview_reply_check(r, H), -EINVAL, "path flag outside rewrite refused");
	r = fresh(KMVIEW_REPLY_RETURN, H);
	r->flags = KMVIEW_REPLY_F_CWD_VIRTUAL;
	is_long(kmview_reply_check(r, H), 0, "a return that makes the cwd virtual");
	r = fresh(KMVIEW_REPLY_NATIVE, H);
	r->flags = KMVIEW_REPLY_F_CWD_REAL;
	is_long(kmview_reply_check(r, H), 0, "a native run that makes the cwd real");
	r->flags = KMVIEW_REPLY_F_CWD_REAL | KMVIEW_REPLY_F_CWD_VIRTUAL;
	is_long(kmview_reply_check(r, H), -EINVAL, "both cwd flags refused");
	r->flags = 1U << 3;
	is_long(kmview_reply_check(r, H), -EINVAL, "an unknown flag refused");
	r = fresh(0, H);
	is_long(kmview_reply_check(r, H), -EINVAL, "kind 0 refused");
	r = fresh(7, H);
	is_long(kmview_reply_check(r, H), -EINVAL, "kind 7 refused");

	r = fresh(KMVIEW_REPLY_RETURN, H + 16 + 8);
	r->ncopy = 1;
	add_copy(H, 5);
	is_long(kmview_reply_check(r, H + 24), 0, "one copy of 5 bytes, padded");
	is_long(kmview_reply_copy(r, 0)->len, 5, "its segment is found");
	r->len = H + 16;
	is_long(kmview_reply_check(r, H + 16), -EINVAL, "copy data missing refused");
	r = fresh(KMVIEW_REPLY_RETURN, H + 2 * 24);
	r->ncopy = 2;
	add_copy(H, 8);
	add_copy(H + 24, 3);
	is_long(kmview_reply_check(r, H + 48), 0, "two copies");
	is_long(kmview_reply_copy(r, 1)->len, 3, "the second segment is found");
	r->ncopy = 1;
	is_long(kmview_reply_check(r, H + 48), -EINVAL, "trailing bytes refused");
	r = fresh(KMVIEW_REPLY_RETURN, H + 24);
	r->ncopy = 1;
	add_copy(H, 0);
	is_long(kmview_reply_check(r, H + 24), -EINVAL, "empty copy refused");
	r = fresh(KMVIEW_REPLY_RETURN, H + 24);
	r->ncopy = 1;
	add_copy(H, 8)->reserved = 1;
	is_long(kmview_reply_check(r, H + 24), -EINVAL, "copy reserved field refused");
	r = fresh(KMVIEW_REPLY_RETURN, H);
	r->ncopy = KMVIEW_MAX_COPIES + 1;
	is_long(kmview_reply_check(r, H), -EINVAL, "too many copies refused");
	r = fresh(KMVIEW_REPLY_RETURN, H + 16 + 8);
	r->ncopy = 1;
	add_copy(H, 0xfffffff0);
	is_long(kmview_reply_check(r, H + 24), -EINVAL, "huge copy length refused");

	r = fresh(KMVIEW_REPLY_NATIVE, H);
	is_long(kmview_reply_check(r, H), 0, "native");
	r->retval = 1;
	is_long(kmview_reply_check(r, H), -EINVAL, "native with a value refused");

	r = fresh(KMVIEW_REPLY_REWRITE, H);
	r->argmask = 0x3f;
	is_long(kmview_reply_check(r, H), 0, "rewrite of all six arguments");
	r->argmask = 0x40;
	is_long(kmview_reply_check(r, H), -EINVAL, "rewrite of a seventh refused");
	r = fresh(KMVIEW_REPLY_REWRITE, H + 8);
	r->flags = KMVIEW_REPLY_F_PATH;
	r->path_arg = 1;
	r->path_len = 5;
	memcpy(u.bytes + H, "/etc", 5);
	is_long(kmview_reply_check(r, H + 8), 0, "rewrite with a path");
	is_str(kmview_reply_path(r), "/etc", "the path is found");
	u.bytes[H + 4] = 'x';
	is_long(kmview_reply_check(r, H + 8), -EINVAL, "path without NUL refused");
	memcpy(u.bytes + H, "/e\0c", 5);
	is_long(kmview_reply_check(r, H + 8), -EINVAL, "path with an early NUL refused");
	memcpy(u.bytes + H, "/etc", 5);
	r->path_arg = 6;
	is_long(kmview_reply_check(r, H + 8), -EINVAL, "path into a seventh argument refused");
	r->path_arg = 1;
	r->path_len = 0;
	is_long(kmview_reply_check(r, H + 8), -EINVAL, "empty path refused");

	r = fresh(KMVIEW_REPLY_VFD, H);
	r->handle = 3;
	r->open_flags = O_RDWR | O_CLOEXEC | O_NONBLOCK;
	is_long(kmview_reply_check(r, H), 0, "vfd");
	r->handle = 0;
	is_long(kmview_reply_check(r, H), -EINVAL, "vfd handle 0 refused");
	r->handle = 3;
	r->open_flags = O_ACCMODE;
	is_long(kmview_reply_check(r, H), -EINVAL, "vfd access mode 3 refused");
	r->open_flags = O_APPEND;
	is_long(kmview_reply_check(r, H), -EINVAL, "vfd unknown open flag refused");

	r = fresh(KMVIEW_REPLY_FILE, H);
	r->fd = 4;
	r->open_flags = O_CLOEXEC;
	is_long(kmview_reply_check(r, H), 0, "file");
	r->fd = -1;
	is_long(kmview_reply_check(r, H), -EINVAL, "negative fd refused");
	r = fresh(KMVIEW_REPLY_RETURN, H);
	r->fd = 4;
	is_long(kmview_reply_check(r, H), -EINVAL, "fd outside a file reply refused");
	r = fresh(KMVIEW_REPLY_RETURN, H);
	r->args[2] = 1;
	is_long(kmview_reply_check(r, H), -EINVAL, "arguments outside rewrite and mmap refused");

	r = fresh(KMVIEW_REPLY_MMAP, H);
	r->fd = 3;
	r->args[1] = 4096;
	r->args[5] = 8192;
	is_long(kmview_reply_check(r, H), 0, "mmap");
	r->args[4] = 3;
	is_long(kmview_reply_check(r, H), -EINVAL, "mmap with its fd argument set refused");
	r->args[4] = 0;
	r->ncopy = 1;
	is_long(kmview_reply_check(r, H), -EINVAL, "mmap with copies refused");
	r->ncopy = 0;
	r->fd = -2;
	is_long(kmview_reply_check(r, H), -EINVAL, "mmap with a negative fd refused");
	return tap_done();
}

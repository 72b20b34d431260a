// SPDX-License-Identifier: GPL-2.0
/*
 * A reply is a struct kmview_reply, then for REWRITE with a path the path
 * (padded to 8), then @ncopy segments, each a struct kmview_copy and its
 * data (padded to 8). Everything is checked here once, before any of it is
 * used: lengths add up exactly, reserved fields are zero, flags are known.
 */
#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#endif
#include "reply_check.h"

#define KMVIEW_ALIGN8(x) (((x) + 7) & ~(size_t)7)

/* The kernel-internal error codes (ERESTARTSYS and friends) never leave the kernel. */
static int kmview_retval_ok(int64_t v)
{
	if (v >= 0)
		return 1;
	if (v < -4095)
		return 0;
	return !(v <= -512 && v >= -530);
}

static int kmview_zero(const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		if (*c++)
			return 0;
	return 1;
}

static int kmview_check_copies(const struct kmview_reply *r, size_t off, size_t len)
{
	const char *base = (const char *)r;
	unsigned int i;

	if (r->ncopy > KMVIEW_MAX_COPIES)
		return -EINVAL;
	for (i = 0; i < r->ncopy; i++) {
		const struct kmview_copy *c;

		if (len - off < sizeof(*c))
			return -EINVAL;
		c = (const struct kmview_copy *)(base + off);
		if (c->reserved || c->len == 0)
			return -EINVAL;
		off += sizeof(*c);
		if (len - off < KMVIEW_ALIGN8((size_t)c->len))
			return -EINVAL;
		off += KMVIEW_ALIGN8((size_t)c->len);
	}
	return off == len ? 0 : -EINVAL;
}

/**
 * kmview_reply_check - validate a reply copied from the daemon
 * @r: the reply, 8-byte aligned
 * @len: bytes written by the daemon
 *
 * Return: 0, or -EINVAL if anything is malformed.
 */
int kmview_reply_check(const struct kmview_reply *r, size_t len)
{
	size_t off = sizeof(*r);

	if (len < sizeof(*r) || len > KMVIEW_REPLY_MAX || r->len != len || (len & 7))
		return -EINVAL;
	if (!kmview_zero(r->reserved, sizeof(r->reserved)))
		return -EINVAL;
	if (r->flags & ~(KMVIEW_REPLY_F_PATH | KMVIEW_REPLY_F_CWD_VIRTUAL | KMVIEW_REPLY_F_CWD_REAL))
		return -EINVAL;
	if ((r->flags & KMVIEW_REPLY_F_CWD_VIRTUAL) && (r->flags & KMVIEW_REPLY_F_CWD_REAL))
		return -EINVAL;
	if (r->kind != KMVIEW_REPLY_REWRITE &&
	    ((r->flags & KMVIEW_REPLY_F_PATH) || r->argmask || r->path_arg || r->path_len))
		return -EINVAL;
	if (r->kind != KMVIEW_REPLY_REWRITE && r->kind != KMVIEW_REPLY_MMAP &&
	    !kmview_zero(r->args, sizeof(r->args)))
		return -EINVAL;
	if (r->kind != KMVIEW_REPLY_VFD && r->handle)
		return -EINVAL;
	if (r->kind != KMVIEW_REPLY_FILE && r->kind != KMVIEW_REPLY_MMAP && r->fd)
		return -EINVAL;

	switch (r->kind) {
	case KMVIEW_REPLY_RETURN:
		if (!kmview_retval_ok(r->retval) || r->open_flags)
			return -EINVAL;
		return kmview_check_copies(r, off, len);
	case KMVIEW_REPLY_NATIVE:
		if (r->retval || r->open_flags || r->ncopy)
			return -EINVAL;
		return off == len ? 0 : -EINVAL;
	case KMVIEW_REPLY_REWRITE:
		if (r->retval || r->open_flags || r->ncopy || (r->argmask & ~0x3fU))
			return -EINVAL;
		if (!(r->flags & KMVIEW_REPLY_F_PATH))
			return (r->path_arg || r->path_len || off != len) ? -EINVAL : 0;
		if (r->path_arg >= 6 || r->path_len == 0 || r->path_len > KMVIEW_PATH_MAX)
			return -EINVAL;
		if (len - off != KMVIEW_ALIGN8((size_t)r->path_len))
			return -EINVAL;
		if (strnlen((const char *)r + off, r->path_len) != r->path_len - 1)
			return -EINVAL;
		return 0;
	case KMVIEW_REPLY_VFD:
		if (r->retval || !r->handle)
			return -EINVAL;
		if (r->open_flags & ~(O_ACCMODE | O_CLOEXEC | O_NONBLOCK))
			return -EINVAL;
		if ((r->open_flags & O_ACCMODE) == O_ACCMODE)
			return -EINVAL;
		return kmview_check_copies(r, off, len);
	case KMVIEW_REPLY_FILE:
		if (r->retval || r->fd < 0 || (r->open_flags & ~O_CLOEXEC))
			return -EINVAL;
		return kmview_check_copies(r, off, len);
	case KMVIEW_REPLY_MMAP:
		if (r->retval || r->fd < 0 || r->open_flags || r->ncopy || r->args[4])
			return -EINVAL;
		return off == len ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

/* The path of a valid REWRITE reply with KMVIEW_REPLY_F_PATH. */
const char *kmview_reply_path(const struct kmview_reply *r)
{
	return (const char *)(r + 1);
}

/* Segment @i of a valid reply; its data follows it. */
const struct kmview_copy *kmview_reply_copy(const struct kmview_reply *r, unsigned int i)
{
	const char *p = (const char *)(r + 1);
	const struct kmview_copy *c = (const struct kmview_copy *)p;

	while (i--) {
		p += sizeof(*c) + KMVIEW_ALIGN8((size_t)c->len);
		c = (const struct kmview_copy *)p;
	}
	return c;
}

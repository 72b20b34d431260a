// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * member_mem.c - peek and poke over the backend's memory operations.
 *
 * Strings are read a page at a time, never past the page that holds their
 * NUL: the page after it may be unmapped, and the read would fail.
 */
#include <errno.h>
#include <string.h>

#include "core/member_mem.h"

#define VU_PAGE 4096UL

int vu_peek(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, void *buf, size_t len)
{
	if (len == 0)
		return 0;
	ssize_t n = be->ops->mem_read(be, req, addr, buf, len);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EFAULT;
}

int vu_poke(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, const void *buf,
	    size_t len)
{
	if (len == 0)
		return 0;
	ssize_t n = be->ops->mem_write(be, req, addr, buf, len);

	if (n < 0)
		return (int)n;
	return (size_t)n == len ? 0 : -EFAULT;
}

ssize_t vu_peek_str(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, char *buf,
		    size_t size)
{
	size_t done = 0;

	if (size == 0)
		return -ENAMETOOLONG;
	while (done < size) {
		uint64_t at = addr + done;
		size_t chunk = VU_PAGE - (at & (VU_PAGE - 1));

		if (chunk > size - done)
			chunk = size - done;
		ssize_t n = be->ops->mem_read(be, req, at, buf + done, chunk);

		if (n <= 0)
			return n < 0 ? n : -EFAULT;
		char *nul = memchr(buf + done, '\0', (size_t)n);

		if (nul)
			return nul - buf;
		done += (size_t)n;
		if ((size_t)n < chunk)
			return -EFAULT;
	}
	buf[size - 1] = '\0';
	return -ENAMETOOLONG;
}

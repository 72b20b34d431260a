// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdinfo.c - a member's placeholder, from /proc/TID/fdinfo/FD.
 *
 * Every placeholder is an anonymous inode named "[kmview]", so the link
 * in /proc/TID/fd says nothing of which one; its fdinfo ends with
 *	kmview-handle:	<the handle>
 *	kmview-daemon:	<its view's daemon's tgid, 0 if that view is dead or
 *			 its daemon not in the reader's pid namespace>
 * The daemon trusts only placeholders that name it: one of another view
 * (passed over a socket) has a handle of another table.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "core/fdinfo.h"

/* The decimal number of the line starting with @key, once: 0 and @v, else -EBADF. */
static int vu_fdinfo_field(const char *text, size_t len, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	bool found = false;

	for (size_t pos = 0; pos < len;) {
		const char *line = text + pos;
		const char *nl = memchr(line, '\n', len - pos);
		size_t llen = nl ? (size_t)(nl - line) : len - pos;

		pos += llen + 1;
		if (llen < klen || memcmp(line, key, klen) != 0)
			continue;
		if (found || llen == klen || llen - klen > 20)
			return -EBADF; /* twice, empty, or longer than any u64 */
		uint64_t n = 0;

		for (size_t i = klen; i < llen; i++) {
			unsigned int d = (unsigned char)line[i] - '0';

			if (d > 9 || n > (UINT64_MAX - d) / 10)
				return -EBADF;
			n = n * 10 + d;
		}
		*v = n;
		found = true;
	}
	return found ? 0 : -EBADF;
}

int vu_fdinfo_parse(const char *text, size_t len, pid_t daemon, uint64_t *handle)
{
	uint64_t h, d;

	if (memchr(text, '\0', len))
		return -EBADF;
	if (vu_fdinfo_field(text, len, "kmview-handle:\t", &h) < 0 ||
	    vu_fdinfo_field(text, len, "kmview-daemon:\t", &d) < 0)
		return -EBADF;
	if (h == 0 || daemon <= 0 || d != (uint64_t)daemon)
		return -EBADF;
	*handle = h;
	return 0;
}

int vu_fdinfo_handle(pid_t tid, int fd, uint64_t *handle)
{
	char path[64], buf[VU_FDINFO_MAX];
	size_t len = 0;
	ssize_t n = 0;
	int f;

	if (tid <= 0 || fd < 0)
		return -EBADF;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%d", (int)tid, fd);
	f = open(path, O_RDONLY | O_CLOEXEC);
	if (f < 0)
		return -EBADF;
	while (len < sizeof(buf) && (n = read(f, buf + len, sizeof(buf) - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
	}
	close(f);
	if (len == sizeof(buf) || n < 0)
		return -EBADF; /* too long to be a placeholder's, or unreadable */
	return vu_fdinfo_parse(buf, len, getpid(), handle);
}

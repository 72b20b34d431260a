// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fdlink.c - the fd links of a member for its virtual files (see fdlink.h).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/call.h"
#include "core/fdinfo.h"
#include "core/fdlink.h"
#include "core/modctx.h"
#include "core/vfd.h"

const char *const vu_fdlink_paths[] = {
	"/proc/self/fd",
	"/proc/thread-self/fd",
	"/dev/fd",
	NULL,
};
_Static_assert(sizeof(vu_fdlink_paths) / sizeof(vu_fdlink_paths[0]) - 1 == VU_FDLINK_NPATHS,
	       "VU_FDLINK_NPATHS counts vu_fdlink_paths");

/* A decimal number without sign or leading zero, up to INT_MAX, ending at '\0' or '/'. */
static const char *vu_fdlink_number(const char *s, long *n)
{
	long v = 0;

	if (*s < '0' || *s > '9' || (s[0] == '0' && s[1] >= '0' && s[1] <= '9'))
		return NULL;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > INT32_MAX)
			return NULL;
	}
	*n = v;
	return s;
}

static const char *vu_fdlink_skip(const char *s, const char *word)
{
	size_t len = strlen(word);

	return strncmp(s, word, len) == 0 ? s + len : NULL;
}

int vu_fdlink_parse(const char *path, pid_t tid, pid_t *pid, int *fd)
{
	const char *s;
	long n, f;

	if ((s = vu_fdlink_skip(path, "/dev/fd/"))) {
		*pid = tid;
	} else if ((s = vu_fdlink_skip(path, "/proc/"))) {
		const char *rest;

		if ((rest = vu_fdlink_skip(s, "self/")) || (rest = vu_fdlink_skip(s, "thread-self/"))) {
			*pid = tid;
		} else {
			rest = vu_fdlink_number(s, &n);
			if (!rest || n == 0 || *rest++ != '/')
				return 0;
			*pid = (pid_t)n;
		}
		s = vu_fdlink_skip(rest, "fd/");
		if (!s)
			return 0;
	} else {
		return 0;
	}
	s = vu_fdlink_number(s, &f);
	if (!s || *s)
		return 0;
	*fd = (int)f;
	return 1;
}

int vu_fdlink_target(const char *path, char *target, size_t size)
{
	struct vu_call *call;
	struct vu_vfd *f;
	uint64_t handle;
	int fd, ret = 0;
	pid_t pid;

	/* the cheap test first: the walk asks this of every real component */
	if (path[0] != '/' || (path[1] != 'p' && path[1] != 'd'))
		return 0;
	call = vu_modctx_call();
	if (!call || !vu_fdlink_parse(path, call->msg->tid, &pid, &fd))
		return 0;
	if (vu_fdinfo_handle(pid, fd, &handle) < 0)
		return 0; /* a real fd, or another view's: the kernel's link */
	f = vu_vfd_pin(handle);
	if (!f)
		return 0;
	if (!f->socket && f->path && f->path[0] == '/') {
		if (strlen(f->path) < size) {
			strcpy(target, f->path);
			ret = 1;
		} else {
			ret = -ENAMETOOLONG;
		}
	}
	vu_vfd_unpin(f);
	if (ret > 0)
		vu_debug('p', "tid %d: %s is the link of %s", call->msg->tid, path, target);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nofile.c - raise and restore RLIMIT_NOFILE (see nofile.h).
 */
#include <errno.h>

#include "startup/nofile.h"

int vu_nofile_raise(struct rlimit *saved)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, saved) < 0) {
		int e = errno;

		saved->rlim_cur = saved->rlim_max = RLIM_INFINITY; /* restore: leave it be */
		return -e;
	}
	r = *saved;
	if (r.rlim_cur == r.rlim_max)
		return 0;
	r.rlim_cur = r.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &r) < 0 ? -errno : 0;
}

int vu_nofile_restore(const struct rlimit *saved)
{
	struct rlimit r;

	if (getrlimit(RLIMIT_NOFILE, &r) < 0)
		return -errno;
	/* only the soft limit moved: a lower hard limit set since is kept */
	r.rlim_cur = saved->rlim_cur < r.rlim_max ? saved->rlim_cur : r.rlim_max;
	return setrlimit(RLIMIT_NOFILE, &r) < 0 ? -errno : 0;
}

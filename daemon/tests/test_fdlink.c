// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fdlink.c - which paths are a member's fd links (core/fdlink.h):
 * pure logic, no view.
 */
#include <string.h>
#include <sys/types.h>

#include "core/fdlink.h"
#include "tap.h"

static void one(const char *path, int want, pid_t want_pid, int want_fd)
{
	pid_t pid = -1;
	int fd = -1;
	int r = vu_fdlink_parse(path, 77, &pid, &fd);

	if (want)
		ok(r == 1 && pid == want_pid && fd == want_fd, "%s: task %d fd %d (got %d %d %d)",
		   path, want_pid, want_fd, r, pid, fd);
	else
		is_long(r, 0, "%s is not a fd link", path);
}

int main(void)
{
	one("/proc/self/fd/3", 1, 77, 3);
	one("/proc/thread-self/fd/0", 1, 77, 0);
	one("/proc/123/fd/45", 1, 123, 45);
	one("/dev/fd/9", 1, 77, 9);
	one("/proc/self/fd", 0, 0, 0);
	one("/proc/self/fd/", 0, 0, 0);
	one("/proc/self/fd/3/x", 0, 0, 0);
	one("/proc/self/fd/03", 0, 0, 0);
	one("/proc/self/fd/-1", 0, 0, 0);
	one("/proc/self/fd/3x", 0, 0, 0);
	one("/proc/self/fd/99999999999", 0, 0, 0);
	one("/proc/0/fd/3", 0, 0, 0);
	one("/proc/self/fdinfo/3", 0, 0, 0);
	one("/proc/selfish/fd/3", 0, 0, 0);
	one("/proc/12a/fd/3", 0, 0, 0);
	one("/dev/fdx/3", 0, 0, 0);
	one("/etc/passwd", 0, 0, 0);
	for (int i = 0; vu_fdlink_paths[i]; i++) {
		char p[64];

		strcpy(p, vu_fdlink_paths[i]);
		strcat(p, "/5");
		one(p, 1, 77, 5);
	}
	return tap_done();
}

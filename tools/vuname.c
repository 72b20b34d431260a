// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vuname - print system and view information, or name the view.
 *
 * In a view the information comes from the hypervisor (vu_getinfo);
 * outside, vuname is uname(1) unless -x says a view is required.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include <vulib.h>

#include "vuname_args.h"
#include "vuname_print.h"

#ifndef KMVIEW_VERSION
#define KMVIEW_VERSION "unknown"
#endif

static int vuname_fail(const struct vuname_args *a, const char *what, int err)
{
	if (a->quiet)
		return 1;
	if (err == ENOSYS)
		fprintf(stderr, "vuname: not running in a kmview view\n");
	else
		fprintf(stderr, "vuname: %s: %s\n", what, strerror(err));
	return 1;
}

int main(int argc, char **argv)
{
	struct vuname_args a;
	struct vu_info info;
	bool in_view = true;
	char line[sizeof(info) + 16];

	if (vuname_parse(&a, argc, argv, stderr) < 0) {
		if (!a.quiet)
			fprintf(stderr, "Try 'vuname --help' for more information.\n");
		return 1;
	}
	if (a.help) {
		vuname_usage(stdout);
		return 0;
	}
	if (a.version) {
		printf("vuname (kmview) %s\n", KMVIEW_VERSION);
		return 0;
	}
	if (a.setname) {
		if (vu_setname(a.setname) < 0)
			return vuname_fail(&a, "cannot set the view name", errno);
		return 0;
	}
	memset(&info, 0, sizeof(info));
	if (vu_getinfo(&info) < 0) {
		int e = errno;

		if (e != ENOSYS || a.nouname)
			return vuname_fail(&a, "cannot get view information", e);
		in_view = false;
		if (uname(&info.uname) < 0)
			return vuname_fail(&a, "uname", errno);
	}
	vuname_format(&a, &info, in_view, line, sizeof(line));
	fputs(line, stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}

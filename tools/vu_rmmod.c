// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vu_rmmod - remove modules from the hypervisor of the view.
 *
 *   vu_rmmod module...
 *
 * Every module named is tried; the status is 1 if any could not be
 * removed (not loaded: ENOENT, in use: EBUSY).
 */
#include <errno.h>
#include <stdio.h>
#include <vulib.h>

#include "vu_modtool.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vu_rmmod module...\n"
		   "Remove hypervisor modules from the kmview view.\n\n"
		   "  -h, --help  show this help\n");
}

int main(int argc, char **argv)
{
	int status = vu_tool_help_only(argc, argv, usage);

	if (status >= 0)
		return status;
	if (optind >= argc)
		return vu_tool_usage(usage, false);
	status = 0;
	for (int i = optind; i < argc; i++) {
		if (vu_rmmod(argv[i]) < 0) {
			int e = errno;

			if (e == ENOENT)
				fprintf(stderr, "vu_rmmod: %s: module not loaded\n", argv[i]);
			else
				vu_modtool_error("vu_rmmod", argv[i], e);
			if (e == ENOSYS)
				return 1;
			status = 1;
		}
	}
	return status;
}

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
#include <getopt.h>
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
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int status = 0;
	int c;

	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		if (c == 'h') {
			usage(stdout);
			return 0;
		}
		usage(stderr);
		return 1;
	}
	if (optind >= argc) {
		usage(stderr);
		return 1;
	}
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

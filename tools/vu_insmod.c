// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vu_insmod - load modules into the hypervisor of the view.
 *
 *   vu_insmod [-p] module...
 *
 * Each module is loaded in turn; the first failure stops the list, as
 * umvu's vu_insmod does, so that a module never loads without the ones
 * named before it.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <vulib.h>

#include "vu_modtool.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vu_insmod [-p] module...\n"
		   "Load hypervisor modules into the kmview view.\n\n"
		   "  -p, --permanent  the modules cannot be removed\n"
		   "  -h, --help       show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "permanent", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int permanent = 0;
	int c;

	/* "+": options end at the first module name */
	while ((c = getopt_long(argc, argv, "+ph", opts, NULL)) != -1) {
		if (c != 'p')
			return vu_tool_usage(usage, c == 'h');
		permanent = 1;
	}
	if (optind >= argc)
		return vu_tool_usage(usage, false);
	for (int i = optind; i < argc; i++) {
		if (vu_insmod(argv[i], permanent) < 0) {
			vu_modtool_error("vu_insmod", argv[i], errno);
			return 1;
		}
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vu_lsmod - list the modules loaded in the hypervisor of the view, one
 * "name: description" line each, oldest first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <vulib.h>

#include "vu_modtool.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vu_lsmod\n"
		   "List the hypervisor modules of the kmview view.\n\n"
		   "  -h, --help  show this help\n");
}

int main(int argc, char **argv)
{
	int status = vu_tool_help_only(argc, argv, usage);
	char *buf = NULL;
	long need;

	if (status >= 0)
		return status;
	if (optind < argc)
		return vu_tool_usage(usage, false);
	/* the list may grow between asking its size and reading it: retry */
	for (int tries = 0; tries < 8; tries++) {
		need = vu_lsmod(NULL, 0);
		if (need < 0) {
			vu_modtool_error("vu_lsmod", NULL, errno);
			return 1;
		}
		free(buf);
		buf = malloc((size_t)need + 1);
		if (!buf) {
			vu_modtool_error("vu_lsmod", NULL, ENOMEM);
			return 1;
		}
		long got = vu_lsmod(buf, (size_t)need + 1);

		if (got < 0) {
			vu_modtool_error("vu_lsmod", NULL, errno);
			free(buf);
			return 1;
		}
		if (got <= need + 1) {
			buf[got - 1 < need ? got - 1 : need] = '\0';
			fputs(buf, stdout);
			free(buf);
			return 0;
		}
	}
	fprintf(stderr, "vu_lsmod: the module list keeps changing\n");
	free(buf);
	return 1;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vu_modtool.h - what vu_insmod, vu_rmmod, vu_lsmod and vuumount share:
 * the end of their option parsing, and how a failed management call is
 * told to the user.
 */
#ifndef KMVIEW_TOOLS_VU_MODTOOL_H
#define KMVIEW_TOOLS_VU_MODTOOL_H

#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/*
 * Print the tool's @usage and return its exit status: to stdout and 0
 * if @help (-h was given), to stderr and 1 for a usage error.
 */
static inline int vu_tool_usage(void (*usage)(FILE *f), bool help)
{
	usage(help ? stdout : stderr);
	return help ? 0 : 1;
}

/*
 * The options of a tool whose only option is -h, --help (options end at
 * the first operand): -1 to go on with the operands from argv[optind],
 * else the exit status, the usage printed.
 */
static inline int vu_tool_help_only(int argc, char **argv, void (*usage)(FILE *f))
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c = getopt_long(argc, argv, "+h", opts, NULL);

	return c == -1 ? -1 : vu_tool_usage(usage, c == 'h');
}

/*
 * ENOSYS is the kernel's answer outside a view: say that, not "Function
 * not implemented". @what may be NULL.
 */
static inline void vu_modtool_error(const char *prog, const char *what, int err)
{
	if (err == ENOSYS)
		fprintf(stderr, "%s: not running in a kmview view\n", prog);
	else if (what)
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
	else
		fprintf(stderr, "%s: %s\n", prog, strerror(err));
}

#endif /* KMVIEW_TOOLS_VU_MODTOOL_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vuumount - unmount a file system of a hypervisor module in the view.
 *
 *   vuumount [-f] [-d] mountpoint...
 *
 * umount2(2) on each mount point: the hypervisor refuses with EBUSY while
 * a file in it is open, unless -f (MNT_FORCE) or -d (MNT_DETACH, lazy).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <vulib.h>

#include "vu_modtool.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vuumount [-f] [-d] mountpoint...\n"
		   "Unmount file systems of modules in the kmview view.\n\n"
		   "  -f, --force   unmount even if files are open (MNT_FORCE)\n"
		   "  -d, --detach  detach now, free when no longer used (MNT_DETACH)\n"
		   "  -l, --lazy    the same as -d\n"
		   "  -h, --help    show this help\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "force", no_argument, NULL, 'f' },
		{ "detach", no_argument, NULL, 'd' },
		{ "lazy", no_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int flags = 0, status = 0;
	int c;

	while ((c = getopt_long(argc, argv, "+fdlh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			flags |= MNT_FORCE;
			break;
		case 'd':
		case 'l':
			flags |= MNT_DETACH;
			break;
		default:
			return vu_tool_usage(usage, c == 'h');
		}
	}
	if (optind >= argc)
		return vu_tool_usage(usage, false);
	if (vu_check() < 0 && errno == ENOSYS) {
		vu_modtool_error("vuumount", NULL, ENOSYS);
		return 1;
	}
	for (int i = optind; i < argc; i++)
		if (umount2(argv[i], flags) < 0) {
			fprintf(stderr, "vuumount: %s: %s\n", argv[i], strerror(errno));
			status = 1;
		}
	return status;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vumount - mount a file system of a hypervisor module in the view.
 *
 *   vumount [-t type] [-o options] [-r] [-w] [-B|-M|-R] source mountpoint
 *
 * A plain mount(2): inside a view the hypervisor gives it to the module
 * whose name prefixes the type. Outside a view it would be the real
 * mount(2), which is never what the user meant: say so instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <vulib.h>

#include "vumount_opts.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vumount [options] source mountpoint\n"
		   "Mount a file system of a module in the kmview view.\n\n"
		   "  -t, --types TYPE        the file system type (the module's name, or a prefix of it)\n"
		   "  -o, --options LIST      comma-separated mount options\n"
		   "  -r, --read-only         mount read-only (-o ro)\n"
		   "  -w, --rw, --read-write  mount read-write (the default)\n"
		   "  -B, --bind              -o bind\n"
		   "  -M, --move              -o move\n"
		   "  -R, --rbind             -o rbind\n"
		   "  -h, --help              show this help\n");
}

int main(int argc, char **argv)
{
	struct vumount_args a;
	char err[256];

	if (vumount_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "vumount: %s\n", err);
		usage(stderr);
		return 1;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	if (vu_check() < 0 && errno == ENOSYS) {
		fprintf(stderr, "vumount: not running in a kmview view\n");
		return 1;
	}
	if (mount(a.source, a.target, a.fstype, a.flags, a.data) < 0) {
		int e = errno;

		fprintf(stderr, "vumount: %s on %s%s%s: %s\n", a.source, a.target,
			*a.fstype ? " type " : "", a.fstype,
			e == ENODEV ? "unknown file system type (no module serves it)" : strerror(e));
		return 1;
	}
	return 0;
}

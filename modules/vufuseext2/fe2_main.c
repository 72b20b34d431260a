// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuseext2: main, for both lives of these sources: vufuse calls it in the
 * submodule with "vufuseext2 -o OPTS SOURCE TARGET", and it is the
 * standalone fuseext2 program under the kernel's FUSE.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "fe2.h"

/* Every mount has its own state: vufuse may run several at once. */
int fuse_reentrant_tag = 0;

static int opt_proc(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct fe2_opts *o = data;

	if (key == FUSE_OPT_KEY_NONOPT && !o->source) {
		o->source = strdup(arg);
		return 0;
	}
	if (key == FUSE_OPT_KEY_OPT)
		return fe2_opt_word(o, arg) ? 0 : 1;
	return 1;
}

static void usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-o OPTIONS] IMAGE MOUNTPOINT\n"
		"  -o rw+   mount read-write (default: read-only; plain rw is ignored)\n"
		"  -o ro    mount read-only\n"
		"  other -o options and -f, -d, -s go to FUSE\n",
		prog);
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fe2_opts o = { 0 };
	struct fe2 *e;
	char msg[512];
	int ret;

	if (fuse_opt_parse(&args, &o, NULL, opt_proc) < 0)
		return 1;
	if (!o.source) {
		usage(argv[0]);
		fuse_opt_free_args(&args);
		return 1;
	}
	e = calloc(1, sizeof(*e));
	if (!e)
		return 1;
	ret = fe2_open(e, o.source, fe2_opts_rw(&o), msg, sizeof(msg));
	if (ret) {
		fprintf(stderr, "%s: %s\n", argv[0], msg);
		free(e);
		free(o.source);
		fuse_opt_free_args(&args);
		return 1;
	}
	if (!e->rw)
		fuse_opt_add_arg(&args, "-oro");
	/*
	 * Shared with other users, the kernel checks the modes of the image, as
	 * for a disk. Otherwise only the mounter can reach the mount (and could
	 * read the image anyway): no checks, which spares a GETATTR of the
	 * directory after each change in it.
	 */
	if (o.allow_other)
		fuse_opt_add_arg(&args, "-odefault_permissions");
	if (!strchr(o.source, ',')) {
		char *fsname;

		if (asprintf(&fsname, "-ofsname=%s,subtype=ext2", o.source) > 0) {
			fuse_opt_add_arg(&args, fsname);
			free(fsname);
		}
	}
	ret = fuse_main_real(args.argc, args.argv, &fe2_ops, sizeof(fe2_ops), e);
	/* no init (bad mount point, --help): nobody closed it */
	if (e->fs)
		fe2_close(e);
	free(e);
	free(o.source);
	fuse_opt_free_args(&args);
	return ret;
}

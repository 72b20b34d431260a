// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufusenull.c - the smallest FUSE 3 file system: an empty root
 * directory, and nothing else (every change fails with ENOSYS, as a FUSE
 * file system without those operations does).
 *
 *   vu_insmod vufuse; vumount -t vufusenull none TARGET      (a view)
 *   fusenull [-o opts] [SOURCE] MOUNTPOINT                  (the kernel's FUSE)
 *
 * One source, two builds, as vufusereal. It uses the FUSE 3.5 API the
 * long way (fuse_parse_cmdline, fuse_new, fuse_mount, fuse_loop), where
 * vufusereal uses fuse_main.
 */
#define FUSE_USE_VERSION 35

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <fuse3/fuse.h>
#include <fuse3/fuse_lowlevel.h>

int fuse_reentrant_tag;

static int null_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = 2;
	st->st_ino = 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	return 0;
}

static int null_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t offset,
			struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)offset;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	return 0;
}

static int null_statfs(const char *path, struct statvfs *st)
{
	(void)path;
	memset(st, 0, sizeof(*st));
	st->f_bsize = 4096;
	st->f_namemax = 255;
	return 0;
}

static const struct fuse_operations null_ops = {
	.getattr = null_getattr,
	.readdir = null_readdir,
	.statfs = null_statfs,
};

/* Non-options: [SOURCE] MOUNTPOINT; SOURCE, if there is one, means nothing. */
struct null_args {
	char *nonopt[2];
	int n;
};

static int null_opt(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	struct null_args *a = data;

	(void)outargs;
	if (key != FUSE_OPT_KEY_NONOPT)
		return 1;
	if (a->n == 2) {
		fprintf(stderr, "fusenull: too many arguments: %s\n", arg);
		return -1;
	}
	a->nonopt[a->n] = strdup(arg);
	return a->nonopt[a->n++] ? 0 : -1;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts = { 0 };
	struct null_args na = { { NULL, NULL }, 0 };
	struct fuse *fuse = NULL;
	int ret = 1;

	if (fuse_opt_parse(&args, &na, NULL, null_opt) < 0)
		goto out;
	if (na.n > 0 && fuse_opt_add_arg(&args, na.nonopt[na.n - 1]) < 0)
		goto out;
	if (fuse_parse_cmdline(&args, &opts) != 0)
		goto out;
	if (opts.show_help || opts.show_version) {
		printf("usage: fusenull [-o options] [SOURCE] MOUNTPOINT\n");
		ret = 0;
		goto out;
	}
	if (!opts.mountpoint) {
		fprintf(stderr, "usage: fusenull [-o options] [SOURCE] MOUNTPOINT\n");
		goto out;
	}
	fuse = fuse_new(&args, &null_ops, sizeof(null_ops), NULL);
	if (!fuse)
		goto out;
	if (fuse_mount(fuse, opts.mountpoint) != 0)
		goto out;
	if (fuse_daemonize(opts.foreground) != 0 ||
	    fuse_set_signal_handlers(fuse_get_session(fuse)) != 0)
		goto unmount;
	ret = fuse_loop(fuse) ? 1 : 0;
	fuse_remove_signal_handlers(fuse_get_session(fuse));
unmount:
	fuse_unmount(fuse);
out:
	if (fuse)
		fuse_destroy(fuse);
	free(opts.mountpoint);
	free(na.nonopt[0]);
	free(na.nonopt[1]);
	fuse_opt_free_args(&args);
	return ret;
}

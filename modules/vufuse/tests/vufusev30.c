// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufusev30.c - a test submodule written for FUSE_USE_VERSION 30, the
 * long way (fuse_parse_cmdline_30, fuse_new_30, fuse_loop_mt_31): one
 * file, /v30, whose content says what fuse_get_context() showed: the
 * private_data init returned, and the fuse_new user_data init saw.
 */
#define FUSE_USE_VERSION 30

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fuse3/fuse.h>
#include <fuse3/fuse_lowlevel.h>

static char user_data[] = "user";
static char init_data[] = "init";
static char content[128];

static void *v30_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void)conn;
	(void)cfg;
	snprintf(content, sizeof(content), "init saw %s\n",
		 (char *)fuse_get_context()->private_data);
	return init_data;
}

static int v30_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		return 0;
	}
	if (strcmp(path, "/v30") != 0)
		return -ENOENT;
	st->st_mode = S_IFREG | 0444;
	st->st_size = 4096;
	return 0;
}

static int v30_read(const char *path, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	char all[256];
	int n;

	(void)path;
	(void)fi;
	n = snprintf(all, sizeof(all), "%sop sees %s\n", content,
		     (char *)fuse_get_context()->private_data);
	if (off >= n)
		return 0;
	if (size > (size_t)(n - off))
		size = (size_t)(n - off);
	memcpy(buf, all + off, size);
	return (int)size;
}

static const struct fuse_operations v30_ops = {
	.init = v30_init,
	.getattr = v30_getattr,
	.read = v30_read,
};

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	struct fuse_cmdline_opts opts;
	struct fuse *f;
	int ret = 1;

	/* fmt="%N %T": the mount point is the only non-option */
	if (fuse_parse_cmdline(&args, &opts) != 0 || !opts.mountpoint)
		return 1;
	f = fuse_new(&args, &v30_ops, sizeof(v30_ops), user_data);
	if (f && fuse_mount(f, opts.mountpoint) == 0) {
		ret = fuse_loop_mt(f, 0) ? 1 : 0;
		fuse_unmount(f);
	}
	if (f)
		fuse_destroy(f);
	free(opts.mountpoint);
	fuse_opt_free_args(&args);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufusemark.c - a vufuse submodule for the tests (vufuse.sh) that keeps
 * what is written to /data in memory, as a write-back cache does, and
 * writes it to the file SOURCE only when asked: at fsync and fsyncdir
 * (syncfs and sync(2) reach them through vufuse), at destroy (followed by "destroyed"), and after
 * fuse_main returns ("main ended"). So SOURCE shows whether the umount,
 * sync and the end of the view reached the file system, through the view
 * (SOURCE may be on another mount).
 */
#define FUSE_USE_VERSION 31

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <fuse3/fuse.h>

static char *mark_source;
static char mark_data[4096];
static size_t mark_len;

static void mark_write(const char *tail)
{
	FILE *f = fopen(mark_source, tail && strcmp(tail, "main ended\n") == 0 ? "a" : "w");

	if (!f)
		return;
	if (!tail || strcmp(tail, "main ended\n") != 0)
		fwrite(mark_data, 1, mark_len, f);
	if (tail)
		fputs(tail, f);
	fclose(f);
}

static int mark_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
	} else if (strcmp(path, "/data") == 0) {
		st->st_mode = S_IFREG | 0644;
		st->st_nlink = 1;
		st->st_size = (off_t)mark_len;
	} else {
		return -ENOENT;
	}
	return 0;
}

static int mark_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
			struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)path;
	(void)off;
	(void)fi;
	(void)flags;
	filler(buf, ".", NULL, 0, 0);
	filler(buf, "..", NULL, 0, 0);
	filler(buf, "data", NULL, 0, 0);
	return 0;
}

static int mark_open(const char *path, struct fuse_file_info *fi)
{
	(void)fi;
	return strcmp(path, "/data") == 0 ? 0 : -ENOENT;
}

static int mark_read(const char *path, char *buf, size_t size, off_t off,
		     struct fuse_file_info *fi)
{
	(void)path;
	(void)fi;
	if ((size_t)off >= mark_len)
		return 0;
	if (size > mark_len - (size_t)off)
		size = mark_len - (size_t)off;
	memcpy(buf, mark_data + off, size);
	return (int)size;
}

static int mark_write_op(const char *path, const char *buf, size_t size, off_t off,
			 struct fuse_file_info *fi)
{
	(void)path;
	(void)fi;
	if ((size_t)off + size > sizeof(mark_data))
		return -ENOSPC;
	memcpy(mark_data + off, buf, size);
	if ((size_t)off + size > mark_len)
		mark_len = (size_t)off + size;
	return (int)size;
}

static int mark_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	(void)path;
	(void)fi;
	if ((size_t)size > sizeof(mark_data))
		return -EFBIG;
	mark_len = (size_t)size;
	return 0;
}

static int mark_fsync(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	(void)datasync;
	(void)fi;
	mark_write(NULL);
	return 0;
}

/* sync(2) and syncfs without this file open reach the root's fsyncdir. */
static int mark_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	(void)path;
	(void)datasync;
	(void)fi;
	mark_write(NULL);
	return 0;
}

static void mark_destroy(void *private_data)
{
	(void)private_data;
	mark_write("destroyed\n");
}

static const struct fuse_operations mark_ops = {
	.getattr = mark_getattr,
	.readdir = mark_readdir,
	.open = mark_open,
	.read = mark_read,
	.write = mark_write_op,
	.truncate = mark_truncate,
	.fsync = mark_fsync,
	.fsyncdir = mark_fsyncdir,
	.destroy = mark_destroy,
};

static int mark_opt(void *data, const char *arg, int key, struct fuse_args *outargs)
{
	(void)data;
	(void)outargs;
	if (key == FUSE_OPT_KEY_NONOPT && !mark_source) {
		mark_source = strdup(arg);
		return 0;
	}
	return 1;
}

int main(int argc, char *argv[])
{
	struct fuse_args args = FUSE_ARGS_INIT(argc, argv);
	int ret;

	if (fuse_opt_parse(&args, NULL, NULL, mark_opt) < 0 || !mark_source)
		return 1;
	ret = fuse_main(args.argc, args.argv, &mark_ops, NULL);
	mark_write("main ended\n");
	fuse_opt_free_args(&args);
	free(mark_source);
	mark_source = NULL;
	mark_len = 0;
	return ret;
}

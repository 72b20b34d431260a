// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fusehello.c - the smallest libfuse3 file system, for devfuse.sh: a root
 * with one file, /hello, that reads "hello, world\n". Built with
 * Debian's libfuse3 and run unmodified on the fuse module's /dev/fuse.
 */
#define FUSE_USE_VERSION 31
#include <errno.h>
#include <fuse.h>
#include <string.h>
#include <sys/stat.h>

static const char text[] = "hello, world\n";

static int hello_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	(void)fi;
	memset(st, 0, sizeof(*st));
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
		st->st_nlink = 2;
		return 0;
	}
	if (strcmp(path, "/hello") == 0) {
		st->st_mode = S_IFREG | 0444;
		st->st_nlink = 1;
		st->st_size = sizeof(text) - 1;
		return 0;
	}
	return -ENOENT;
}

static int hello_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
			 struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	(void)off;
	(void)fi;
	(void)flags;
	if (strcmp(path, "/") != 0)
		return -ENOENT;
	fill(buf, ".", NULL, 0, 0);
	fill(buf, "..", NULL, 0, 0);
	fill(buf, "hello", NULL, 0, 0);
	return 0;
}

static int hello_open(const char *path, struct fuse_file_info *fi)
{
	if (strcmp(path, "/hello") != 0)
		return -ENOENT;
	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EACCES;
	return 0;
}

static int hello_read(const char *path, char *buf, size_t size, off_t off,
		      struct fuse_file_info *fi)
{
	size_t len = sizeof(text) - 1;

	(void)fi;
	if (strcmp(path, "/hello") != 0)
		return -ENOENT;
	if ((size_t)off >= len)
		return 0;
	if (size > len - (size_t)off)
		size = len - (size_t)off;
	memcpy(buf, text + off, size);
	return (int)size;
}

static const struct fuse_operations hello_ops = {
	.getattr = hello_getattr,
	.readdir = hello_readdir,
	.open = hello_open,
	.read = hello_read,
};

int main(int argc, char *argv[])
{
	return fuse_main(argc, argv, &hello_ops, NULL);
}

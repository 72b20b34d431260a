// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_dev.c - the methods of /dev/fuse: a character device 10:229,
 * mode 0666; each open is a new connection (fuse_conn.h), its reads and
 * writes the server's side of the protocol. Closing it (the server's
 * death included) fails every call of its clients with ENOTCONN and
 * unmounts the mount.
 */
#include <errno.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "fuse_mod.h"

int fuse_dev_lstat(const char *path, struct vu_stat *buf)
{
	/* the path entry is /dev/fuse itself: nothing is under it */
	if (vu_mod_getht() == fuse_dev_path_ht && strcmp(path, "/") != 0)
		return errno = ENOTDIR, -1;
	memset(buf, 0, sizeof(*buf));
	buf->st_mode = S_IFCHR | 0666;
	buf->st_nlink = 1;
	buf->st_rdev = makedev(10, 229);
	buf->st_blksize = 4096;
	buf->st_ino = 229;
	return 0;
}

int fuse_dev_open(void **fdprivate)
{
	struct fuse_conn *c = fuse_conn_new();

	if (!c)
		return errno = ENOMEM, -1;
	*fdprivate = c;
	printkdebug(U, "open /dev/fuse: connection %p", (void *)c);
	return 0;
}

int fuse_dev_close(void *fdprivate)
{
	struct fuse_conn *c = fdprivate;

	if (fuse_conn_get_state(c) != FUSE_CONN_NEW)
		printk(KERN_INFO "fuse: a server closed its /dev/fuse (state %d): its calls fail "
		       "ENOTCONN, its mount goes\n", (int)fuse_conn_get_state(c));
	fuse_conn_release(c);
	fuse_mount_drop(c);
	fuse_conn_put(c);
	return 0;
}

ssize_t fuse_dev_read(void *fdprivate, void *buf, size_t count)
{
	ssize_t r = fuse_conn_dev_read(fdprivate, buf, count);

	if (r < 0)
		return errno = (int)-r, -1;
	return r;
}

ssize_t fuse_dev_write(void *fdprivate, const void *buf, size_t count)
{
	ssize_t r = fuse_conn_dev_write(fdprivate, buf, count);
	static int said;

	if (r == -ENOSYS && __atomic_fetch_add(&said, 1, __ATOMIC_RELAXED) < 4)
		printk(KERN_WARNING "fuse: a server's notification (unique 0): not implemented\n");
	if (r < 0)
		return errno = (int)-r, -1;
	return r;
}

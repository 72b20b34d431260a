// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudevnull.c - vudev submodule: a character device like /dev/null.
 *
 *   vumount -t vudevnull none /dev/mynull
 *
 * Reads are end of file, writes succeed and are thrown away. It has read
 * and write, no pread: vudev gives it read for pread (VU_USE_PRW).
 */
#include <vumodule.h>
#include <vudev.h>

static int null_open(const char *pathname, mode_t mode, struct vudevfd_t *vfd)
{
	return 0;
}

static int null_close(int fd, struct vudevfd_t *vfd)
{
	return 0;
}

static ssize_t null_read(int fd, void *buf, size_t count, struct vudevfd_t *vfd)
{
	return 0;
}

static ssize_t null_write(int fd, const void *buf, size_t count, struct vudevfd_t *vfd)
{
	return (ssize_t)count;
}

struct vudev_operations_t vudev_ops = {
	.open = null_open,
	.close = null_close,
	.read = null_read,
	.write = null_write,
};

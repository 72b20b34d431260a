/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * partx_disk.h - a partitioned block device over a backing store: the
 * vudev operations shared by vudevpartx (an image file) and vudevramdisk
 * (memory). Sub-device 0 is the whole disk, n its partition n (read by
 * partx_table.c); a disk without `partitioned` has only sub-device 0.
 * vudev serialises the operations of one device, so there are no locks.
 */
#ifndef PARTX_DISK_H
#define PARTX_DISK_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include <vudev.h>

#include "partx_table.h"

struct partx_store {
	/* like pread/pwrite of the whole store; a short count is an end */
	ssize_t (*pread)(void *ctx, void *buf, size_t n, off_t off);
	ssize_t (*pwrite)(void *ctx, const void *buf, size_t n, off_t off);
	int (*flush)(void *ctx); /* may be NULL */
};

struct partx_disk {
	const struct partx_store *store;
	void *ctx;
	const char *name; /* for the log: "vudevpartx /tmp/disk" */
	uint64_t nsect; /* the disk's size in sectors */
	bool partitioned;
	bool media_ro; /* the store cannot be written (an image opened read-only) */
	bool ro; /* BLKROSET, or the `ro` mount */
	unsigned int parts_open; /* files of partitions open: BLKRRPART is EBUSY */
	struct partx_table table;
};

/* Read the table again (or for the first time): 0 or -1. */
int partx_disk_reread(struct partx_disk *d);

int partx_disk_confirm_subdev(unsigned int subdev, struct vudev_t *vudev);
int partx_disk_open(const char *pathname, mode_t mode, struct vudevfd_t *vfd);
int partx_disk_close(int fd, struct vudevfd_t *vfd);
ssize_t partx_disk_pread(int fd, void *buf, size_t count, off_t offset, struct vudevfd_t *vfd);
ssize_t partx_disk_pwrite(int fd, const void *buf, size_t count, off_t offset,
			  struct vudevfd_t *vfd);
off_t partx_disk_lseek(int fd, off_t offset, int whence, struct vudevfd_t *vfd);
int partx_disk_ioctl(int fd, unsigned long request, void *addr, struct vudevfd_t *vfd);

#endif /* PARTX_DISK_H */

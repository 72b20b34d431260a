// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudevramdisk.c - vudev submodule: a block device in memory.
 *
 *   vumount -t vudevramdisk -o size=100M[,mbr][,ro] none /dev/ramdisk
 *
 * The disk is an anonymous mapping (pages are taken as they are written),
 * zeroed, lost at umount. With `mbr` it is partitioned: once a table is
 * written on it (fdisk, sgdisk) and BLKRRPART reread it, /dev/ramdiskN are
 * its partitions (partx_disk.c, shared with vudevpartx).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <stropt.h>

#include <vumodule.h>

#include "../vudevpartx/partx_disk.h"
#include "ramdisk_size.h"

struct vuramdisk {
	struct partx_disk disk; /* first: vudev's private data is this */
	uint8_t *data;
	uint64_t size;
};

static ssize_t rd_pread(void *ctx, void *buf, size_t n, off_t off)
{
	struct vuramdisk *r = ctx;

	if ((uint64_t)off >= r->size)
		return 0;
	if (n > r->size - (uint64_t)off)
		n = (size_t)(r->size - (uint64_t)off);
	memcpy(buf, r->data + off, n);
	return (ssize_t)n;
}

static ssize_t rd_pwrite(void *ctx, const void *buf, size_t n, off_t off)
{
	struct vuramdisk *r = ctx;

	if ((uint64_t)off >= r->size) {
		errno = ENOSPC;
		return -1;
	}
	if (n > r->size - (uint64_t)off)
		n = (size_t)(r->size - (uint64_t)off);
	memcpy(r->data + off, buf, n);
	return (ssize_t)n;
}

static const struct partx_store rd_store = {
	.pread = rd_pread,
	.pwrite = rd_pwrite,
};

/* size=, mbr, ro: 0, or -1 with a log line. */
static int rd_opts(const char *args, struct vuramdisk *r)
{
	int n = args ? stropt(args, NULL, NULL, NULL) : 0;

	r->size = RAMDISK_DEFAULT_SIZE;
	if (n <= 1)
		return 0;
	char buf[strlen(args) + 1];
	char *tags[n], *vals[n];

	stropt(args, tags, vals, buf);
	for (int i = 0; tags[i]; i++) {
		if (!strcmp(tags[i], "size")) {
			if (ramdisk_parse_size(vals[i], &r->size) < 0) {
				printk(KERN_ERR "vudevramdisk: bad size \"%s\" (N[kKmMgG], 512 "
						"bytes to 1T)\n",
				       vals[i] ? vals[i] : "");
				return -1;
			}
		} else if (!strcmp(tags[i], "mbr")) {
			r->disk.partitioned = true;
		} else if (!strcmp(tags[i], "ro")) {
			r->disk.ro = true;
		}
	}
	return 0;
}

static void *rd_init(const char *source, unsigned long flags, const char *args,
		     struct vudev_t *vudev)
{
	struct vuramdisk *r = calloc(1, sizeof(*r));

	if (!r) {
		errno = ENOMEM;
		return NULL;
	}
	if (rd_opts(args, r) < 0) {
		free(r);
		errno = EINVAL;
		return NULL;
	}
	r->data = mmap(NULL, r->size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (r->data == MAP_FAILED) {
		printk(KERN_ERR "vudevramdisk: no memory for %llu bytes\n",
		       (unsigned long long)r->size);
		free(r);
		errno = ENOMEM;
		return NULL;
	}
	r->disk.store = &rd_store;
	r->disk.ctx = r;
	r->disk.name = "vudevramdisk";
	r->disk.nsect = r->size / PARTX_SECTOR;
	if (flags & MS_RDONLY)
		r->disk.ro = true;
	partx_disk_reread(&r->disk); /* memory: cannot fail */
	vudev_set_devtype(vudev, S_IFBLK);
	return &r->disk;
}

static int rd_fini(void *private_data)
{
	struct vuramdisk *r = private_data;

	if (r) {
		munmap(r->data, r->size);
		free(r);
	}
	return 0;
}

struct vudev_operations_t vudev_ops = {
	.confirm_subdev = partx_disk_confirm_subdev,
	.open = partx_disk_open,
	.close = partx_disk_close,
	.pread = partx_disk_pread,
	.pwrite = partx_disk_pwrite,
	.lseek = partx_disk_lseek,
	.ioctl = partx_disk_ioctl,
	.init = rd_init,
	.fini = rd_fini,
};

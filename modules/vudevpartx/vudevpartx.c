// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudevpartx.c - vudev submodule: a disk image file as a partitioned
 * block device.
 *
 *   vumount -t vudevpartx [-o ro] IMAGE /dev/hda
 *
 * /dev/hda is the whole image, /dev/hdaN its partition N (MBR with
 * logical partitions, or GPT: partx_table.c). The table is read at the
 * mount and again at BLKRRPART. With `ro` (or -r) the image is opened
 * read-only and the device refuses writes; an image the user cannot write
 * is mounted read-only, with a log line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <stropt.h>

#include <vumodule.h>

#include "partx_disk.h"

struct vupartx {
	struct partx_disk disk; /* first: vudev's private data is this */
	int fd;
	char name[];
};

static ssize_t img_pread(void *ctx, void *buf, size_t n, off_t off)
{
	return pread(((struct vupartx *)ctx)->fd, buf, n, off);
}

static ssize_t img_pwrite(void *ctx, const void *buf, size_t n, off_t off)
{
	return pwrite(((struct vupartx *)ctx)->fd, buf, n, off);
}

static int img_flush(void *ctx)
{
	return fsync(((struct vupartx *)ctx)->fd);
}

static const struct partx_store img_store = {
	.pread = img_pread,
	.pwrite = img_pwrite,
	.flush = img_flush,
};

/* Is `ro` among the mount options? (vumount makes it MS_RDONLY too.) */
static bool opt_ro(const char *args)
{
	int n = args ? stropt(args, NULL, NULL, NULL) : 0;
	bool ro = false;

	if (n > 1) {
		char buf[strlen(args) + 1];
		char *tags[n], *vals[n];

		stropt(args, tags, vals, buf);
		for (int i = 0; tags[i]; i++)
			if (!strcmp(tags[i], "ro"))
				ro = true;
			else if (!strcmp(tags[i], "rw"))
				ro = false;
	}
	return ro;
}

static void *partx_init(const char *source, unsigned long flags, const char *args,
			struct vudev_t *vudev)
{
	bool ro = (flags & MS_RDONLY) || opt_ro(args);
	struct vupartx *p;
	off_t size;
	int e;

	if (!source || !*source) {
		printk(KERN_ERR "vudevpartx: no image given\n");
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p) + strlen(source) + sizeof("vudevpartx "));
	if (!p) {
		errno = ENOMEM;
		return NULL;
	}
	sprintf(p->name, "vudevpartx %s", source);
	p->fd = open(source, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (p->fd < 0 && !ro && (errno == EACCES || errno == EROFS)) {
		printk(KERN_WARNING "%s: cannot write the image (%s): read-only\n", p->name,
		       strerror(errno));
		ro = true;
		p->fd = open(source, O_RDONLY | O_CLOEXEC);
	}
	if (p->fd < 0) {
		e = errno;
		printk(KERN_ERR "vudevpartx: cannot open image %s: %s\n", source, strerror(e));
		goto fail;
	}
	size = lseek(p->fd, 0, SEEK_END);
	if (size < 0) {
		e = errno;
		printk(KERN_ERR "%s: cannot know its size: %s\n", p->name, strerror(e));
		goto fail;
	}
	if (size % PARTX_SECTOR)
		printk(KERN_WARNING "%s: the last %lld bytes are not a whole sector: not shown\n",
		       p->name, (long long)(size % PARTX_SECTOR));
	p->disk.store = &img_store;
	p->disk.ctx = p;
	p->disk.name = p->name;
	p->disk.nsect = (uint64_t)size / PARTX_SECTOR;
	p->disk.partitioned = true;
	p->disk.media_ro = ro;
	if (partx_disk_reread(&p->disk) < 0) {
		e = errno;
		printk(KERN_ERR "%s: cannot read the partition table: %s\n", p->name, strerror(e));
		goto fail;
	}
	vudev_set_devtype(vudev, S_IFBLK);
	return &p->disk;
fail:
	if (p->fd >= 0)
		close(p->fd);
	free(p);
	errno = e;
	return NULL;
}

static int partx_fini(void *private_data)
{
	struct vupartx *p = private_data;

	if (p) {
		fsync(p->fd);
		close(p->fd);
		free(p);
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
	.init = partx_init,
	.fini = partx_fini,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * partx_disk.c - the block device of a partitioned disk (partx_disk.h):
 * bounds, read-only, and the block ioctls, as Linux's block layer does
 * them: a read at the end is 0, a write there ENOSPC, one across it short.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <sys/ioctl.h>

#include <vumodule.h>

#include "partx_disk.h"

/* What one open file sees: a copy, so a reread does not move it. */
struct partx_fd {
	unsigned int num;
	uint64_t start, nsect;
	bool ro;
};

static int partx_sector(void *ctx, uint64_t lba, void *buf)
{
	struct partx_disk *d = ctx;
	ssize_t n = d->store->pread(d->ctx, buf, PARTX_SECTOR, (off_t)(lba * PARTX_SECTOR));

	if (n < 0)
		return -1;
	if (n != PARTX_SECTOR) {
		errno = EIO;
		return -1;
	}
	return 0;
}

static void partx_log(void *ctx, const char *fmt, ...)
{
	struct partx_disk *d = ctx;
	char line[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	printk(KERN_WARNING "%s: %s\n", d->name, line);
}

int partx_disk_reread(struct partx_disk *d)
{
	if (!d->partitioned) {
		memset(&d->table, 0, sizeof(d->table));
		d->table.part[0] = (struct partx_part){ .present = true, .nsect = d->nsect };
		return 0;
	}
	return partx_read_table(&d->table, d->nsect, partx_sector, partx_log, d);
}

static struct partx_disk *partx_of(struct vudevfd_t *vfd)
{
	return vudev_get_private_data(vfd->vudev);
}

int partx_disk_confirm_subdev(unsigned int subdev, struct vudev_t *vudev)
{
	struct partx_disk *d = vudev_get_private_data(vudev);

	return d && subdev <= d->table.last && d->table.part[subdev].present;
}

int partx_disk_open(const char *pathname, mode_t mode, struct vudevfd_t *vfd)
{
	struct partx_disk *d = partx_of(vfd);
	unsigned int num = (unsigned int)vfd->subdev;
	struct partx_fd *pf;

	if (!partx_disk_confirm_subdev(num, vfd->vudev)) {
		errno = ENXIO;
		return -1;
	}
	if ((vfd->flags & O_ACCMODE) != O_RDONLY && (d->ro || d->media_ro)) {
		errno = EROFS;
		return -1;
	}
	pf = malloc(sizeof(*pf));
	if (!pf) {
		errno = ENOMEM;
		return -1;
	}
	pf->num = num;
	pf->start = d->table.part[num].start;
	pf->nsect = d->table.part[num].nsect;
	pf->ro = d->table.part[num].readonly;
	vfd->fdprivate = pf;
	if (num)
		d->parts_open++;
	return 0;
}

int partx_disk_close(int fd, struct vudevfd_t *vfd)
{
	struct partx_disk *d = partx_of(vfd);
	struct partx_fd *pf = vfd->fdprivate;

	if (pf && pf->num && d->parts_open)
		d->parts_open--;
	free(pf);
	vfd->fdprivate = NULL;
	return 0;
}

/* How much of [offset, offset + count) is in the file: -1 for a bad offset. */
static ssize_t partx_clip(const struct partx_fd *pf, size_t count, off_t offset)
{
	uint64_t size = pf->nsect * PARTX_SECTOR;

	if (offset < 0) {
		errno = EINVAL;
		return -1;
	}
	if ((uint64_t)offset >= size)
		return 0;
	if (count > size - (uint64_t)offset)
		count = (size_t)(size - (uint64_t)offset);
	return count > SSIZE_MAX ? SSIZE_MAX : (ssize_t)count;
}

ssize_t partx_disk_pread(int fd, void *buf, size_t count, off_t offset, struct vudevfd_t *vfd)
{
	struct partx_disk *d = partx_of(vfd);
	struct partx_fd *pf = vfd->fdprivate;
	ssize_t n = partx_clip(pf, count, offset);

	if (n <= 0)
		return n;
	return d->store->pread(d->ctx, buf, (size_t)n, (off_t)(pf->start * PARTX_SECTOR) + offset);
}

ssize_t partx_disk_pwrite(int fd, const void *buf, size_t count, off_t offset,
			  struct vudevfd_t *vfd)
{
	struct partx_disk *d = partx_of(vfd);
	struct partx_fd *pf = vfd->fdprivate;
	ssize_t n;

	if (d->ro || d->media_ro || pf->ro) {
		errno = EROFS;
		return -1;
	}
	n = partx_clip(pf, count, offset);
	if (n < 0)
		return n;
	if (n == 0) {
		if (count == 0)
			return 0;
		errno = ENOSPC; /* at or past the end of the device */
		return -1;
	}
	return d->store->pwrite(d->ctx, buf, (size_t)n, (off_t)(pf->start * PARTX_SECTOR) + offset);
}

/* As Linux's block devices: a position from 0 to the size, no further. */
off_t partx_disk_lseek(int fd, off_t offset, int whence, struct vudevfd_t *vfd)
{
	struct partx_fd *pf = vfd->fdprivate;
	off_t size = (off_t)(pf->nsect * PARTX_SECTOR), base;

	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = vfd->offset;
		break;
	case SEEK_END:
		base = size;
		break;
	default:
		errno = EINVAL;
		return -1;
	}
	if ((offset > 0 && base > size - offset) || base + offset < 0 || base + offset > size) {
		errno = EINVAL;
		return -1;
	}
	return base + offset;
}

static int partx_rrpart(struct partx_disk *d, const struct partx_fd *pf)
{
	if (pf->num || !d->partitioned) {
		errno = EINVAL;
		return -1;
	}
	if (d->parts_open) {
		errno = EBUSY; /* as Linux: a partition in use keeps its table */
		return -1;
	}
	return partx_disk_reread(d);
}

static void partx_geo(const struct partx_disk *d, const struct partx_fd *pf, struct hd_geometry *g)
{
	uint64_t cyl = d->nsect / (255 * 63);

	g->heads = 255;
	g->sectors = 63;
	g->cylinders = cyl > 0xffff ? 0xffff : (unsigned short)cyl;
	g->start = pf->start;
}

int partx_disk_ioctl(int fd, unsigned long request, void *addr, struct vudevfd_t *vfd)
{
	struct partx_disk *d;
	struct partx_fd *pf;

	if (fd < 0)
		return -1; /* the probe: vudev knows these requests' sizes */
	d = partx_of(vfd);
	pf = vfd->fdprivate;
	/* no discard: mke2fs and blkdiscard take EOPNOTSUPP as "not implemented" */
	if (request == BLKDISCARD || request == BLKSECDISCARD || request == BLKZEROOUT) {
		errno = EOPNOTSUPP;
		return -1;
	}
	if (!addr && request != BLKRRPART && request != BLKFLSBUF) {
		errno = EFAULT;
		return -1;
	}
	switch (request) {
	case BLKGETSIZE:
		*(unsigned long *)addr = (unsigned long)pf->nsect;
		return 0;
	case BLKGETSIZE64:
		*(uint64_t *)addr = pf->nsect * PARTX_SECTOR;
		return 0;
	case BLKSSZGET:
		*(int *)addr = PARTX_SECTOR;
		return 0;
	case BLKPBSZGET:
	case BLKIOMIN:
		*(unsigned int *)addr = PARTX_SECTOR;
		return 0;
	case BLKIOOPT:
		*(unsigned int *)addr = 0;
		return 0;
	case BLKALIGNOFF:
		*(int *)addr = 0;
		return 0;
	case BLKROGET:
		*(int *)addr = d->ro || d->media_ro || pf->ro;
		return 0;
	case BLKROSET:
		if (!*(int *)addr && d->media_ro) {
			errno = EACCES; /* the image itself is read-only */
			return -1;
		}
		d->ro = *(int *)addr != 0;
		return 0;
	case BLKRRPART:
		return partx_rrpart(d, pf);
	case BLKFLSBUF:
		return d->store->flush ? d->store->flush(d->ctx) : 0;
	case HDIO_GETGEO:
		partx_geo(d, pf, addr);
		return 0;
	default:
		errno = ENOTTY;
		return -1;
	}
}

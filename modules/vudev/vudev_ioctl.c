// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudev_ioctl.c - the size probe of the block requests whose number does
 * not say the size and direction of their argument (_IO(0x12, n) and
 * HDIO_GETGEO are older than _IOR/_IOW). The hypervisor asks
 * ioctl(-1, request) to know what to copy in and out; VUOS's submodules
 * answer -1 to every probe, so vudev answers for them. The value is an
 * _IOC in the module's sense: _IOC_READ, the module reads the argument
 * (copied in); _IOC_WRITE, the module writes it (copied out).
 */
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <sys/ioctl.h>

#include "vudev_priv.h"

int vudev_ioctl_probe(unsigned long request)
{
	switch (request) {
	case BLKROSET:
		return (int)_IOC(_IOC_READ, 0x12, 93, sizeof(int));
	case BLKROGET:
		return _IOC(_IOC_WRITE, 0x12, 94, sizeof(int));
	case BLKGETSIZE:
		return _IOC(_IOC_WRITE, 0x12, 96, sizeof(unsigned long));
	case BLKSSZGET:
		return _IOC(_IOC_WRITE, 0x12, 104, sizeof(int));
	case BLKPBSZGET:
		return _IOC(_IOC_WRITE, 0x12, 123, sizeof(unsigned int));
	case BLKIOMIN:
		return _IOC(_IOC_WRITE, 0x12, 120, sizeof(unsigned int));
	case BLKIOOPT:
		return _IOC(_IOC_WRITE, 0x12, 121, sizeof(unsigned int));
	case BLKALIGNOFF:
		return _IOC(_IOC_WRITE, 0x12, 122, sizeof(int));
	case BLKGETSIZE64:
		return _IOC(_IOC_WRITE, 0x12, 114, sizeof(unsigned long long));
	case HDIO_GETGEO:
		return _IOC(_IOC_WRITE, 0x03, 0x01, sizeof(struct hd_geometry));
	default:
		return -1; /* the request's own encoding (BLKRRPART, BLKFLSBUF: no argument) */
	}
}

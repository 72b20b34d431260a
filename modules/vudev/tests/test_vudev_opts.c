// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vudev_opts.c - vudev's common mount options (mode= uid= gid=
 * major= minor= chrdev blkdev devid) and the ioctl size probe.
 */
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <sys/ioctl.h>
#include <sys/sysmacros.h>

#include "vudev_priv.h"
#include "tap.h"

static void test_opts(void)
{
	struct vudev_opts o;
	struct vudev_t v = { 0 };

	is_long(vudev_parse_opts("", &o), 0, "no options");
	ok(!o.has_mode && !o.has_uid && !o.type && !o.devid, "  set nothing");
	is_long(vudev_parse_opts("mode=640,uid=1000,gid=100,major=3,minor=64,blkdev,devid,size=1M",
				 &o),
		0, "every option, and one of the submodule's");
	ok(o.has_mode && o.mode == 0640, "  mode is octal");
	ok(o.has_uid && o.uid == 1000 && o.has_gid && o.gid == 100, "  uid and gid");
	ok(o.has_major && o.major == 3 && o.has_minor && o.minor == 64, "  major and minor");
	ok(o.type == S_IFBLK && o.devid, "  blkdev and devid");

	v.stat.st_mode = S_IFCHR | 0600;
	v.stat.st_rdev = makedev(7, 1);
	vudev_apply_opts(&o, &v, false);
	ok(v.stat.st_mode == (S_IFCHR | 0640), "applied: the mode, not yet the type");
	ok(v.stat.st_uid == 1000 && v.stat.st_gid == 100, "  the owner");
	ok(major(v.stat.st_rdev) == 3 && minor(v.stat.st_rdev) == 64, "  the device number");
	vudev_apply_opts(&o, &v, true);
	ok(v.stat.st_mode == (S_IFBLK | 0640), "  then the type");

	vudev_parse_opts("minor=5", &o);
	v.stat.st_rdev = makedev(7, 1);
	vudev_apply_opts(&o, &v, false);
	ok(major(v.stat.st_rdev) == 7 && minor(v.stat.st_rdev) == 5,
	   "minor= alone keeps the major");

	is_long(vudev_parse_opts("char", &o), 0, "char");
	ok(o.type == S_IFCHR, "  is a character device");
	vudev_parse_opts("chrdev", &o);
	ok(o.type == S_IFCHR, "chrdev too");
	vudev_parse_opts("blk", &o);
	ok(o.type == S_IFBLK, "blk is a block device");
	vudev_parse_opts("major=0x10", &o);
	ok(o.major == 16, "major= takes hex, as VUOS's strtoul(, 0)");

	is_long(vudev_parse_opts("mode=999", &o), -1, "mode=999 (not octal) is refused");
	is_long(vudev_parse_opts("mode=", &o), -1, "an empty mode= is refused");
	is_long(vudev_parse_opts("uid=bob", &o), -1, "uid=bob is refused");
	is_long(vudev_parse_opts("gid=-1", &o), -1, "gid=-1 is refused");
	is_long(vudev_parse_opts("major=1x", &o), -1, "major=1x is refused");
	is_long(vudev_parse_opts("minor=99999999", &o), -1, "a minor over 20 bits is refused");
	is_long(vudev_parse_opts("mode=10000", &o), -1, "a mode over 07777 is refused");
}

static void test_probe(void)
{
	int p = vudev_ioctl_probe(BLKGETSIZE);

	ok(_IOC_DIR((unsigned int)p) == _IOC_WRITE &&
		   _IOC_SIZE((unsigned int)p) == sizeof(unsigned long),
	   "BLKGETSIZE: the module writes an unsigned long");
	p = vudev_ioctl_probe(BLKROSET);
	ok(_IOC_DIR((unsigned int)p) == _IOC_READ && _IOC_SIZE((unsigned int)p) == sizeof(int),
	   "BLKROSET: the module reads an int");
	p = vudev_ioctl_probe(HDIO_GETGEO);
	ok(_IOC_DIR((unsigned int)p) == _IOC_WRITE &&
		   _IOC_SIZE((unsigned int)p) == sizeof(struct hd_geometry),
	   "HDIO_GETGEO: the module writes a struct hd_geometry");
	p = vudev_ioctl_probe(BLKSSZGET);
	ok(_IOC_SIZE((unsigned int)p) == sizeof(int), "BLKSSZGET: an int");
	p = vudev_ioctl_probe(BLKGETSIZE64);
	ok(_IOC_DIR((unsigned int)p) == _IOC_WRITE && _IOC_SIZE((unsigned int)p) == 8,
	   "BLKGETSIZE64: 8 bytes out");
	is_long(vudev_ioctl_probe(BLKRRPART), -1, "BLKRRPART: no argument");
	is_long(vudev_ioctl_probe(BLKFLSBUF), -1, "BLKFLSBUF: no argument");
	is_long(vudev_ioctl_probe(0x5401), -1, "TCGETS: not a block request");
}

int main(void)
{
	test_opts();
	test_probe();
	return tap_done();
}

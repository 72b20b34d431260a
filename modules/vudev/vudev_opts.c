// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudev_opts.c - the mount options common to every vudev device, as
 * VUOS's: mode=OCTAL uid=N gid=N major=N minor=N, chrdev|char|chr,
 * blkdev|blk, devid (claim the device numbers too). Options vudev does
 * not know are the submodule's (size=, mbr, ro...). Unlike VUOS, a value
 * that is not a number fails the mount (EINVAL) instead of being 0.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>
#include <stropt.h>

#include "vudev_priv.h"

/* @s as an unsigned number in @base, at most @max: 0, or -1. */
static int vudev_num(const char *s, int base, unsigned long max, unsigned long *v)
{
	char *end;

	if (!s || !*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	*v = strtoul(s, &end, base);
	if (errno || *end || *v > max)
		return -1;
	return 0;
}

static int vudev_opt(const char *tag, const char *arg, struct vudev_opts *o)
{
	unsigned long v;

	if (!arg) {
		if (!strcmp(tag, "chrdev") || !strcmp(tag, "char") || !strcmp(tag, "chr"))
			o->type = S_IFCHR;
		else if (!strcmp(tag, "blkdev") || !strcmp(tag, "blk"))
			o->type = S_IFBLK;
		else if (!strcmp(tag, "devid"))
			o->devid = true;
		return 0;
	}
	if (!strcmp(tag, "mode")) {
		if (vudev_num(arg, 8, 07777, &v) < 0)
			return -1;
		o->mode = (mode_t)v;
		o->has_mode = true;
	} else if (!strcmp(tag, "uid")) {
		if (vudev_num(arg, 10, 0xfffffffeul, &v) < 0)
			return -1;
		o->uid = (uid_t)v;
		o->has_uid = true;
	} else if (!strcmp(tag, "gid")) {
		if (vudev_num(arg, 10, 0xfffffffeul, &v) < 0)
			return -1;
		o->gid = (gid_t)v;
		o->has_gid = true;
	} else if (!strcmp(tag, "major")) {
		if (vudev_num(arg, 0, 0xfffff, &v) < 0)
			return -1;
		o->major = (unsigned int)v;
		o->has_major = true;
	} else if (!strcmp(tag, "minor")) {
		if (vudev_num(arg, 0, 0xfffff, &v) < 0)
			return -1;
		o->minor = (unsigned int)v;
		o->has_minor = true;
	}
	return 0;
}

int vudev_parse_opts(const char *data, struct vudev_opts *o)
{
	int n;

	memset(o, 0, sizeof(*o));
	if (!data)
		return 0;
	n = stropt(data, NULL, NULL, NULL);
	if (n <= 1)
		return 0;
	{
		char buf[strlen(data) + 1];
		char *tags[n], *args[n];

		stropt(data, tags, args, buf);
		for (int i = 0; tags[i]; i++)
			if (vudev_opt(tags[i], args[i], o) < 0)
				return -1;
	}
	return 0;
}

void vudev_apply_opts(const struct vudev_opts *o, struct vudev_t *vudev, bool type)
{
	struct vu_stat *st = &vudev->stat;

	if (type) {
		if (o->type)
			st->st_mode = (st->st_mode & ~S_IFMT) | o->type;
		return;
	}
	if (o->has_mode)
		st->st_mode = (st->st_mode & S_IFMT) | o->mode;
	if (o->has_uid)
		st->st_uid = o->uid;
	if (o->has_gid)
		st->st_gid = o->gid;
	if (o->has_major)
		st->st_rdev = makedev(o->major, minor(st->st_rdev));
	if (o->has_minor)
		st->st_rdev = makedev(major(st->st_rdev), o->minor);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fuse_opts.c - the fuse module's mount data parser: what libfuse2
 * and libfuse3 pass, and what the kernel refuses.
 */
#include <errno.h>
#include <sys/stat.h>

#include "fuse_opts.h"
#include "tap.h"

static int parse(const char *data, struct fuse_mopts *o, char *why)
{
	return fuse_mopts_parse(data, o, why, 128);
}

int main(void)
{
	struct fuse_mopts o;
	char why[128] = "", shown[160];

	is_long(parse("fd=5,rootmode=40000,user_id=1000,group_id=1001", &o, why), 0,
		"libfuse's data parses");
	is_long(o.fd, 5, "fd");
	is_long(o.rootmode, S_IFDIR, "rootmode is octal");
	is_long(o.user_id, 1000, "user_id");
	is_long(o.group_id, 1001, "group_id");
	ok(!o.default_permissions && !o.allow_other && o.max_read == 0, "no flags by default");

	is_long(parse("fd=3,rootmode=100000,user_id=0,group_id=0,default_permissions,"
		      "allow_other,max_read=65536,blksize=4096",
		      &o, why),
		0, "every option libfuse may add");
	ok(o.default_permissions && o.allow_other, "flags");
	is_long(o.max_read, 65536, "max_read");
	is_long(o.rootmode, S_IFREG, "a file as the root");
	fuse_mopts_show(&o, shown, sizeof(shown));
	is_str(shown, "user_id=0,group_id=0,default_permissions,allow_other,max_read=65536",
	       "the mount table's options");

	is_long(parse(NULL, &o, why), -EINVAL, "no data");
	is_str(why, "missing fd=", "no data: says fd= is missing");
	is_long(parse("rootmode=40000,user_id=1,group_id=1", &o, why), -EINVAL, "no fd=");
	is_str(why, "missing fd=", "the reason");
	is_long(parse("fd=3,user_id=1,group_id=1", &o, why), -EINVAL, "no rootmode=");
	is_str(why, "missing rootmode=", "the reason");
	is_long(parse("fd=3,rootmode=40000,group_id=1", &o, why), -EINVAL, "no user_id=");
	is_long(parse("fd=3,rootmode=40000,user_id=1", &o, why), -EINVAL, "no group_id=");
	is_long(parse("fd=x,rootmode=40000,user_id=1,group_id=1", &o, why), -EINVAL, "fd=x");
	is_str(why, "bad option \"fd=x\"", "names the bad option");
	is_long(parse("fd=-1,rootmode=40000,user_id=1,group_id=1", &o, why), -EINVAL, "fd=-1");
	is_long(parse("fd=3,rootmode=9,user_id=1,group_id=1", &o, why), -EINVAL,
		"rootmode not octal");
	is_long(parse("fd=3,rootmode=170000,user_id=1,group_id=1", &o, why), -EINVAL,
		"rootmode not a file type");
	is_long(parse("fd=3,rootmode=40000,user_id=1,group_id=1,bogus", &o, why), -EINVAL,
		"unknown option");
	is_long(parse("fd=3,rootmode=40000,user_id=1,group_id=1,allow_other=1", &o, why),
		-EINVAL, "a flag with a value");
	is_long(parse("fd=3,rootmode=40000,user_id=99999999999,group_id=1", &o, why), -EINVAL,
		"user_id out of range");
	is_long(parse("fd=3,,rootmode=40000,user_id=1,group_id=1", &o, why), 0,
		"an empty option is skipped");
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

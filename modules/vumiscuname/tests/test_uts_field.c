// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_uts_field.c - vumiscuname's fields by name and the rules of a new
 * value (the length limit of sethostname, the line end of a file).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "uts_field.h"
#include "tap.h"

int main(void)
{
	struct utsname u;
	char *f;
	char long65[66];

	memset(&u, 0, sizeof(u));
	ok(uts_field(&u, "sysname") == u.sysname && uts_field(&u, "nodename") == u.nodename &&
		   uts_field(&u, "release") == u.release && uts_field(&u, "version") == u.version &&
		   uts_field(&u, "machine") == u.machine &&
		   uts_field(&u, "domainname") == u.domainname,
	   "the six fields by name");
	ok(!uts_field(&u, "hostname") && !uts_field(&u, NULL), "no other");
	f = u.nodename;
	is_long(uts_field_set(f, "myhost\n", 7, true), 0, "a file's \"myhost\\n\"");
	is_str(f, "myhost", "is myhost, without the line end");
	is_long(uts_field_set(f, "a\nb\n", 4, true), -EINVAL, "two lines: EINVAL");
	is_str(f, "myhost", "and nothing changed");
	is_long(uts_field_set(f, "x\0y", 3, true), -EINVAL, "a NUL in a file's value: EINVAL");
	memset(long65, 'a', 65);
	long65[65] = '\0';
	is_long(uts_field_set(f, long65, 65, false), -EINVAL, "65 bytes: EINVAL, as sethostname");
	is_long(uts_field_set(f, long65, 64, false), 0, "64 bytes fit");
	ok(strlen(f) == 64, "all of them");
	is_long(uts_field_set(f, "short", 5, false), 0, "a shorter name after a long one");
	ok(strcmp(f, "short") == 0 && f[63] == '\0' && f[64] == '\0', "leaves nothing of the old");
	is_long(uts_field_set(f, "", 0, false), 0, "an empty name (the kernel allows it)");
	is_str(f, "", "is empty");
	is_long(uts_field_set(f, "\n", 1, true), 0, "an empty line in a file");
	is_long(uts_field_set(NULL, "x", 1, false), -EINVAL, "no field: EINVAL");
	return tap_done();
}

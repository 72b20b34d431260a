// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of kmod/path.c: the normalisation and prefix matching
 * the in-kernel filter relies on.
 */
#include <stdlib.h>
#include <string.h>

#include "../../daemon/tests/tap.h"
#include "../path.h"

static const char *norm(const char *in)
{
	static char buf[4096];
	size_t len;

	strcpy(buf, in);
	len = kmview_path_normalize(buf, strlen(buf));
	if (len != strlen(buf))
		return "(length mismatch)";
	return buf;
}

int main(void)
{
	is_str(norm("/"), "/", "root stays root");
	is_str(norm("//"), "/", "double slash is root");
	is_str(norm("/a/b/c"), "/a/b/c", "plain path unchanged");
	is_str(norm("/a//b///c/"), "/a/b/c", "slashes folded, trailing dropped");
	is_str(norm("/a/./b/."), "/a/b", "dots dropped");
	is_str(norm("/a/b/../c"), "/a/c", "dotdot pops a component");
	is_str(norm("/a/b/../../.."), "/", "dotdot stops at root");
	is_str(norm("/../mnt/x"), "/mnt/x", "dotdot at root stays at root");
	is_str(norm("/mnt/../etc/passwd"), "/etc/passwd", "escape from a mount is seen");
	is_str(norm("/etc/../mnt/img/f"), "/mnt/img/f", "entry into a mount is seen");
	is_str(norm("/a/..b/.c/..."), "/a/..b/.c/...", "names that start with dots are names");
	is_str(norm("/proc/../kmview-vroot/proc/version"), "/kmview-vroot/proc/version",
	       "the selftest's path");

	ok(kmview_path_under("/mnt", 4, "/mnt", 4), "a prefix covers itself");
	ok(kmview_path_under("/mnt", 4, "/mnt/x", 6), "a prefix covers below it");
	ok(!kmview_path_under("/mnt", 4, "/mntx", 5), "not a sibling with the same start");
	ok(!kmview_path_under("/mnt", 4, "/mn", 3), "not a shorter path");
	ok(!kmview_path_under("/mnt/a", 6, "/mnt", 4), "not a parent");
	ok(kmview_path_under("/", 1, "/anything", 9), "the root covers everything");

	ok(kmview_path_is_normal("/", 1), "/ is normal");
	ok(kmview_path_is_normal("/mnt/img", 8), "/mnt/img is normal");
	ok(!kmview_path_is_normal("", 0), "empty is not");
	ok(!kmview_path_is_normal("mnt", 3), "relative is not");
	ok(!kmview_path_is_normal("/mnt/", 5), "trailing slash is not");
	ok(!kmview_path_is_normal("/a//b", 5), "double slash is not");
	ok(!kmview_path_is_normal("/a/./b", 6), "dot is not");
	ok(!kmview_path_is_normal("/a/..", 5), "dotdot is not");
	ok(kmview_path_is_normal("/a/..b", 6), "a name starting with dots is");
	ok(!kmview_path_is_normal("/a\0b", 4), "an embedded NUL is not");
	return tap_done();
}

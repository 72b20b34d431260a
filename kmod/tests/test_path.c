// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit tests of kmod/path.c: the normalisation and prefix matching
 * the in-kernel filter relies on.
 */
#include <stdio.h>
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

/* The prefixes the iterator yields, as "len:prefix" separated by spaces; hashes checked. */
static const char *prefixes(const char *path)
{
	static char out[1024];
	struct kmview_path_iter it;
	size_t plen, n = 0;
	u32 h;

	out[0] = '\0';
	kmview_path_iter_init(&it, path, strlen(path));
	while (kmview_path_next_prefix(&it, &plen, &h)) {
		if (h != kmview_path_hash(path, plen))
			return "(hash mismatch)";
		n += snprintf(out + n, sizeof(out) - n, "%s%.*s", n ? " " : "", (int)plen, path);
	}
	return out;
}

static const char *redirect(const char *to, const char *orig, size_t plen)
{
	static char out[64];
	char norm[64];
	size_t nlen;

	strcpy(norm, orig);
	nlen = kmview_path_normalize(norm, strlen(norm));
	if (kmview_path_redirect(out, sizeof(out), to, strlen(to), norm, nlen, plen, orig,
				 strlen(orig)) < 0)
		return "(too long)";
	return out;
}

static void test_redirect(void)
{
	char buf[16];

	is_str(prefixes("/"), "/", "the root's only prefix is itself");
	is_str(prefixes("/a"), "/ /a", "one component");
	is_str(prefixes("/usr/share/doc"), "/ /usr /usr/share /usr/share/doc",
	       "every whole component, shortest first");
	ok(kmview_path_hash("/usr", 4) != kmview_path_hash("/us", 3), "hashes differ");

	ok(kmview_path_has_dotdot("/a/../b", 7), "a .. component");
	ok(kmview_path_has_dotdot("..", 2), "a relative ..");
	ok(kmview_path_has_dotdot("/a/..", 5), "a final ..");
	ok(!kmview_path_has_dotdot("/a/..b/c.", 9), "names with dots are not ..");
	ok(!kmview_path_has_dotdot("/a/./b//c", 9), "nor . and //");

	is_str(redirect("/src", "/dst/a/b", 4), "/src/a/b", "the prefix replaced");
	is_str(redirect("/src", "/dst", 4), "/src", "the mount point is the source");
	is_str(redirect("/src", "/dst/", 4), "/src/", "a trailing slash stays (ENOTDIR)");
	is_str(redirect("/src", "/dst/f/.", 4), "/src/f/.", "a trailing /. stays (EINVAL)");
	is_str(redirect("/src", "//dst/./a//b", 4), "/src/a/b", "// and /./ folded");
	is_str(redirect("/", "/unreal/etc/passwd", 7), "/etc/passwd", "to the root");
	is_str(redirect("/", "/unreal", 7), "/", "the root itself");
	is_str(redirect("/", "/unreal/", 7), "/", "the root with a slash");
	is_str(redirect("/src", "/etc", 1), "/src/etc", "a redirect of /");
	is_str(redirect("/src", "/", 1), "/src", "a redirect of / itself");
	is_long(kmview_path_redirect(buf, 8, "/source", 7, "/d/x", 4, 2, "/d/x", 4), -1,
		"too long: -1");
	strcpy(buf, "/s");
	is_long(kmview_path_redirect(buf, sizeof(buf), buf, 2, "/d/x", 4, 2, "/d/x", 4), 4,
		"in place, as redirect.c builds it");
	is_str(buf, "/s/x", "and the result");
}

int main(void)
{
	test_redirect();
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

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_procmounts.c - the lines a view adds to its mount table files, and
 * the struct open_how checks of openat2: pure logic, no view.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "sc/open2.h"
#include "sc/procmounts.h"
#include "tap.h"

static void test_kind(void)
{
	is_long(vu_pm_kind("/proc/mounts", NULL), VU_PM_MOUNTS, "/proc/mounts");
	is_long(vu_pm_kind("/proc/self/mounts", NULL), VU_PM_MOUNTS, "/proc/self/mounts");
	is_long(vu_pm_kind("/proc/thread-self/mounts", NULL), VU_PM_MOUNTS,
		"/proc/thread-self/mounts");
	is_long(vu_pm_kind("/proc/self/mountinfo", NULL), VU_PM_MOUNTINFO, "/proc/self/mountinfo");
	is_long(vu_pm_kind("/proc/thread-self/mountinfo", NULL), VU_PM_MOUNTINFO,
		"/proc/thread-self/mountinfo");
	is_long(vu_pm_kind("/proc/mountinfo", NULL), VU_PM_NONE, "/proc/mountinfo does not exist");
	is_long(vu_pm_kind("/proc/self/mountstats", NULL), VU_PM_NONE, "mountstats is not served");
	is_long(vu_pm_kind("/proc/self/mounts/x", NULL), VU_PM_NONE, "below it: nothing");
	is_long(vu_pm_kind("/etc/mtab", "../proc/self/mounts"), VU_PM_MOUNTS,
		"/etc/mtab -> ../proc/self/mounts (Debian)");
	is_long(vu_pm_kind("/etc/mtab", "/proc/mounts"), VU_PM_MOUNTS, "/etc/mtab -> /proc/mounts");
	is_long(vu_pm_kind("/etc/mtab", "proc/mounts"), VU_PM_MOUNTS, "/etc/mtab -> proc/mounts");
	is_long(vu_pm_kind("/etc/mtab", ""), VU_PM_NONE, "/etc/mtab, a regular file: the real one");
	is_long(vu_pm_kind("/etc/mtab", "/run/myproc/mounts"), VU_PM_NONE,
		"/etc/mtab -> somewhere else");
	is_long(vu_pm_kind("/etc/mtab", "/x/notproc/mounts"), VU_PM_NONE,
		"/etc/mtab -> .../notproc/mounts is not proc");
	for (size_t i = 0; vu_procmounts_paths[i]; i++) {
		const char *p = vu_procmounts_paths[i];

		ok(vu_pm_kind(p, "../proc/self/mounts") != VU_PM_NONE, "registered %s is served", p);
	}
}

static void test_mounts_line(void)
{
	struct vu_pm_buf b = { 0 };
	struct vu_pm_mount m = { .source = "/src", .target = "/mnt/x", .fstype = "vufs",
				 .opts = "", .flags = 0 };

	vu_pm_mounts_line(&b, &m);
	is_str(b.s, "/src /mnt/x vufs rw 0 0\n", "a plain mount");
	vu_pm_free(&b);
	m.flags = MS_RDONLY | MS_NOSUID | MS_NODEV;
	m.opts = "except=/sub";
	vu_pm_mounts_line(&b, &m);
	is_str(b.s, "/src /mnt/x vufs ro,nosuid,nodev,except=/sub 0 0\n", "flags, then the options");
	vu_pm_free(&b);
	m.flags = 0;
	m.opts = NULL;
	m.source = "a b\\c";
	m.target = "/with space/tab\there";
	m.fstype = "fs\nnl";
	vu_pm_mounts_line(&b, &m);
	is_str(b.s, "a\\040b\\134c /with\\040space/tab\\011here fs\\012nl rw 0 0\n",
	       "space, tab, newline and backslash escaped in octal");
	vu_pm_free(&b);
}

static const char real_info[] =
	"21 1 0:19 / / rw,relatime - 9p root ro\n"
	"22 21 0:5 / /proc rw - proc proc rw\n"
	"25 21 0:30 / /tmp rw - tmpfs tmpfs rw\n"
	"26 25 0:31 / /tmp/a\\040b rw - tmpfs tmpfs rw\n"
	"27 25 0:32 / /tmp/ab rw - tmpfs tmpfs rw\n";

static void test_mountinfo(void)
{
	struct vu_pm_buf b = { 0 };
	struct vu_pm_mount m = { .source = "/src", .target = "/tmp/x/m", .fstype = "vufs",
				 .opts = "", .id = vu_pm_mount_id(3) };

	vu_pm_append(&b, real_info, strlen(real_info));
	vu_pm_mountinfo_line(&b, b.s, &m);
	ok(strstr(b.s, "\n1073741827 25 0:0 / /tmp/x/m rw - vufs /src rw\n") != NULL,
	   "under /tmp: parent 25 (and /tmp/ab is no prefix of /tmp/x)");
	m.target = "/tmp/x/m/in";
	m.id = vu_pm_mount_id(4);
	m.flags = MS_RDONLY;
	m.opts = "o=1";
	vu_pm_mountinfo_line(&b, b.s, &m);
	ok(strstr(b.s, "\n1073741828 1073741827 0:0 / /tmp/x/m/in ro - vufs /src ro,o=1\n") != NULL,
	   "inside a virtual mount: that one is the parent; ro, options in the super options");
	vu_pm_free(&b);

	vu_pm_append(&b, real_info, strlen(real_info));
	m.target = "/tmp/a b/c";
	m.flags = 0;
	m.opts = "";
	m.major = 8;
	m.minor = 17;
	vu_pm_mountinfo_line(&b, b.s, &m);
	ok(strstr(b.s, "1073741828 26 8:17 / /tmp/a\\040b/c rw - vufs /src rw\n") != NULL,
	   "an escaped mount point is matched escaped; the device of the root");
	m.major = m.minor = 0;
	vu_pm_free(&b);

	vu_pm_append(&b, real_info, strlen(real_info));
	m.target = "/tmp/ab";
	vu_pm_mountinfo_line(&b, b.s, &m);
	ok(strstr(b.s, "1073741828 27 0:0 / /tmp/ab rw") != NULL,
	   "on a real mount point: stacked on it");
	m.target = "/";
	vu_pm_mountinfo_line(&b, b.s, &m);
	ok(strstr(b.s, "1073741828 21 0:0 / / rw") != NULL, "on /: the root is its parent");
	vu_pm_free(&b);

	vu_pm_append(&b, "", 0);
	m.target = "/x";
	vu_pm_mountinfo_line(&b, b.s, &m);
	is_str(b.s, "1073741828 0 0:0 / /x rw - vufs /src rw\n", "no real table: parent 0");
	vu_pm_free(&b);

	is_long(vu_pm_mount_id(1), 0x40000001, "ids start above the real ones");
	ok(vu_pm_mount_id(0x7fffffffffULL) > 0, "and stay positive");
}

static void test_buf(void)
{
	struct vu_pm_buf b = { 0 };
	char big[10000];

	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 20; i++)
		vu_pm_append(&b, big, sizeof(big));
	is_long(b.len, 200000, "the buffer grows");
	ok(!b.failed && b.s[b.len] == '\0', "and stays a string");
	vu_pm_free(&b);
	ok(b.s == NULL && b.len == 0, "freed");
}

static void test_open_how(void)
{
	struct open_how how = { .flags = O_RDONLY };

	is_long(vu_open_how_check(&how), 0, "plain O_RDONLY");
	how.flags = O_WRONLY | O_CREAT;
	how.mode = 0644;
	is_long(vu_open_how_check(&how), 0, "O_CREAT with a mode");
	how.flags = O_RDWR | O_TMPFILE;
	is_long(vu_open_how_check(&how), 0, "O_TMPFILE with a mode");
	how.flags = O_RDONLY;
	is_long(vu_open_how_check(&how), -EINVAL, "a mode without O_CREAT: EINVAL");
	how.flags = O_RDONLY | O_DIRECTORY;
	is_long(vu_open_how_check(&how), -EINVAL, "O_DIRECTORY alone is not O_TMPFILE");
	how.flags = O_CREAT;
	how.mode = 010000;
	is_long(vu_open_how_check(&how), -EINVAL, "mode bits beyond 07777: EINVAL");
	how.mode = 0;
	how.flags = 1ULL << 40;
	is_long(vu_open_how_check(&how), -EINVAL, "flags beyond 32 bits: EINVAL");
	how.flags = 0;
	how.resolve = RESOLVE_BENEATH | RESOLVE_IN_ROOT;
	is_long(vu_open_how_check(&how), -EINVAL, "RESOLVE_BENEATH with RESOLVE_IN_ROOT: EINVAL");
	how.resolve = 0x40;
	is_long(vu_open_how_check(&how), -EINVAL, "an unknown resolve bit: EINVAL");
	how.resolve = RESOLVE_NO_SYMLINKS | RESOLVE_CACHED;
	is_long(vu_open_how_check(&how), 0, "known resolve bits pass the check");
}

int main(void)
{
	test_kind();
	test_mounts_line();
	test_mountinfo();
	test_buf();
	test_open_how();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vubinfmt.c - the real vubinfmt.so through the daemon, under the
 * sanitizers: its mount, the files (open, write, read, getdents64, stat),
 * register strings good and bad, the commands, and its CHECKBINFMT entry
 * asked as sc/binfmt.c asks it at an exec (the exec itself: test_devices).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_backend.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000
#define A_STAT 0x9000

static char m_src[16] = "none", m_dst[64] = "/bm", m_type[16] = "vubinfmt";
static char m_buf[4096];
static struct stat m_stat;
static struct fake_backend f;

/* Open @path with @flags: the placeholder's handle, or 0 (then *@err is the result). */
static uint64_t vopen(const char *path, int flags, long *err)
{
	return fake_open_vfd(&f, 1, path, flags, err);
}

/* One write of @s to @path (opened O_WRONLY|O_TRUNC, then closed): its result. */
static long vwrite(const char *path, const char *s)
{
	struct vu_msg m = fake_msg(1, __NR_write, NULL);
	long err = 0, n;
	uint64_t h = vopen(path, O_WRONLY | O_TRUNC, &err);

	if (!h)
		return err ? err : -EIO;
	snprintf(m_buf, sizeof(m_buf), "%s", s);
	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = A_BUF;
	m.args[2] = strlen(s);
	n = fake_serve(&f, m);
	vu_vfd_release(h);
	return n;
}

/* What reading @path gives (reads of 7 bytes to the end), or "error N". */
static char said[2048];
static const char *vread(const char *path)
{
	struct vu_msg m = fake_msg(1, __NR_read, NULL);
	long err = 0, n;
	size_t len = 0;
	uint64_t h = vopen(path, O_RDONLY, &err);

	if (!h) {
		snprintf(said, sizeof(said), "error %ld", err);
		return said;
	}
	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = A_BUF;
	m.args[2] = 7;
	do {
		memset(m_buf, 0, sizeof(m_buf));
		n = fake_serve(&f, m);
		if (n > 0 && len + (size_t)n < sizeof(said)) {
			memcpy(said + len, m_buf, (size_t)n);
			len += (size_t)n;
		}
	} while (n > 0);
	said[len] = '\0';
	if (n < 0)
		snprintf(said, sizeof(said), "error %ld", n);
	vu_vfd_release(h);
	return said;
}

/* The names getdents64 lists in the mount, space-separated. */
static char names[1024];
static const char *vls(void)
{
	struct vu_msg m = fake_msg(1, __NR_getdents64, NULL);
	uint64_t h = vopen("/bm", O_RDONLY | O_DIRECTORY, NULL);
	long n;

	names[0] = '\0';
	if (!h)
		return "error";
	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = A_BUF;
	m.args[2] = 80; /* a few records a call */
	while ((n = fake_serve(&f, m)) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64 *d = (struct dirent64 *)(void *)(m_buf + off);

			if (strlen(names) + strlen(d->d_name) + 2 < sizeof(names)) {
				strcat(names, names[0] ? " " : "");
				strcat(names, d->d_name);
			}
			off += d->d_reclen;
		}
	}
	vu_vfd_release(h);
	return n < 0 ? "error" : names;
}

static long vstat(const char *path)
{
	struct vu_msg m = fake_msg(1, __NR_stat, path);

	memset(&m_stat, 0, sizeof(m_stat));
	m.args[1] = A_STAT;
	return fake_serve(&f, m);
}

/* Ask the binary formats about an exec of @path whose head is @head: the #! line, or "". */
static int asked_flags;
static char line[BINFMTBUFLEN + 2];
static const char *ask(const char *path, const char *head)
{
	struct binfmt_req_t req = { 0 };
	char p[256];
	struct vuht_entry_t *ht;

	snprintf(p, sizeof(p), "%s", path);
	req.path = p;
	req.fileheadlen = (int)strlen(head);
	memcpy(req.filehead, head, (size_t)req.fileheadlen);
	ht = vuht_pick(CHECKBINFMT, &req, 0, VU_EPOCH_NOW);
	if (!ht)
		return "";
	vuht_drop(ht);
	asked_flags = req.flags;
	snprintf(line, sizeof(line), "%s", req.filehead);
	return line;
}

int main(void)
{
	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	fake_map(&f, A_STAT, &m_stat, sizeof(m_stat));

	is_long(vu_module_insert("vubinfmt", 0), 0, "vubinfmt loads");
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "vumount -t vubinfmt none /bm");
	is_str(vls(), ". .. status register", "the mount lists status and register");
	is_str(vread("/bm/status"), "enabled\n", "status reads enabled");
	is_long(vstat("/bm/register"), 0, "stat register");
	ok(m_stat.st_mode == (S_IFREG | 0200) && m_stat.st_uid == getuid() && m_stat.st_ino == 3,
	   "  a file, 0200, the owner's, inode 3 as in Linux");
	is_long(vstat("/bm"), 0, "stat the root");
	ok(S_ISDIR(m_stat.st_mode) && (m_stat.st_mode & 07777) == 0755, "  a directory, 0755");
	is_str(vread("/bm/register"), "error -13", "register cannot be read: EACCES");
	is_str(vread("/bm/nosuch"), "error -2", "a missing entry: ENOENT");
	is_str(ask("/t/x.kmvsh", "echo"), "", "no entry: an exec is not claimed");

	is_long(vwrite("/bm/register", ":kmvsh:E::kmvsh::/bin/sh:\n"), 26, "register an E entry");
	is_long(vwrite("/bm/register", ":kmvm:M:1:KMV:\\xdf\\xdf\\xdf:/bin/sh:P"), 36,
		"register an M entry with a mask and P");
	is_str(vls(), ". .. status register kmvsh kmvm", "  both listed, the oldest first");
	is_str(vread("/bm/kmvsh"), "enabled\ninterpreter /bin/sh\nflags: \nextension .kmvsh\n",
	       "  the E entry reads as Linux's, in reads of 7 bytes");
	is_str(vread("/bm/kmvm"),
	       "enabled\ninterpreter /bin/sh\nflags: P\noffset 1\nmagic 4b4d56\nmask dfdfdf\n",
	       "  the M entry too");
	is_long(vwrite("/bm/register", ":kmvsh:E::x::/bin/sh:"), -EEXIST, "a name in use: EEXIST");
	is_long(vwrite("/bm/register", ":status:E::x::/bin/sh:"), -EEXIST, "  status: EEXIST");
	is_long(vwrite("/bm/register", ":n:E::ext::/bin/sh"), -EINVAL, "no last delimiter: EINVAL");
	is_long(vwrite("/bm/register", ":o:E::o::/bin/sh:O"), -ENOSYS, "flag O: ENOSYS");
	is_long(vwrite("/bm/register", ":c:E::c::/bin/sh:C"), -ENOSYS, "flag C: ENOSYS");
	is_long(vwrite("/bm/register", ":b:E::b::/bin/my sh:"), -ENOSYS,
		"an interpreter with a blank: ENOSYS");
	is_long(vwrite("/bm/register", ":f:E::f::/no/such/interp:F"), -ENOENT,
		"F, a missing interpreter: ENOENT");
	is_long(vwrite("/bm/register", ":f:E::f::/etc:F"), -EACCES, "F, a directory: EACCES");
	is_long(vwrite("/bm/register", ":f:E::f::sh:F"), -ENOSYS, "F, a relative path: ENOSYS");
	is_str(vls(), ". .. status register kmvsh kmvm", "  none of them registered");

	is_str(ask("/t/x.kmvsh", "echo hi"), "#!/bin/sh", "an exec of x.kmvsh: claimed, #!/bin/sh");
	is_long(asked_flags, 0, "  no flags");
	is_str(ask("/t/m", "#kmv\n"), "#!/bin/sh", "#kmv: the M entry (masked)");
	is_long(asked_flags, BINFMT_PRESERVE_ARGV0, "  with BINFMT_PRESERVE_ARGV0");
	is_str(ask("/t/m", "#KNV\n"), "", "#KNV: not claimed");

	is_long(vwrite("/bm/kmvsh", "0\n"), 2, "0 to the E entry");
	is_str(vread("/bm/kmvsh"), "disabled\ninterpreter /bin/sh\nflags: \nextension .kmvsh\n",
	       "  it reads disabled");
	is_str(ask("/t/x.kmvsh", "echo"), "", "  and claims nothing");
	is_long(vwrite("/bm/kmvsh", "1"), 1, "1 enables it");
	is_str(ask("/t/x.kmvsh", "echo"), "#!/bin/sh", "  claimed again");
	is_long(vwrite("/bm/kmvsh", "2"), -EINVAL, "2: EINVAL");
	is_long(vwrite("/bm/status", "0"), 1, "0 to status");
	is_str(vread("/bm/status"), "disabled\n", "  status reads disabled");
	is_str(ask("/t/x.kmvsh", "echo"), "", "  no entry claims anything");
	is_long(vwrite("/bm/status", "1\n"), 2, "1 to status enables the mount");

	{
		long err = 0;
		uint64_t h = vopen("/bm/kmvm", O_RDONLY, &err);

		ok(h != 0, "an entry open");
		is_long(vwrite("/bm/kmvm", "-1"), 2, "-1 to it removes it");
		is_str(vls(), ". .. status register kmvsh", "  gone from the directory");
		is_str(vread("/bm/kmvm"), "error -2", "  a new open: ENOENT");
		is_str(ask("/t/m", "#kmv\n"), "", "  it claims nothing");
		vu_vfd_release(h); /* the open file kept it: freed now (ASan) */
	}
	is_long(vwrite("/bm/register", ":f:E::f::/bin/sh:F"), 18, "F with /bin/sh registers");
	is_str(ask("/t/y.f", "x"), "#!/bin/sh", "  an exec claimed");
	is_long(asked_flags, BINFMT_FIX_BINARY, "  with BINFMT_FIX_BINARY");
	is_long(vwrite("/bm/status", "-1"), 2, "-1 to status");
	is_str(vls(), ". .. status register", "  removes every entry");
	is_str(ask("/t/x.kmvsh", "echo"), "", "  nothing is claimed");

	is_long(vwrite("/bm/register", ":kmvsh:E::kmvsh::/bin/sh:"), 25, "an entry again");
	is_long(fake_call(&f, 1, __NR_umount2, A_DST, 0, 0, 0), 0, "umount2");
	is_str(ask("/t/x.kmvsh", "echo"), "", "  its entries claim nothing any more");
	is_long(vu_module_remove("vubinfmt"), 0, "vubinfmt is removed");
	return tap_done();
}

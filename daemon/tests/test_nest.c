// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_nest.c - nesting through the C library's forms of a module built
 * as Debian builds (-D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -O2):
 * nestprobe.so's own open64, __open64_2, __openat64_2, __read_chk,
 * __pread64_chk, fopen64, opendir/readdir64, stat64, statx,
 * __readlink_chk, realpath, access, mkdirat, renameat2, symlinkat, linkat,
 * fchmodat, truncate64, utimensat, statvfs64, unlinkat, lseek64, dup and
 * fcntl64 on a path of a vufs mount made before it reach that mount (the
 * path exists nowhere else); real paths stay real; the daemon's own calls
 * and the raw system call are never rebound; -x turns it off.
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
#include "filter.h"
#include "host/modmgmt.h"
#include "host/nest.h"
#include "tap.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000

#define MNT "/kmview-nest-a"

static char m_src[256], m_dst[256] = MNT, m_type[16] = "vufs";
static char m_buf[512];
static struct fake_backend f;

/* What the probe did for /probe/@op (its readlink). */
static const char *probe(const char *op)
{
	char path[64];
	struct vu_msg m;
	long n;

	snprintf(path, sizeof(path), "/probe/%s", op);
	m = fake_msg(1, __NR_readlink, path);
	m.args[1] = A_BUF;
	m.args[2] = sizeof(m_buf) - 1;
	memset(m_buf, 0, sizeof(m_buf));
	n = fake_serve(&f, m);
	if (n < 0)
		snprintf(m_buf, sizeof(m_buf), "readlink failed: %ld", n);
	return m_buf;
}

static char *real(const char *src, const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", src, name);
	return p;
}

int main(void)
{
	char src[] = "/tmp/kmview-test-nest.XXXXXX";
	struct vuht_entry_t *ht;
	char lbuf[16] = "";
	struct stat st;
	uint64_t saved;
	int fd;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	if (!mkdtemp(src))
		return 1;
	fd = open(real(src, "hello"), O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "nested hello", 12) != 12 || symlink("hello", real(src, "link")) < 0 ||
	    mkdir(real(src, "sub"), 0755) < 0)
		return 1;
	close(fd);
	snprintf(m_src, sizeof(m_src), "%s", src);
	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));

	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "vufs mounts the source on " MNT);
	setenv("NESTPROBE_DIR", MNT, 1);
	is_long(vu_module_insert(TEST_NESTPROBE, 0), 0,
		"nestprobe.so (Debian's default flags) loads, after the mount");

	is_str(probe("open64"), "nested hello", "open64 and __read_chk reach the older mount");
	is_str(probe("open2"), "nested hello", "__open64_2 (flags not known at compile time)");
	is_str(probe("openat"), "nested hello",
	       "__openat64_2, and openat64 relative to a directory opened through it");
	is_str(probe("pread"), "ested hello", "__pread64_chk");
	is_str(probe("fopen"), "nested hello", "fopen64 and fgets");
	is_str(probe("opendir"), "hello,link,sub", "opendir and readdir64");
	is_str(probe("stat"), "12 L 12 12 12", "stat64, lstat64, fstatat64, fstat64, statx");
	is_str(probe("readlink"), "hello", "__readlink_chk");
	is_str(probe("realpath"), MNT "/hello", "realpath follows the mount's symlink");
	is_str(probe("access"), "2", "access and faccessat; ENOENT for a missing name");
	is_str(probe("fd"), "ested hello", "lseek64, dup, read of the dup, fcntl64 F_GETFL");

	is_str(probe("write"), "done 1",
	       "mkdirat, open O_CREAT, write, ftruncate64, renameat2, symlinkat, linkat, fchmodat, "
	       "truncate64, utimensat, statfs64, statvfs64");
	ok(stat(real(src, "newdir/g"), &st) == 0 && (st.st_mode & 07777) == 0600 &&
		   st.st_size == 2 && st.st_nlink == 2 && st.st_mtim.tv_sec == 1000,
	   "the real tree has newdir/g: mode 0600, truncated to 2 through its link h, mtime 1000");
	ok(readlink(real(src, "newdir/s"), lbuf, sizeof(lbuf) - 1) == 1 && lbuf[0] == 'g',
	   "and the symlink s -> g");
	is_str(probe("unlink"), "gone", "unlinkat of each, unlinkat AT_REMOVEDIR");
	ok(access(real(src, "newdir"), F_OK) < 0 && errno == ENOENT, "and the real tree has them gone");

	is_str(probe("raw"), "2", "the raw system call is not rebound: ENOENT");
	ht = vuht_pick(CHECKPATH, "/probe", 0, VU_EPOCH_NOW);
	ok(ht != NULL, "the probe's entry");
	if (ht) {
		saved = vu_epoch_set(ht->epoch);
		errno = 0;
		fd = open(MNT "/hello", O_RDONLY);
		ok(fd < 0 && errno == ENOENT,
		   "the daemon's own open, at the probe's epoch, is the C library's: ENOENT");
		vu_epoch_set(saved);
		vuht_drop(ht);
	}

	setenv("NESTPROBE_DIR", src, 1);
	is_str(probe("open64"), "nested hello", "a real path stays real inside a method");
	setenv("NESTPROBE_DIR", MNT, 1);
	vu_nest_disable();
	is_str(probe("open64"), "ERR open 2", "-x: the module's calls are real (ENOENT)");

	is_long(vu_module_remove("nestprobe"), 0, "nestprobe is removed");
	is_long(fake_call(&f, 1, __NR_umount2, A_DST, 0, 0, 0), 0, "the mount goes");
	is_long(vu_module_remove("vufs"), 0, "vufs is removed");
	is_long(f.protocol_errors, 0, "one reply per request");
	vu_filter_reset();
	unlink(real(src, "link"));
	unlink(real(src, "hello"));
	rmdir(real(src, "sub"));
	rmdir(src);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_xfer.c - copy_file_range, sendfile, splice and tee between
 * placeholders, ioctl on a placeholder, and openat2 of a virtual path,
 * through the real vufs.so on a temporary directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "fake_backend.h"
#include "filter.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_STR 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_OFF 0x4000
#define A_HOW 0x5000
#define A_OPTS 0x6000

static char m_str[256], m_dst[256], m_type[16] = "vufs";
/* placeholders, not passed-through files: the calls under test are the daemon's */
static char m_opts[] = "nopassthrough";
static int64_t m_off[2];
static unsigned char m_how[64];
static char src[] = "/tmp/kmview-test-xfer.XXXXXX";
static struct fake_backend f;
static pid_t member;

static struct vu_msg msg(long nr)
{
	return fake_msg(member, nr, NULL);
}

static long run(struct vu_msg m)
{
	return fake_serve(&f, m);
}

/* The kind of the reply to the last request run. */
static enum vu_reply_kind last_kind(void)
{
	return f.nreplies ? f.replies[f.nreplies - 1].rep.kind : 0;
}

static uint64_t vopen(const char *path, int flags)
{
	struct vu_msg m = msg(__NR_open);
	uint64_t u;

	m.path[0] = path;
	m.path_arg[0] = 0;
	m.args[1] = (uint64_t)flags;
	u = fake_push(&f, m);
	fake_run(&f);
	for (size_t i = 0; i < f.nreplies; i++)
		if (f.replies[i].unique == u && f.replies[i].rep.kind == VU_REPLY_VFD)
			return f.replies[i].rep.handle;
	return 0;
}

/* A call with two fd arguments, @a0 and @a1 placeholders @h0 and @h1 (0: real). */
static long xcall(long nr, int a0, uint64_t h0, int a1, uint64_t h1, const uint64_t args[6])
{
	struct vu_msg m = msg(nr);

	m.fd_arg[0] = (uint8_t)a0;
	m.vfd[0] = h0;
	m.fd_arg[1] = (uint8_t)a1;
	m.vfd[1] = h1;
	memcpy(m.args, args, sizeof(m.args));
	return run(m);
}

static long cfr(uint64_t hin, uint64_t offin, uint64_t hout, uint64_t offout, size_t len,
		unsigned int flags)
{
	uint64_t a[6] = { 10, offin, 11, offout, len, flags };

	return xcall(__NR_copy_file_range, 0, hin, 2, hout, a);
}

static long ioc(uint64_t h, unsigned long req, uint64_t arg)
{
	struct vu_msg m = msg(__NR_ioctl);

	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = req;
	m.args[2] = arg;
	return run(m);
}

static long openat2_how(const char *path, uint64_t flags, uint64_t resolve, size_t size)
{
	struct open_how how = { .flags = flags, .resolve = resolve };
	struct vu_msg m = msg(__NR_openat2);

	memset(m_how, 0, sizeof(m_how));
	memcpy(m_how, &how, sizeof(how));
	m.path[0] = path;
	m.path_arg[0] = 1;
	m.fd_arg[0] = 0;
	m.args[0] = (uint64_t)(long)AT_FDCWD;
	m.args[2] = A_HOW;
	m.args[3] = size;
	return run(m);
}

static char *real(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", src, name);
	return p;
}

static const char *content(const char *name)
{
	static char buf[256];
	int fd = open(real(name), O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = '\0';
	return buf;
}

static void test_xfer(void)
{
	uint64_t in = vopen("/v/in", O_RDONLY), out = vopen("/v/out", O_WRONLY);
	uint64_t rw = vopen("/v/rw", O_RDWR), bad = 999999;
	uint64_t a[6];

	ok(in && out && rw, "three placeholders");
	is_long(cfr(in, 0, out, 0, 5, 0), 5, "copy_file_range at the file positions");
	is_str(content("out"), "hello", "the bytes are in the out file");
	m_off[0] = 6;
	m_off[1] = 5;
	is_long(cfr(in, A_OFF, out, A_OFF + 8, 100, 0), 5, "at offsets, cut at the end of the in file");
	is_str(content("out"), "helloworld", "written at the out offset");
	is_long(cfr(in, 0, out, 0, 1, 0), 1, "the in position was not moved by the offset form");
	is_long(cfr(in, 0, out, 0, 5, 1), -EINVAL, "flags: EINVAL");
	is_long(cfr(out, 0, in, 0, 5, 0), -EBADF, "in not readable, out not writable: EBADF");
	is_long(cfr(bad, 0, out, 0, 5, 0), -EBADF, "a handle the daemon never gave: EBADF");
	m_off[0] = -1;
	is_long(cfr(in, A_OFF, out, 0, 5, 0), -EINVAL, "a negative offset: EINVAL");
	is_long(cfr(in, A_OFF + 2048, out, 0, 5, 0), -EFAULT, "an unreadable offset: EFAULT");
	m_off[0] = 0;
	m_off[1] = 3;
	is_long(cfr(rw, A_OFF, rw, A_OFF + 8, 5, 0), -EINVAL, "overlapping ranges of one file: EINVAL");
	m_off[1] = 20;
	is_long(cfr(rw, A_OFF, rw, A_OFF + 8, 5, 0), 5, "apart: copied");

	a[0] = 11;
	a[1] = 10;
	a[2] = 0;
	a[3] = 3;
	is_long(xcall(__NR_sendfile, 0, out, 1, in, a), 3, "sendfile from the in position");
	is_str(content("out"), "hello word", "written at the out position");
	a[2] = A_OFF;
	m_off[0] = 0;
	is_long(xcall(__NR_sendfile, 0, out, 1, in, a), 3, "sendfile at an offset");
	is_str(content("out"), "hello worhel", "from the offset");
	is_long(xcall(__NR_sendfile, 0, in, 1, out, a), -EBADF, "to a read-only file: EBADF");

	a[1] = 0;
	a[2] = 11;
	a[3] = 0;
	a[4] = 5;
	a[5] = 0;
	is_long(xcall(__NR_splice, 0, in, 2, out, a), -EINVAL, "splice between placeholders: EINVAL");
	is_long(xcall(__NR_splice, 0, in, 2, 0, a), -EINVAL, "splice to a real pipe: EINVAL");
	a[1] = 11;
	a[2] = 5;
	is_long(xcall(__NR_tee, 0, in, 1, 0, a), -EINVAL, "tee: EINVAL");
	memset(a, 0, sizeof(a));
	is_long(xcall(__NR_sendfile, 0, 0, 1, 0, a), FAKE_NATIVE, "no placeholder: native");
	vu_vfd_release(in);
	vu_vfd_release(out);
	vu_vfd_release(rw);
}

static void test_ioctl(void)
{
	uint64_t h = vopen("/v/in", O_RDONLY);
	int n = -1;

	is_long(ioc(h, FIONREAD, A_OFF), 0, "FIONREAD");
	is_long(ioc(h, FIOCLEX, 0), FAKE_NATIVE, "FIOCLEX: the kernel's");
	is_long(ioc(h, FIONCLEX, 0), FAKE_NATIVE, "FIONCLEX: the kernel's");
	n = 1;
	memcpy(m_off, &n, sizeof(n));
	is_long(ioc(h, FIONBIO, A_OFF), FAKE_NATIVE, "FIONBIO: the module, then the placeholder");
	ok(vu_vfd_get(h) && (vu_vfd_get(h)->flags & O_NONBLOCK), "the daemon's file is non-blocking");
	is_long(ioc(h, FIONBIO, A_OFF + 2048), -EFAULT, "FIONBIO, an unreadable argument: EFAULT");
	is_long(ioc(h, FIOASYNC, A_OFF), -ENOTTY, "FIOASYNC: ENOTTY");
	is_long(ioc(h, TCGETS, A_OFF), -ENOTTY, "a module without ioctl: ENOTTY");
	vu_vfd_release(h);
}

static void test_openat2(void)
{
	is_long(openat2_how("/v/in", O_RDONLY, 0, 24), 0, "openat2 of a virtual path");
	is_long(last_kind(), VU_REPLY_VFD, "  a placeholder");
	vu_vfd_release(f.replies[f.nreplies - 1].rep.handle);
	is_long(openat2_how("/v/in", O_RDONLY, 0, 64), 0, "a larger struct, zero tail");
	vu_vfd_release(f.replies[f.nreplies - 1].rep.handle);
	m_how[40] = 1;
	{
		struct vu_msg m = msg(__NR_openat2);

		m.path[0] = "/v/in";
		m.path_arg[0] = 1;
		m.fd_arg[0] = 0;
		m.args[0] = (uint64_t)(long)AT_FDCWD;
		m.args[2] = A_HOW;
		m.args[3] = 64;
		is_long(run(m), -E2BIG, "a nonzero tail: E2BIG");
	}
	is_long(openat2_how("/v/in", O_RDONLY, 0, 16), -EINVAL, "too small: EINVAL");
	is_long(openat2_how("/v/in", O_RDONLY, 0, 8192), -E2BIG, "larger than a page: E2BIG");
	is_long(openat2_how("/v/in", O_RDONLY, RESOLVE_CACHED, 24), -EAGAIN,
		"RESOLVE_CACHED on a virtual path: EAGAIN");
	is_long(openat2_how("/v/in", O_RDONLY, RESOLVE_BENEATH, 24), -ENOSYS,
		"RESOLVE_BENEATH on a virtual path: ENOSYS");
	is_long(openat2_how("/real/x", O_RDONLY, RESOLVE_BENEATH, 24), FAKE_NATIVE,
		"on a real path: native");
	is_long(openat2_how("/v/missing", O_RDONLY, 0, 24), -ENOENT, "a missing file: ENOENT");
}

int main(void)
{
	int fd;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	member = fake_member(022);
	if (member < 0 || !mkdtemp(src))
		return 1;
	fd = open(real("in"), O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "hello world", 11) != 11)
		return 1;
	close(fd);
	fd = open(real("rw"), O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "0123456789", 10) != 10)
		return 1;
	close(fd);
	close(open(real("out"), O_CREAT | O_WRONLY, 0644));
	fake_init(&f, 0);
	fake_map(&f, A_STR, m_str, sizeof(m_str));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_OFF, m_off, sizeof(m_off));
	fake_map(&f, A_HOW, m_how, sizeof(m_how));
	fake_map(&f, A_OPTS, m_opts, sizeof(m_opts));

	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	snprintf(m_str, sizeof(m_str), "%s", src);
	snprintf(m_dst, sizeof(m_dst), "/v");
	is_long(fake_mount(&f, member, A_STR, A_DST, A_TYPE, A_OPTS), 0,
		"mounted at /v, -o nopassthrough");
	test_xfer();
	test_ioctl();
	test_openat2();
	is_long(f.protocol_errors, 0, "one reply per request");

	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0, "unmounted");
	is_long(vu_module_remove("vufs"), 0, "vufs goes");
	vu_filter_reset();
	unlink(real("in"));
	unlink(real("out"));
	unlink(real("rw"));
	rmdir(src);
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_modret.c - a module's lies never reach the member: the "liar" test
 * module claims more bytes than it was given and fails with errnos no
 * system call may return; every count the member sees is at most its
 * buffer, every copy to it at most that long, and every reply is one the
 * kernel accepts (the fake backend refuses the others, as the kernel does).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "fake_backend.h"
#include "host/modmgmt.h"
#include "core/modret.h"
#include "core/service.h"
#include "tap.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000
#define A_NAME 0x5000

static char m_src[16] = "none", m_dst[64] = "/l", m_type[16] = "liar", m_name[16] = "user.x";
static char m_buf[4096];
static struct fake_backend f;

static void *liar_sym(const char *name)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "liar", 0, VU_EPOCH_NOW);
	void *p = ht ? dlsym(ht->service->dlhandle, name) : NULL;

	vuht_drop(ht);
	return p;
}

/* The largest write to the member's memory by the last run. */
static size_t longest_write(void)
{
	size_t n = 0;

	for (size_t i = 0; i < f.nwrites; i++)
		if (f.writes[i].len > n)
			n = f.writes[i].len;
	return n;
}

static uint64_t vopen(const char *path)
{
	struct vu_msg m = fake_msg(1, __NR_open, path);
	uint64_t u = fake_push(&f, m);

	fake_run(&f);
	for (size_t i = 0; i < f.nreplies; i++)
		if (f.replies[i].unique == u && f.replies[i].rep.kind == VU_REPLY_VFD)
			return f.replies[i].rep.handle;
	return 0;
}

static long fdcall(long nr, uint64_t h, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct vu_msg m = fake_msg(1, nr, NULL);

	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = a1;
	m.args[2] = a2;
	m.args[3] = a3;
	return fake_serve(&f, m);
}

static void test_retval_rule(void)
{
	ok(vu_retval_ok(0) && vu_retval_ok(1L << 40), "values are results");
	ok(vu_retval_ok(-1) && vu_retval_ok(-4095), "-1..-4095 are errnos");
	ok(!vu_retval_ok(-4096) && !vu_retval_ok(-100000), "below -4095: no");
	ok(vu_retval_ok(-511) && vu_retval_ok(-531), "-511 and -531 are errnos");
	ok(!vu_retval_ok(-512) && !vu_retval_ok(-516) && !vu_retval_ok(-530),
	   "-512..-530 (ERESTARTSYS and friends): no");
}

static void test_sizes(long *extra, uint64_t h)
{
	struct vu_msg m;

	*extra = 1000;
	is_long(fdcall(__NR_read, h, A_BUF, 10, 0), 10, "read of 10 claimed 1010: 10");
	is_long(longest_write(), 10, "10 bytes copied to the member");
	is_long(fdcall(__NR_pread64, h, A_BUF, 16, 0), 16, "pread64: the same");
	is_long(longest_write(), 16, "16 bytes copied");
	is_long(fdcall(__NR_write, h, A_BUF, 8, 0), 8, "write of 8 claimed 1008: 8");
	is_long(fdcall(__NR_getdents64, h, A_BUF, 64, 0), 64, "getdents64 of 64: 64");
	is_long(longest_write(), 64, "64 bytes copied");
	*extra = 1L << 40;
	is_long(fdcall(__NR_read, h, A_BUF, 100, 0), 100, "a claim of 1 TiB: 100");
	is_long(longest_write(), 100, "100 bytes copied");
	*extra = 1000;
	m = fake_msg(1, __NR_readlink, "/l/link");
	m.args[1] = A_BUF;
	m.args[2] = 20;
	is_long(fake_serve(&f, m), 20, "readlink of 20 claimed 1020: 20");
	is_long(longest_write(), 20, "20 bytes copied");
	m = fake_msg(1, __NR_lgetxattr, "/l/f");
	m.args[1] = A_NAME;
	m.args[2] = A_BUF;
	m.args[3] = 12;
	is_long(fake_serve(&f, m), 12, "lgetxattr of 12 claimed 1012: 12");
	is_long(longest_write(), 12, "12 bytes copied");
	m.args[3] = 0;
	is_long(fake_serve(&f, m), 10, "lgetxattr asking the size: the module's answer");
	*extra = 0;
	is_long(fdcall(__NR_ioctl, h, _IOR('x', 1, int), A_BUF, 0), 0,
		"an ioctl whose module claims 64 bytes of a 4-byte argument");
	is_long(longest_write(), 4, "4 bytes copied to the member");
}

static void test_errnos(int *fail, int *err, uint64_t h)
{
	static const struct {
		int err;
		long want;
		const char *what;
	} cases[] = {
		{ EACCES, -EACCES, "a real errno passes" },
		{ 4095, -4095, "4095, the largest, passes" },
		{ 512, -EIO, "ERESTARTSYS (512): EIO" },
		{ 516, -EIO, "ERESTART_RESTARTBLOCK (516): EIO" },
		{ 530, -EIO, "530: EIO" },
		{ 4096, -EIO, "4096: EIO" },
		{ 100000, -EIO, "100000: EIO" },
		{ 0, -EIO, "failure without errno: EIO" },
		{ -5, -EIO, "a negative errno: EIO" },
	};
	struct vu_msg m;

	*fail = 1;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		*err = cases[i].err;
		m = fake_msg(1, __NR_lstat, "/l/f");
		m.args[1] = A_BUF;
		is_long(fake_serve(&f, m), cases[i].want, "lstat: %s", cases[i].what);
		is_long(fdcall(__NR_read, h, A_BUF, 10, 0), cases[i].want, "read: %s",
			cases[i].what);
	}
	*err = 512;
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), -EIO, "mount failing with 512: EIO");
	*fail = 0;
	is_long(f.protocol_errors, 0, "no reply the kernel would refuse was sent");
}

int main(void)
{
	long *extra;
	int *fail, *err;
	uint64_t h;

	test_retval_rule();
	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	fake_map(&f, A_NAME, m_name, sizeof(m_name));
	is_long(vu_module_insert(TEST_LIAR, 0), 0, "the liar loads");
	extra = liar_sym("liar_extra");
	fail = liar_sym("liar_fail");
	err = liar_sym("liar_errno");
	if (!ok(extra && fail && err, "its knobs are there"))
		return tap_done();
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "mounted at /l");
	h = vopen("/l/f");
	ok(h != 0, "a file opened: a placeholder");
	test_sizes(extra, h);
	test_errnos(fail, err, h);
	is_long(f.protocol_errors, 0, "no protocol error");
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Malformed input is rejected cleanly and loses nothing: bad handshakes,
 * filters, prefixes and memory requests, reads into bad buffers, and
 * malformed replies, one by one and then at random, while a real request
 * waits. The request is answered correctly afterwards.
 *
 * KMVIEW_FUZZ_ITERATIONS (default 20000) sets the length of each random loop
 * and KMVIEW_FUZZ_SEED (default 0) shifts its seeds: the debug-kernel run
 * (make vm-check-debug) runs longer loops than make check.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

#define ITERATIONS_DEFAULT 20000

/* A decimal environment variable, @def when unset; a bad value ends the test. */
static unsigned long env_ulong(const char *name, unsigned long def)
{
	const char *v = getenv(name);
	unsigned long n;
	char *end;

	if (!v || !*v)
		return def;
	errno = 0;
	n = strtoul(v, &end, 10);
	if (errno || *end || *v == '-') {
		fprintf(stderr, "fuzz: %s=%s is not a number\n", name, v);
		exit(2);
	}
	return n;
}

static unsigned long fuzz_iterations(void)
{
	return env_ulong("KMVIEW_FUZZ_ITERATIONS", ITERATIONS_DEFAULT);
}

static unsigned int fuzz_seed(unsigned int base)
{
	return base + (unsigned int)env_ulong("KMVIEW_FUZZ_SEED", 0);
}

static int is_clean_error(int err)
{
	return err == EINVAL || err == ENOENT || err == EBADF || err == EEXIST ||
	       err == EFAULT || err == ENOTTY || err == EPROTO || err == EBUSY ||
	       err == ENOSPC || err == ENOMEM;
}

TEST(bad_handshakes_are_refused)
{
	struct kmview_hello h;
	int fd = open(KMVIEW_DEVICE, O_RDWR);

	ASSERT_GE(fd, 0);
	memset(&h, 0, sizeof(h));
	h.major = KMVIEW_API_MAJOR + 1;
	EXPECT_EQ(-1, ioctl(fd, KMVIEW_IOC_HELLO, &h));
	EXPECT_EQ(EPROTO, errno);
	h.major = KMVIEW_API_MAJOR;
	h.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(fd, KMVIEW_IOC_HELLO, &h));
	EXPECT_EQ(EINVAL, errno);
	h.reserved[2] = 0;
	h.features = 1ULL << 40;
	EXPECT_EQ(-1, ioctl(fd, KMVIEW_IOC_HELLO, &h));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(fd, KMVIEW_IOC_HELLO, (void *)8));
	EXPECT_EQ(EFAULT, errno);
	h.features = 0;
	EXPECT_EQ(0, ioctl(fd, KMVIEW_IOC_HELLO, &h));
	EXPECT_EQ(KMVIEW_API_MAJOR, h.major);
	EXPECT_EQ(KMVIEW_READ_MIN, h.read_min);
	h.supported = 0;
	h.read_min = h.reply_max = h.nr_syscalls = 0;
	EXPECT_EQ(-1, ioctl(fd, KMVIEW_IOC_HELLO, &h));
	EXPECT_EQ(EBUSY, errno);
	close(fd);
}

static int add_redirect(struct testd *t, const char *path, uint64_t id, uint32_t flags,
			const char *src, uint32_t reserved)
{
	struct kmview_prefix p = { .path = (uintptr_t)path, .len = strlen(path), .id = id,
				   .flags = flags, .src = (uintptr_t)src,
				   .src_len = src ? strlen(src) : 0, .reserved = reserved };

	return ioctl(t->fd, KMVIEW_IOC_ADD_PREFIX, &p);
}

/* 1.5: KMVIEW_PREFIX_REDIRECT and _NATIVE, and the malformed forms of both. */
TEST(bad_redirects_are_refused)
{
	static const char *bad_src[] = { "rel", "/a/", "/a//b", "/a/./b", "/a/../b" };
	struct kmview_prefix p;
	struct testd t;
	unsigned int i;

	ASSERT_EQ(0, testd_open(&t, 0));
	EXPECT_TRUE(t.hello.supported & KMVIEW_FEAT_REDIRECT);
	EXPECT_EQ(-1, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_REDIRECT, NULL, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a redirect without its real directory");
	EXPECT_EQ(-1, add_redirect(&t, "/d", 1, 0, "/s", 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a real directory without the flag");
	EXPECT_EQ(-1, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_NATIVE, "/s", 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("a real tree has no source");
	EXPECT_EQ(-1, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_REDIRECT | KMVIEW_PREFIX_NATIVE,
				   "/s", 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("both flags");
	EXPECT_EQ(-1, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_NATIVE << 1, NULL, 0));
	EXPECT_EQ(EINVAL, errno) TH_LOG("an unknown flag");
	EXPECT_EQ(-1, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_REDIRECT, "/s", 1));
	EXPECT_EQ(EINVAL, errno) TH_LOG("reserved set");
	for (i = 0; i < sizeof(bad_src) / sizeof(bad_src[0]); i++) {
		EXPECT_EQ(-1, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_REDIRECT, bad_src[i], 0));
		EXPECT_EQ(EINVAL, errno) TH_LOG("source '%s'", bad_src[i]);
	}
	p = (struct kmview_prefix){ .path = (uintptr_t)"/d", .len = 2, .id = 1,
				    .flags = KMVIEW_PREFIX_REDIRECT, .src = 16, .src_len = 4 };
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_ADD_PREFIX, &p));
	EXPECT_EQ(EFAULT, errno);
	p.src_len = KMVIEW_PATH_MAX;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_ADD_PREFIX, &p));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, add_redirect(&t, "/d", 1, KMVIEW_PREFIX_REDIRECT, "/usr/share", 0));
	EXPECT_EQ(0, add_redirect(&t, "/d/x", 2, KMVIEW_PREFIX_NATIVE, NULL, 0));
	EXPECT_EQ(0, add_redirect(&t, "/", 3, KMVIEW_PREFIX_REDIRECT, "/", 0));
	EXPECT_EQ(-1, add_redirect(&t, "/e", 2, 0, NULL, 0));
	EXPECT_EQ(EEXIST, errno);
	testd_close(&t);
}

TEST(bad_filters_prefixes_and_mem_requests_are_refused)
{
	uint64_t bits[KMVIEW_NR_SYSCALLS / 64] = { 0 };
	struct kmview_filter f = { .bitmap = (uintptr_t)bits };
	struct kmview_mem mem = { 0 };
	struct kmview_vfd_poll vp = { 0 };
	static const char *bad[] = { "", "rel", "/a/", "/a//b", "/a/./b", "/a/../b", "/.", "/.." };
	struct testd t;
	uint64_t id;
	char buf[64];
	unsigned int i;

	ASSERT_EQ(0, testd_open(&t, 0));
	f.nr_bits = KMVIEW_NR_SYSCALLS + 1;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_SET_FILTER, &f));
	EXPECT_EQ(EINVAL, errno);
	f.nr_bits = 64;
	f.flags = 1U << 9;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_SET_FILTER, &f));
	EXPECT_EQ(EINVAL, errno);
	f.flags = 0;
	f.bitmap = 16;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_SET_FILTER, &f));
	EXPECT_EQ(EFAULT, errno);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(-1, testd_add_prefix(&t, bad[i], 1)) TH_LOG("prefix '%s'", bad[i]);
		EXPECT_EQ(EINVAL, errno);
	}
	EXPECT_EQ(-1, testd_add_prefix(&t, "/mnt", 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, testd_add_prefix(&t, "/mnt", 1));
	EXPECT_EQ(-1, testd_add_prefix(&t, "/srv", 1));
	EXPECT_EQ(EEXIST, errno);
	for (i = 2; i <= KMVIEW_MAX_PREFIXES; i++) {
		snprintf(buf, sizeof(buf), "/p%u", i);
		ASSERT_EQ(0, testd_add_prefix(&t, buf, i));
	}
	EXPECT_EQ(-1, testd_add_prefix(&t, "/full", 9999));
	EXPECT_EQ(ENOSPC, errno);
	id = 12345;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_DEL_PREFIX, &id));
	EXPECT_EQ(ENOENT, errno);
	for (id = 1; id <= KMVIEW_MAX_PREFIXES; id++)
		ASSERT_EQ(0, ioctl(t.fd, KMVIEW_IOC_DEL_PREFIX, &id));

	mem.unique = 1;
	mem.len = 0;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_MEM, &mem));
	EXPECT_EQ(EINVAL, errno);
	mem.len = 8;
	mem.buf = (uintptr_t)buf;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_MEM, &mem));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_VFD_POLL, &vp));
	EXPECT_EQ(EINVAL, errno);
	vp.handle = 3;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_VFD_POLL, &vp));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, read(t.fd, buf, sizeof(buf)));
	EXPECT_EQ(EINVAL, errno);
	testd_close(&t);
}

/*
 * The random loops run as fixtures only to get a timeout of their own: the
 * harness's 30 s is too short for KMVIEW_FUZZ_ITERATIONS on a debug kernel.
 */
FIXTURE(loop) {};
FIXTURE_SETUP(loop) {}
FIXTURE_TEARDOWN(loop) {}
#define FUZZ_LOOP_TIMEOUT 900

TEST_F_TIMEOUT(loop, random_ioctls_are_rejected, FUZZ_LOOP_TIMEOUT)
{
	unsigned long i, iterations = fuzz_iterations();
	struct testd t;
	char *junk = malloc(4096);

	ASSERT_EQ(0, testd_open(&t, 0));
	srandom(fuzz_seed(1));
	TH_LOG("%lu random ioctls, seed %u", iterations, fuzz_seed(1));
	for (i = 0; i < iterations; i++) {
		unsigned int nr = random() % 16, size = random() % 128, dir = random() % 4;
		unsigned long cmd = (dir << 30) | (size << 16) | (KMVIEW_IOC_MAGIC << 8) | nr;
		unsigned int j;
		long ret;

		if (cmd == KMVIEW_IOC_ATTACH)
			continue;
		for (j = 0; j < 4096; j++)
			junk[j] = random();
		ret = ioctl(t.fd, cmd, (random() % 4) ? junk : (char *)(random() % 4096));
		if (ret < 0)
			ASSERT_TRUE(is_clean_error(errno)) TH_LOG("cmd %#lx errno %d", cmd, errno);
	}
	free(junk);
	testd_close(&t);
}

/* Serve one held request with a barrage of malformed replies first. */
static int member_waits(void *arg)
{
	CHECK(testd_call(TESTD_RETURN, 0, 0, 0) == 31337);
	return 0;
}

static int try_reply(int fd, const void *r, size_t len)
{
	ssize_t n = write(fd, r, len);

	return n < 0 ? errno : 0;
}

TEST_F_TIMEOUT(loop, malformed_replies_are_rejected_and_lose_nothing, FUZZ_LOOP_TIMEOUT)
{
	static const int nrs[] = { SYS_getppid };
	static char buf[2 * KMVIEW_READ_MIN] __attribute__((aligned(8)));
	struct {
		struct kmview_reply r;
		struct kmview_copy c;
		char data[16];
	} big;
	struct kmview_reply r, good;
	struct kmview_msg *m = (void *)buf;
	unsigned long i, iterations = fuzz_iterations();
	struct testd t;
	int status;
	ssize_t n;

	ASSERT_EQ(0, testd_open(&t, 0));
	ASSERT_EQ(0, testd_filter(&t, nrs, 1, 0));
	testd_spawn(&t, member_waits, NULL);

	/* a read into a bad buffer fails and loses the request: no */
	EXPECT_EQ(-1, syscall(SYS_read, t.fd, 16, KMVIEW_READ_MIN));
	EXPECT_EQ(EFAULT, errno);
	n = read(t.fd, buf, sizeof(buf));
	ASSERT_GE(n, (ssize_t)sizeof(*m));
	ASSERT_EQ(KMVIEW_MSG_SYSCALL, m->type);

	good = (struct kmview_reply){ .unique = m->unique, .len = sizeof(good),
				      .kind = KMVIEW_REPLY_RETURN, .retval = 31337 };
	r = good; r.len = sizeof(r) - 8;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	EXPECT_EQ(EINVAL, try_reply(t.fd, &good, sizeof(good) - 8));
	r = good; r.kind = 99;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.flags = 1U << 3;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.flags = KMVIEW_REPLY_F_CWD_VIRTUAL | KMVIEW_REPLY_F_CWD_REAL;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.reserved[1] = 1;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.retval = -512;	/* ERESTARTSYS never leaves the kernel */
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.retval = -5000;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.ncopy = 1;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.kind = KMVIEW_REPLY_VFD; r.retval = 0;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));	/* handle 0 */
	r = good; r.kind = KMVIEW_REPLY_FILE; r.retval = 0; r.fd = 9999;
	EXPECT_EQ(EBADF, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.kind = KMVIEW_REPLY_REWRITE; r.retval = 0; r.argmask = 1U << 6;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	r = good; r.kind = KMVIEW_REPLY_NATIVE; r.retval = 0; r.args[0] = 0; r.argmask = 1;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &r, sizeof(r)));
	memset(&big, 0, sizeof(big));
	big.r = good;
	big.r.len = sizeof(big);
	big.r.ncopy = 1;
	big.c.addr = 4096;
	big.c.len = 17;		/* more data than follows */
	EXPECT_EQ(EINVAL, try_reply(t.fd, &big, sizeof(big)));
	big.c.len = 16;
	big.c.reserved = 1;
	EXPECT_EQ(EINVAL, try_reply(t.fd, &big, sizeof(big)));
	r = good; r.unique = m->unique + 1000;
	EXPECT_EQ(ENOENT, try_reply(t.fd, &r, sizeof(r)));

	srandom(fuzz_seed(2));
	TH_LOG("%lu random replies, seed %u", iterations, fuzz_seed(2));
	for (i = 0; i < iterations; i++) {
		unsigned char junk[512] __attribute__((aligned(8)));
		size_t len = random() % sizeof(junk), j;
		int err;

		for (j = 0; j < len; j++)
			junk[j] = random();
		if (len >= sizeof(r) && (random() & 1))
			((struct kmview_reply *)junk)->unique = m->unique;
		err = try_reply(t.fd, junk, len);
		ASSERT_TRUE(err && is_clean_error(err)) TH_LOG("random reply: %d", err);
	}

	/* after all that, the request is still there and answered right */
	EXPECT_EQ(0, try_reply(t.fd, &good, sizeof(good)));
	EXPECT_EQ(ENOENT, try_reply(t.fd, &good, sizeof(good)));
	status = testd_serve(&t);
	testd_close(&t);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
}

TEST_HARNESS_MAIN

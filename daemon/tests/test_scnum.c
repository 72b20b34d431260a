// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_scnum.c - the calls a module owns by number (CHECKSC): the kernel
 * filter holds them only while an entry owns them; a claimed call reaches
 * the module's method with VUOS's conversions (getuid through getresfuid,
 * setreuid through setresfuid, gettimeofday through clock_gettime...) and
 * what it returns is copied to the member only on success; an unclaimed
 * one stays native; a missing method is ENOSYS.
 */
#include <errno.h>
#include <limits.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "core/arch_table.h"
#include "core/service.h"
#include "core/vuht.h"
#include "fake_backend.h"
#include "filter.h"
#include "sc/scnum.h"
#include "tap.h"

#define A_1 0x1000
#define A_2 0x2000
#define A_3 0x3000
#define A_BIG 0x4000

static struct fake_backend f;
static pid_t tid;
/* the member's memory */
static uint32_t m_1, m_2, m_3;
static unsigned char m_big[512];

/* What the module saw and answers. */
static struct {
	int calls;
	void *priv;
	uid_t id[4]; /* getresf[ug]id answers these */
	uid_t set[4]; /* setresf[ug]id got these */
	int nset;
	int fail; /* the next method fails with this errno */
	int fail_set; /* the next setresf[ug]id fails with this errno */
	gid_t groups[8];
	int ngroups;
	clockid_t clk;
	struct timespec ts;
	struct __user_cap_header_struct hdr;
	struct __user_cap_data_struct cap[2];
	char name[80];
	size_t namelen;
	int confirm_key, confirm_len, confirm_nr;
	int flags;
} mod;

static int failing(void)
{
	if (!mod.fail)
		return 0;
	errno = mod.fail;
	mod.fail = 0;
	return -1;
}

static int m_getresfuid(uid_t *r, uid_t *e, uid_t *s, uid_t *fs, void *priv)
{
	mod.calls++;
	mod.priv = priv;
	if (failing())
		return -1;
	*r = mod.id[0];
	*e = mod.id[1];
	*s = mod.id[2];
	*fs = mod.id[3];
	return 0;
}

static int m_setresfuid(uid_t r, uid_t e, uid_t s, uid_t fs, void *priv)
{
	mod.calls++;
	mod.priv = priv;
	mod.nset++;
	mod.set[0] = r;
	mod.set[1] = e;
	mod.set[2] = s;
	mod.set[3] = fs;
	if (mod.fail_set) {
		errno = mod.fail_set;
		mod.fail_set = 0;
		return -1;
	}
	return 0;
}

static int m_getgroups(int size, gid_t *list, void *priv)
{
	mod.priv = priv;
	if (size == 0)
		return mod.ngroups;
	if (size < mod.ngroups)
		return errno = EINVAL, -1;
	memcpy(list, mod.groups, (size_t)mod.ngroups * sizeof(gid_t));
	return mod.ngroups;
}

static int m_setgroups(size_t size, const gid_t *list, void *priv)
{
	mod.priv = priv;
	mod.ngroups = (int)size;
	memcpy(mod.groups, list, size * sizeof(gid_t));
	return 0;
}

static int m_clock_gettime(clockid_t clk, struct timespec *tp)
{
	mod.calls++;
	mod.clk = clk;
	if (failing())
		return -1;
	*tp = mod.ts;
	return 0;
}

static int m_clock_settime(clockid_t clk, const struct timespec *tp)
{
	mod.calls++;
	mod.clk = clk;
	mod.ts = *tp;
	return failing();
}

static int m_clock_getres(clockid_t clk, struct timespec *res)
{
	mod.calls++;
	mod.clk = clk;
	if (!res)
		return errno = EFAULT, -1; /* as vumisc's */
	res->tv_sec = 0;
	res->tv_nsec = 42;
	return 0;
}

static int m_clock_nanosleep(clockid_t clk, int flags, const struct timespec *req,
			     struct timespec *rem)
{
	mod.calls++;
	mod.clk = clk;
	mod.flags = flags;
	mod.ts = *req;
	if (mod.fail == EINTR && rem) {
		rem->tv_sec = 3;
		rem->tv_nsec = 4;
	}
	return failing();
}

/* Timeouts run at half the pace: a second of the view lasts two. */
static int m_clock_timeout(clockid_t clk, struct timespec *t)
{
	long long ns = ((long long)t->tv_sec * 1000000000LL + t->tv_nsec) * 2;

	mod.calls++;
	mod.clk = clk;
	if (failing())
		return -1;
	t->tv_sec = ns / 1000000000LL;
	t->tv_nsec = ns % 1000000000LL;
	return 0;
}

static int m_capget(cap_user_header_t hdr, cap_user_data_t data)
{
	mod.calls++;
	mod.hdr = *hdr;
	memcpy(data, mod.cap, sizeof(mod.cap)); /* always two, as unrealcap */
	return 0;
}

static int m_capset(cap_user_header_t hdr, const cap_user_data_t data)
{
	mod.calls++;
	mod.hdr = *hdr;
	memcpy(mod.cap, data, sizeof(mod.cap));
	return 0;
}

static int m_uname(struct utsname *u)
{
	mod.calls++;
	strcpy(u->nodename, "virtualnode");
	return 0;
}

static int m_sethostname(const char *name, size_t len)
{
	mod.calls++;
	snprintf(mod.name, sizeof(mod.name), "%s", name);
	mod.namelen = len;
	return 0;
}

/* A vumisc-like wildcard: it takes uname only (and counts what it is asked). */
static int only_uname(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	mod.confirm_key = *(int *)arg;
	mod.confirm_len = arglen;
	mod.confirm_nr = vu_mod_getsyscall_number();
	return *(int *)arg == vu_arch_table[__NR_uname];
}

static struct vu_module_t mod_full = { .name = "full", .description = "every method" };
static struct vu_module_t mod_bare = { .name = "bare", .description = "no method" };

#define SET(s, m, fn)                                            \
	do {                                                     \
		void (*p_)(void) = (void (*)(void))(fn);         \
		memcpy(&(s)->method[VU_M_##m], &p_, sizeof(p_)); \
	} while (0)

static struct vu_service_t *fake_service(struct vu_module_t *m, bool methods)
{
	struct vu_service_t *s = calloc(1, sizeof(*s));

	s->mod = m;
	s->refs = 1;
	s->service_ht = vuht_add(CHECKMODULE, m->name, (int)strlen(m->name), s, 0, NULL, NULL);
	if (!methods)
		return s;
	SET(s, getresfuid, m_getresfuid);
	SET(s, getresfgid, m_getresfuid);
	SET(s, setresfuid, m_setresfuid);
	SET(s, setresfgid, m_setresfuid);
	SET(s, getgroups, m_getgroups);
	SET(s, setgroups, m_setgroups);
	SET(s, clock_gettime, m_clock_gettime);
	SET(s, clock_settime, m_clock_settime);
	SET(s, clock_getres, m_clock_getres);
	SET(s, clock_nanosleep, m_clock_nanosleep);
	SET(s, clock_timeout, m_clock_timeout);
	SET(s, capget, m_capget);
	SET(s, capset, m_capset);
	SET(s, uname, m_uname);
	SET(s, sethostname, m_sethostname);
	return s;
}

/* An exact CHECKSC entry for the method of syscall @nr. */
static struct vuht_entry_t *claim(struct vu_service_t *s, long nr, void *priv)
{
	int key = vu_arch_table[nr];

	return vuht_add(CHECKSC, &key, sizeof(int), s, 0, NULL, priv);
}

static long call(long nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	return fake_call(&f, tid, nr, a0, a1, a2, 0);
}

static int bit(long nr)
{
	return (int)((f.bitmap[nr / 64] >> (nr % 64)) & 1);
}

static void sync_filter(void)
{
	vu_filter_sync(&f.be);
}

static void test_filter(struct vu_service_t *s)
{
	struct vuht_entry_t *u, *w, *neg;
	int k = 12345;

	sync_filter();
	ok(!bit(__NR_getuid) && !bit(__NR_uname) && !bit(__NR_clock_gettime),
	   "nothing claimed: no call by number is in the filter");
	u = claim(s, __NR_getresuid, NULL);
	sync_filter();
	ok(bit(__NR_getuid) && bit(__NR_geteuid) && bit(__NR_getresuid),
	   "a claim of getresfuid: getuid, geteuid, getresuid are in the filter");
	ok(!bit(__NR_getgid) && !bit(__NR_setuid) && !bit(__NR_uname) && !bit(__NR_getpid),
	   "but not getgid, setuid, uname or getpid");
	ok(!bit(__NR_openat) && !bit(__NR_read), "nor the path and fd calls");
	w = vuht_add(CHECKSC, NULL, 0, s, 0, only_uname, NULL);
	sync_filter();
	ok(bit(__NR_uname) && bit(__NR_setgid) && bit(__NR_capget) && bit(__NR_time) &&
		   bit(__NR_sethostname) && bit(__NR_clock_getres) && bit(__NR_setgroups),
	   "a wildcard: every call by number is in the filter");
	ok(!bit(__NR_getpid) && !bit(__NR_openat), "and nothing else");
	vuht_del(w, 0);
	vuht_del(u, 0);
	sync_filter();
	ok(!bit(__NR_getuid) && !bit(__NR_uname), "the claims gone, the bits go");
	neg = vuht_add(CHECKSC, NULL, 0, s, 0, NEGATIVE_MOUNT, NULL);
	u = vuht_add(CHECKSC, &k, sizeof(int), s, 0, NULL, NULL);
	sync_filter();
	ok(!bit(__NR_getuid) && !bit(__NR_uname),
	   "a negative wildcard and a key no call has: no bit");
	vuht_del(neg, 0);
	vuht_del(u, 0);
}

static void test_getid(struct vu_service_t *s)
{
	static int priv;
	struct vuht_entry_t *u;
	uid_t ids[4] = { 11, 12, 13, 14 };

	is_long(call(__NR_getuid, 0, 0, 0), FAKE_NATIVE, "getuid nobody claims: native");
	u = claim(s, __NR_getuid, &priv);
	memcpy(mod.id, ids, sizeof(ids));
	is_long(call(__NR_getuid, 0, 0, 0), 11, "getuid: the module's real uid");
	ok(mod.priv == &priv, "getresfuid gets the entry's private data");
	is_long(call(__NR_geteuid, 0, 0, 0), 12, "geteuid: its effective uid");
	m_1 = m_2 = m_3 = 7;
	is_long(call(__NR_getresuid, A_1, A_2, A_3), 0, "getresuid");
	ok(m_1 == 11 && m_2 == 12 && m_3 == 13, "writes the three uids");
	m_1 = m_2 = m_3 = 7;
	is_long(call(__NR_getresuid, A_1, 0, A_3), 0, "getresuid with a NULL pointer");
	ok(m_1 == 11 && m_3 == 13, "writes the others (as VUOS)");
	m_1 = m_2 = m_3 = 7;
	mod.fail = EACCES;
	is_long(call(__NR_getresuid, A_1, A_2, A_3), -EACCES, "a failing getresfuid: its errno");
	ok(m_1 == 7 && m_2 == 7 && m_3 == 7, "and nothing written");
	is_long(call(__NR_getgid, 0, 0, 0), FAKE_NATIVE, "getgid, not claimed: native");
	vuht_del(u, 0);
	is_long(call(__NR_getuid, 0, 0, 0), FAKE_NATIVE, "the claim gone: native again");
}

/* The ids setresfuid gets after @nr(a0, a1, a2) on ids (11, 12, 13, 14), or -1 set. */
static int set_case(long nr, uint64_t a0, uint64_t a1, uint64_t a2, uid_t euid, uid_t r, uid_t e,
		    uid_t s, uid_t fs)
{
	uid_t ids[4] = { 11, euid, 13, 14 };
	long ret;

	memcpy(mod.id, ids, sizeof(ids));
	mod.nset = 0;
	memset(mod.set, 0xff, sizeof(mod.set));
	ret = call(nr, a0, a1, a2);
	if (ret != 0 || mod.nset != 1 || mod.set[0] != r || mod.set[1] != e || mod.set[2] != s ||
	    mod.set[3] != fs) {
		printf("#   ret %ld, %d calls, got %u %u %u %u\n", ret, mod.nset, mod.set[0],
		       mod.set[1], mod.set[2], mod.set[3]);
		return 0;
	}
	return 1;
}

static void test_setid(struct vu_service_t *s, struct vu_service_t *bare)
{
	static int priv;
	struct vuht_entry_t *u = claim(s, __NR_setuid, &priv), *g, *b;
	const uint64_t none = (uint32_t)-1;

	ok(set_case(__NR_setresuid, 1, 2, 3, 12, 1, 2, 3, 2), "setresuid(1, 2, 3): fsuid follows");
	ok(mod.priv == &priv, "setresfuid gets the entry's private data");
	ok(set_case(__NR_setresuid, none, 5, none, 12, 11, 5, 13, 5),
	   "setresuid(-1, 5, -1): the others stay");
	ok(set_case(__NR_setuid, 7, 0, 0, 12, 11, 7, 13, 7), "setuid(7) by a user: euid only");
	ok(set_case(__NR_setuid, 7, 0, 0, 0, 7, 7, 7, 7), "setuid(7) by a virtual root: all");
	ok(set_case(__NR_setreuid, 20, none, 0, 12, 20, 12, 12, 12),
	   "setreuid(20, -1): the saved uid becomes the euid");
	ok(set_case(__NR_setreuid, none, 11, 0, 12, 11, 11, 13, 11),
	   "setreuid(-1, ruid): the saved uid stays");
	ok(set_case(__NR_setreuid, none, 30, 0, 12, 11, 30, 30, 30),
	   "setreuid(-1, 30): a new euid other than the real moves the saved one");
	mod.id[1] = 12;
	mod.id[3] = 14;
	mod.nset = 0;
	is_long(call(__NR_setfsuid, 99, 0, 0), 14, "setfsuid(99) returns the old fsuid");
	ok(mod.nset == 1 && mod.set[0] == 11 && mod.set[1] == 12 && mod.set[2] == 13 &&
		   mod.set[3] == 99,
	   "and sets the fsuid alone");
	mod.nset = 0;
	is_long(call(__NR_setfsuid, none, 0, 0), 14, "setfsuid(-1) only asks");
	is_long(mod.nset, 0, "and sets nothing");
	mod.fail_set = EPERM;
	is_long(call(__NR_setuid, 5, 0, 0), -EPERM, "a module that refuses: EPERM");
	is_long(call(__NR_setgid, 5, 0, 0), FAKE_NATIVE, "setgid, not claimed: native");
	g = claim(s, __NR_setgid, &priv);
	ok(set_case(__NR_setgid, 8, 0, 0, 0, 8, 8, 8, 8),
	   "setgid(8) with a virtual euid 0: all gids");
	vuht_del(g, 0);
	vuht_del(u, 0);
	b = claim(bare, __NR_setuid, NULL);
	is_long(call(__NR_setuid, 5, 0, 0), -ENOSYS, "a module without the methods: ENOSYS");
	is_long(call(__NR_getuid, 0, 0, 0), FAKE_NATIVE, "getuid is another key");
	vuht_del(b, 0);
}

static void test_groups(struct vu_service_t *s)
{
	static int priv;
	struct vuht_entry_t *g = claim(s, __NR_getgroups, &priv), *sg;
	gid_t *out = (gid_t *)m_big;

	mod.ngroups = 3;
	mod.groups[0] = 100;
	mod.groups[1] = 200;
	mod.groups[2] = 300;
	is_long(call(__NR_getgroups, 0, 0, 0), 3, "getgroups(0): how many");
	ok(mod.priv == &priv, "with the entry's private data");
	memset(m_big, 0, sizeof(m_big));
	is_long(call(__NR_getgroups, 2, A_BIG, 0), -EINVAL, "too small a list: EINVAL");
	is_long(call(__NR_getgroups, 8, A_BIG, 0), 3, "getgroups(8)");
	ok(out[0] == 100 && out[1] == 200 && out[2] == 300 && out[3] == 0,
	   "writes the three groups and no more");
	is_long(call(__NR_getgroups, (uint64_t)-1, A_BIG, 0), -EINVAL, "a negative size: EINVAL");
	is_long(call(__NR_setgroups, 1, A_BIG, 0), FAKE_NATIVE, "setgroups, not claimed: native");
	sg = claim(s, __NR_setgroups, &priv);
	is_long(call(__NR_setgroups, NGROUPS_MAX + 1, A_BIG, 0), -EINVAL,
		"setgroups beyond NGROUPS_MAX: EINVAL");
	out[0] = 5;
	out[1] = 6;
	is_long(call(__NR_setgroups, 2, A_BIG, 0), 0, "setgroups(2)");
	ok(mod.ngroups == 2 && mod.groups[0] == 5 && mod.groups[1] == 6, "the module has the list");
	is_long(call(__NR_setgroups, 2, 0x999000, 0), -EFAULT, "a bad list: EFAULT");
	vuht_del(sg, 0);
	vuht_del(g, 0);
}

static void test_clock(struct vu_service_t *s)
{
	struct vuht_entry_t *c = claim(s, __NR_clock_gettime, NULL), *st;
	struct timespec *ts = (struct timespec *)m_big;
	struct timeval *tv = (struct timeval *)m_big;
	time_t *t = (time_t *)m_big;

	mod.ts.tv_sec = 1234;
	mod.ts.tv_nsec = 567891;
	memset(m_big, 0, sizeof(m_big));
	is_long(call(__NR_clock_gettime, CLOCK_MONOTONIC, A_BIG, 0), 0, "clock_gettime");
	ok(mod.clk == CLOCK_MONOTONIC && ts->tv_sec == 1234 && ts->tv_nsec == 567891,
	   "the module's clock and time");
	is_long(call(__NR_clock_gettime, CLOCK_REALTIME, 0, 0), -EFAULT, "a NULL timespec: EFAULT");
	mod.fail = EINVAL;
	memset(m_big, 0, sizeof(m_big));
	is_long(call(__NR_clock_gettime, 99, A_BIG, 0), -EINVAL, "a clock it refuses: its errno");
	ok(ts->tv_sec == 0, "nothing written");
	memset(m_big, 0xee, sizeof(m_big));
	mod.clk = -1;
	is_long(call(__NR_gettimeofday, A_BIG, A_BIG + 64, 0), 0, "gettimeofday, by clock_gettime");
	ok(mod.clk == CLOCK_REALTIME && tv->tv_sec == 1234 && tv->tv_usec == 567,
	   "CLOCK_REALTIME, in microseconds");
	ok(m_big[64] == 0xee, "the time zone is left alone");
	is_long(call(__NR_gettimeofday, 0, 0, 0), -EFAULT, "a NULL timeval: EFAULT (VUOS)");
	is_long(call(__NR_time, A_BIG, 0, 0), 1234, "time: the seconds");
	is_long(*t, 1234, "written to its argument too");
	is_long(call(__NR_time, 0, 0, 0), 1234, "time(NULL)");
	is_long(call(__NR_clock_settime, CLOCK_REALTIME, A_BIG, 0), FAKE_NATIVE,
		"clock_settime is another key: native");
	is_long(call(__NR_clock_getres, CLOCK_REALTIME, A_BIG, 0), FAKE_NATIVE, "clock_getres too");
	st = claim(s, __NR_settimeofday, NULL);
	tv->tv_sec = 5;
	tv->tv_usec = 6;
	is_long(call(__NR_settimeofday, A_BIG, 0, 0), 0, "settimeofday, by clock_settime");
	ok(mod.clk == CLOCK_REALTIME && mod.ts.tv_sec == 5 && mod.ts.tv_nsec == 6000,
	   "CLOCK_REALTIME, in nanoseconds");
	tv->tv_usec = 1000000;
	mod.calls = 0;
	is_long(call(__NR_settimeofday, A_BIG, 0, 0), -EINVAL, "a bad tv_usec: EINVAL");
	is_long(mod.calls, 0, "the module is not asked");
	ts->tv_sec = 77;
	ts->tv_nsec = 8;
	is_long(call(__NR_clock_settime, CLOCK_TAI, A_BIG, 0), 0, "clock_settime");
	ok(mod.clk == CLOCK_TAI && mod.ts.tv_sec == 77 && mod.ts.tv_nsec == 8, "the module has it");
	vuht_del(st, 0);
	st = claim(s, __NR_clock_getres, NULL);
	is_long(call(__NR_clock_getres, CLOCK_REALTIME, 0, 0), 0,
		"clock_getres(NULL), as the kernel");
	is_long(call(__NR_clock_getres, CLOCK_REALTIME, A_BIG, 0), 0, "clock_getres");
	is_long(ts->tv_nsec, 42, "the module's resolution");
	vuht_del(st, 0);
	vuht_del(c, 0);
}

static void test_cap(struct vu_service_t *s)
{
	struct vuht_entry_t *c = claim(s, __NR_capget, NULL), *cs;
	struct __user_cap_header_struct *hdr = (struct __user_cap_header_struct *)m_big;
	struct __user_cap_data_struct *data = (struct __user_cap_data_struct *)(m_big + 64);

	mod.cap[0].effective = 0x11;
	mod.cap[1].effective = 0x22;
	memset(m_big, 0, sizeof(m_big));
	hdr->version = _LINUX_CAPABILITY_VERSION_3;
	is_long(call(__NR_capget, A_BIG, A_BIG + 64, 0), 0, "capget, version 3");
	ok(data[0].effective == 0x11 && data[1].effective == 0x22, "two data structs");
	is_long(mod.hdr.pid, tid, "pid 0 is the caller");
	memset(m_big, 0, sizeof(m_big));
	hdr->version = _LINUX_CAPABILITY_VERSION_1;
	is_long(call(__NR_capget, A_BIG, A_BIG + 64, 0), 0, "capget, version 1");
	ok(data[0].effective == 0x11 && data[1].effective == 0, "one data struct");
	hdr->version = 0x1234;
	mod.calls = 0;
	is_long(call(__NR_capget, A_BIG, A_BIG + 64, 0), -EINVAL, "an unknown version: EINVAL");
	is_long(hdr->version, _LINUX_CAPABILITY_VERSION_3, "the header says version 3");
	hdr->version = 0x1234;
	is_long(call(__NR_capget, A_BIG, 0, 0), 0, "and with no data it is the version probe");
	is_long(hdr->version, _LINUX_CAPABILITY_VERSION_3, "version 3 again");
	is_long(mod.calls, 0, "the module is not asked");
	is_long(call(__NR_capget, 0, A_BIG + 64, 0), -EFAULT, "a NULL header: EFAULT");
	is_long(call(__NR_capset, A_BIG, A_BIG + 64, 0), FAKE_NATIVE,
		"capset, not claimed: native");
	cs = claim(s, __NR_capset, NULL);
	hdr->version = _LINUX_CAPABILITY_VERSION_1;
	hdr->pid = 0;
	data[0].permitted = 0x33;
	data[1].permitted = 0x44;
	is_long(call(__NR_capset, A_BIG, A_BIG + 64, 0), 0, "capset, version 1");
	ok(mod.cap[0].permitted == 0x33 && mod.cap[1].permitted == 0,
	   "the module gets one struct, the second zeroed");
	is_long(mod.hdr.pid, tid, "for the caller");
	hdr->version = _LINUX_CAPABILITY_VERSION_3;
	is_long(call(__NR_capset, A_BIG, A_BIG + 64, 0), 0, "capset, version 3");
	ok(mod.cap[1].permitted == 0x44, "two structs");
	hdr->pid = tid + 1;
	is_long(call(__NR_capset, A_BIG, A_BIG + 64, 0), -EPERM, "capset of another: EPERM");
	vuht_del(cs, 0);
	vuht_del(c, 0);
}

static void test_uname(struct vu_service_t *s, struct vu_service_t *bare)
{
	struct utsname *u = (struct utsname *)m_big, real;
	struct vuht_entry_t *w, *h, *b;

	uname(&real);
	is_long(call(__NR_uname, A_BIG, 0, 0), FAKE_NATIVE, "uname nobody claims: native");
	w = vuht_add(CHECKSC, NULL, 0, s, 0, only_uname, NULL);
	memset(m_big, 0, sizeof(m_big));
	is_long(call(__NR_uname, A_BIG, 0, 0), 0, "uname claimed by a wildcard");
	is_str(u->nodename, "virtualnode", "the module's nodename");
	is_str(u->sysname, real.sysname, "the fields it leaves are the real ones");
	is_str(u->release, real.release, "the release too");
	is_long(mod.confirm_key, vu_arch_table[__NR_uname], "the confirm function gets the key");
	is_long(mod.confirm_len, sizeof(int), "an int");
	is_long(mod.confirm_nr, __NR_uname, "and can ask the syscall number, as vumisc does");
	is_long(call(__NR_uname, 0, 0, 0), -EFAULT, "a NULL buffer: EFAULT");
	is_long(call(__NR_getuid, 0, 0, 0), FAKE_NATIVE,
		"a call its confirm function declines: native");
	is_long(call(__NR_sethostname, A_BIG, 3, 0), FAKE_NATIVE, "sethostname, declined: native");
	h = claim(s, __NR_sethostname, NULL);
	memcpy(m_big, "abcdef", 6);
	is_long(call(__NR_sethostname, A_BIG, 3, 0), 0, "sethostname claimed");
	is_str(mod.name, "abc", "the module gets the name, NUL-terminated");
	is_long(mod.namelen, 3, "and its length");
	is_long(call(__NR_sethostname, A_BIG, 65, 0), -EINVAL, "longer than 64: EINVAL");
	is_long(call(__NR_sethostname, A_BIG, (uint64_t)-1, 0), -EINVAL, "negative: EINVAL");
	is_long(call(__NR_sethostname, 0x999000, 3, 0), -EFAULT, "a bad name: EFAULT");
	b = vuht_add(CHECKSC, NULL, 0, bare, 0, NULL, NULL);
	is_long(call(__NR_uname, A_BIG, 0, 0), -ENOSYS,
		"the newest entry wins; without a uname method: ENOSYS");
	is_long(call(__NR_setdomainname, A_BIG, 3, 0), -ENOSYS, "setdomainname too");
	vuht_del(b, 0);
	vuht_del(h, 0);
	vuht_del(w, 0);
}

/* The last reply. */
static const struct vu_reply *last(void)
{
	return &f.replies[f.nreplies - 1].rep;
}

static void test_sleep(struct vu_service_t *s, struct vu_service_t *bare)
{
	struct timespec *req = (struct timespec *)m_big, *rem = req + 1;
	struct vuht_entry_t *u, *b;

	is_long(call(__NR_nanosleep, A_BIG, 0, 0), FAKE_NATIVE, "nanosleep nobody claims: native");
	u = claim(s, __NR_clock_nanosleep, NULL);
	sync_filter();
	ok(bit(__NR_nanosleep) && bit(__NR_clock_nanosleep) && !f.no_vdso,
	   "a claim of clock_nanosleep: nanosleep and clock_nanosleep in the filter, the vDSO stays");
	*req = (struct timespec){ 2, 5 };
	mod.calls = 0;
	is_long(call(__NR_nanosleep, A_BIG, 0, 0), 0, "nanosleep: the module sleeps");
	ok(mod.calls == 1 && mod.clk == CLOCK_MONOTONIC && mod.flags == 0 && mod.ts.tv_sec == 2 &&
		   mod.ts.tv_nsec == 5,
	   "as clock_nanosleep(CLOCK_MONOTONIC, 0, req)");
	is_long(fake_call(&f, tid, __NR_clock_nanosleep, CLOCK_REALTIME, TIMER_ABSTIME, A_BIG, 0), 0,
		"clock_nanosleep(CLOCK_REALTIME, TIMER_ABSTIME)");
	ok(mod.clk == CLOCK_REALTIME && mod.flags == TIMER_ABSTIME, "reaches it with its clock and flags");
	*rem = (struct timespec){ 0, 0 };
	mod.fail = EINTR;
	is_long(call(__NR_nanosleep, A_BIG, A_BIG + sizeof(*req), 0), -EINTR,
		"an interrupted sleep: EINTR");
	ok(rem->tv_sec == 3 && rem->tv_nsec == 4, "with what is left in rem");
	mod.calls = 0;
	*req = (struct timespec){ 1, 1000000000L };
	is_long(call(__NR_nanosleep, A_BIG, 0, 0), -EINVAL, "tv_nsec 1e9: EINVAL");
	*req = (struct timespec){ -1, 0 };
	is_long(call(__NR_nanosleep, A_BIG, 0, 0), -EINVAL, "a negative time: EINVAL");
	is_long(fake_call(&f, tid, __NR_clock_nanosleep, CLOCK_REALTIME, 4, A_BIG, 0), -EINVAL,
		"an unknown flag: EINVAL");
	is_long(call(__NR_nanosleep, 0x9999000, 0, 0), -EFAULT, "a bad pointer: EFAULT");
	ok(mod.calls == 0, "none of them reached the module");
	b = vuht_add(CHECKSC, NULL, 0, bare, 0, NULL, NULL);
	is_long(call(__NR_nanosleep, A_BIG, 0, 0), FAKE_NATIVE,
		"a newer wildcard claim without the method: the kernel's sleep");
	vuht_del(b, 0);
	vuht_del(u, 0);
}

/*
 * vu_scnum_writable without an address: this process yes, one that is gone
 * no (a child made not dumpable is tested in the VM, vumisc.sh: here the
 * tests may run as root, for whom the owner says nothing).
 */
static void test_writable(void)
{
	struct vu_msg m = { .type = VU_MSG_SYSCALL, .tid = getpid(), .nr = __NR_alarm };
	struct vu_call c = { .be = &f.be, .msg = &m };

	ok(vu_scnum_writable(&c, 0), "the daemon may write into a process of its own");
	m.tid = 999999999;
	ok(!vu_scnum_writable(&c, 0), "not into one that is gone");
}

static void test_timeout(struct vu_service_t *s)
{
	struct timeval *tv = (struct timeval *)m_big;
	struct timespec *ts = (struct timespec *)m_big;
	struct vuht_entry_t *u;

	is_long(call(__NR_poll, 0, 0, 1500), FAKE_NATIVE, "poll nobody claims: native");
	u = claim(s, __NR_poll, NULL);
	sync_filter();
	ok(bit(__NR_poll) && bit(__NR_ppoll) && bit(__NR_select) && bit(__NR_pselect6) &&
		   bit(__NR_epoll_wait) && bit(__NR_epoll_pwait) && bit(__NR_alarm) &&
		   !bit(__NR_epoll_pwait2) && !bit(__NR_setitimer),
	   "a claim of clock_timeout: poll, ppoll, select, pselect6, epoll_wait, epoll_pwait, alarm");
	call(__NR_poll, 0, 0, 1500);
	ok(last()->kind == VU_REPLY_REWRITE && last()->argmask == 1U << 2 && last()->args[2] == 3000,
	   "poll(.., 1500 ms): runs natively with 3000 ms");
	ok(mod.clk == CLOCK_MONOTONIC, "the module is asked about CLOCK_MONOTONIC");
	is_long(call(__NR_poll, 0, 0, (uint64_t)-1), FAKE_NATIVE, "poll with no timeout (-1): as is");
	is_long(call(__NR_poll, 0, 0, 0), FAKE_NATIVE, "poll(.., 0): as is");
	mod.fail = ENOTSUP;
	is_long(call(__NR_poll, 0, 0, 10), FAKE_NATIVE, "the module declines: as is");
	fake_call(&f, tid, __NR_epoll_wait, 3, 0, 0, 7);
	ok(last()->kind == VU_REPLY_REWRITE && last()->argmask == 1U << 3 && last()->args[3] == 14,
	   "epoll_wait: its timeout, argument 3");
	fake_call(&f, tid, __NR_alarm, 3, 0, 0, 0);
	ok(last()->kind == VU_REPLY_REWRITE && last()->argmask == 1U && last()->args[0] == 6,
	   "alarm(3): alarm(6)");
	*tv = (struct timeval){ 1, 600000 };
	is_long(fake_call(&f, tid, __NR_select, 0, 0, 0, 0), FAKE_NATIVE, "select, no timeout: native");
	{
		uint64_t u2 = fake_push_syscall(&f, tid, __NR_select, 0, 0, 0, 0);

		f.queue[f.nqueue - 1].args[4] = A_BIG;
		fake_run(&f);
		is_long(fake_result(&f, u2), FAKE_NATIVE, "select with a timeout: native");
	}
	ok(tv->tv_sec == 3 && tv->tv_usec == 200000, "with its timeval rewritten: 1.6 s is 3.2 s");
	*ts = (struct timespec){ 0, 300000000 };
	is_long(call(__NR_ppoll, 0, 0, A_BIG), FAKE_NATIVE, "ppoll: native");
	ok(ts->tv_sec == 0 && ts->tv_nsec == 600000000, "with its timespec rewritten");
	*ts = (struct timespec){ 0, 1000000000L };
	call(__NR_ppoll, 0, 0, A_BIG);
	ok(ts->tv_nsec == 1000000000L, "an invalid timespec is left to the kernel (EINVAL)");
	vuht_del(u, 0);
}

int main(void)
{
	struct vu_service_t *s, *bare;

	tid = getpid();
	fake_init(&f, 0);
	fake_map(&f, A_1, &m_1, sizeof(m_1));
	fake_map(&f, A_2, &m_2, sizeof(m_2));
	fake_map(&f, A_3, &m_3, sizeof(m_3));
	fake_map(&f, A_BIG, m_big, sizeof(m_big));
	vu_filter_reset();
	s = fake_service(&mod_full, true);
	bare = fake_service(&mod_bare, false);
	test_filter(s);
	test_getid(s);
	test_setid(s, bare);
	test_groups(s);
	test_clock(s);
	test_cap(s);
	test_uname(s, bare);
	test_sleep(s, bare);
	test_timeout(s);
	test_writable();
	is_long(vuht_service_entries(s) + vuht_service_entries(bare), 0, "every claim is gone");
	is_long(f.protocol_errors, 0, "no protocol error");
	vuht_reset();
	vu_filter_reset();
	free(s);
	free(bare);
	return tap_done();
}

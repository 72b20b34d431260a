// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_filter_keys.c - the kernel's keys follow the responsibility table:
 * the socket families, ioctl requests and device numbers of the entries,
 * wildcards, more keys than the kernel takes, the bitmap bits each kind
 * brings, and a backend without keys (a kmview.ko before 1.2); and every
 * exec forwarded while a binary format or a per-process state upcall
 * needs it (KMVIEW_FILTER_ALL_EXECS, or nothing before 1.3).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "core/arch_table.h"
#include "fake_backend.h"
#include "filter.h"
#include "core/service.h"
#include "core/vuht.h"
#include "host/inherit.h"
#include "tap.h"

static struct vu_module_t mod = { .name = "keyed", .description = "claims keys" };

static int bit(const struct fake_backend *f, long nr)
{
	return (int)((f->bitmap[nr / 64] >> (nr % 64)) & 1);
}

static struct vuht_entry_t *add(uint8_t type, const void *obj, int len, struct vu_service_t *s)
{
	return vuht_add(type, obj, len, s, 0, NULL, NULL);
}

static void test_sockets(struct vu_service_t *s)
{
	struct fake_backend f;
	int inet = AF_INET, netlink = AF_NETLINK, big = 70;

	fake_init(&f, VU_BE_KEYS);
	vu_filter_reset();
	is_long(vu_filter_sync(&f.be), 0, "a sync with no entry");
	ok(!bit(&f, __NR_socket) && !bit(&f, __NR_socketpair) && !bit(&f, __NR_ioctl),
	   "no socket or ioctl bit without an entry");
	is_long((long)f.keys.families, 0, "and no family");
	is_long(f.nkeys, 0, "no keys pushed: the kernel stays as in 1.1");

	struct vuht_entry_t *a = add(CHECKSOCKET, &inet, sizeof(inet), s);
	struct vuht_entry_t *b = add(CHECKSOCKET, &netlink, sizeof(netlink), s);
	struct vuht_entry_t *c = add(CHECKSOCKET, &big, sizeof(big), s);

	vu_filter_sync(&f.be);
	ok(f.keys.families == ((1ULL << AF_INET) | (1ULL << AF_NETLINK)),
	   "the families of the entries, none past 63");
	ok(bit(&f, __NR_socket) && bit(&f, __NR_socketpair), "socket and socketpair in the bitmap");
	ok(!bit(&f, __NR_openat) && !bit(&f, __NR_ioctl), "but no path call, no ioctl");
	unsigned int n = f.nkeys;

	vu_filter_sync(&f.be);
	is_long(f.nkeys, n, "unchanged keys are not pushed again");

	struct vuht_entry_t *w = add(CHECKSOCKET, NULL, 0, s);

	vu_filter_sync(&f.be);
	ok(f.keys.families == ~0ULL, "a wildcard entry: every family");
	vuht_del(w, 0);
	vuht_del(a, 0);
	vuht_del(b, 0);
	vu_filter_sync(&f.be);
	ok(bit(&f, __NR_socket), "an entry left (family 70) keeps socket in the bitmap");
	is_long((long)f.keys.families, 0, "with no family the kernel can name");
	vuht_del(c, 0);
	vu_filter_sync(&f.be);
	ok(!bit(&f, __NR_socket) && !bit(&f, __NR_socketpair), "the last one gone, the bits too");
}

static void test_ioctls(struct vu_service_t *s)
{
	struct fake_backend f;
	unsigned long tcgets = TCGETS, fionread = FIONREAD;
	struct vuht_entry_t *e[VU_MAX_KEYS + 1];

	fake_init(&f, VU_BE_KEYS);
	vu_filter_reset();
	struct vuht_entry_t *a = add(CHECKIOCTL, &tcgets, sizeof(tcgets), s);
	struct vuht_entry_t *b = add(CHECKIOCTL, &fionread, sizeof(fionread), s);
	struct vuht_entry_t *dup = add(CHECKIOCTL, &tcgets, sizeof(tcgets), s);

	vu_filter_sync(&f.be);
	is_long(f.keys.nioctls, 2, "two requests, the duplicate once");
	ok((f.keys.ioctls[0] == TCGETS && f.keys.ioctls[1] == FIONREAD) ||
		   (f.keys.ioctls[1] == TCGETS && f.keys.ioctls[0] == FIONREAD),
	   "TCGETS and FIONREAD");
	ok(!f.keys.any_ioctl, "not any request");
	ok(bit(&f, __NR_ioctl) && !bit(&f, __NR_socket) && !bit(&f, __NR_read),
	   "ioctl in the bitmap, alone");
	vuht_del(a, 0);
	vuht_del(b, 0);
	vuht_del(dup, 0);

	for (unsigned long i = 0; i <= VU_MAX_KEYS; i++) {
		unsigned long req = 0x5400 + i;

		e[i] = add(CHECKIOCTL, &req, sizeof(req), s);
	}
	vu_filter_sync(&f.be);
	ok(f.keys.any_ioctl && f.keys.nioctls == VU_MAX_KEYS,
	   "more requests than the kernel takes: any request (the daemon decides)");
	for (int i = 0; i <= VU_MAX_KEYS; i++)
		vuht_del(e[i], 0);

	struct vuht_entry_t *w = add(CHECKIOCTL, NULL, 0, s);

	vu_filter_sync(&f.be);
	ok(f.keys.any_ioctl && f.keys.nioctls == 0, "a wildcard entry: any request");
	vuht_del(w, 0);
	vu_filter_sync(&f.be);
	ok(!f.keys.any_ioctl && !bit(&f, __NR_ioctl), "gone: no ioctl forwarded");
}

static void test_devices(struct vu_service_t *s)
{
	struct fake_backend f;
	dev_t null = makedev(1, 3), sda = makedev(8, 0), huge = makedev(5000, 1);

	fake_init(&f, VU_BE_KEYS);
	vu_filter_reset();
	struct vuht_entry_t *a = add(CHECKCHRDEVICE, &null, sizeof(null), s);
	struct vuht_entry_t *b = add(CHECKBLKDEVICE, &sda, sizeof(sda), s);
	struct vuht_entry_t *c = add(CHECKCHRDEVICE, &huge, sizeof(huge), s);

	vu_filter_sync(&f.be);
	is_long(f.keys.ndevs, 2, "two device keys (no major past 4095)");
	ok(f.keys.devs[0].major == 1 && f.keys.devs[0].minor == 3 && !f.keys.devs[0].blk,
	   "1:3, a character device");
	ok(f.keys.devs[1].major == 8 && f.keys.devs[1].minor == 0 && f.keys.devs[1].blk,
	   "8:0, a block device");
	ok(!f.keys.any_chr && !f.keys.any_blk, "no wildcard");
	ok(bit(&f, __NR_openat) && bit(&f, __NR_stat) && bit(&f, __NR_newfstatat),
	   "the path calls are in the bitmap");
	ok(!f.strict_paths, "but not every path is forwarded");
	ok(!bit(&f, __NR_socket), "and no socket");
	is_long(f.nprefixes, 0, "and no prefix");

	struct vuht_entry_t *w = add(CHECKBLKDEVICE, NULL, 0, s);

	vu_filter_sync(&f.be);
	ok(f.keys.any_blk && !f.keys.any_chr, "a block wildcard: every block device, no char");
	vuht_del(w, 0);
	vuht_del(a, 0);
	vuht_del(b, 0);
	vuht_del(c, 0);
	vu_filter_sync(&f.be);
	ok(f.keys.ndevs == 0 && !f.keys.any_blk, "gone: no device key");
	ok(!bit(&f, __NR_openat), "and the bitmap is empty again");
}

/* CHECKSC entries own calls by number: socket and ioctl are not chosen so (VUOS). */
static void test_sc(struct vu_service_t *s)
{
	struct fake_backend f;
	int m_socket = vu_arch_table[__NR_socket], m_uname = vu_arch_table[__NR_uname];

	fake_init(&f, VU_BE_KEYS);
	vu_filter_reset();
	struct vuht_entry_t *u = add(CHECKSC, &m_uname, sizeof(m_uname), s);
	struct vuht_entry_t *a = add(CHECKSC, &m_socket, sizeof(m_socket), s);
	struct vuht_entry_t *w = add(CHECKSC, NULL, 0, s);

	vu_filter_sync(&f.be);
	ok(f.keys.families == 0 && !f.keys.any_ioctl && f.nkeys == 0,
	   "CHECKSC entries, a wildcard too: no family, no ioctl key");
	ok(bit(&f, __NR_uname) && !bit(&f, __NR_socket) && !bit(&f, __NR_ioctl),
	   "uname in the bitmap, socket and ioctl not");
	vuht_del(w, 0);
	vuht_del(a, 0);
	vuht_del(u, 0);
	vu_filter_sync(&f.be);
	ok(!bit(&f, __NR_uname), "gone: uname too");
}

static void test_old_kernel(struct vu_service_t *s)
{
	struct fake_backend f;
	int inet = AF_INET;
	dev_t null = makedev(1, 3);

	fake_init(&f, 0); /* no VU_BE_KEYS */
	vu_filter_reset();
	struct vuht_entry_t *a = add(CHECKSOCKET, &inet, sizeof(inet), s);
	struct vuht_entry_t *b = add(CHECKCHRDEVICE, &null, sizeof(null), s);

	is_long(vu_filter_sync(&f.be), 0, "without keys the sync succeeds");
	is_long(f.nkeys, 0, "and pushes no keys");
	ok(bit(&f, __NR_socket) && bit(&f, __NR_socketpair),
	   "socket in the bitmap: the kernel forwards every family, the daemon decides");
	vuht_del(a, 0);
	vuht_del(b, 0);
	vu_filter_sync(&f.be);
}

static void *upcall(mod_inheritance_state_t state, void *ioarg, void *arg)
{
	return NULL;
}

/* A binary format, an upcall: every exec reaches the daemon, and only then. */
static void test_execs(struct vu_service_t *s)
{
	struct fake_backend f;
	const char *magic = "#KMVBIN";

	fake_init(&f, VU_BE_KEYS | VU_BE_ALL_EXECS);
	vu_filter_reset();
	vu_filter_sync(&f.be);
	ok(!f.all_execs && !bit(&f, __NR_execve) && !bit(&f, __NR_execveat),
	   "no binary format, no upcall: execs are not forwarded");

	struct vuht_entry_t *b = add(CHECKBINFMT, magic, (int)strlen(magic), s);

	vu_filter_sync(&f.be);
	ok(f.all_execs, "a CHECKBINFMT entry: every exec forwarded (ALL_EXECS)");
	ok(bit(&f, __NR_execve) && bit(&f, __NR_execveat), "execve and execveat in the bitmap");
	ok(!bit(&f, __NR_openat) && !f.strict_paths, "but no other path call");
	unsigned int n = f.nfilters;

	vu_filter_sync(&f.be);
	is_long(f.nfilters, n, "an unchanged filter is not pushed again");
	vuht_del(b, 0);
	vu_filter_sync(&f.be);
	ok(!f.all_execs && !bit(&f, __NR_execve), "the entry gone: the flag and the bits too");

	mod_inheritance_upcall_register(upcall);
	vu_filter_sync(&f.be);
	ok(f.all_execs && bit(&f, __NR_execve) && bit(&f, __NR_execveat),
	   "an upcall registered: every exec forwarded");
	mod_inheritance_upcall_deregister(upcall);
	vu_filter_sync(&f.be);
	ok(!f.all_execs && !bit(&f, __NR_execveat), "deregistered: no more");

	fake_init(&f, VU_BE_KEYS); /* a kmview.ko before 1.3 */
	vu_filter_reset();
	b = add(CHECKBINFMT, magic, (int)strlen(magic), s);
	is_long(vu_filter_sync(&f.be), 0, "without ALL_EXECS in the kernel the sync succeeds");
	ok(!f.all_execs && !bit(&f, __NR_execve), "with no flag and no exec bit (logged)");
	is_long(f.protocol_errors, 0, "the kernel was not sent a flag it refuses");
	vuht_del(b, 0);
	vu_filter_sync(&f.be);
}

/* A module owns a clock: programs exec'd from then on get no vDSO (1.4). */
static void test_no_vdso(struct vu_service_t *s)
{
	struct fake_backend f;
	int m_clock = (int)vu_arch_method(__NR_clock_gettime);
	int m_uname = (int)vu_arch_method(__NR_uname);

	fake_init(&f, VU_BE_KEYS | VU_BE_ALL_EXECS | VU_BE_NO_VDSO);
	vu_filter_reset();
	vu_filter_sync(&f.be);
	ok(!f.no_vdso, "no module: the vDSO stays");
	struct vuht_entry_t *u = add(CHECKSC, &m_uname, sizeof(m_uname), s);

	vu_filter_sync(&f.be);
	ok(!f.no_vdso, "a module that owns uname only: the vDSO stays");
	struct vuht_entry_t *c = add(CHECKSC, &m_clock, sizeof(m_clock), s);

	vu_filter_sync(&f.be);
	ok(f.no_vdso && bit(&f, __NR_clock_gettime) && bit(&f, __NR_gettimeofday) &&
		   bit(&f, __NR_time),
	   "a module that owns the clocks: no vDSO, and the clock calls in the bitmap");
	vuht_del(c, 0);
	vu_filter_sync(&f.be);
	ok(!f.no_vdso, "the entry gone: the vDSO again, for programs exec'd from now on");

	fake_init(&f, VU_BE_KEYS | VU_BE_ALL_EXECS); /* a kmview.ko before 1.4 */
	vu_filter_reset();
	c = add(CHECKSC, &m_clock, sizeof(m_clock), s);
	is_long(vu_filter_sync(&f.be), 0, "without NO_VDSO in the kernel the sync succeeds");
	ok(!f.no_vdso && bit(&f, __NR_clock_gettime), "the calls forwarded, no flag (logged)");
	is_long(f.protocol_errors, 0, "the kernel was not sent a flag it refuses");
	vuht_del(c, 0);
	vuht_del(u, 0);
	vu_filter_sync(&f.be);
}

/* Is @path among the prefixes pushed (the mount table files' apart)? */
static bool pushed(const struct fake_backend *fb, const char *path)
{
	for (size_t i = 0; i < fb->nprefixes; i++)
		if (strcmp(fb->prefixes[i].path, path) == 0)
			return true;
	return false;
}

/* A VUFLAG_PREFIX mount (vudev's /dev/hda owns /dev/hda1): its directory is pushed. */
static void test_trailing(struct vu_service_t *s)
{
	struct fake_backend f;

	fake_init(&f, VU_BE_KEYS);
	vu_filter_reset();
	struct vuht_entry_t *hda = vuht_pathadd(CHECKPATH, "img", "/dev/hda", "vudevpartx", 0, "",
						s, VUFLAG_PREFIX, NULL, NULL);
	struct vuht_entry_t *mnt = vuht_pathadd(CHECKPATH, "src", "/mnt/v", "vufs", 0, "", s, 0,
						NULL, NULL);
	struct vuht_entry_t *top = vuht_pathadd(CHECKPATH, "img", "/sda", "vudevpartx", 0, "", s,
						VUFLAG_PREFIX, NULL, NULL);

	vu_filter_sync(&f.be);
	ok(pushed(&f, "/dev") && !pushed(&f, "/dev/hda"),
	   "a VUFLAG_PREFIX mount at /dev/hda pushes /dev, so /dev/hda1 is forwarded");
	ok(pushed(&f, "/mnt/v"), "a plain mount pushes its mount point");
	ok(pushed(&f, "/"), "a VUFLAG_PREFIX mount at /sda pushes /");
	vuht_del(hda, 0);
	vuht_del(top, 0);
	vu_filter_sync(&f.be);
	ok(!pushed(&f, "/dev") && !pushed(&f, "/") && pushed(&f, "/mnt/v"),
	   "unmounted: their prefixes are withdrawn");
	vuht_del(mnt, 0);
	vu_filter_sync(&f.be);
}

int main(void)
{
	struct vu_service_t *s = calloc(1, sizeof(*s));

	s->mod = &mod;
	s->refs = 1;
	s->service_ht = vuht_add(CHECKMODULE, mod.name, (int)strlen(mod.name), s, 0, NULL, NULL);
	test_sockets(s);
	test_ioctls(s);
	test_trailing(s);
	test_devices(s);
	test_sc(s);
	test_old_kernel(s);
	test_execs(s);
	test_no_vdso(s);
	is_long(vuht_service_entries(s), 0, "every entry of the tests is gone");
	vuht_reset();
	vu_filter_reset();
	free(s);
	return tap_done();
}

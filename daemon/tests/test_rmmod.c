// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_rmmod.c - the table's limits and a module's removal, with the
 * "liar" test module: vu_rmmod of a busy module (a mount, an open file, a
 * request or a cwd in one of its entries) is EBUSY and changes nothing,
 * its fini not run; a free one runs fini and goes with all its entries.
 * And the mounts: one kernel prefix each, so past what the kernel holds
 * a mount fails with ENOSPC, and none already there is dropped.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include <linux/kmview.h>

#include "fake_backend.h"
#include "filter.h"
#include "core/member.h"
#include "host/modmgmt.h"
#include "core/service.h"
#include "sc/procmounts.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000

static char m_src[16] = "none", m_dst[64] = "/l", m_type[16] = "liar";
static char m_buf[256];
static struct fake_backend f;
static atomic_int *fini_calls;

static void *liar_sym(const char *name)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "liar", 0, VU_EPOCH_NOW);
	void *p = ht ? dlsym(ht->service->dlhandle, name) : NULL;

	vuht_drop(ht);
	return p;
}

static long vmount(const char *dst)
{
	snprintf(m_dst, sizeof(m_dst), "%s", dst);
	return fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0);
}

static long vumount(const char *dst, int flags)
{
	snprintf(m_dst, sizeof(m_dst), "%s", dst);
	return fake_call(&f, 1, __NR_umount2, A_DST, (uint64_t)flags, 0, 0);
}

static long vlstat(const char *path)
{
	struct vu_msg m = fake_msg(1, __NR_lstat, path);

	m.args[1] = A_BUF;
	return fake_serve(&f, m);
}

static uint64_t vopen(const char *path)
{
	uint64_t u = fake_push(&f, fake_msg(1, __NR_open, path));

	fake_run(&f);
	for (size_t i = 0; i < f.nreplies; i++)
		if (f.replies[i].unique == u && f.replies[i].rep.kind == VU_REPLY_VFD)
			return f.replies[i].rep.handle;
	return 0;
}

/* rmmod must say EBUSY, leave fini unrun and the module serving. */
static void busy(const char *why)
{
	int before = atomic_load(fini_calls);

	is_long(vu_module_remove("liar"), -EBUSY, "rmmod with %s: EBUSY", why);
	is_long(atomic_load(fini_calls), before, "%s: fini did not run", why);
	is_long(vlstat("/liar-own/f"), 0, "%s: the module still serves its own entry", why);
}

/* The last cleanup ran as its entry, at the entry's epoch, not the thread's "now". */
static void cleanup_seen(const char *when)
{
	ok(*(int *)liar_sym("liar_cleanup_as_entry"), "%s: cleanup runs as its entry", when);
	ok(*(unsigned long long *)liar_sym("liar_cleanup_epoch") != VU_EPOCH_NOW,
	   "%s: and at its epoch", when);
}

static void test_busy(void)
{
	struct vuht_entry_t *ht;
	uint64_t h;

	is_long(vmount("/l"), 0, "a mount");
	busy("a mount");
	is_long(vlstat("/l/f"), 0, "the mount still serves");
	is_long(fake_call(&f, 1, __NR_sync, 0, 0, 0, 0), FAKE_NATIVE, "sync(2): then the real one");
	is_long(*(atomic_int *)liar_sym("liar_syncs"), 2,
		"and each mount's syncfs, with no file (/l and /liar-own)");
	is_long(vumount("/l", 0), 0, "unmounted");
	cleanup_seen("an umount");

	h = vopen("/liar-own/f");
	ok(h != 0, "a file open in its own entry");
	busy("an open file");
	vu_vfd_release(h);

	is_long(vmount("/l"), 0, "mounted again");
	h = vopen("/l/f");
	is_long(vumount("/l", MNT_DETACH), 0, "detached while a file is open");
	busy("a detached mount still in use");
	*(int *)liar_sym("liar_cleanup_as_entry") = 0;
	vu_vfd_release(h);
	cleanup_seen("the last close of a detached mount, outside any request");

	/* a request in one of its entries: the use vpath takes while it is served */
	ht = vuht_pick(CHECKPATH, "/liar-own/f", 0, VU_EPOCH_NOW);
	ok(ht != NULL, "a request is in its own entry");
	busy("a request under way");
	vuht_drop(ht);

	is_long(vu_member_chdir(77, "/liar-own", vuht_pick(CHECKPATH, "/liar-own", 0,
							   VU_EPOCH_NOW)),
		0, "a member's cwd in its own entry");
	busy("a cwd in it");
	vu_member_exit(77);
}

/*
 * The daemon pushes at most VUHT_MAX_PREFIXES (or the kernel's
 * KMVIEW_MAX_PREFIXES, if fewer): the mount table files and fd links take
 * theirs, mounts the rest.
 */
static void test_mount_limit(void)
{
	size_t max = vuht_max_paths(), base = vuht_path_count();
	size_t cap = VUHT_MAX_PREFIXES < KMVIEW_MAX_PREFIXES ? VUHT_MAX_PREFIXES : KMVIEW_MAX_PREFIXES;
	char dst[64];
	long ret = 0;
	size_t n = 0;

	ok(max + VUHT_RESERVED_PREFIXES == cap,
	   "mounts at most: %zu, the mount table files and fd links the rest", max);
	while (base + n < max && ret == 0) {
		snprintf(dst, sizeof(dst), "/m%zu", n);
		ret = vmount(dst);
		n += ret == 0;
	}
	is_long(base + n, max, "%zu mounts are fine", max);
	is_long(vmount("/one-more"), -ENOSPC, "one more: ENOSPC");
	is_long(vlstat("/one-more/f"), FAKE_NATIVE, "and it is not there");
	is_long(vlstat("/m0/f"), 0, "the first mount still serves");
	is_long(vu_filter_sync(&f.be), 0, "the kernel filter takes them all");
	is_long(f.nprefixes + f.nmtab_prefixes, cap,
		"every prefix of the kernel is in use, none dropped");
	is_long(vumount("/m0", 0), 0, "one unmounted");
	is_long(vmount("/one-more"), 0, "then one more fits");
	is_long(vu_filter_sync(&f.be), 0, "and is filtered");
	is_long(vumount("/one-more", 0), 0, "cleanup");
	for (size_t i = 1; i < n; i++) {
		snprintf(dst, sizeof(dst), "/m%zu", i);
		vumount(dst, 0);
	}
	is_long(vuht_path_count(), base, "all unmounted");
}

/* The daemon's exit: open files closed, mounts cleaned up, fini run, even for a permanent module. */
static void test_shutdown(void)
{
	atomic_int *cleanups, *closes;
	int cleanups0, closes0, fini0;

	is_long(vu_module_insert(TEST_LIAR, 1), 0, "the liar again, permanent");
	fini_calls = liar_sym("liar_fini_calls");
	cleanups = liar_sym("liar_cleanup_calls");
	closes = liar_sym("liar_closes");
	cleanups0 = atomic_load(cleanups);
	closes0 = atomic_load(closes);
	fini0 = atomic_load(fini_calls);
	is_long(vmount("/s1"), 0, "a mount");
	is_long(vmount("/s2"), 0, "another");
	ok(vopen("/s2/f") != 0, "a file open in it");
	vu_modules_shutdown();
	is_long(atomic_load(closes) - closes0, 1, "shutdown: the open file was closed");
	is_long(atomic_load(cleanups) - cleanups0, 3,
		"both mounts were cleaned up, and the entry its init added");
	is_long(atomic_load(fini_calls) - fini0, 1, "fini ran");
	is_long(vuht_count(), 0, "and nothing is left");
}

int main(void)
{
	int *own;

	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	/* its init adds /liar-own when told so: the knob is set before init runs */
	void *dl = dlopen(TEST_LIAR, RTLD_NOW | RTLD_LOCAL);

	own = dl ? dlsym(dl, "liar_own_entry") : NULL;
	if (own)
		*own = 1;
	is_long(vu_module_insert(TEST_LIAR, 0), 0, "the liar loads, adding /liar-own");
	fini_calls = liar_sym("liar_fini_calls");
	if (!ok(own && fini_calls, "its knobs are there"))
		return tap_done();
	is_long(vlstat("/liar-own/f"), 0, "its own entry serves");
	test_busy();
	test_mount_limit();
	is_long(vu_module_remove("liar"), 0, "nothing uses it: rmmod");
	is_long(atomic_load(fini_calls), 1, "fini ran once");
	is_long(vuht_count(), 0, "nothing is left in the table");
	is_long(vlstat("/liar-own/f"), FAKE_NATIVE, "its entry is gone");
	test_shutdown();
	is_long(f.protocol_errors, 0, "no protocol error");
	if (dl)
		dlclose(dl);
	return tap_done();
}

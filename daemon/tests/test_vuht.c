// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vuht.c - the responsibility table: the most specific claim wins,
 * then the most recent; a lookup sees only older entries (epochs);
 * confirm functions and negative mounts; deleting entries in use; the
 * lsmod list; and the kernel filter that follows the table.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/mount.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>

#include "fake_backend.h"
#include "filter.h"
#include "host/modmgmt.h"
#include "host/module.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vpath.h"
#include "core/vuht.h"

static struct vu_module_t mod_a = { .name = "alpha", .description = "the first" };
static struct vu_module_t mod_b = { .name = "vufs", .description = "the second" };

static struct vu_service_t *fake_service(struct vu_module_t *m)
{
	struct vu_service_t *s = calloc(1, sizeof(*s));

	s->mod = m;
	s->refs = 1; /* the loader's, as vu_service_load */
	s->service_ht = vuht_add(CHECKMODULE, m->name, (int)strlen(m->name), s, 0, NULL, NULL);
	return s;
}

/* The entry picked for path, its use given back at once (NULL if none). */
static struct vuht_entry_t *pick_path(const char *path, uint64_t epoch)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKPATH, path, 0, epoch);

	vuht_drop(ht);
	return ht;
}

/* What the last confirm function was asked. */
static char confirmed_arg[64];
static int confirmed_len;

static int no_tmp(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	snprintf(confirmed_arg, sizeof(confirmed_arg), "%s", (char *)arg);
	confirmed_len = arglen;
	return strncmp(arg, "/tmp", 4) != 0;
}

/* vudev's: "" (the disk) and a number (a partition) after the entry's path. */
static int disk_or_partition(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	char *end;
	long n = strtol(arg, &end, 10);

	return *end == '\0' && n >= 0 && n < 5;
}

static void test_paths(struct vu_service_t *s)
{
	struct vuht_entry_t *u = vuht_pathadd(CHECKPATH, "/", "/unreal", "unreal", 0, "", s, 0,
					      NULL, NULL);
	struct vuht_entry_t *uu = vuht_pathadd(CHECKPATH, "/", "/unreal//unreal/", "unreal", 0,
					       "", s, 0, NULL, NULL);

	ok(u && uu, "two mounts added");
	is_str((char *)uu->obj, "/unreal/unreal", "a mount point is normalised");
	ok(pick_path("/unreal/etc", VU_EPOCH_NOW) == u, "a path under /unreal is its");
	ok(pick_path("/unreal", VU_EPOCH_NOW) == u, "the mount point itself is its");
	ok(pick_path("/unrealx", VU_EPOCH_NOW) == NULL, "a longer name is not under it");
	ok(pick_path("/etc", VU_EPOCH_NOW) == NULL, "a real path is nobody's");
	ok(pick_path("/unreal/unreal/x", VU_EPOCH_NOW) == uu, "the inner mount, the newer, wins");
	ok(pick_path("/unreal/unreal/x", uu->epoch) == u,
	   "at the epoch of the inner mount, only the outer one is seen");
	ok(pick_path("/unreal/x", u->epoch) == NULL, "a mount never sees itself");
	is_str(vuht_path2mpath(u, "/unreal/etc/passwd"), "/etc/passwd", "path inside the mount");
	is_str(vuht_path2mpath(u, "/unreal"), "/", "the mount point is / inside");

	struct vuht_entry_t *again = vuht_pathadd(CHECKPATH, "/", "/unreal", "x", 0, "", s, 0,
						  NULL, NULL);

	ok(pick_path("/unreal/etc", VU_EPOCH_NOW) == again, "of equal mounts the most recent wins");
	is_long(vuht_del(again, 0), 0, "an unused mount is deleted");
	ok(pick_path("/unreal/etc", VU_EPOCH_NOW) == u, "and the older one is back");

	struct vuht_entry_t *c = vuht_pathadd(CHECKPATH, "/", "/unreal", "x", 0, "", s, 0, no_tmp,
					      NULL);

	ok(pick_path("/unreal/etc", VU_EPOCH_NOW) == c, "a confirm function that says yes");
	is_str(confirmed_arg, "/etc", "it is given the path inside the entry's");
	is_long(confirmed_len, 4, "and its length");
	ok(pick_path("/unreal/tmp", VU_EPOCH_NOW) == u, "one that says no: the next best wins");
	ok(pick_path("/unreal", VU_EPOCH_NOW) == c && confirmed_arg[0] == '\0',
	   "the mount point itself is \"\" to a confirm function");
	vuht_del(c, 0);

	struct vuht_entry_t *root = vuht_pathadd(CHECKPATH, "/", "/", "x", 0, "", s, 0, NULL,
						 NULL);

	ok(pick_path("/unreal/unreal/x", VU_EPOCH_NOW) == root,
	   "a newer mount at / covers the older ones under it, as in VUOS");
	vuht_del(root, 0);

	struct vuht_entry_t *neg = vuht_pathadd(CHECKPATH, "/", "/unreal/proc", "x", 0, "", s, 0,
						NEGATIVE_MOUNT, NULL);

	ok(pick_path("/unreal/proc/1", VU_EPOCH_NOW) == NULL, "a negative mount makes paths real");
	vuht_del(neg, 0);

	struct vuht_entry_t *dev = vuht_pathadd(CHECKPATH, "/dev/hda", "/dev/hda", "x", 0, "", s,
						VUFLAG_PREFIX, disk_or_partition, NULL);

	ok(pick_path("/dev/hda", VU_EPOCH_NOW) == dev, "a VUFLAG_PREFIX entry has its own path");
	ok(pick_path("/dev/hda1", VU_EPOCH_NOW) == dev, "and what follows in the component");
	ok(pick_path("/dev/hda7", VU_EPOCH_NOW) == NULL, "when its confirm function says so");
	ok(pick_path("/dev/hdax", VU_EPOCH_NOW) == NULL, "other trailing text: the confirm says no");
	ok(pick_path("/dev/hda/x", VU_EPOCH_NOW) == NULL, "never a path under it");
	vuht_del(dev, 0);
	dev = vuht_pathadd(CHECKPATH, "/dev/hdb", "/dev/hdb", "x", 0, "", s, 0, NULL, NULL);
	ok(pick_path("/dev/hdb1", VU_EPOCH_NOW) == NULL, "without VUFLAG_PREFIX no tail matches");
	vuht_del(dev, 0);
	vuht_del(uu, 0);
	vuht_del(u, 0);
}

static void test_del(struct vu_service_t *s)
{
	size_t before = vuht_count();
	struct vuht_entry_t *m = vuht_pathadd(CHECKPATH, "none", "/m", "t", 0, "", s, 0, NULL, NULL);
	struct vuht_entry_t *held = vuht_pick(CHECKPATH, "/m/file", 0, VU_EPOCH_NOW);

	ok(held == m, "an entry in use");
	is_long(vuht_del(m, 0), -EBUSY, "cannot be deleted");
	is_long(vuht_del(m, MNT_DETACH), 0, "unless lazily");
	ok(pick_path("/m/file", VU_EPOCH_NOW) == NULL, "which stops it matching at once");
	is_long(vuht_count(), before + 1, "while it lives on for its user");
	vuht_drop(held);
	is_long(vuht_count(), before, "and goes with its last use");

	struct vuht_entry_t *p = vuht_pathadd(CHECKPATH, "none", "/p", "t", 0, "rw,permanent", s,
					      0, NULL, NULL);

	is_long(vuht_del(p, MNT_FORCE), -EBUSY, "a permanent mount is never deleted");
	p->permanent = false;
	vuht_del(p, 0);

	/* umount2 reaches the module through the entry: that use is its own */
	struct vuht_entry_t *u = vuht_pathadd(CHECKPATH, "none", "/u", "t", 0, "", s, 0, NULL, NULL);
	struct vuht_entry_t *self = vuht_pick(CHECKPATHEXACT, "/u", 0, VU_EPOCH_NOW);
	struct vuht_entry_t *other = vuht_pick(CHECKPATH, "/u/f", 0, VU_EPOCH_NOW);
	struct vuht_entry_t *old = vu_mod_setht(self);

	ok(self == u && other == u, "an entry with the request's use and an open file's");
	is_long(vuht_del(u, 0), -EBUSY, "busy with the open file");
	vuht_drop(other);
	is_long(vuht_del(u, 0), 0, "the serving request's own use does not make it busy");
	vu_mod_setht(old);
	is_long(vuht_count(), before + 1, "it lives until that request is done");
	vuht_drop(self);
	is_long(vuht_count(), before, "then it goes");

	uint64_t next = vuht_epoch_next();
	struct vuht_entry_t *e = vuht_pathadd(CHECKPATH, "none", "/e", "t", 0, "", s, 0, NULL, NULL);

	ok(e->epoch == next, "vuht_epoch_next is the epoch of the next entry");
	ok(pick_path("/e", next) == NULL, "which that epoch does not see");
	vuht_del(e, 0);

	int family = 2;
	struct vuht_entry_t *sock = vuht_add(CHECKSOCKET, &family, sizeof(family), s, 0, NULL, NULL);
	struct vuht_entry_t *got = vuht_pick(CHECKSOCKET, &family, sizeof(family), VU_EPOCH_NOW);

	ok(got == sock, "a socket family is found by value");
	vuht_drop(got);
	vuht_del(sock, 0);
}

/* The key a confirm function of the kinds test was given, and its answer. */
static int kinds_yes = 1;
static int kinds_arglen;
static unsigned char kinds_arg[sizeof(struct binfmt_req_t)];

static int kinds_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	kinds_arglen = arglen;
	memcpy(kinds_arg, arg, (size_t)arglen < sizeof(kinds_arg) ? (size_t)arglen : sizeof(kinds_arg));
	return kinds_yes;
}

/* The entry picked for @key of @type, its use given back at once. */
static struct vuht_entry_t *pick_key(uint8_t type, const void *key, int len)
{
	struct vuht_entry_t *ht = vuht_pick(type, key, len, VU_EPOCH_NOW);

	vuht_drop(ht);
	return ht;
}

/* Every kind but paths: exact keys, wildcards with confirm functions, epochs. */
static void test_kinds(struct vu_service_t *s)
{
	dev_t null = makedev(1, 3), zero = makedev(1, 5), hda1 = makedev(3, 1);
	unsigned long tcgets = 0x5401, other = 0x1234;
	int unix_fam = 1, inet = 2, getuid_m = vu_arch_table[__NR_getuid];

	struct vuht_entry_t *chr = vuht_add(CHECKCHRDEVICE, &null, sizeof(null), s, 0, NULL, NULL);

	ok(pick_key(CHECKCHRDEVICE, &null, sizeof(null)) == chr, "a char device by its number");
	ok(pick_key(CHECKCHRDEVICE, &zero, sizeof(zero)) == NULL, "another one is not its");
	ok(pick_key(CHECKBLKDEVICE, &null, sizeof(null)) == NULL, "nor a block device of that number");

	struct vuht_entry_t *anyblk = vuht_add(CHECKBLKDEVICE, NULL, 0, s, 0, kinds_confirm, NULL);

	kinds_yes = 1;
	ok(pick_key(CHECKBLKDEVICE, &hda1, sizeof(hda1)) == anyblk, "a wildcard takes every key");
	ok(kinds_arglen == sizeof(dev_t) && memcmp(kinds_arg, &hda1, sizeof(hda1)) == 0,
	   "its confirm function is given the key");
	kinds_yes = 0;
	ok(pick_key(CHECKBLKDEVICE, &hda1, sizeof(hda1)) == NULL, "unless it declines");
	kinds_yes = 1;

	struct vuht_entry_t *ioc = vuht_add(CHECKIOCTL, &tcgets, sizeof(tcgets), s, 0, NULL, NULL);

	ok(pick_key(CHECKIOCTL, &tcgets, sizeof(tcgets)) == ioc, "an ioctl request by number");
	ok(pick_key(CHECKIOCTL, &other, sizeof(other)) == NULL, "not another request");

	struct vuht_entry_t *sc = vuht_add(CHECKSC, &getuid_m, sizeof(getuid_m), s, 0, NULL, NULL);
	int geteuid_m = vu_arch_table[__NR_geteuid], uname_m = vu_arch_table[__NR_uname];

	ok(getuid_m != 0 && getuid_m == geteuid_m, "getuid and geteuid share their method");
	ok(pick_key(CHECKSC, &geteuid_m, sizeof(int)) == sc, "so one entry owns both");
	ok(pick_key(CHECKSC, &uname_m, sizeof(int)) == NULL, "and not uname");

	struct vuht_entry_t *sock = vuht_add(CHECKSOCKET, &inet, sizeof(inet), s, 0, NULL, NULL);
	struct vuht_entry_t *anysock = vuht_add(CHECKSOCKET, NULL, 0, s, 0, kinds_confirm, NULL);

	ok(pick_key(CHECKSOCKET, &inet, sizeof(inet)) == anysock, "the newer wildcard wins");
	kinds_yes = 0;
	ok(pick_key(CHECKSOCKET, &inet, sizeof(inet)) == sock, "when it declines, the older one");
	ok(pick_key(CHECKSOCKET, &unix_fam, sizeof(unix_fam)) == NULL, "which only has its family");
	kinds_yes = 1;
	ok(vuht_pick(CHECKSOCKET, &inet, sizeof(inet), anysock->epoch) == sock,
	   "at the wildcard's epoch only the older entry is seen");
	vuht_drop(sock);

	struct binfmt_req_t req = { .path = "/bin/prog", .filehead = "\177ELF", .fileheadlen = 4 };
	struct vuht_entry_t *bin = vuht_add(CHECKBINFMT, NULL, 0, s, 0, kinds_confirm, NULL);

	ok(pick_key(CHECKBINFMT, &req, 0) == bin, "a binfmt wildcard sees every exec");
	ok(kinds_arglen == sizeof(req) && memcmp(kinds_arg, &req, sizeof(req)) == 0,
	   "and is given the request");
	vuht_del(bin, 0);
	bin = vuht_add(CHECKBINFMT, "/opt", 4, s, 0, NULL, NULL);
	ok(pick_key(CHECKBINFMT, &req, 0) == NULL, "a binfmt entry with a path: not outside it");
	req.path = "/opt/x";
	ok(pick_key(CHECKBINFMT, &req, 0) == bin, "under it");

	errno = 0;
	ok(vuht_add(42, NULL, 0, s, 0, NULL, NULL) == NULL && errno == EINVAL, "an unknown kind: EINVAL");
	struct vuht_entry_t *perm = vuht_add(CHECKSC, &uname_m, sizeof(int), s, VUFLAG_PERMANENT,
					     NULL, NULL);

	is_long(vuht_del(perm, MNT_FORCE), -EBUSY, "VUFLAG_PERMANENT: never deleted");
	perm->permanent = false;
	vuht_del(perm, 0);
	vuht_del(bin, 0);
	vuht_del(anysock, 0);
	vuht_del(sock, 0);
	vuht_del(sc, 0);
	vuht_del(ioc, 0);
	vuht_del(anyblk, 0);
	vuht_del(chr, 0);
}

static void test_fstype_and_lsmod(void)
{
	struct vuht_entry_t *got = vuht_pick(CHECKFSTYPE, "vufsxyz", 0, VU_EPOCH_NOW);

	ok(got && got->service->mod == &mod_b, "mount type vufsxyz reaches module vufs");
	vuht_drop(got);
	got = vuht_pick(CHECKMODULE, "vufsxyz", 0, VU_EPOCH_NOW);
	ok(got == NULL, "but the module's own name is matched exactly");
	vuht_drop(got);
	got = vuht_pick(CHECKFSTYPE, "vu", 0, VU_EPOCH_NOW);
	ok(got == NULL, "a type shorter than the name reaches no module");
	vuht_drop(got);
	got = vuht_pick(CHECKFSTYPE, "vufs", 0, VU_EPOCH_NOW);
	ok(got && got->service->mod == &mod_b, "the name itself reaches it");
	vuht_drop(got);

	const char *want = "alpha: the first\nvufs: the second\n";
	char buf[64];

	is_long(vu_lsmod_format(NULL, 0), strlen(want) + 1, "lsmod tells the size it needs");
	is_long(vu_lsmod_format(buf, sizeof(buf)), strlen(want) + 1, "and fills a buffer");
	is_str(buf, want, "one line per module, oldest first");
	memset(buf, 'x', sizeof(buf));
	vu_lsmod_format(buf, 5);
	ok(memcmp(buf, "alphx", 5) == 0 || memcmp(buf, "alpha", 5) == 0,
	   "a short buffer gets what fits");
	ok(buf[5] == 'x', "and nothing past it");
}

static int bit(const struct fake_backend *f, long nr)
{
	return (int)((f->bitmap[nr / 64] >> (nr % 64)) & 1);
}

static void test_filter(struct vu_service_t *s)
{
	struct fake_backend f;

	fake_init(&f, 0);
	vu_filter_reset();
	is_long(vu_filter_sync(&f.be), 0, "a sync with nothing mounted");
	ok(!bit(&f, __NR_openat) && !bit(&f, __NR_read), "empty bitmap: the view is transparent");
	is_long(f.nprefixes, 0, "and no prefix");

	struct vuht_entry_t *m = vuht_pathadd(CHECKPATH, "/", "/unreal", "u", 0, "", s, 0, NULL,
					      NULL);
	struct vuht_entry_t *root = vuht_pathadd(CHECKPATH, "/", "/", "u", 0, "", s, 0, NULL, NULL);

	vu_filter_sync(&f.be);
	is_long(f.nprefixes, 2, "a mount registers its prefix");
	ok((strcmp(f.prefixes[0].path, "/unreal") == 0 && strcmp(f.prefixes[1].path, "/") == 0) ||
		   (strcmp(f.prefixes[1].path, "/unreal") == 0 && strcmp(f.prefixes[0].path, "/") == 0),
	   "/unreal and / (a root mount)");
	ok(bit(&f, __NR_openat) && bit(&f, __NR_read) && bit(&f, __NR_newfstatat) &&
		   bit(&f, __NR_chmod) && bit(&f, __NR_fstatfs),
	   "the bitmap has the calls served and those to refuse");
	ok(!bit(&f, __NR_close) && !bit(&f, __NR_getpid),
	   "but not close, or calls without paths or fds");
	ok(bit(&f, __NR_mmap), "and mmap, for mmap of a placeholder");
	unsigned int n = f.nfilters;

	vu_filter_sync(&f.be);
	is_long(f.nfilters, n, "an unchanged bitmap is not pushed again");
	vuht_del(root, 0);
	vu_filter_sync(&f.be);
	is_long(f.nprefixes, 1, "an unmount withdraws its prefix");
	vuht_del(m, 0);
	vu_filter_sync(&f.be);
	is_long(f.nprefixes, 0, "the last one too");
	ok(!bit(&f, __NR_openat), "and the bitmap is empty again");
}

static void test_walk(void)
{
	struct vu_target t;
	char longpath[KMVIEW_PATH_MAX + 8];

	is_long(vu_resolve_abs("/a/b/../c/./d//", 0, &t), 0, "a path with nothing virtual");
	is_str(t.path, "/a/c/d", "is folded");
	ok(t.rewritten && !t.ht, "real, and rewritten");
	vu_resolve_abs("/x/../../y", 0, &t);
	is_str(t.path, "/y", "\"..\" stops at the root");
	vu_resolve_abs("/", 0, &t);
	ok(strcmp(t.path, "/") == 0 && !t.rewritten, "the root is the root");
	memset(longpath, 'a', sizeof(longpath));
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	is_long(vu_resolve_abs(longpath, 0, &t), -ENAMETOOLONG, "too long: ENAMETOOLONG");
	is_long(vu_resolve_abs("rel", 0, &t), -EINVAL, "a relative path: EINVAL");
}

struct publish_arg {
	struct vu_service_t *s;
	atomic_bool stop;
	atomic_int added;
};

static void *publisher(void *arg)
{
	struct publish_arg *p = arg;

	while (!atomic_load(&p->stop)) {
		struct vuht_entry_t *ht = vuht_pathadd(CHECKPATH, "src", "/pub", "fs", MS_RDONLY,
						       "opt", p->s, VUFLAG_PREFIX, NULL, NULL);

		if (ht) {
			atomic_fetch_add(&p->added, 1);
			vuht_del(ht, MNT_DETACH);
		}
	}
	return NULL;
}

static void check_complete(struct vuht_entry_t *ht, void *arg)
{
	int *bad = arg;

	if (strcmp(ht->obj, "/pub") == 0 &&
	    (!ht->source || !ht->fstype || !ht->mountopts || ht->vuflags != VUFLAG_PREFIX ||
	     ht->mountflags != MS_RDONLY))
		(*bad)++;
}

/* A reader walking the table never finds an entry half built (another thread adds them). */
static void test_publish(struct vu_service_t *s)
{
	struct publish_arg p = { .s = s };
	pthread_t t;
	int bad = 0;

	pthread_create(&t, NULL, publisher, &p);
	while (atomic_load(&p.added) < 20000)
		vuht_foreach(CHECKPATH, check_complete, &bad);
	atomic_store(&p.stop, true);
	pthread_join(t, NULL);
	is_long(bad, 0, "every entry found is complete: its mount line, its flags");
}

int main(void)
{
	struct vu_service_t *a = fake_service(&mod_a);
	struct vu_service_t *b = fake_service(&mod_b);

	test_paths(a);
	test_del(a);
	test_kinds(a);
	test_fstype_and_lsmod();
	test_filter(b);
	test_walk();
	test_publish(a);
	is_long(vuht_service_entries(a), 0, "every entry of the tests is gone");
	vuht_reset();
	vu_filter_reset();
	free(a);
	free(b);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pcache.c - the daemon's path work through a module that counts
 * its lstats (lookups.so): one lstat per component a request has not
 * seen yet, none again for ".", "..", a trailing slash or the handler's
 * own stat, and every answer still the kernel's (symlinks, ELOOP,
 * ENOTDIR, ENOENT, AT_SYMLINK_NOFOLLOW); the cache forgotten after a
 * method that may change the tree; the reader serving a lookup itself,
 * and handing it to a worker when the module does not say its lookups
 * never wait.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "fake_backend.h"
#include "filter.h"
#include "core/modcall.h"
#include "core/pcache.h"
#include "host/modmgmt.h"
#include "serve.h"
#include "tap.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000

static char m_src[16] = "none", m_dst[16] = "/lk", m_type[16] = "lookups";
static struct stat m_buf;
static struct fake_backend f;
static unsigned long *lstats, *mkdirs;
static struct vu_module_t *mod;

/* Serve call @nr on @path (slot 0, argument 0; the buffer in argument @bufarg, flags in @flagarg). */
static long call_at(long nr, const char *path, int bufarg, int flagarg, int flags)
{
	struct vu_msg m = fake_msg(1, nr, path);

	if (nr == __NR_newfstatat) {
		m.path_arg[0] = 1;
		m.fd_arg[0] = 0;
		m.args[0] = (uint64_t)AT_FDCWD;
	}
	if (bufarg >= 0)
		m.args[bufarg] = A_BUF;
	if (flagarg >= 0)
		m.args[flagarg] = (uint64_t)flags;
	memset(&m_buf, 0, sizeof(m_buf));
	return fake_serve(&f, m);
}

/* A call of the walk's table: its answer, the mode it finds, the lstats it costs. */
struct walk_case {
	long nr;
	const char *path;
	int flags; /* fstatat's, or access's mode */
	long want;
	mode_t mode; /* 0: not checked */
	unsigned long cost;
	const char *what;
};

static const struct walk_case walk_cases[] = {
	{ __NR_stat, "/lk/d/e", 0, 0, S_IFDIR, 3, "stat /lk/d/e" },
	{ __NR_stat, "/lk/d/./e/../e/.", 0, 0, S_IFDIR, 3, "stat /lk/d/./e/../e/." },
	{ __NR_stat, "/lk/d/e/", 0, 0, S_IFDIR, 3, "stat /lk/d/e/ (a trailing slash)" },
	{ __NR_stat, "/lk/d/f", 0, 0, S_IFREG, 3, "stat /lk/d/f" },
	{ __NR_lstat, "/lk/d/f", 0, 0, S_IFREG, 3, "lstat /lk/d/f" },
	{ __NR_stat, "/lk/l/e", 0, 0, S_IFDIR, 4, "stat /lk/l/e (a symlink inside)" },
	{ __NR_lstat, "/lk/l", 0, 0, S_IFLNK, 2, "lstat /lk/l: the link itself" },
	{ __NR_stat, "/lk/l", 0, 0, S_IFDIR, 3, "stat /lk/l: followed to d" },
	{ __NR_stat, "/lk/fl", 0, 0, S_IFREG, 4, "stat /lk/fl: followed to d/f" },
	{ __NR_stat, "/lk/abs", 0, 0, S_IFDIR, 4, "stat /lk/abs: an absolute target, /lk/d/e" },
	{ __NR_newfstatat, "/lk/l", AT_SYMLINK_NOFOLLOW, 0, S_IFLNK, 2,
	  "fstatat /lk/l AT_SYMLINK_NOFOLLOW" },
	{ __NR_newfstatat, "/lk/l", 0, 0, S_IFDIR, 3, "fstatat /lk/l" },
	{ __NR_stat, "/lk/l/", 0, 0, S_IFDIR, 3, "stat /lk/l/ (a trailing slash follows)" },
	{ __NR_lstat, "/lk/l/", 0, 0, S_IFDIR, 3, "lstat /lk/l/ follows too" },
	/* the errors, each as the kernel says it */
	{ __NR_stat, "/lk/d/f/", 0, -ENOTDIR, 0, 3, "stat /lk/d/f/" },
	{ __NR_stat, "/lk/d/f/.", 0, -ENOTDIR, 0, 3, "stat /lk/d/f/." },
	{ __NR_stat, "/lk/d/f/..", 0, -ENOTDIR, 0, 3, "stat /lk/d/f/.." },
	{ __NR_stat, "/lk/d/f/x", 0, -ENOTDIR, 0, 4, "stat /lk/d/f/x" },
	{ __NR_stat, "/lk/nope", 0, -ENOENT, 0, 2, "stat /lk/nope" },
	{ __NR_stat, "/lk/nope/..", 0, -ENOENT, 0, 2, "stat /lk/nope/.." },
	{ __NR_stat, "/lk/nope/../d", 0, -ENOENT, 0, 2, "stat /lk/nope/../d" },
	{ __NR_stat, "/lk/loop", 0, -ELOOP, 0, 2, "stat /lk/loop" },
	{ __NR_lstat, "/lk/loop", 0, 0, S_IFLNK, 2, "lstat /lk/loop" },
	{ __NR_stat, "/lk/loop/x", 0, -ELOOP, 0, 2, "stat /lk/loop/x" },
	{ __NR_access, "/lk/l/f", F_OK, 0, 0, 4, "access /lk/l/f: the walk's lstats, then access" },
};

static void test_walk(void)
{
	for (size_t i = 0; i < sizeof(walk_cases) / sizeof(walk_cases[0]); i++) {
		const struct walk_case *c = &walk_cases[i];
		unsigned long before = *lstats;
		long got;

		if (c->nr == __NR_newfstatat)
			got = call_at(c->nr, c->path, 2, 3, c->flags);
		else if (c->nr == __NR_access)
			got = call_at(c->nr, c->path, -1, 1, c->flags);
		else
			got = call_at(c->nr, c->path, 1, -1, 0);
		is_long(got, c->want, "%s: %ld", c->what, c->want);
		if (c->want == 0 && c->mode)
			ok((m_buf.st_mode & S_IFMT) == c->mode, "%s: mode %o", c->what,
			   m_buf.st_mode & S_IFMT);
		is_long(*lstats - before, c->cost, "%s: %lu lstats", c->what, c->cost);
	}
}

/* The cache itself, in this thread: a request's answers, forgotten after a change. */
static void test_cache(void)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKPATH, "/lk/d", 0, VU_EPOCH_NOW);
	struct vu_pcache_stats st0, st1;
	struct stat st;
	unsigned long n;

	ok(ht != NULL, "/lk/d is the module's");
	if (!ht)
		return;
	vu_pcache_get_stats(&st0);
	n = *lstats;
	is_long(vu_pcache_lstat(ht, "/d", &st, AT_SYMLINK_NOFOLLOW), 0, "outside a request: asked");
	is_long(vu_pcache_lstat(ht, "/d", &st, AT_SYMLINK_NOFOLLOW), 0, "and asked again");
	is_long(*lstats - n, 2, "nothing kept outside a request");

	vu_pcache_begin();
	n = *lstats;
	is_long(vu_pcache_lstat(ht, "/d", &st, AT_SYMLINK_NOFOLLOW), 0, "in a request: asked");
	ok(S_ISDIR(st.st_mode), "a directory");
	memset(&st, 0, sizeof(st));
	is_long(vu_pcache_lstat(ht, "/d", &st, 0), 0, "followed: the same answer");
	ok(S_ISDIR(st.st_mode), "kept whole");
	is_long(vu_pcache_lstat(ht, "/l", &st, AT_SYMLINK_NOFOLLOW), 0, "a symlink: asked");
	is_long(vu_pcache_lstat(ht, "/l", &st, 0), -EIO,
		"followed, a symlink is asked again (the module says EIO to a followed link)");
	is_long(vu_pcache_lstat(ht, "/nope", &st, AT_SYMLINK_NOFOLLOW), -ENOENT, "ENOENT: asked");
	is_long(vu_pcache_lstat(ht, "/nope", &st, AT_SYMLINK_NOFOLLOW), -ENOENT, "and kept");
	is_long(*lstats - n, 4, "four asked of six");

	/* a method that may change a path: everything is asked again */
	n = *mkdirs;
	is_long(vu_mcall(ht, mkdir, int, (const char *, mode_t), "/x", 0755), -EEXIST, "a mkdir");
	is_long(*mkdirs - n, 1, "reached the module");
	n = *lstats;
	is_long(vu_pcache_lstat(ht, "/d", &st, AT_SYMLINK_NOFOLLOW), 0, "after it, /d");
	is_long(vu_pcache_lstat(ht, "/nope", &st, AT_SYMLINK_NOFOLLOW), -ENOENT, "and /nope");
	is_long(*lstats - n, 2, "are asked afresh");
	/* a lookup does not forget */
	is_long(vu_mcall(ht, access, int, (char *, int, int), (char *)"/d", F_OK, 0), 0, "access");
	n = *lstats;
	is_long(vu_pcache_lstat(ht, "/d", &st, AT_SYMLINK_NOFOLLOW), 0, "/d after an access");
	is_long(*lstats - n, 0, "still known");
	vu_pcache_end();

	n = *lstats;
	is_long(vu_pcache_lstat(ht, "/d", &st, AT_SYMLINK_NOFOLLOW), 0, "after the request");
	is_long(*lstats - n, 1, "asked again: the cache is the request's");
	vu_pcache_get_stats(&st1);
	ok(st1.hits - st0.hits == 3, "three answered from the cache (%lu)", st1.hits - st0.hits);
	vuht_drop(ht);
}

/* In a live pool: the reader serves a lookup itself, unless the module may wait. */
static void *serve_main(void *arg)
{
	(void)arg;
	vu_serve(&f.be);
	return NULL;
}

static void test_reader(void)
{
	struct vu_pool_stats st0, st1, st2;
	pthread_t server;
	struct vu_msg m;
	unsigned long n;

	vu_pool_config(4, 200);
	fake_live(&f);
	pthread_create(&server, NULL, serve_main, NULL);
	vu_pool_get_stats(&st0);
	m = fake_msg(1, __NR_stat, "/lk/l/e");
	m.args[1] = A_BUF;
	n = *lstats;
	is_long(fake_wait(&f, fake_push(&f, m), 2000), 0, "stat /lk/l/e in a live pool");
	ok(S_ISDIR(m_buf.st_mode), "a directory");
	is_long(*lstats - n, 4, "four lstats");
	vu_pool_get_stats(&st1);
	ok(st1.in_reader == st0.in_reader + 1 && st1.served == st0.served,
	   "served by the reader (%lu), no worker (%lu)", st1.in_reader - st0.in_reader,
	   st1.served - st0.served);

	mod->flags &= ~VU_MODULE_QUICK_LOOKUP;
	n = *lstats;
	memset(&m_buf, 0, sizeof(m_buf));
	is_long(fake_wait(&f, fake_push(&f, m), 2000), 0, "without VU_MODULE_QUICK_LOOKUP");
	ok(S_ISDIR(m_buf.st_mode), "the same answer");
	is_long(*lstats - n, 4, "the same lstats: none made in the reader");
	/* a worker counts what it served after its reply */
	for (int i = 0; i < 200 && (vu_pool_get_stats(&st2), st2.served == st1.served); i++)
		usleep(10000);
	ok(st2.handed == st1.handed + 1 && st2.served == st1.served + 1 &&
	   st2.in_reader == st1.in_reader,
	   "handed to a worker (%lu), which served it (%lu)", st2.handed - st1.handed,
	   st2.served - st1.served);
	mod->flags |= VU_MODULE_QUICK_LOOKUP;

	m = fake_msg(1, __NR_mkdir, "/lk/d/x");
	n = *mkdirs;
	is_long(fake_wait(&f, fake_push(&f, m), 2000), -EEXIST, "a mkdir: a worker's");
	is_long(*mkdirs - n, 1, "served once");
	for (int i = 0; i < 200 && (vu_pool_get_stats(&st1), st1.served == st2.served); i++)
		usleep(10000);
	ok(st1.served == st2.served + 1, "by a worker");
	fake_close(&f);
	pthread_join(server, NULL);
	vu_pool_config(0, 0);
}

int main(void)
{
	void *so;

	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, &m_buf, sizeof(m_buf));
	is_long(vu_module_insert(TEST_LOOKUPS, 0), 0, "lookups.so loads");
	so = dlopen(TEST_LOOKUPS, RTLD_NOW | RTLD_NOLOAD);
	lstats = so ? dlsym(so, "lookups_lstats") : NULL;
	mkdirs = so ? dlsym(so, "lookups_mkdirs") : NULL;
	mod = so ? dlsym(so, "vu_module") : NULL;
	ok(lstats && mkdirs && mod, "its counters");
	if (!lstats || !mkdirs || !mod)
		return tap_done();
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "mounted at /lk");
	test_walk();
	test_cache();
	test_reader();
	is_long(f.protocol_errors, 0, "one reply per request");
	dlclose(so);
	is_long(fake_call(&f, 1, __NR_umount2, A_DST, 0, 0, 0), 0, "unmounted");
	is_long(vu_module_remove("lookups"), 0, "lookups goes");
	vu_filter_reset();
	return tap_done();
}

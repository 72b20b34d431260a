// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vufs_logic.c - the pure parts of vufs: the mount options, the
 * names of the metadata directory, the vstat record, the merged listing.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "tap.h"
#include "vufs.h"
#include "vufs_list.h"

static void test_opts(void)
{
	struct vufs_opts o;
	char err[256];

	is_long(vufs_parse_opts(NULL, &o, err, sizeof(err)), 0, "no options: bind");
	is_long(o.mode, VUFS_BIND, "the default mode is bind");
	is_long(vufs_parse_opts("cow,except=/tmp/,except=//var//log,nochcopy", &o, err,
				sizeof(err)),
		0, "cow with options");
	ok(o.mode == VUFS_COW && o.nochcopy && !o.ro && o.nexcept == 2,
	   "cow, nochcopy, two except");
	is_str(o.except[0], "/tmp", "a trailing slash goes");
	is_str(o.except[1], "/var/log", "double slashes go");
	ok(vufs_is_except(&o, "/tmp") && vufs_is_except(&o, "/tmp/x") &&
		   !vufs_is_except(&o, "/tmpx") && !vufs_is_except(&o, "") &&
		   vufs_is_except(&o, "/var/log/syslog"),
	   "except matches the subtree, not a prefix");
	vufs_free_opts(&o);
	is_long(vufs_parse_opts("mincow,ro", &o, err, sizeof(err)), 0, "mincow,ro");
	ok(o.mode == VUFS_MINCOW && o.ro, "mincow and ro");
	is_long(vufs_parse_opts("merge,merge", &o, err, sizeof(err)), 0,
		"a mode twice is one mode");
	is_long(vufs_parse_opts("cow,merge", &o, err, sizeof(err)), -1, "cow,merge is refused");
	ok(strstr(err, "cow and merge exclude each other") != NULL, "and said: %s", err);
	is_long(vufs_parse_opts("bind,move", &o, err, sizeof(err)), -1, "bind,move is refused");
	is_long(vufs_parse_opts("cow,except=tmp", &o, err, sizeof(err)), -1,
		"a relative except= is refused");
	ok(strstr(err, "must be absolute") != NULL, "and said: %s", err);
	is_long(vufs_parse_opts("except=/a/../b", &o, err, sizeof(err)), -1, "except with ..");
	is_long(vufs_parse_opts("except=/", &o, err, sizeof(err)), -1, "except=/");
	is_long(vufs_parse_opts("except", &o, err, sizeof(err)), -1, "except without a path");
	is_long(vufs_parse_opts("cow,bogus", &o, err, sizeof(err)), -1, "an unknown option");
	ok(strstr(err, "\"bogus\"") != NULL, "names it: %s", err);
	is_long(vufs_parse_opts("nopassthrough,,cow", &o, err, sizeof(err)), 0,
		"nopassthrough is the hypervisor's; an empty word is skipped");
}

static void test_names(void)
{
	char b[64];

	ok(vufs_join(b, sizeof(b), "/src", "/", NULL) == 0 && strcmp(b, "/src") == 0,
	   "the mount's root is SOURCE");
	ok(vufs_join(b, sizeof(b), "", "/", NULL) == 0 && strcmp(b, "/") == 0, "\"\" + / is /");
	ok(vufs_join(b, sizeof(b), "", "/etc", NULL) == 0 && strcmp(b, "/etc") == 0, "\"\" + /etc");
	ok(vufs_join(b, sizeof(b), "/s/.-", "/a/b", "\177") == 0 && strcmp(b, "/s/.-/a/b\177") == 0,
	   "the vstat record of /a/b");
	ok(vufs_join(b, sizeof(b), "/s/.-", "/", "\177") == 0 && strcmp(b, "/s/.-\177") == 0,
	   "the record of the root is beside .-");
	is_long(vufs_join(b, 8, "/source", "/x", NULL), -1, "too long: -1");
	struct vufs cow = { .o = { .mode = VUFS_COW } }, bind = { .o = { .mode = VUFS_BIND } };

	ok(vufs_reserved(&cow, "/.-") && vufs_reserved(&cow, "/.-/x") &&
		   vufs_reserved(&cow, "/.-\177") && !vufs_reserved(&cow, "/a/.-") &&
		   !vufs_reserved(&cow, "/.-x"),
	   "only the root's .- names are reserved");
	ok(!vufs_reserved(&bind, "/.-") && !vufs_reserved(&bind, "/.-/x"),
	   "a bind reserves nothing: it shows its source as it is");
}

static void test_vstat(void)
{
	struct vufs_vstat vs = { 0 }, back, add = { 0 };
	struct stat st = { 0 };
	char text[256];

	vs.mask = VUFS_VS_TYPE | VUFS_VS_MODE | VUFS_VS_UID | VUFS_VS_GID | VUFS_VS_RDEV;
	vs.type = S_IFCHR;
	vs.mode = 04755;
	vs.uid = 0;
	vs.gid = 42;
	vs.rdev = makedev(1, 3);
	ok(vufs_vstat_format(&vs, text, sizeof(text)) > 0, "format");
	is_str(text, "type c\nmode 4755\nuid 0\ngid 42\nrdev 1,3\n", "the text");
	is_long(vufs_vstat_parse(text, &back), 0, "parse it back");
	ok(back.mask == vs.mask && back.type == S_IFCHR && back.mode == 04755 && back.uid == 0 &&
		   back.gid == 42 && back.rdev == makedev(1, 3),
	   "the same record");
	is_long(vufs_vstat_format(&vs, text, 10), -1, "a short buffer: -1");
	is_long(vufs_vstat_parse("uid 5\nctime 12,5\ndev 8,1\n", &back), 0,
		"VUOS's ctime and dev are skipped");
	ok(back.mask == VUFS_VS_UID && back.uid == 5, "uid only");
	is_long(vufs_vstat_parse("mode 9\n", &back), -1, "mode is octal");
	is_long(vufs_vstat_parse("uid -1\n", &back), -1, "a negative uid");
	is_long(vufs_vstat_parse("type x\n", &back), -1, "an unknown type");
	is_long(vufs_vstat_parse("uid\n", &back), -1, "a key without a value");
	ok(back.mask == 0, "a bad record is no record");
	st.st_mode = S_IFREG | 0600;
	st.st_uid = 1000;
	st.st_gid = 1000;
	st.st_size = 7;
	vufs_vstat_apply(&vs, &st);
	ok(S_ISCHR(st.st_mode) && (st.st_mode & 07777) == 04755 && st.st_uid == 0 &&
		   st.st_gid == 42 && st.st_rdev == makedev(1, 3) && st.st_size == 0,
	   "applied: a char device of root, no size");
	add.mask = VUFS_VS_UID;
	add.uid = 7;
	vufs_vstat_merge(&vs, &add);
	ok(vs.uid == 7 && vs.gid == 42 && (vs.mask & VUFS_VS_TYPE), "merge changes what it has");
}

/* The names of the records in @buf (@n bytes), space separated, with each d_off. */
static void names_of(const void *buf, long n, char *out, size_t size, int64_t *offs)
{
	const char *p = buf;
	int i = 0;

	out[0] = '\0';
	for (long off = 0; off < n; i++) {
		const struct dirent64 *d = (const void *)(p + off);

		if (out[0])
			strncat(out, " ", size - strlen(out) - 1);
		strncat(out, d->d_name, size - strlen(out) - 1);
		offs[i] = d->d_off;
		off += d->d_reclen;
	}
}

static void test_list(void)
{
	struct vufs_list l = { 0 };
	char buf[4096] __attribute__((aligned(8))), names[512];
	int64_t offs[64];
	long n;

	is_long(vufs_list_add(&l, ".", 1, DT_DIR), 1, "add .");
	is_long(vufs_list_add(&l, "..", 2, DT_DIR), 1, "add ..");
	is_long(vufs_list_add(&l, "a", 10, DT_REG), 1, "add a (virtual)");
	is_long(vufs_list_add(&l, "b", 11, DT_REG), 1, "add b (virtual)");
	is_long(vufs_list_add(&l, "a", 20, DT_REG), 0, "a again (real): a duplicate");
	is_long(vufs_list_add(&l, "c", 21, DT_LNK), 1, "add c (real)");
	ok(vufs_list_has(&l, "c") && !vufs_list_has(&l, "d"), "has");
	n = vufs_list_fill(&l, buf, sizeof(buf));
	names_of(buf, n, names, sizeof(names), offs);
	is_str(names, ". .. a b c", "one entry each, the first layer's order");
	ok(offs[0] == 1 && offs[4] == 5, "d_off is the index + 1");
	is_long(((struct dirent64 *)(buf + ((struct dirent64 *)buf)->d_reclen * 2))->d_ino, 10,
		"the virtual a wins");
	is_long(vufs_list_fill(&l, buf, sizeof(buf)), 0, "then the end");
	l.pos = 3; /* seekdir to the d_off of a */
	n = vufs_list_fill(&l, buf, sizeof(buf));
	names_of(buf, n, names, sizeof(names), offs);
	is_str(names, "b c", "from an offset on");
	l.pos = 0;
	n = vufs_list_fill(&l, buf, 48);
	names_of(buf, n, names, sizeof(names), offs);
	is_str(names, ". ..", "a small buffer: what fits");
	n = vufs_list_fill(&l, buf, 24);
	names_of(buf, n, names, sizeof(names), offs);
	is_str(names, "a", "then the next call goes on");
	is_long(vufs_list_fill(&l, buf, 8), -1, "not even one record fits: EINVAL");
	for (int i = 0; i < 1000; i++) {
		char name[16];

		snprintf(name, sizeof(name), "f%d", i);
		if (vufs_list_add(&l, name, (uint64_t)i, DT_REG) != 1)
			break;
	}
	is_long(l.n, 1005, "a thousand more: the table grows");
	is_long(vufs_list_add(&l, "f999", 0, DT_REG), 0, "and still finds duplicates");
	vufs_list_free(&l);
	is_long(l.n, 0, "freed");
}

int main(void)
{
	test_opts();
	test_names();
	test_vstat();
	test_list();
	return tap_done();
}

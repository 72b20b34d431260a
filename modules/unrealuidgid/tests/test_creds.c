// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_creds.c - the credential rules of unrealuidgid (creds.c): who may
 * set which ids, what capabilities follow, what an exec gives, and the
 * reading of /proc/TID/status (against this process's own ids).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include "creds.h"
#include "tap.h"

#define N ((uid_t)-1)
#define OWNER 1234
#define FULL ((UINT64_C(1) << (CAP_LAST_CAP + 1)) - 1)
#define BIT(c) (UINT64_C(1) << (c))

static const struct vcred_rules rules = { .owner = OWNER, .cap_full = FULL };

static struct vcred as(uid_t u, uint64_t caps)
{
	struct vcred c = { .uid = { u, u, u, u }, .gid = { u, u, u, u } };

	c.cap_eff = c.cap_prm = caps;
	return c;
}

static int setu(struct vcred *c, uid_t r, uid_t e, uid_t s, uid_t fs)
{
	const uid_t id[4] = { r, e, s, fs };

	return vcred_setuids(c, &rules, id);
}

static void test_status(void)
{
	char buf[8192];
	FILE *f = fopen("/proc/self/status", "re");
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	struct vcred c;
	uid_t r, e, s;
	gid_t g[256];
	int ng = getgroups(256, g);

	fclose(f);
	buf[n] = '\0';
	ok(vcred_parse_status(&c, buf) == 0, "/proc/self/status parses");
	getresuid(&r, &e, &s);
	ok(c.uid[VC_R] == r && c.uid[VC_E] == e && c.uid[VC_S] == s, "uids as getresuid says");
	ok(c.gid[VC_R] == getgid() && c.gid[VC_E] == getegid(), "gids as getgid says");
	ok(c.ngroups == ng && (ng == 0 || memcmp(c.groups, g, (size_t)ng * sizeof(gid_t)) == 0),
	   "groups as getgroups says (%d)", ng);
	vcred_free(&c);
	ok(vcred_parse_status(&c, "Name:\tx\nUid:\t1 2\n") == -EINVAL, "a short Uid line: EINVAL");
	ok(vcred_parse_status(&c,
			      "x\nUid:\t1 1 1 1\nGid:\t2 2 2 2\nGroups:\t3 x\nCapInh:\t0\n"
			      "CapPrm:\t0\nCapEff:\t0\n") == -EINVAL,
	   "a group that is not a number: EINVAL");
	ok(vcred_parse_status(&c, "x\nUid:\t1 1 1 1\nGid:\t2 2 2 2\nGroups:\t3  4 \nCapInh:\t0\n"
				  "CapPrm:\t1f\nCapEff:\t1\n") == 0 &&
		   c.ngroups == 2 && c.groups[1] == 4 && c.cap_prm == 0x1f,
	   "groups and hex capability sets read");
	vcred_free(&c);
}

static void test_uids(void)
{
	struct vcred c = as(OWNER, 0);

	is_long(setu(&c, 0, 0, 0, 0), 0, "the owner may become root");
	ok(c.cap_prm == FULL && c.cap_eff == FULL, "... and gets root's capabilities");
	is_long(setu(&c, 42, 42, 42, 42), 0, "root may become anyone");
	ok(c.cap_prm == 0 && c.cap_eff == 0, "... and leaving root drops the capabilities");
	is_long(setu(&c, 0, 0, 0, 0), -EPERM, "a user who is not the owner cannot come back");
	ok(c.uid[VC_E] == 42, "... and stays as it was");
	is_long(setu(&c, N, 43, N, N), -EPERM, "nor pick an id it does not have");

	c = as(0, FULL);
	is_long(setu(&c, 0, 5, 0, 5), 0, "root: effective 5, real and saved 0");
	ok(c.cap_prm == FULL && c.cap_eff == 0, "... permitted kept, effective cleared");
	is_long(setu(&c, N, 0, N, 0), 0, "the saved 0 gives the effective 0 back");
	ok(c.cap_eff == FULL, "... and the effective set = the permitted one");
	is_long(setu(&c, N, N, N, 7), 0, "setfsuid(7) as root");
	ok(c.cap_eff == (FULL & ~(BIT(CAP_CHOWN) | BIT(CAP_MKNOD) | BIT(CAP_DAC_OVERRIDE) |
				  BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_FOWNER) | BIT(CAP_FSETID) |
				  BIT(CAP_MAC_OVERRIDE))),
	   "... drops the file system capabilities only");
	is_long(setu(&c, N, N, N, 0), 0, "setfsuid(0)");
	ok(c.cap_eff == FULL, "... gives them back");

	c = as(42, 0);
	c.uid[VC_E] = 43;
	is_long(setu(&c, 43, 42, N, N), 0, "an unprivileged swap of real and effective");
	is_long(setu(&c, N, N, N, 43), 0, "setfsuid to the real id");
	is_long(setu(&c, N, N, N, 99), -EPERM, "setfsuid to another: refused");
	c = as(42, BIT(CAP_SETUID));
	is_long(setu(&c, 77, 77, 77, 77), 0, "CAP_SETUID without being root: any id");
}

static void test_gids_groups(void)
{
	struct vcred c = as(42, 0);
	const gid_t g[4] = { 9, 9, 9, 9 }, list[3] = { 1, 2, 3 };

	is_long(vcred_setgids(&c, &rules, g), -EPERM, "a user cannot take another gid");
	is_long(vcred_setgroups(&c, &rules, 3, list), -EPERM, "nor set its groups");
	c = as(OWNER, 0);
	is_long(vcred_setgids(&c, &rules, g), 0, "the owner may take any gid");
	is_long(vcred_setgroups(&c, &rules, 3, list), 0, "and set its groups");
	ok(c.ngroups == 3 && c.groups[2] == 3, "... all three");
	is_long(vcred_setgroups(&c, &rules, -1, list), -EINVAL, "a negative count: EINVAL");
	is_long(vcred_setgroups(&c, &rules, 0, NULL), 0, "no groups at all");
	vcred_free(&c);
}

static void test_caps_exec(void)
{
	struct vcred c = as(42, 0);

	is_long(vcred_capset(&c, &rules, 0, BIT(CAP_CHOWN), 0), -EPERM,
		"a user cannot raise its permitted set");
	c = as(OWNER, 0);
	is_long(vcred_capset(&c, &rules, BIT(CAP_CHOWN), BIT(CAP_CHOWN), 0), 0,
		"the owner may (capsh --caps=cap_chown+ep)");
	is_long(vcred_capset(&c, &rules, BIT(CAP_KILL), BIT(CAP_CHOWN), 0), -EPERM,
		"effective beyond permitted: EPERM");
	c = as(0, FULL);
	is_long(vcred_capset(&c, &rules, 0, BIT(CAP_KILL), 0), 0, "root drops all but CAP_KILL");
	is_long(vcred_capset(&c, &rules, 0, BIT(CAP_KILL) | BIT(CAP_CHOWN), 0), -EPERM,
		"... and cannot raise CAP_CHOWN again");

	c = as(0, 0);
	vcred_exec(&c, &rules, N, N);
	ok(c.cap_prm == FULL && c.cap_eff == FULL, "an exec as root: the full set");
	c = as(42, BIT(CAP_CHOWN));
	vcred_exec(&c, &rules, N, N);
	ok(c.cap_prm == 0 && c.cap_eff == 0, "an exec as a user: none");
	c = as(42, 0);
	vcred_exec(&c, &rules, 0, 5);
	ok(c.uid[VC_R] == 42 && c.uid[VC_E] == 0 && c.uid[VC_S] == 0 && c.uid[VC_FS] == 0,
	   "a set-uid-root exec: effective, saved and fs 0, real kept");
	ok(c.gid[VC_E] == 5 && c.gid[VC_S] == 5, "... set-gid: effective and saved gid");
	ok(c.cap_eff == FULL, "... with root's capabilities");
}

int main(void)
{
	test_status();
	test_uids();
	test_gids_groups();
	test_caps_exec();
	return tap_done();
}

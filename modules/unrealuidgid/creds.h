/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * creds.h - a process's virtual credentials and the kernel's rules for
 * changing them (kernel/sys.c, security/commoncap.c), as pure logic.
 *
 * Who may change ids: a process with CAP_SETUID (CAP_SETGID for gids and
 * groups) in its effective set, as in Linux, and also one whose real,
 * effective and saved uids are all the view's owner (the user who ran
 * kmview): the owner is root of their own view, which is how vusu(1)
 * becomes root. A process that left the owner's ids for another user's
 * cannot come back (programs such as apt's sandbox check just that).
 */
#ifndef KMVIEW_UNREALUIDGID_CREDS_H
#define KMVIEW_UNREALUIDGID_CREDS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#define VC_NGROUPS_MAX 65536

enum { VC_R, VC_E, VC_S, VC_FS }; /* the four ids, in VUOS's order */

struct vcred {
	uid_t uid[4];
	gid_t gid[4];
	uint64_t cap_eff, cap_prm, cap_inh;
	int ngroups;
	gid_t *groups;
};

/* The rules' constants: the owner's uid, the full set (cap_last_cap). */
struct vcred_rules {
	uid_t owner;
	uint64_t cap_full;
};

/* Read a task's credentials from /proc/TID/status (its text in @status). */
int vcred_parse_status(struct vcred *c, const char *status);
int vcred_copy(struct vcred *dst, const struct vcred *src);
void vcred_free(struct vcred *c);

/* Has @c capability @cap, for the rules (its effective set, or the owner)? */
bool vcred_capable(const struct vcred *c, const struct vcred_rules *r, int cap);

/* The calls: 0 or -errno; @c is unchanged on error. -1 leaves an id. */
int vcred_setuids(struct vcred *c, const struct vcred_rules *r, const uid_t id[4]);
int vcred_setgids(struct vcred *c, const struct vcred_rules *r, const gid_t id[4]);
int vcred_setgroups(struct vcred *c, const struct vcred_rules *r, int n, const gid_t *list);
int vcred_capset(struct vcred *c, const struct vcred_rules *r, uint64_t eff, uint64_t prm,
		 uint64_t inh);

/* An exec: @uid/@gid are the set-id bits' ids, or -1 (cap_bprm_creds_from_file). */
void vcred_exec(struct vcred *c, const struct vcred_rules *r, uid_t uid, gid_t gid);

#endif

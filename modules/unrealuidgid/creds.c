// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * creds.c - virtual credentials: the kernel's rules for set*id, setgroups,
 * capset and exec, on a struct that is only data (creds.h says who is
 * privileged). Each call checks everything before it changes anything.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>

#include "creds.h"

#define NOID ((uid_t)-1)
#define BIT(cap) (UINT64_C(1) << (cap))
/* what fsuid 0 meant (the kernel's CAP_FS_MASK) */
#define FS_MASK                                                                    \
	(BIT(CAP_CHOWN) | BIT(CAP_MKNOD) | BIT(CAP_DAC_OVERRIDE) |               \
	 BIT(CAP_DAC_READ_SEARCH) | BIT(CAP_FOWNER) | BIT(CAP_FSETID) |          \
	 BIT(CAP_MAC_OVERRIDE))

static bool is_owner(const struct vcred *c, const struct vcred_rules *r)
{
	return c->uid[VC_R] == r->owner && c->uid[VC_E] == r->owner && c->uid[VC_S] == r->owner;
}

bool vcred_capable(const struct vcred *c, const struct vcred_rules *r, int cap)
{
	return (c->cap_eff & BIT(cap)) || is_owner(c, r);
}

/* An unprivileged caller may only pick among the ids it has. */
static bool is_one_of(uid_t v, const uid_t *have, int n)
{
	for (int i = 0; i < n; i++)
		if (v == have[i])
			return true;
	return false;
}

/* The new ids (-1: unchanged), or -EPERM when not allowed. */
static int next_ids(const uid_t old[4], const uid_t want[4], bool priv, uid_t out[4])
{
	for (int i = 0; i < 4; i++) {
		out[i] = want[i] == NOID ? old[i] : want[i];
		if (priv || out[i] == old[i])
			continue;
		/* r, e, s: among r, e, s; the fs id: among all four */
		if (!is_one_of(out[i], old, i == VC_FS ? 4 : 3))
			return -EPERM;
	}
	return 0;
}

static void fix_caps(struct vcred *c, const uid_t old[4])
{
	const uid_t *u = c->uid;
	bool res_same = u[VC_R] == old[VC_R] && u[VC_E] == old[VC_E] && u[VC_S] == old[VC_S];

	if (res_same) { /* setfsuid: the fs capabilities follow fsuid 0 */
		if (old[VC_FS] == 0 && u[VC_FS] != 0)
			c->cap_eff &= ~FS_MASK;
		else if (old[VC_FS] != 0 && u[VC_FS] == 0)
			c->cap_eff |= c->cap_prm & FS_MASK;
		return;
	}
	/* cap_emulate_setxuid, without SECURE_KEEP_CAPS */
	if ((old[VC_R] == 0 || old[VC_E] == 0 || old[VC_S] == 0) && u[VC_R] != 0 &&
	    u[VC_E] != 0 && u[VC_S] != 0)
		c->cap_prm = c->cap_eff = 0;
	if (old[VC_E] == 0 && u[VC_E] != 0)
		c->cap_eff = 0;
	if (old[VC_E] != 0 && u[VC_E] == 0)
		c->cap_eff = c->cap_prm;
}

int vcred_setuids(struct vcred *c, const struct vcred_rules *r, const uid_t id[4])
{
	bool by_cap = c->cap_eff & BIT(CAP_SETUID);
	uid_t old[4], next[4];
	int ret = next_ids(c->uid, id, vcred_capable(c, r, CAP_SETUID), next);

	if (ret < 0)
		return ret;
	memcpy(old, c->uid, sizeof(old));
	memcpy(c->uid, next, sizeof(next));
	/* the owner becoming root gets root's set, as a set-uid-root exec gives */
	if (!by_cap && old[VC_E] != 0 && next[VC_E] == 0)
		c->cap_prm = r->cap_full;
	fix_caps(c, old);
	return 0;
}

int vcred_setgids(struct vcred *c, const struct vcred_rules *r, const gid_t id[4])
{
	gid_t next[4];
	int ret = next_ids(c->gid, id, vcred_capable(c, r, CAP_SETGID), next);

	if (ret == 0)
		memcpy(c->gid, next, sizeof(next));
	return ret;
}

int vcred_setgroups(struct vcred *c, const struct vcred_rules *r, int n, const gid_t *list)
{
	gid_t *g = NULL;

	if (n < 0 || n > VC_NGROUPS_MAX)
		return -EINVAL;
	if (!vcred_capable(c, r, CAP_SETGID))
		return -EPERM;
	if (n > 0) {
		g = malloc((size_t)n * sizeof(*g));
		if (!g)
			return -ENOMEM;
		memcpy(g, list, (size_t)n * sizeof(*g));
	}
	free(c->groups);
	c->groups = g;
	c->ngroups = n;
	return 0;
}

int vcred_capset(struct vcred *c, const struct vcred_rules *r, uint64_t eff, uint64_t prm,
		 uint64_t inh)
{
	/* the owner may give itself anything, as root may */
	uint64_t prm_max = is_owner(c, r) ? r->cap_full : c->cap_prm;
	uint64_t inh_max = c->cap_inh | (vcred_capable(c, r, CAP_SETPCAP) ? r->cap_full : c->cap_prm);

	if ((eff | prm | inh) & ~r->cap_full)
		return -EPERM;
	if ((prm & ~prm_max) || (eff & ~prm) || (inh & ~inh_max))
		return -EPERM;
	c->cap_eff = eff;
	c->cap_prm = prm;
	c->cap_inh = inh;
	return 0;
}

void vcred_exec(struct vcred *c, const struct vcred_rules *r, uid_t uid, gid_t gid)
{
	if (uid != NOID)
		c->uid[VC_E] = uid;
	if (gid != NOID)
		c->gid[VC_E] = (gid_t)gid;
	c->uid[VC_S] = c->uid[VC_FS] = c->uid[VC_E];
	c->gid[VC_S] = c->gid[VC_FS] = c->gid[VC_E];
	/* no file capabilities: root gets the full set, everyone else none */
	if (c->uid[VC_E] == 0 || c->uid[VC_R] == 0) {
		c->cap_prm = (c->cap_inh | r->cap_full) & r->cap_full;
		c->cap_eff = c->uid[VC_E] == 0 ? c->cap_prm : 0;
	} else {
		c->cap_prm = c->cap_eff = 0;
	}
}

int vcred_copy(struct vcred *dst, const struct vcred *src)
{
	*dst = *src;
	dst->groups = NULL;
	if (src->ngroups > 0) {
		dst->groups = malloc((size_t)src->ngroups * sizeof(gid_t));
		if (!dst->groups)
			return -ENOMEM;
		memcpy(dst->groups, src->groups, (size_t)src->ngroups * sizeof(gid_t));
	}
	return 0;
}

void vcred_free(struct vcred *c)
{
	free(c->groups);
	c->groups = NULL;
	c->ngroups = 0;
}

/* "Uid:\t1 2 3 4": four ids after the tag, or -EINVAL. */
static int parse_ids(const char *status, const char *tag, uid_t id[4])
{
	const char *p = strstr(status, tag);
	unsigned int v[4];

	if (!p || sscanf(p + strlen(tag), "%u %u %u %u", &v[0], &v[1], &v[2], &v[3]) != 4)
		return -EINVAL;
	for (int i = 0; i < 4; i++)
		id[i] = v[i];
	return 0;
}

static int parse_cap(const char *status, const char *tag, uint64_t *cap)
{
	const char *p = strstr(status, tag);

	if (!p || sscanf(p + strlen(tag), "%" SCNx64, cap) != 1)
		return -EINVAL;
	return 0;
}

int vcred_parse_status(struct vcred *c, const char *status)
{
	const char *p = strstr(status, "\nGroups:");
	gid_t *g = NULL;
	int n = 0;

	memset(c, 0, sizeof(*c));
	if (parse_ids(status, "\nUid:", c->uid) < 0 || parse_ids(status, "\nGid:", c->gid) < 0 ||
	    parse_cap(status, "\nCapInh:", &c->cap_inh) < 0 ||
	    parse_cap(status, "\nCapPrm:", &c->cap_prm) < 0 ||
	    parse_cap(status, "\nCapEff:", &c->cap_eff) < 0 || !p)
		return -EINVAL;
	for (p += strlen("\nGroups:"); *p && *p != '\n';) {
		char *end;
		unsigned long v;
		gid_t *ng;

		if (*p == ' ' || *p == '\t') {
			p++;
			continue;
		}
		v = strtoul(p, &end, 10);
		if (end == p || (*end && *end != ' ' && *end != '\t' && *end != '\n')) {
			free(g);
			return -EINVAL;
		}
		if (n == VC_NGROUPS_MAX || !(ng = realloc(g, (size_t)(n + 1) * sizeof(*g)))) {
			free(g);
			return -ENOMEM;
		}
		g = ng;
		g[n++] = (gid_t)v;
		p = end;
	}
	c->groups = g;
	c->ngroups = n;
	return 0;
}

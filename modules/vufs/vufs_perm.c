// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_perm.c - permission checks on the virtual metadata of cow and
 * mincow mounts (man/kmview-vufs.7, PERMISSIONS).
 *
 * Two kinds of caller:
 *  - the owner of SOURCE: the caller whose fs uid in the view is the
 *    daemon's own uid (the user who runs the view, as itself). It keeps
 *    VUOS's cow rule: what it can read on the host it may change in its
 *    copy. Everything in SOURCE is its own on the host: refusing it in the
 *    view would protect nothing. The kernel still checks its real access.
 *  - anyone else the view makes (unrealuidgid, vusu): checked as the
 *    kernel's generic_permission checks those credentials (fs uid, fs gid,
 *    supplementary groups, capabilities, all virtual) against the merged
 *    stat, the real one under the vstat record: EACCES where the mode
 *    says no; CAP_DAC_OVERRIDE passes reads and writes (and execution
 *    where some x bit is set), CAP_DAC_READ_SEARCH reads and the search
 *    of directories, CAP_FOWNER the owner's rights (times, the sticky
 *    bit). The virtual root of unrealuidgid has them all, so it passes.
 * Only the object and its parent are checked, not every directory above.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>

#include "vufs_mode.h"

/* glibc has the system call but no declaration: libcap's. Nested (capget of the caller). */
extern int capget(cap_user_header_t hdrp, cap_user_data_t datap);

struct vufs_cred {
	uid_t uid;
	gid_t gid;
	__u32 caps[2]; /* effective */
};

static bool vufs_cred_capable(const struct vufs_cred *c, int cap)
{
	return c->caps[cap / 32] & (1U << (cap % 32));
}

/*
 * The caller's credentials, if it is checked: true. @real: the real ids
 * (access(2) without AT_EACCESS), else the fs ids.
 */
static bool vufs_cred_get(struct vufs *v, bool real, struct vufs_cred *c)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	uid_t su;
	gid_t sg;

	if (!vufs_writes_src(v))
		return false;
	vufs_caller(&c->uid, &c->gid);
	vufs_self(&su, &sg);
	if (c->uid == su)
		return false;
	if (real) {
		c->uid = getuid();
		c->gid = getgid();
	}
	memset(d, 0, sizeof(d));
	capget(&h, d);
	c->caps[0] = d[0].effective;
	c->caps[1] = d[1].effective;
	return true;
}

static bool vufs_cred_in_group(const struct vufs_cred *c, gid_t gid)
{
	gid_t *list;
	bool in = false;
	int n;

	if (c->gid == gid)
		return true;
	n = getgroups(0, NULL);
	if (n <= 0)
		return false;
	list = calloc((size_t)n, sizeof(*list));
	if (!list)
		return false;
	n = getgroups(n, list);
	for (int i = 0; i < n && !in; i++)
		in = list[i] == gid;
	free(list);
	return in;
}

/* The kernel's generic_permission of @c on @st for @mask (VUFS_MAY_*): 0, or -1 EACCES. */
static int vufs_cred_permit(const struct vufs_cred *c, const struct stat *st, int mask)
{
	mode_t m = st->st_mode;
	int bits;

	if (c->uid == st->st_uid)
		bits = (int)(m >> 6) & 7;
	else if (vufs_cred_in_group(c, st->st_gid))
		bits = (int)(m >> 3) & 7;
	else
		bits = (int)m & 7;
	if ((mask & ~bits) == 0)
		return 0;
	if (S_ISDIR(m)) {
		if (vufs_cred_capable(c, CAP_DAC_OVERRIDE))
			return 0;
		if (!(mask & VUFS_MAY_WRITE) && vufs_cred_capable(c, CAP_DAC_READ_SEARCH))
			return 0;
	} else {
		if (vufs_cred_capable(c, CAP_DAC_OVERRIDE) && (!(mask & VUFS_MAY_EXEC) || (m & 0111)))
			return 0;
		if (mask == VUFS_MAY_READ && vufs_cred_capable(c, CAP_DAC_READ_SEARCH))
			return 0;
	}
	return vufs_fail(EACCES);
}

/* The stat of @w as the view shows it. */
static void vufs_merged_stat(struct vufs *v, const char *mpath, const struct vufs_where *w,
			     struct stat *st)
{
	struct vufs_vstat vs;

	*st = w->st;
	vufs_vstat_get(v, mpath, &vs);
	vufs_vstat_apply(&vs, st);
}

int vufs_permit(struct vufs *v, const char *mpath, const struct vufs_where *w, int mask)
{
	struct vufs_cred c;
	struct stat st;

	if (!(mask & 7) || w->layer == VUFS_L_NONE ||
	    !vufs_cred_get(v, (mask & VUFS_MAY_REAL_IDS) != 0, &c))
		return 0;
	vufs_merged_stat(v, mpath, w, &st);
	return vufs_cred_permit(&c, &st, mask & 7);
}

int vufs_permit_parent(struct vufs *v, const char *mpath, const struct vufs_where *victim)
{
	char parent[PATH_MAX];
	struct vufs_where pw;
	struct vufs_cred c;
	struct stat pst, vst;

	if (!vufs_cred_get(v, false, &c))
		return 0;
	vufs_parent(mpath, parent, sizeof(parent));
	if (vufs_where(v, parent, &pw) < 0 || pw.layer == VUFS_L_NONE)
		return 0; /* the call itself will say what is wrong */
	vufs_merged_stat(v, parent, &pw, &pst);
	if (vufs_cred_permit(&c, &pst, VUFS_MAY_WRITE | VUFS_MAY_EXEC) < 0)
		return -1;
	if (!victim || victim->layer == VUFS_L_NONE || !(pst.st_mode & S_ISVTX))
		return 0;
	/* the sticky bit: only the owner of the entry or of the directory removes it */
	vufs_merged_stat(v, mpath, victim, &vst);
	if (c.uid == vst.st_uid || c.uid == pst.st_uid || vufs_cred_capable(&c, CAP_FOWNER))
		return 0;
	return vufs_fail(EPERM);
}

int vufs_permit_owner(struct vufs *v, const char *mpath, const struct vufs_where *w)
{
	struct vufs_cred c;
	struct stat st;

	if (w->layer == VUFS_L_NONE || !vufs_cred_get(v, false, &c))
		return 0;
	vufs_merged_stat(v, mpath, w, &st);
	if (c.uid == st.st_uid || vufs_cred_capable(&c, CAP_FOWNER))
		return 0;
	return vufs_fail(EPERM);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/ids.c - the user and group id calls of a module that owns them.
 *
 * As in VUOS (vu_wrap_uid_gid.c), a module has four methods for them:
 * getresfuid and setresfuid (real, effective, saved, file system uid) and
 * the gid twins; their last argument is the private data of the CHECKSC
 * entry that won. getuid, geteuid and getresuid read getresfuid; setuid,
 * setreuid and setresuid read the ids there are, work out the new ones
 * as the kernel would (setuid by a virtual root sets all three; setreuid
 * moves the saved id along) and pass all four to setresfuid, the file
 * system id following the effective one. Permission checks are the
 * module's. setfsuid returns the file system id before the call (what the
 * kernel does, and VUOS), and -1 only asks. getgroups and setgroups pass
 * the list, at most NGROUPS_MAX ids.
 */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/types.h>

#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/scnum.h"

#define VU_NOID ((uid_t)-1)

static bool vu_ids_is_gid(long nr)
{
	switch (nr) {
	case __NR_getgid:
	case __NR_getegid:
	case __NR_getresgid:
	case __NR_setgid:
	case __NR_setregid:
	case __NR_setresgid:
	case __NR_setfsgid:
		return true;
	default:
		return false;
	}
}

/* The module's ids: ruid, euid, suid, fsuid (or the gids); 0 or -errno. */
static long vu_ids_get(struct vuht_entry_t *ht, bool gid, uid_t id[4])
{
	void *priv = vuht_get_private_data(ht);

	for (int i = 0; i < 4; i++)
		id[i] = VU_NOID;
	if (gid)
		return vu_mcall(ht, getresfgid, int, (gid_t *, gid_t *, gid_t *, gid_t *, void *),
				&id[0], &id[1], &id[2], &id[3], priv);
	return vu_mcall(ht, getresfuid, int, (uid_t *, uid_t *, uid_t *, uid_t *, void *), &id[0],
			&id[1], &id[2], &id[3], priv);
}

static long vu_ids_set(struct vuht_entry_t *ht, bool gid, const uid_t id[4])
{
	void *priv = vuht_get_private_data(ht);

	if (gid)
		return vu_mcall(ht, setresfgid, int, (gid_t, gid_t, gid_t, gid_t, void *), id[0],
				id[1], id[2], id[3], priv);
	return vu_mcall(ht, setresfuid, int, (uid_t, uid_t, uid_t, uid_t, void *), id[0], id[1],
			id[2], id[3], priv);
}

void vu_sc_getid(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool gid = vu_ids_is_gid(msg->nr);
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	uid_t id[4];
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, gid ? VU_M_getresfgid : VU_M_getresfuid))
		goto out;
	ret = vu_ids_get(ht, gid, id);
	if (ret >= 0) {
		switch (msg->nr) {
		case __NR_getuid:
		case __NR_getgid:
			ret = id[0];
			break;
		case __NR_geteuid:
		case __NR_getegid:
			ret = id[1];
			break;
		default: /* getresuid, getresgid: a NULL pointer is skipped, as in VUOS */
			ret = 0;
			for (int i = 0; i < 3 && ret == 0; i++)
				if (msg->args[i])
					ret = vu_call_copy_out(call, msg->args[i], &id[i],
							       sizeof(id[i]));
		}
	}
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

/*
 * The ids after set[re[s]]uid(@a0, @a1, @a2) on @id, @root if the caller's
 * euid is 0 (the kernel's rules, VUOS's wi_setresuid; -1 leaves an id).
 */
static void vu_ids_next(long nr, const uint64_t *args, bool root, uid_t id[4])
{
	uid_t r = VU_NOID, e = VU_NOID, s = VU_NOID;

	switch (nr) {
	case __NR_setuid:
	case __NR_setgid:
		e = (uid_t)args[0];
		if (e != VU_NOID && root)
			r = s = e;
		break;
	case __NR_setreuid:
	case __NR_setregid:
		r = (uid_t)args[0];
		e = (uid_t)args[1];
		/* a new real id, or an effective one other than the real: saved = effective */
		if (r != VU_NOID || (e != VU_NOID && e != id[0]))
			s = e != VU_NOID ? e : id[1];
		break;
	default: /* setresuid, setresgid */
		r = (uid_t)args[0];
		e = (uid_t)args[1];
		s = (uid_t)args[2];
	}
	if (r != VU_NOID)
		id[0] = r;
	if (e != VU_NOID)
		id[1] = e;
	if (s != VU_NOID)
		id[2] = s;
	id[3] = id[1];
}

void vu_sc_setid(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool gid = vu_ids_is_gid(msg->nr);
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	uid_t id[4], uid[4];
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, gid ? VU_M_getresfgid : VU_M_getresfuid) ||
	    !vu_scnum_has(call, ht, gid ? VU_M_setresfgid : VU_M_setresfuid) ||
	    (gid && !vu_scnum_has(call, ht, VU_M_getresfuid)))
		goto out;
	ret = vu_ids_get(ht, gid, id);
	if (ret < 0)
		goto answer;
	if (msg->nr == __NR_setfsuid || msg->nr == __NR_setfsgid) {
		uid_t fs = (uid_t)msg->args[0];

		ret = id[3]; /* the old one, whatever happens */
		if (fs != VU_NOID) {
			id[3] = fs;
			vu_ids_set(ht, gid, id);
		}
		goto answer;
	}
	/* who is root is the uid's business, for the gid calls too */
	if (gid)
		ret = vu_ids_get(ht, false, uid);
	else
		memcpy(uid, id, sizeof(uid));
	if (ret < 0)
		goto answer;
	vu_ids_next(msg->nr, msg->args, uid[1] == 0, id);
	ret = vu_ids_set(ht, gid, id);
answer:
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

/* getgroups(size, list), setgroups(size, list). */
void vu_sc_groups(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool set = msg->nr == __NR_setgroups;
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	int size = (int)msg->args[0];
	gid_t *list;
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, set ? VU_M_setgroups : VU_M_getgroups))
		goto out;
	ret = -EINVAL;
	if (size < 0 || (set && size > NGROUPS_MAX))
		goto answer;
	if (size > NGROUPS_MAX)
		size = NGROUPS_MAX; /* no list is longer */
	ret = -ENOMEM;
	list = vu_call_alloc(call, (size_t)size * sizeof(gid_t));
	if (!list)
		goto answer;
	if (set) {
		ret = vu_peek(call->be, msg, msg->args[1], list, (size_t)size * sizeof(gid_t));
		if (ret == 0)
			ret = vu_mcall(ht, setgroups, int, (size_t, const gid_t *, void *),
				       (size_t)size, list, vuht_get_private_data(ht));
		goto answer;
	}
	ret = vu_mcall(ht, getgroups, int, (int, gid_t *, void *), size, list,
		       vuht_get_private_data(ht));
	if (ret > 0 && size > 0) {
		size_t len = (size_t)ret * sizeof(gid_t);

		if (ret > size)
			ret = -EINVAL; /* more than it was given room for */
		else if (vu_call_copy_out(call, msg->args[1], list, len) < 0)
			ret = -ENOMEM;
	}
answer:
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

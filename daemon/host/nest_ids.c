// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * nest_ids.c - a module that asks who the caller is (getuid, geteuid,
 * getresuid, setfsuid(-1), getgroups, and the gid twins, and capget of
 * itself, pid 0) gets the ids and capabilities
 * the view gives the member it serves, as in VUOS, where vufuse's
 * fuse_get_context and vufs's owner of a new file read them so: the
 * module that owns the id calls at the thread's epoch (unrealuidgid)
 * answers; with none, the C library does. Only questions are nested: a
 * module that sets its own ids sets the daemon thread's real ones.
 */
#include <errno.h>
#include <linux/capability.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/arch_table.h"
#include "host/nest_impl.h"

#define NOID ((uid_t)-1)

/* The member's ids (uid or gid: r, e, s, fs) from their owner: true if virtual. */
static bool vu_nest_ids(bool gid, uid_t id[4])
{
	int key = (int)vu_arch_method(gid ? __NR_getresgid : __NR_getresuid);
	struct vuht_entry_t *ht;
	long r;

	if (!vu_nest_active())
		return false;
	ht = vuht_pick(CHECKSC, &key, sizeof(key), vu_epoch_get());
	if (!ht)
		return false;
	for (int i = 0; i < 4; i++)
		id[i] = NOID;
	if (gid)
		r = vu_mcall(ht, getresfgid, int, (gid_t *, gid_t *, gid_t *, gid_t *, void *),
			     &id[0], &id[1], &id[2], &id[3], vuht_get_private_data(ht));
	else
		r = vu_mcall(ht, getresfuid, int, (uid_t *, uid_t *, uid_t *, uid_t *, void *),
			     &id[0], &id[1], &id[2], &id[3], vuht_get_private_data(ht));
	vuht_drop(ht);
	return r >= 0;
}

static uid_t vu_nest_getuid(void)
{
	uid_t id[4];

	return vu_nest_ids(false, id) ? id[0] : getuid();
}

static uid_t vu_nest_geteuid(void)
{
	uid_t id[4];

	return vu_nest_ids(false, id) ? id[1] : geteuid();
}

static gid_t vu_nest_getgid(void)
{
	uid_t id[4];

	return vu_nest_ids(true, id) ? (gid_t)id[0] : getgid();
}

static gid_t vu_nest_getegid(void)
{
	uid_t id[4];

	return vu_nest_ids(true, id) ? (gid_t)id[1] : getegid();
}

static int vu_nest_getresuid(uid_t *r, uid_t *e, uid_t *s)
{
	uid_t id[4];

	if (!vu_nest_ids(false, id))
		return getresuid(r, e, s);
	*r = id[0];
	*e = id[1];
	*s = id[2];
	return 0;
}

static int vu_nest_getresgid(gid_t *r, gid_t *e, gid_t *s)
{
	uid_t id[4];

	if (!vu_nest_ids(true, id))
		return getresgid(r, e, s);
	*r = (gid_t)id[0];
	*e = (gid_t)id[1];
	*s = (gid_t)id[2];
	return 0;
}

/* setfsuid(-1) asks; any other value is the thread's own business. */
static int vu_nest_setfsuid(uid_t fs)
{
	uid_t id[4];

	if (fs == NOID && vu_nest_ids(false, id))
		return (int)id[3];
	return setfsuid(fs);
}

static int vu_nest_setfsgid(gid_t fs)
{
	uid_t id[4];

	if (fs == (gid_t)-1 && vu_nest_ids(true, id))
		return (int)id[3];
	return setfsgid(fs);
}

static int vu_nest_getgroups(int size, gid_t *list)
{
	int key = (int)vu_arch_method(__NR_getgroups);
	struct vuht_entry_t *ht;
	long r;

	if (!vu_nest_active() || size < 0 ||
	    !(ht = vuht_pick(CHECKSC, &key, sizeof(key), vu_epoch_get())))
		return getgroups(size, list);
	r = vu_mcall(ht, getgroups, int, (int, gid_t *, void *), size, list,
		     vuht_get_private_data(ht));
	vuht_drop(ht);
	return r == -ENOSYS ? getgroups(size, list) : (int)vu_nest_ret(r);
}

/* capget of pid 0 asks for the caller's capabilities (unrealcap, unrealuidgid). */
static int vu_nest_capget(cap_user_header_t hdr, cap_user_data_t data)
{
	int key = (int)vu_arch_method(__NR_capget);
	struct vuht_entry_t *ht;
	long r;

	if (!vu_nest_active() || !hdr || hdr->pid != 0 ||
	    !(ht = vuht_pick(CHECKSC, &key, sizeof(key), vu_epoch_get())))
		return (int)syscall(__NR_capget, hdr, data);
	/* the owner's method takes the member's tid for "itself", as sc/cap.c gives it */
	hdr->pid = vu_mod_gettid();
	r = vu_mcall(ht, capget, int, (cap_user_header_t, cap_user_data_t), hdr, data);
	hdr->pid = 0;
	vuht_drop(ht);
	return r == -ENOSYS ? (int)syscall(__NR_capget, hdr, data) : (int)vu_nest_ret(r);
}

const struct vu_nest_sym vu_nest_ids_syms[] = {
	NEST_SYM(getuid, vu_nest_getuid),	  NEST_SYM(geteuid, vu_nest_geteuid),
	NEST_SYM(getgid, vu_nest_getgid),	  NEST_SYM(getegid, vu_nest_getegid),
	NEST_SYM(getresuid, vu_nest_getresuid), NEST_SYM(getresgid, vu_nest_getresgid),
	NEST_SYM(setfsuid, vu_nest_setfsuid),	  NEST_SYM(setfsgid, vu_nest_setfsgid),
	NEST_SYM(getgroups, vu_nest_getgroups), NEST_SYM(capget, vu_nest_capget),
	{ NULL, NULL, NULL },
};

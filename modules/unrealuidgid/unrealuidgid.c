// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unrealuidgid - virtual user and group ids, groups and capabilities for
 * the processes of a view (VUOS's unrealuidgid, plus the kernel's rules
 * of who may change what: creds.h). The real ids never change: files of
 * the host keep their owners and the kernel's checks stay the real ones.
 *
 *   vu_insmod unrealuidgid; vusu -c id      uid=0(root) gid=0(root) ...
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <vumodule.h>

#include "vproc.h"

VU_PROTOTYPES(unrealuidgid)

struct vu_module_t vu_module = {
	.name = "unrealuidgid",
	.description = "virtual user and group ids, groups, capabilities",
};

static const short owned[] = { __NR_getresuid, __NR_getresgid, __NR_setresuid, __NR_setresgid,
			       __NR_getgroups, __NR_setgroups, __NR_capget,   __NR_capset };
#define N_OWNED (sizeof(owned) / sizeof(owned[0]))
static struct vuht_entry_t *ht[N_OWNED];

static int fail(int e)
{
	errno = e;
	return -1;
}

int vu_unrealuidgid_getresfuid(uid_t *r, uid_t *e, uid_t *s, uid_t *fs, void *private)
{
	const struct vcred *c = vproc_get();
	uid_t *out[4] = { r, e, s, fs };

	if (!c)
		return -1;
	for (int i = 0; i < 4; i++)
		if (out[i])
			*out[i] = c->uid[i];
	return 0;
}

int vu_unrealuidgid_getresfgid(gid_t *r, gid_t *e, gid_t *s, gid_t *fs, void *private)
{
	const struct vcred *c = vproc_get();
	gid_t *out[4] = { r, e, s, fs };

	if (!c)
		return -1;
	for (int i = 0; i < 4; i++)
		if (out[i])
			*out[i] = c->gid[i];
	return 0;
}

/* Try a change on a copy first: a refused one leaves a shared struct shared. */
static int set_ids(bool gid, const uid_t id[4])
{
	const struct vcred *c = vproc_get();
	struct vcred trial, *w;
	int ret;

	if (!c)
		return -1;
	trial = *c;
	ret = gid ? vcred_setgids(&trial, vproc_rules(), id) : vcred_setuids(&trial, vproc_rules(), id);
	if (ret < 0)
		return fail(-ret);
	w = vproc_modify();
	if (!w)
		return -1;
	ret = gid ? vcred_setgids(w, vproc_rules(), id) : vcred_setuids(w, vproc_rules(), id);
	return ret < 0 ? fail(-ret) : 0;
}

int vu_unrealuidgid_setresfuid(uid_t r, uid_t e, uid_t s, uid_t fs, void *private)
{
	const uid_t id[4] = { r, e, s, fs };

	return set_ids(false, id);
}

int vu_unrealuidgid_setresfgid(gid_t r, gid_t e, gid_t s, gid_t fs, void *private)
{
	const gid_t id[4] = { r, e, s, fs };

	return set_ids(true, id);
}

int vu_unrealuidgid_getgroups(int size, gid_t *list, void *private)
{
	const struct vcred *c = vproc_get();

	if (!c)
		return -1;
	if (size == 0)
		return c->ngroups;
	if (size < c->ngroups)
		return fail(EINVAL);
	if (c->ngroups > 0)
		memcpy(list, c->groups, (size_t)c->ngroups * sizeof(gid_t));
	return c->ngroups;
}

int vu_unrealuidgid_setgroups(size_t size, const gid_t *list, void *private)
{
	const struct vcred *c = vproc_get();
	struct vcred *w;
	int ret;

	if (!c)
		return -1;
	if (size > VC_NGROUPS_MAX)
		return fail(EINVAL);
	/* the same checks as the change, before a copy is made for it */
	if (!vcred_capable(c, vproc_rules(), CAP_SETGID))
		return fail(EPERM);
	w = vproc_modify();
	if (!w)
		return -1;
	ret = vcred_setgroups(w, vproc_rules(), (int)size, list);
	return ret < 0 ? fail(-ret) : 0;
}

int vu_unrealuidgid_capget(cap_user_header_t hdrp, cap_user_data_t datap)
{
	return vproc_capget(hdrp, datap);
}

int vu_unrealuidgid_capset(cap_user_header_t hdrp, const cap_user_data_t datap)
{
	return vproc_capset(hdrp, datap);
}

void *vu_unrealuidgid_init(void)
{
	struct vu_service_t *s = vu_mod_getservice();
	void *other = vu_mod_dlopen("unrealcap", RTLD_NOW | RTLD_NOLOAD);

	if (other) { /* two stores of capabilities would disagree */
		dlclose(other);
		printk(KERN_ERR "unrealuidgid: unrealcap is loaded: vu_rmmod it first "
				"(unrealuidgid keeps capabilities too)\n");
		errno = EBUSY;
		return VU_INIT_FAILED;
	}
	vproc_init();
	for (size_t i = 0; i < N_OWNED; i++) {
		int key = vu_arch_table[owned[i]];

		ht[i] = vuht_add(CHECKSC, &key, sizeof(key), s, 0, NULL, NULL);
	}
	return NULL;
}

int vu_unrealuidgid_fini(void *private)
{
	for (size_t i = 0; i < N_OWNED; i++)
		if (ht[i] && vuht_del(ht[i], MNT_FORCE) == 0)
			ht[i] = NULL;
	vproc_fini();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vproc.c - per-process virtual credentials: made from the process's real
 * ones (/proc/TID/status) the first time it asks, inherited at clone,
 * changed at exec by the set-id bits, dropped when it ends.
 *
 * Each process is served by a thread of its own while the upcall is
 * registered (vumodule.h), so the pointer is a __thread and only the
 * count of a shared struct is touched by two processes at once.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <vumodule.h>

#include "vproc.h"

struct vproc {
	int refs; /* atomic */
	struct vcred cred;
};

static __thread struct vproc *me;
static struct vcred_rules rules;

static struct vproc *vproc_new(void)
{
	char path[64], buf[4096];
	struct vproc *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)vu_mod_gettid());
	f = fopen(path, "re");
	if (!f)
		return NULL;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	if (vcred_parse_status(&p->cred, buf) < 0) {
		printk(KERN_ERR "unrealuidgid: %s: cannot read the credentials there\n", path);
		free(p);
		errno = EIO;
		return NULL;
	}
	p->refs = 1;
	return p;
}

static void vproc_put(struct vproc *p)
{
	if (p && __atomic_sub_fetch(&p->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		vcred_free(&p->cred);
		free(p);
	}
}

const struct vcred *vproc_get(void)
{
	if (!me)
		me = vproc_new();
	return me ? &me->cred : NULL;
}

struct vcred *vproc_modify(void)
{
	struct vproc *p;

	if (!vproc_get())
		return NULL;
	if (__atomic_load_n(&me->refs, __ATOMIC_ACQUIRE) == 1)
		return &me->cred;
	p = calloc(1, sizeof(*p));
	if (!p || vcred_copy(&p->cred, &me->cred) < 0) {
		free(p);
		errno = ENOMEM;
		return NULL;
	}
	p->refs = 1;
	vproc_put(me);
	me = p;
	return &me->cred;
}

const struct vcred_rules *vproc_rules(void)
{
	return &rules;
}

/* The kernel's layout: data[0] the low 32 bits of each set, data[1] the high. */
int vproc_capget(cap_user_header_t hdr, cap_user_data_t data)
{
	const struct vcred *c;

	if (hdr->pid != vu_mod_gettid())
		return (int)syscall(SYS_capget, hdr, data); /* another process: its real set */
	c = vproc_get();
	if (!c)
		return -1;
	data[0].effective = (uint32_t)c->cap_eff;
	data[1].effective = (uint32_t)(c->cap_eff >> 32);
	data[0].permitted = (uint32_t)c->cap_prm;
	data[1].permitted = (uint32_t)(c->cap_prm >> 32);
	data[0].inheritable = (uint32_t)c->cap_inh;
	data[1].inheritable = (uint32_t)(c->cap_inh >> 32);
	return 0;
}

int vproc_capset(cap_user_header_t hdr, const cap_user_data_t data)
{
	uint64_t eff = data[0].effective | (uint64_t)data[1].effective << 32;
	uint64_t prm = data[0].permitted | (uint64_t)data[1].permitted << 32;
	uint64_t inh = data[0].inheritable | (uint64_t)data[1].inheritable << 32;
	struct vcred *c, trial;
	int ret;

	(void)hdr; /* the hypervisor refuses a capset of another thread */
	if (!vproc_get())
		return -1;
	/* try on a copy: a refused capset must not split a shared struct */
	trial = *vproc_get();
	ret = vcred_capset(&trial, &rules, eff, prm, inh);
	if (ret < 0)
		return errno = -ret, -1;
	c = vproc_modify();
	if (!c)
		return -1;
	return vcred_capset(c, &rules, eff, prm, inh) < 0 ? (errno = EPERM, -1) : 0;
}

static void *vproc_upcall(mod_inheritance_state_t state, void *ioarg, void *arg)
{
	struct mod_inheritance_exec_arg *ex = arg;
	struct vcred *c;

	switch (state) {
	case MOD_INH_CLONE: /* the child shares ours until one of us changes it */
		if (me)
			__atomic_add_fetch(&me->refs, 1, __ATOMIC_ACQ_REL);
		return me;
	case MOD_INH_START:
		me = ioarg;
		break;
	case MOD_INH_EXEC:
		c = vproc_modify();
		if (c)
			vcred_exec(c, &rules, ex->exec_uid, ex->exec_gid);
		else
			printk(KERN_ERR "unrealuidgid: exec of tid %d: no credentials: %s\n", (int)vu_mod_gettid(),
			       strerror(errno));
		break;
	case MOD_INH_TERMINATE:
		vproc_put(me);
		me = NULL;
		break;
	}
	return NULL;
}

int vproc_init(void)
{
	FILE *f = fopen("/proc/sys/kernel/cap_last_cap", "re");
	int last = CAP_LAST_CAP;

	if (f) {
		if (fscanf(f, "%d", &last) != 1 || last < 0 || last > 63)
			last = CAP_LAST_CAP;
		fclose(f);
	}
	rules.owner = getuid();
	rules.cap_full = last == 63 ? ~UINT64_C(0) : (UINT64_C(1) << (last + 1)) - 1;
	mod_inheritance_upcall_register(vproc_upcall);
	return 0;
}

void vproc_fini(void)
{
	mod_inheritance_upcall_deregister(vproc_upcall);
}

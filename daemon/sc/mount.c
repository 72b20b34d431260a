// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/mount.c - mount(2) and umount2(2) in a view.
 *
 * The kernel copies no path of these calls (they are forwarded whenever a
 * module that can mount is loaded, filter.c), so the daemon reads its
 * strings from the member and resolves the target itself.
 *
 * mount: the module is chosen by the file system type (CHECKFSTYPE: the
 * loaded module whose name prefixes it, so "vufsxyz" reaches vufs); its
 * mount method gets the absolute target in the view and adds the entry
 * (vuht_pathadd), which the filter then pushes to the kernel before the
 * member's next call. A type no module knows on a real target runs
 * natively, so mount(2) keeps its real meaning (EPERM for users); on a
 * virtual target it cannot run natively: ENODEV, as for an unknown type.
 *
 * umount2: the entry mounted exactly at the target goes (the module's
 * umount2, else vuht_del): EBUSY while a file in it is open, unless
 * MNT_FORCE or MNT_DETACH.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/mount.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/handlers.h"
#include "core/vpath.h"

/* The kernel copies at most a page of mount data. */
#define VU_MOUNT_DATA_MAX 4096
#define VU_FSTYPE_MAX 256
#define VU_UMOUNT_FLAGS (MNT_FORCE | MNT_DETACH | MNT_EXPIRE | UMOUNT_NOFOLLOW)

/* A string argument into a buffer the call owns; NULL address gives @dflt. */
static long vu_mount_str(struct vu_call *call, int arg, size_t size, const char *dflt,
			 char **out)
{
	uint64_t addr = call->msg->args[arg];
	ssize_t n;

	*out = NULL;
	if (addr == 0) {
		*out = (char *)dflt;
		return 0;
	}
	*out = vu_call_alloc(call, size);
	if (!*out)
		return -ENOMEM;
	n = vu_peek_str(call->be, call->msg, addr, *out, size);
	return n < 0 ? n : 0;
}

/* The module's mount, at an epoch that sees everything mounted so far. */
static long vu_mount_call(struct vuht_entry_t *mod, const char *source, const char *target,
			  const char *fstype, unsigned long flags, const void *data)
{
	typedef int (*mount_t)(const char *, const char *, const char *, unsigned long,
			       const void *);
	syscall_t fn = mod->service->method[VU_M_mount];
	struct vu_mcall_ctx ctx;
	mount_t m;
	long ret;

	memcpy(&m, &fn, sizeof(fn));
	vu_mcall_enter(&ctx, mod);
	vu_epoch_set(vuht_epoch_next());
	ret = m(source, target, fstype, flags, data);
	if (ret < 0)
		ret = vu_mod_errno(mod, "mount", errno);
	vu_mcall_leave(&ctx);
	return ret;
}

void vu_sc_mount(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	unsigned long flags = (unsigned long)msg->args[3];
	char *source = NULL, *target, *fstype, *data = NULL;
	struct vuht_entry_t *mod = NULL;
	struct vu_target t;
	long ret;

	memset(&t, 0, sizeof(t));
	ret = vu_mount_str(call, 1, PATH_MAX, NULL, &target);
	if (ret == 0 && !target)
		ret = -EFAULT;
	if (ret == 0)
		ret = vu_mount_str(call, 2, VU_FSTYPE_MAX, "", &fstype);
	if (ret == -ENAMETOOLONG)
		ret = -ENODEV; /* no type is that long */
	if (ret == 0)
		ret = vu_resolve_str(call, target, VU_RES_FOLLOW, &t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	/* an alias a module registered (CHECKFSALIAS), else the module the type names */
	if (*fstype)
		mod = vuht_pick(CHECKFSALIAS, fstype, 0, VU_EPOCH_NOW);
	if (*fstype && !mod)
		mod = vuht_pick(CHECKFSTYPE, fstype, 0, VU_EPOCH_NOW);
	if (!mod) {
		if (!t.ht) {
			vu_call_native(call);
		} else {
			vu_log(LOG_NOTICE, "tid %d: mount of type \"%s\" on virtual path %s: "
			       "no module serves it", msg->tid, fstype, t.path);
			vu_call_return(call, -ENODEV);
		}
		vu_target_put(&t);
		return;
	}
	ret = mod->service->method[VU_M_mount] ? 0 : -ENODEV;
	if (ret == 0)
		ret = vu_mount_str(call, 0, PATH_MAX, "none", &source);
	if (ret == 0)
		ret = vu_mount_str(call, 4, VU_MOUNT_DATA_MAX, NULL, &data);
	if (ret == -ENAMETOOLONG)
		ret = -EINVAL;
	if (ret == 0)
		ret = vu_mount_call(mod, source, t.path, fstype, flags, data);
	if (ret < 0)
		vu_log(LOG_NOTICE, "tid %d: mount %s on %s type %s: %s", msg->tid,
		       source ? source : "?", t.path, fstype, strerror((int)-ret));
	else
		vu_log(LOG_INFO, "mounted %s on %s type %s (module %s)", source, t.path, fstype,
		       mod->service->mod->name);
	vuht_drop(mod);
	vu_target_put(&t);
	vu_call_return(call, ret);
}

void vu_sc_umount2(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int flags = (int)msg->args[1];
	struct vuht_entry_t *ht;
	struct vu_target t;
	char *target;
	long ret;

	memset(&t, 0, sizeof(t));
	ret = vu_mount_str(call, 0, PATH_MAX, NULL, &target);
	if (ret == 0 && !target)
		ret = -EFAULT;
	if (ret == 0)
		ret = vu_resolve_str(call, target, flags & UMOUNT_NOFOLLOW ? 0 : VU_RES_FOLLOW, &t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	ht = vuht_pick(CHECKPATHEXACT, t.path, 0, VU_EPOCH_NOW);
	if (!ht) {
		/* under a mount but not one: "not a mount point"; real: the kernel's */
		if (t.ht)
			vu_call_return(call, -EINVAL);
		else
			vu_call_native(call);
		vu_target_put(&t);
		return;
	}
	/* only the use of this request may remain, or it is busy (vuht_del) */
	vu_target_put(&t);
	if (flags & ~VU_UMOUNT_FLAGS)
		ret = -EINVAL;
	else if (ht->service->method[VU_M_umount2])
		ret = vu_mcall(ht, umount2, int, (const char *, int), t.path, flags);
	else {
		/* as the entry's own request, so the use this request holds is not "busy" */
		struct vuht_entry_t *old = vu_mod_setht(ht);

		ret = vuht_del(ht, flags);
		vu_mod_setht(old);
	}
	if (ret == 0)
		vu_log(LOG_INFO, "unmounted %s", t.path);
	vuht_drop(ht);
	vu_call_return(call, ret);
}

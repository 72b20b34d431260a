// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/link.c - the calls that make names: symlink(at), link(at),
 * mknod(at). None follows a symlink in the name it makes.
 *
 * symlink's target is the link's contents, not a path the call looks up:
 * the daemon reads it from the member and hands it to the module as is.
 * link, like rename, works within one mount only (EXDEV otherwise).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/member_mem.h"
#include "core/modctx.h"
#include "core/modcall.h"
#include "sc/obj.h"
#include "sc/handlers.h"

void vu_sc_symlink(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	unsigned int res = msg->nr == __NR_symlinkat ? VU_RES_AT : 0;
	char *target;
	struct vu_obj o;
	ssize_t n;
	long ret;

	if (!vu_obj_get(call, false, res, &o))
		return;
	target = vu_call_alloc(call, PATH_MAX);
	n = target ? vu_peek_str(call->be, msg, msg->args[0], target, PATH_MAX) : -ENOMEM;
	if (n == 0)
		ret = -ENOENT; /* an empty target, as the kernel says */
	else if (n < 0)
		ret = n;
	else
		ret = vu_mcall(o.ht, symlink, int, (const char *, const char *), target, o.mpath);
	vu_obj_return(call, &o, VU_M_symlink, ret);
	vu_obj_put(&o);
}

void vu_sc_link(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool at = msg->nr == __NR_linkat;
	int flags = at ? (int)msg->args[4] : 0;
	unsigned int res = at ? VU_RES_AT : 0;
	struct vu_target_pair *p;
	long ret;

	if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) {
		vu_call_return(call, -EINVAL);
		return;
	}
	p = vu_resolve_pair(call, res | (flags & AT_SYMLINK_FOLLOW ? VU_RES_FOLLOW : 0) |
				  (flags & AT_EMPTY_PATH ? VU_RES_EMPTY_PATH : 0), res);
	if (!p)
		return;
	struct vu_obj o = { .ht = p->from.ht, .t = p->from };

	ret = vu_mcall(p->from.ht, link, int, (const char *, const char *), p->from.mpath,
		       p->to.mpath);
	vu_obj_return(call, &o, VU_M_link, ret);
	vu_target_pair_put(p);
}

void vu_sc_mknod(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool at = msg->nr == __NR_mknodat;
	mode_t mode = (mode_t)msg->args[at ? 2 : 1];
	dev_t dev = (dev_t)msg->args[at ? 3 : 2];
	struct vu_obj o;
	long ret;

	if (!vu_obj_get(call, false, at ? VU_RES_AT : 0, &o))
		return;
	/* the type bits stay; the permission bits are masked as the kernel does */
	mode = (mode & S_IFMT) | (mode & 07777 & ~vu_umask_of(msg->tid));
	ret = vu_mcall(o.ht, mknod, int, (const char *, mode_t, dev_t), o.mpath, mode, dev);
	vu_obj_return(call, &o, VU_M_mknod, ret);
	vu_obj_put(&o);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/obj.c - the object of a path-or-fd call (see sc/obj.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/log.h"
#include "sc/fd.h"
#include "sc/obj.h"
#include "core/sysname.h"
#include "sc/handlers.h"

bool vu_obj_get(struct vu_call *call, bool fd_form, unsigned int res, struct vu_obj *o)
{
	long ret;

	memset(o, 0, sizeof(*o));
	o->sfd = -1;
	if (fd_form) {
		struct vu_vfd *f = vu_sc_vfd(call);

		if (!f)
			return false;
		o->ht = f->ht;
		o->mpath = vu_vfd_mpath(f);
		o->sfd = f->sfd;
		o->fdprivate = f->fdprivate;
		return true;
	}
	ret = vu_resolve(call, 0, res, &o->t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return false;
	}
	if (!o->t.ht) {
		vu_target_native(call, 0, &o->t);
		return false;
	}
	o->ht = o->t.ht;
	o->mpath = o->t.mpath;
	if (o->t.vfd) {
		o->sfd = o->t.vfd->sfd;
		o->fdprivate = o->t.vfd->fdprivate;
	}
	return true;
}

void vu_obj_put(struct vu_obj *o)
{
	vu_target_put(&o->t);
}

void vu_obj_return(struct vu_call *call, const struct vu_obj *o, enum vu_method m, long ret)
{
	if (ret == -ENOSYS && !o->ht->service->method[m]) {
		char buf[32];

		vu_log(LOG_NOTICE, "tid %d: %s on %s%s is not served: module %s has no %s: ENOSYS",
		       call->msg->tid, vu_syscall_name(call->msg->nr, buf, sizeof(buf)),
		       o->t.ht ? "virtual path " : "a virtual file", o->t.ht ? o->t.path : "",
		       o->ht->service->mod->name, vu_method_name(m));
	}
	vu_call_return(call, ret);
}

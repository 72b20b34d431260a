// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - take messages from the backend, dispatch system calls, reply.
 *
 * Where a system call goes: the VUOS management calls (negative numbers)
 * to the handlers in vu_mgmt_calls; everything else runs natively, since
 * no module can claim a call yet (the kernel forwards none with an empty
 * filter).
 *
 * Serving is synchronous: a request is answered before the next message
 * is read, so an interrupt (VU_MSG_INTERRUPT) always finds its request
 * already answered and the kernel has applied that answer. A thread pool
 * that holds requests across reads must cancel the held one and reply
 * -EINTR instead.
 */
#include <errno.h>
#include <string.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "call.h"
#include "log.h"
#include "member.h"
#include "serve.h"
#include "vuctl.h"

static void vu_not_yet(struct vu_call *call);

/* Indexed by -nr: add a management call here. */
static const struct {
	const char *name;
	vu_call_handler_t handler;
} vu_mgmt_calls[] = {
	[-__NR_vu_insmod] = { "vu_insmod", vu_not_yet },
	[-__NR_vu_rmmod] = { "vu_rmmod", vu_not_yet },
	[-__NR_vu_lsmod] = { "vu_lsmod", vu_not_yet },
	[-__NR_vuctl] = { "vuctl", vu_vuctl },
	[-__NR_msocket] = { "msocket", vu_not_yet },
};

#define VU_NMGMT ((long)(sizeof(vu_mgmt_calls) / sizeof(vu_mgmt_calls[0])))

static void vu_not_yet(struct vu_call *call)
{
	vu_log(LOG_WARNING, "%s: modules are not implemented yet",
	       vu_mgmt_calls[-call->msg->nr].name);
	vu_call_return(call, -ENOSYS);
}

static void vu_dispatch(struct vu_call *call)
{
	long nr = call->msg->nr;

	if (nr < 0 && nr > -VU_NMGMT && vu_mgmt_calls[-nr].handler) {
		vu_debug('c', "tid %d: %s", call->msg->tid, vu_mgmt_calls[-nr].name);
		vu_mgmt_calls[-nr].handler(call);
		return;
	}
	vu_debug('c', "tid %d: syscall %ld is not virtual: native", call->msg->tid, nr);
	call->reply.kind = VU_REPLY_NATIVE;
}

static void vu_serve_syscall(struct vu_backend *be, const struct vu_msg *msg)
{
	struct vu_call call = { .be = be, .msg = msg, .reply = { .kind = VU_REPLY_NATIVE } };

	vu_debug_set_current(vu_member_tags(msg->tid));
	vu_debug('s', "tid %d: syscall %ld (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)%s%s",
		 msg->tid, msg->nr, (unsigned long long)msg->args[0],
		 (unsigned long long)msg->args[1], (unsigned long long)msg->args[2],
		 (unsigned long long)msg->args[3], (unsigned long long)msg->args[4],
		 (unsigned long long)msg->args[5], msg->path[0] ? " path " : "",
		 msg->path[0] ? msg->path[0] : "");
	vu_dispatch(&call);
	if (call.reply.kind == VU_REPLY_RETURN)
		vu_debug('a', "tid %d: return %ld", msg->tid, call.reply.retval);
	else
		vu_debug('a', "tid %d: native", msg->tid);
	int ret = be->ops->reply(be, msg, &call.reply);

	if (ret == -ENOENT)
		vu_log(LOG_DEBUG, "tid %d left before its reply (request %llu)", msg->tid,
		       (unsigned long long)msg->unique);
	else if (ret < 0)
		vu_log(LOG_ERR, "reply to tid %d refused: %s", msg->tid, strerror(-ret));
	vu_debug_set_current(0);
}

void vu_serve_msg(struct vu_backend *be, const struct vu_msg *msg)
{
	switch (msg->type) {
	case VU_MSG_SYSCALL:
		vu_serve_syscall(be, msg);
		break;
	case VU_MSG_INTERRUPT:
		vu_log(LOG_DEBUG, "tid %d: request %llu interrupted after its reply", msg->tid,
		       (unsigned long long)msg->unique);
		break;
	case VU_MSG_RELEASE:
		vu_log(LOG_DEBUG, "virtual file %llu released", (unsigned long long)msg->handle);
		break;
	case VU_MSG_FORK:
		vu_member_fork(msg->tid, msg->child);
		break;
	case VU_MSG_EXIT:
		vu_member_exit(msg->tid);
		break;
	}
}

int vu_serve(struct vu_backend *be)
{
	struct vu_msg msg;
	int ret;

	while ((ret = be->ops->next(be, &msg)) > 0)
		vu_serve_msg(be, &msg);
	return ret;
}

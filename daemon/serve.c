// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * serve.c - take messages from the backend, dispatch system calls, reply.
 *
 * Where a system call goes: the VUOS management calls (negative numbers)
 * to the handlers in vu_mgmt_calls; the calls with path or fd arguments
 * to syscalls.c, which serves those naming something virtual; everything
 * else runs natively. After a request that changed what is virtual (a
 * module loaded, a mount, the first or last virtual file), the kernel
 * filter is brought in step before the reply, so the member's next call
 * already sees the change.
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

#include <sys/epoll.h>
#include <sys/stat.h>

#include "call.h"
#include "filter.h"
#include "log.h"
#include "member.h"
#include "modapi.h"
#include "modmgmt.h"
#include "serve.h"
#include "syscalls.h"
#include "vfd.h"
#include "vuctl.h"
#include "vuht.h"

/* what poll(2) says of a regular file */
#define VU_POLL_ALWAYS (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM)

static void vu_not_yet(struct vu_call *call);

/* Indexed by -nr: add a management call here. */
static const struct {
	const char *name;
	vu_call_handler_t handler;
} vu_mgmt_calls[] = {
	[-__NR_vu_insmod] = { "vu_insmod", vu_insmod },
	[-__NR_vu_rmmod] = { "vu_rmmod", vu_rmmod },
	[-__NR_vu_lsmod] = { "vu_lsmod", vu_lsmod },
	[-__NR_vuctl] = { "vuctl", vu_vuctl },
	[-__NR_msocket] = { "msocket", vu_not_yet },
};

#define VU_NMGMT ((long)(sizeof(vu_mgmt_calls) / sizeof(vu_mgmt_calls[0])))

static void vu_not_yet(struct vu_call *call)
{
	vu_log(LOG_WARNING, "%s: not implemented yet",
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
	vu_syscall_serve(call);
}

/* Has what may be virtual changed since the filter was last pushed? */
static void vu_serve_filter(struct vu_backend *be)
{
	static bool had_files, had_chroots;
	bool has_files = vu_vfd_count(NULL) > 0, has_chroots = vu_member_chroots() > 0;

	if (!vuht_take_changed() && has_files == had_files && has_chroots == had_chroots)
		return;
	had_files = has_files;
	had_chroots = has_chroots;
	vu_filter_sync(be);
}

static void vu_serve_syscall(struct vu_backend *be, const struct vu_msg *msg)
{
	struct vu_call call = { .be = be, .msg = msg, .reply = { .kind = VU_REPLY_NATIVE } };

	vu_debug_set_current(vu_member_tags(msg->tid));
	vu_mod_set_tid(msg->tid);
	vu_debug('s', "tid %d: syscall %ld (%#llx, %#llx, %#llx, %#llx, %#llx, %#llx)%s%s",
		 msg->tid, msg->nr, (unsigned long long)msg->args[0],
		 (unsigned long long)msg->args[1], (unsigned long long)msg->args[2],
		 (unsigned long long)msg->args[3], (unsigned long long)msg->args[4],
		 (unsigned long long)msg->args[5], msg->path[0] ? " path " : "",
		 msg->path[0] ? msg->path[0] : "");
	vu_dispatch(&call);
	vu_serve_filter(be);
	if (call.reply.kind == VU_REPLY_RETURN)
		vu_debug('a', "tid %d: return %ld", msg->tid, call.reply.retval);
	else if (call.reply.kind == VU_REPLY_VFD)
		vu_debug('a', "tid %d: virtual file %llu", msg->tid,
			 (unsigned long long)call.reply.handle);
	else
		vu_debug('a', "tid %d: %s", msg->tid,
			 call.reply.kind == VU_REPLY_NATIVE ? "native" :
			 call.reply.kind == VU_REPLY_MMAP ? "mmap of a daemon file" :
			 call.reply.kind == VU_REPLY_FILE ? "a daemon file, passed through" :
							    "native, rewritten");
	int ret = be->ops->reply(be, msg, &call.reply);

	if (ret == -ENOENT)
		vu_log(LOG_DEBUG, "tid %d left before its reply (request %llu)", msg->tid,
		       (unsigned long long)msg->unique);
	else if (ret < 0)
		vu_log(LOG_ERR, "reply to tid %d refused: %s", msg->tid, strerror(-ret));
	/* a refused reply leaves the member waiting: answer plainly instead */
	if (ret < 0 && ret != -ENOENT && call.reply.kind != VU_REPLY_RETURN) {
		struct vu_reply fail = { .kind = VU_REPLY_RETURN, .retval = -EIO };

		if (be->ops->reply(be, msg, &fail) < 0)
			vu_log(LOG_ERR, "tid %d cannot be answered at all", msg->tid);
	}
	/*
	 * Modules have no readiness to tell (VUOS's epoll_ctl method is for
	 * sockets, which are not served yet): a virtual file is always ready,
	 * as a regular file is, so that poll, select and epoll never wait on it.
	 */
	if (ret == 0 && call.reply.kind == VU_REPLY_VFD && be->ops->vfd_poll) {
		int r = be->ops->vfd_poll(be, call.reply.handle, VU_POLL_ALWAYS);

		if (r < 0)
			vu_log(LOG_ERR, "virtual file %llu: cannot set its readiness: %s",
			       (unsigned long long)call.reply.handle, strerror(-r));
	}
	/* a placeholder never installed is never released: close the file now */
	if (ret < 0 && call.reply.kind == VU_REPLY_VFD) {
		vu_vfd_release(call.reply.handle);
		vu_serve_filter(be);
	}
	vu_call_free(&call);
	vu_mod_set_tid(0);
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
	case VU_MSG_RELEASE: {
		int ret = vu_vfd_release(msg->handle);

		vu_debug('a', "virtual file %llu released", (unsigned long long)msg->handle);
		if (ret < 0)
			vu_log(LOG_NOTICE, "closing virtual file %llu: %s",
			       (unsigned long long)msg->handle, strerror(-ret));
		vu_serve_filter(be);
		break;
	}
	case VU_MSG_FORK:
		if (vu_member_fork(msg->tid, msg->child, msg->clone_flags) < 0)
			vu_log(LOG_ERR, "tid %d: no memory for what child %d inherits", msg->tid,
			       msg->child);
		break;
	case VU_MSG_EXIT:
		vu_member_exit(msg->tid);
		vu_serve_filter(be); /* the last member in a chroot may have gone */
		break;
	}
}

int vu_serve(struct vu_backend *be)
{
	struct vu_msg msg;
	int ret;

	/*
	 * Modules create files for members with the mode the member asked
	 * for, masked with the member's umask by the handlers: the daemon's
	 * own umask must not mask it again.
	 */
	umask(0);

	while ((ret = be->ops->next(be, &msg)) > 0)
		vu_serve_msg(be, &msg);
	return ret;
}

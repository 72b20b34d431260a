/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * call.h - a system call request while it is being served.
 *
 * A handler reads the request (msg, and the member's memory through be)
 * and fills reply; serve.c sends it. Handlers never send replies
 * themselves, so a request is answered exactly once.
 */
#ifndef KMVIEW_DAEMON_CALL_H
#define KMVIEW_DAEMON_CALL_H

#include "backend.h"

struct vu_call {
	struct vu_backend *be;
	const struct vu_msg *msg;
	struct vu_reply reply;
};

typedef void (*vu_call_handler_t)(struct vu_call *call);

/* The call returns ret: a value, or -errno. */
static inline void vu_call_return(struct vu_call *call, long ret)
{
	call->reply.kind = VU_REPLY_RETURN;
	call->reply.retval = ret;
}

#endif /* KMVIEW_DAEMON_CALL_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * call.h - a system call request while it is being served.
 *
 * A handler reads the request (msg, and the member's memory through be)
 * and fills reply; serve.c sends it. Handlers never send replies
 * themselves, so a request is answered exactly once. What a handler
 * wants copied into the member (a read's data, a struct stat) goes with
 * the reply (vu_call_copy_out): one round trip, and the member sees it
 * only if the call succeeds.
 */
#ifndef KMVIEW_DAEMON_CALL_H
#define KMVIEW_DAEMON_CALL_H

#include <fcntl.h>
#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"

#define VU_CALL_MAX_COPIES 4

struct vu_call {
	struct vu_backend *be;
	const struct vu_msg *msg;
	struct vu_reply reply;
	struct vu_copy copies[VU_CALL_MAX_COPIES];
	void *owned[VU_CALL_MAX_COPIES + 1]; /* freed by vu_call_free */
	unsigned int nowned;
	int tmpfd; /* if has_tmpfd: a daemon fd closed by vu_call_free (after the reply) */
	int has_tmpfd;
	/* a VFD reply for a directory under a redirect: its real identity, told after the reply */
	bool vfd_dir;
	uint64_t vfd_dev, vfd_ino;
};

typedef void (*vu_call_handler_t)(struct vu_call *call);

/* The call returns ret: a value, or -errno. */
static inline void vu_call_return(struct vu_call *call, long ret)
{
	call->reply.kind = VU_REPLY_RETURN;
	call->reply.retval = ret;
}

/* The kernel runs the call as the member made it. */
static inline void vu_call_native(struct vu_call *call)
{
	call->reply.kind = VU_REPLY_NATIVE;
}

/*
 * The call returns a new fd of the member for the daemon's file @fd,
 * which is closed after the reply (the kernel holds its own reference by
 * then). @open_flags: O_CLOEXEC is honoured.
 */
static inline void vu_call_file(struct vu_call *call, int fd, int open_flags)
{
	call->tmpfd = fd;
	call->has_tmpfd = 1;
	call->reply.kind = VU_REPLY_FILE;
	call->reply.fd = fd;
	call->reply.open_flags = open_flags & O_CLOEXEC;
}

/*
 * Copy @len bytes of @data to @addr in the member with the reply (the
 * data is copied now). 0, or -ENOMEM / -E2BIG (too many segments).
 */
int vu_call_copy_out(struct vu_call *call, uint64_t addr, const void *data, size_t len);
/* A buffer freed with the call; NULL on ENOMEM. */
void *vu_call_alloc(struct vu_call *call, size_t len);
/* Release what the call owns, after its reply. */
void vu_call_free(struct vu_call *call);

#endif /* KMVIEW_DAEMON_CALL_H */

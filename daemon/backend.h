/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.h - how the hypervisor captures the system calls of a view.
 *
 * A backend creates a view, starts its first member, and turns what the
 * members ask into struct vu_msg. The rest of the daemon sees only these
 * types: backend_kmview.c speaks to /dev/kmview; a ptrace + seccomp
 * backend (like umvu) can implement the same operations, and the unit
 * tests implement a fake one.
 *
 * Threads: next() is called by one thread at a time; reply(), mem_read()
 * and mem_write() may be called by any thread that holds the request.
 */
#ifndef KMVIEW_DAEMON_BACKEND_H
#define KMVIEW_DAEMON_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum vu_msg_type {
	VU_MSG_SYSCALL = 1,   /* a member waits for a reply */
	VU_MSG_INTERRUPT = 2, /* the member of request @unique got a signal */
	VU_MSG_RELEASE = 3,   /* the last fd on virtual file @handle was closed */
	VU_MSG_FORK = 4,      /* @tid created @child */
	VU_MSG_EXIT = 5,      /* @tid exited */
};

/*
 * struct vu_msg - one message from the view. The path pointers stay valid
 * until the next call to next() on the same backend.
 */
struct vu_msg {
	enum vu_msg_type type;
	uint64_t unique; /* request id: SYSCALL, INTERRUPT */
	pid_t tid;
	pid_t tgid;
	/* SYSCALL */
	long nr; /* negative for the VUOS management calls */
	uint64_t args[6];
	const char *path[2]; /* path arguments copied by the capture, or NULL */
	/* RELEASE */
	uint64_t handle;
	/* FORK */
	pid_t child;
	uint64_t clone_flags;
};

enum vu_reply_kind {
	VU_REPLY_RETURN = 1, /* the call returns @retval */
	VU_REPLY_NATIVE = 2, /* the kernel runs the call unchanged */
};

struct vu_reply {
	enum vu_reply_kind kind;
	long retval; /* a value, or -errno */
};

/* Capabilities a backend reports in vu_backend.features. */
#define VU_BE_NOTIFY_FORK (1U << 0) /* it sends VU_MSG_FORK */
#define VU_BE_NOTIFY_EXIT (1U << 1) /* it sends VU_MSG_EXIT */

struct vu_backend;

/* Runs in the new member after it joined the view; returns an exit status. */
typedef int (*vu_member_main_t)(void *arg);

struct vu_backend_ops {
	const char *name;
	/*
	 * Create a view whose daemon is the caller, with nothing virtual yet.
	 * On failure returns -errno and writes a message for the user to @err.
	 */
	int (*open)(struct vu_backend **be, char *err, size_t errlen);
	/*
	 * Fork the first member: the child joins the view, then runs
	 * @member_main and exits with its result. Returns the child's pid once
	 * it has joined, or -errno if it could not (the child has been reaped;
	 * it told the user why).
	 */
	pid_t (*spawn)(struct vu_backend *be, vu_member_main_t member_main, void *arg);
	/* Wait for the next message: 1 and *msg filled, 0 when the view is empty, or -errno. */
	int (*next)(struct vu_backend *be, struct vu_msg *msg);
	/* Answer a VU_MSG_SYSCALL; -ENOENT if the member went away meanwhile. */
	int (*reply)(struct vu_backend *be, const struct vu_msg *req, const struct vu_reply *rep);
	/*
	 * Copy memory of the member parked in @req. Return the bytes copied,
	 * short at an unmapped page, or -EFAULT if none.
	 */
	ssize_t (*mem_read)(struct vu_backend *be, const struct vu_msg *req,
			    uint64_t addr, void *buf, size_t len);
	ssize_t (*mem_write)(struct vu_backend *be, const struct vu_msg *req,
			     uint64_t addr, const void *buf, size_t len);
	/* Close the view: the kernel kills the members still in it. */
	void (*close)(struct vu_backend *be);
};

/* Backends embed this as their first member. */
struct vu_backend {
	const struct vu_backend_ops *ops;
	unsigned int features; /* VU_BE_* */
};

extern const struct vu_backend_ops vu_backend_kmview_ops;

#endif /* KMVIEW_DAEMON_BACKEND_H */

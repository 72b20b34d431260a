/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * backend.h - how the hypervisor captures the system calls of a view.
 *
 * A backend creates a view, starts its first member, and turns what the
 * members ask into struct vu_msg. The rest of the daemon sees only these
 * types: backend/kmview.c speaks to /dev/kmview; a ptrace + seccomp
 * backend (like umvu) can implement the same operations, and the unit
 * tests implement a fake one.
 *
 * Threads: next() is called by one thread at a time (the pool's reader);
 * several requests may be held at once, and reply(), mem_read() and
 * mem_write() are called concurrently by the threads that hold them
 * (serve.c). The reader may answer a request it has not handed out yet.
 */
#ifndef KMVIEW_DAEMON_BACKEND_H
#define KMVIEW_DAEMON_BACKEND_H

#include <stddef.h>
#include <stdbool.h>
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
	/*
	 * For each fd slot (the fd arguments of the call, in argument order):
	 * the argument index or VU_NO_ARG, and the handle of the virtual file
	 * that fd is a placeholder of, or 0 for a real fd.
	 */
	uint8_t fd_arg[2];
	uint64_t vfd[2];
	uint8_t path_arg[2]; /* argument index of path[i], or VU_NO_ARG */
	/* RELEASE */
	uint64_t handle;
	/* FORK */
	pid_t child;
	uint64_t clone_flags;
};

#define VU_NO_ARG 0xff

enum vu_reply_kind {
	VU_REPLY_RETURN = 1,  /* the call returns @retval */
	VU_REPLY_NATIVE = 2,  /* the kernel runs the call unchanged */
	VU_REPLY_REWRITE = 3, /* the kernel runs it with @args of @argmask, and @path */
	VU_REPLY_VFD = 4,     /* a placeholder fd bound to @handle is the result */
	VU_REPLY_FILE = 5,    /* the daemon's file @fd, installed in the member, is the result */
	VU_REPLY_MMAP = 6,    /* a captured mmap maps the daemon's file @fd with @args */
};

#define VU_CWD_VIRTUAL 1
#define VU_CWD_REAL 2

/* Bytes the member finds at @addr when its call returns. */
struct vu_copy {
	uint64_t addr;
	const void *data;
	size_t len;
};

struct vu_reply {
	enum vu_reply_kind kind;
	long retval; /* RETURN: a value, or -errno */
	/* REWRITE */
	uint64_t args[6];
	unsigned int argmask; /* bit i: replace argument i by args[i] */
	const char *path;     /* if not NULL, argument @path_arg points to it */
	int path_arg;
	/* VFD */
	uint64_t handle;
	int open_flags; /* VFD: access mode, O_NONBLOCK, O_CLOEXEC; FILE: O_CLOEXEC */
	/* FILE, MMAP: the daemon's fd (the kernel takes its own reference); MMAP: args[0..5] */
	int fd;
	/* any kind: the member's cwd (and its CLONE_FS sharers') becomes virtual, or real */
	unsigned int cwd; /* VU_CWD_* */
	/* RETURN, VFD, FILE: written to the member before the call returns (else EFAULT) */
	const struct vu_copy *copy;
	unsigned int ncopy;
};

/* Capabilities a backend reports in vu_backend.features. */
#define VU_BE_NOTIFY_FORK (1U << 0) /* it sends VU_MSG_FORK */
#define VU_BE_NOTIFY_EXIT (1U << 1) /* it sends VU_MSG_EXIT */
#define VU_BE_KEYS (1U << 2)        /* set_keys works: it filters families, ioctls, devices */
#define VU_BE_ALL_EXECS (1U << 3)   /* set_filter takes VU_FILTER_ALL_EXECS */
#define VU_BE_NO_VDSO (1U << 4)     /* set_filter takes VU_FILTER_NO_VDSO */
#define VU_BE_REDIRECT (1U << 5)    /* add_prefix takes VU_PREFIX_REDIRECT and _NATIVE */

/* add_prefix @flags (VU_BE_REDIRECT): of the prefixes a path is under, the newest decides. */
#define VU_PREFIX_REDIRECT (1U << 0) /* the tree is the real directory @src: run natively there */
#define VU_PREFIX_NATIVE (1U << 1)   /* the tree is real */

/* set_filter's @flags. */
#define VU_FILTER_STRICT_PATHS (1U << 0) /* every call in the bitmap with a path, whatever the prefixes */
#define VU_FILTER_ALL_EXECS (1U << 1)    /* execve and execveat in the bitmap, whatever the path */
#define VU_FILTER_NO_VDSO (1U << 2)      /* programs exec'd from now on are not told of the vDSO */

/* ioctl requests, and device keys, at most in struct vu_keys (each). */
#define VU_MAX_KEYS 256

/* A device number that may be virtual. */
struct vu_dev_key {
	unsigned int major, minor;
	bool blk;       /* a block device, else a character device */
	bool any_minor; /* every minor of @major */
};

/*
 * What may be virtual besides paths and virtual files: socket(@family)
 * and socketpair for a bit of @families; ioctl on a real fd for a request
 * of @ioctls (or any, @any_ioctl); path calls that name a device node of
 * @devs (or any character, any block device).
 */
struct vu_keys {
	uint64_t families;
	bool any_ioctl, any_chr, any_blk;
	unsigned int nioctls, ndevs;
	uint32_t ioctls[VU_MAX_KEYS];
	struct vu_dev_key devs[VU_MAX_KEYS];
};

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
	/*
	 * What may be virtual. set_filter: the system calls that may reach the
	 * daemon (bit n of @bitmap is syscall n), replacing the previous set;
	 * @flags VU_FILTER_*: with STRICT_PATHS every call in it with a path
	 * argument does, whatever the prefixes; with ALL_EXECS (only if
	 * VU_BE_ALL_EXECS) execve and execveat do, whatever the path.
	 * add_prefix: paths at or under @path (absolute, normal) may be
	 * virtual; @id (nonzero, unused) names it for del_prefix; @flags
	 * VU_PREFIX_* (0 without VU_BE_REDIRECT), @src the real directory of
	 * a VU_PREFIX_REDIRECT (absolute, normal, no symlink), else NULL. -errno.
	 */
	int (*set_filter)(struct vu_backend *be, const uint64_t *bitmap, unsigned int nbits,
			  unsigned int flags);
	int (*add_prefix)(struct vu_backend *be, uint64_t id, const char *path,
			  unsigned int flags, const char *src);
	int (*del_prefix)(struct vu_backend *be, uint64_t id);
	/*
	 * Replace the keys (VU_BE_KEYS; NULL or -ENOTTY otherwise): from the
	 * first call on, socket and socketpair in the bitmap reach the daemon
	 * only for a family of @keys. -errno.
	 */
	int (*set_keys)(struct vu_backend *be, const struct vu_keys *keys);
	/*
	 * The readiness of the placeholders of @handle is now @events (EPOLL*
	 * bits): poll, select and epoll of members see it. -errno.
	 */
	int (*vfd_poll)(struct vu_backend *be, uint64_t handle, uint32_t events);
	/* Close the view: the kernel kills the members still in it. */
	void (*close)(struct vu_backend *be);
};

/* Backends embed this as their first member. */
struct vu_backend {
	const struct vu_backend_ops *ops;
	unsigned int features; /* VU_BE_* */
	unsigned int nr_syscalls; /* bits of the filter bitmap */
};

extern const struct vu_backend_ops vu_backend_kmview_ops;

#endif /* KMVIEW_DAEMON_BACKEND_H */

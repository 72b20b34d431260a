/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * kmview: the protocol between kmview.ko and the view daemon.
 *
 * Opening /dev/kmview (misc minor 233) creates a view. The opener is the
 * view's daemon: it negotiates the protocol with KMVIEW_IOC_HELLO, tells the
 * kernel what may be virtual (syscall bitmap, path prefixes), lets its
 * child join the view with KMVIEW_IOC_ATTACH, then serves requests:
 *
 *	read(fd, buf, KMVIEW_READ_MIN)    one or more whole messages
 *	write(fd, reply, reply->len)      exactly one reply per write
 *
 * Framing follows fuse rather than an mmap'd ring: every byte the daemon
 * sends is copied into the kernel once and validated there, and the cost of
 * a round trip is dominated by the wake-ups, not by the copies.
 * Documentation/uapi.md describes the protocol in prose.
 *
 * Conventions: fixed-width types only, every struct padded explicitly to a
 * multiple of 8 bytes (the same layout for i386 and x86-64: kmod/main.c
 * asserts the sizes), reserved fields must be zero (the kernel rejects anything else
 * with EINVAL), unknown flags are rejected with EINVAL.
 *
 * Changelog of the protocol:
 *   1.0  first version.
 *   1.1  KMVIEW_REPLY_MMAP: map a file of the daemon for a captured mmap;
 *        KMVIEW_REPLY_F_CWD_VIRTUAL and _REAL: a virtual cwd.
 *   1.2  KMVIEW_IOC_SET_KEYS (KMVIEW_FEAT_KEYS): socket families, ioctl
 *        requests and device numbers that may be virtual.
 *   1.3  KMVIEW_FILTER_ALL_EXECS (KMVIEW_FEAT_ALL_EXECS): execve and
 *        execveat forwarded whatever their path.
 *   1.4  KMVIEW_FILTER_NO_VDSO (KMVIEW_FEAT_NO_VDSO): a member exec'd
 *        while it is set is not told where the vDSO is.
 *   1.5  KMVIEW_PREFIX_REDIRECT and KMVIEW_PREFIX_NATIVE
 *        (KMVIEW_FEAT_REDIRECT): a prefix that is a real directory, whose
 *        calls the kernel runs there natively, and one that is real; the
 *        newest prefix that matches decides; KMVIEW_MAX_PREFIXES is 4096.
 */
#ifndef _UAPI_LINUX_KMVIEW_H
#define _UAPI_LINUX_KMVIEW_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define KMVIEW_DEVICE "/dev/kmview"
#define KMVIEW_MINOR 233

#define KMVIEW_API_MAJOR 1
#define KMVIEW_API_MINOR 5

/* A read() buffer must hold the largest message: a header, a syscall body and two paths. */
#define KMVIEW_PATH_MAX 4096
#define KMVIEW_READ_MIN 16384
/* Largest reply, trailing data included. */
#define KMVIEW_REPLY_MAX (1U << 20)
/* Syscall numbers the filter bitmap can name. */
#define KMVIEW_NR_SYSCALLS 1024
/* Path prefixes a view may register. */
#define KMVIEW_MAX_PREFIXES 4096
/* ioctl requests, and device keys, a view may register (each). */
#define KMVIEW_MAX_KEYS 256

/* Feature bits negotiated by KMVIEW_IOC_HELLO. */
#define KMVIEW_FEAT_NOTIFY_FORK (1ULL << 0) /* KMVIEW_MSG_FORK when a member forks */
#define KMVIEW_FEAT_NOTIFY_EXIT (1ULL << 1) /* KMVIEW_MSG_EXIT when a member exits */
#define KMVIEW_FEAT_KEYS (1ULL << 2)	   /* (1.2) KMVIEW_IOC_SET_KEYS */
#define KMVIEW_FEAT_ALL_EXECS (1ULL << 3)  /* (1.3) KMVIEW_FILTER_ALL_EXECS */
#define KMVIEW_FEAT_NO_VDSO (1ULL << 4)	   /* (1.4) KMVIEW_FILTER_NO_VDSO */
#define KMVIEW_FEAT_REDIRECT (1ULL << 5)   /* (1.5) KMVIEW_PREFIX_REDIRECT, _NATIVE */
#define KMVIEW_FEAT_ALL (KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT | KMVIEW_FEAT_KEYS | \
			 KMVIEW_FEAT_ALL_EXECS | KMVIEW_FEAT_NO_VDSO | KMVIEW_FEAT_REDIRECT)

/**
 * struct kmview_hello - protocol handshake, the first ioctl on a view
 * @major: in: KMVIEW_API_MAJOR the daemon was built with; out: the kernel's
 * @minor: in: the daemon's minor; out: the kernel's
 * @features: in: features the daemon wants; out: those now enabled
 * @supported: out (zero on input): every feature the kernel supports
 * @read_min: out (zero on input): smallest read() buffer accepted
 * @reply_max: out (zero on input): largest reply accepted
 * @nr_syscalls: out (zero on input): bits in the syscall bitmap
 * @reserved: must be zero
 *
 * A different major is refused with EPROTO, a second hello with EBUSY.
 * Every other call on a view before a successful hello fails with EPROTO.
 */
struct kmview_hello {
	__u32 major;
	__u32 minor;
	__u64 features;
	__u64 supported;
	__u32 read_min;
	__u32 reply_max;
	__u32 nr_syscalls;
	__u32 reserved[5];
};

/* struct kmview_filter.flags */
#define KMVIEW_FILTER_STRICT_PATHS (1U << 0) /* forward path calls in the bitmap whatever the prefixes */
#define KMVIEW_FILTER_ALL_EXECS (1U << 1)    /* (1.3) forward execve and execveat whatever their path */
#define KMVIEW_FILTER_NO_VDSO (1U << 2)      /* (1.4) hide the vDSO from programs exec'd from now on */
#define KMVIEW_FILTER_ALL (KMVIEW_FILTER_STRICT_PATHS | KMVIEW_FILTER_ALL_EXECS | \
			   KMVIEW_FILTER_NO_VDSO)

/**
 * struct kmview_filter - which syscalls may be virtual
 * @bitmap: user pointer to nr_bits bits (an array of __u64, bit n of word
 *          n / 64 is syscall n)
 * @nr_bits: number of bits at @bitmap, at most KMVIEW_NR_SYSCALLS
 * @flags: KMVIEW_FILTER_*
 * @reserved: must be zero
 *
 * A syscall not in the bitmap never leaves the kernel. A syscall in the
 * bitmap is forwarded when one of its fd arguments is a placeholder of this
 * view, or one of its path arguments falls under a registered prefix (or
 * when KMVIEW_FILTER_STRICT_PATHS is set), or when it has neither fd nor path
 * arguments. With KMVIEW_FILTER_ALL_EXECS (1.3), execve and execveat in the
 * bitmap are forwarded whatever their path (a kernel before 1.3 refuses
 * the flag with EINVAL: see KMVIEW_FEAT_ALL_EXECS in hello.supported).
 * With KMVIEW_FILTER_NO_VDSO (1.4), a member that execs while the flag is
 * set finds no AT_SYSINFO_EHDR in its auxiliary vector (the entry becomes
 * AT_IGNORE), so its C library makes system calls for the clocks the vDSO
 * would answer; members exec'd before keep theirs. The VUOS management calls (negative numbers -1 to -5) are
 * always forwarded; compat, x32 and io_uring calls are always refused.
 */
struct kmview_filter {
	__u64 bitmap;
	__u32 nr_bits;
	__u32 flags;
	__u64 reserved[2];
};

/* struct kmview_prefix.flags (1.5, KMVIEW_FEAT_REDIRECT) */
#define KMVIEW_PREFIX_REDIRECT (1U << 0) /* the tree is the real directory @src */
#define KMVIEW_PREFIX_NATIVE (1U << 1)	 /* the tree is real: its calls run natively */

/**
 * struct kmview_prefix - a path prefix under which paths are virtual
 * @path: user pointer to an absolute, normalised path (no trailing slash
 *        except for "/", no "." or ".." components)
 * @len: strlen(path), at most KMVIEW_PATH_MAX - 1
 * @flags: KMVIEW_PREFIX_*, at most one of them (1.5; zero before)
 * @id: the daemon's name for this prefix, nonzero, used to delete it; of
 *      the prefixes a path falls under, the one with the highest id decides
 * @src: with KMVIEW_PREFIX_REDIRECT, user pointer to the real directory,
 *       absolute and normalised, with no symlink in it; else zero
 * @src_len: strlen(src), at most KMVIEW_PATH_MAX - 1; else zero
 * @reserved: must be zero
 *
 * A plain prefix forwards the calls on paths under it. A redirect lets the
 * kernel run them natively on @src + the rest of the path when it can be
 * sure the answer is the one the daemon would give (Documentation/uapi.md):
 * the path has no ".." component and no symlink on the way, it is not a
 * directory opened or an exec, every path of the call falls under the same
 * redirect, and the member's root is the daemon's. Otherwise it forwards.
 * A native prefix runs them natively, as if no older prefix matched.
 */
struct kmview_prefix {
	__u64 path;
	__u32 len;
	__u32 flags;
	__u64 id;
	__u64 src;
	__u32 src_len;
	__u32 reserved;
};

/* struct kmview_dev_key.flags */
#define KMVIEW_DEV_BLK (1U << 0)       /* a block device; else a character device */
#define KMVIEW_DEV_ANY_MINOR (1U << 1) /* every minor of @major (@minor must be 0) */

/**
 * struct kmview_dev_key - a device number that may be virtual
 * @major: at most 4095
 * @minor: at most 0xfffff
 * @flags: KMVIEW_DEV_*
 * @reserved: must be zero
 */
struct kmview_dev_key {
	__u32 major;
	__u32 minor;
	__u32 flags;
	__u32 reserved;
};

/* struct kmview_keys.flags */
#define KMVIEW_KEYS_ANY_IOCTL (1U << 0) /* every ioctl request may be virtual */
#define KMVIEW_KEYS_ANY_CHR (1U << 1)	/* every character device may be virtual */
#define KMVIEW_KEYS_ANY_BLK (1U << 2)	/* every block device may be virtual */

/**
 * struct kmview_keys - (1.2) which objects other than paths may be virtual
 * @families: bit f set: socket(f, ...) and socketpair(f, ...) are forwarded
 *            (families 64 and up never are)
 * @ioctls: user pointer to @nr_ioctls __u32 request numbers
 * @devs: user pointer to @nr_devs struct kmview_dev_key
 * @nr_ioctls: at most KMVIEW_MAX_KEYS (else E2BIG)
 * @nr_devs: at most KMVIEW_MAX_KEYS (else E2BIG)
 * @flags: KMVIEW_KEYS_*
 * @reserved: must be zero
 *
 * Each call replaces the keys whole. From the first successful call on,
 * for the calls in the bitmap: socket and socketpair are forwarded only for
 * a family in @families; ioctl on a fd that is not a placeholder is
 * forwarded when its request (as the kernel reads it: 32 bits) is listed
 * or KMVIEW_KEYS_ANY_IOCTL is set (on a placeholder, always); and while any
 * device key is set, a path call whose paths are under no prefix is
 * forwarded when a path resolves, as the call would resolve it, to a
 * device node that a key names. Before the first call socket and
 * socketpair are forwarded whenever in the bitmap, as in 1.1.
 */
struct kmview_keys {
	__u64 families;
	__u64 ioctls;
	__u64 devs;
	__u32 nr_ioctls;
	__u32 nr_devs;
	__u32 flags;
	__u32 reserved[3];
};

/* struct kmview_mem.flags */
#define KMVIEW_MEM_WRITE (1U << 0) /* write to the member; default is read */

/**
 * struct kmview_mem - read or write memory of a member parked in a request
 * @unique: the request the member is parked in
 * @addr: address in the member
 * @buf: address in the daemon
 * @len: bytes to copy, 1 to KMVIEW_REPLY_MAX (0 is EINVAL)
 * @flags: KMVIEW_MEM_*
 * @reserved: must be zero
 *
 * Valid only between the read() of @unique and its reply (else ENOENT).
 * Returns the bytes copied, which may be short at an unmapped page, or
 * EFAULT if none. The member's own page protections apply.
 */
struct kmview_mem {
	__u64 unique;
	__u64 addr;
	__u64 buf;
	__u32 len;
	__u32 flags;
	__u64 reserved[2];
};

/**
 * struct kmview_vfd_poll - set the readiness of a placeholder (magicpoll)
 * @handle: the daemon handle the placeholder was installed with
 * @events: EPOLL* mask now true for the virtual file; pollers are woken
 * @reserved: must be zero
 *
 * Fails with ENOENT if no open placeholder carries @handle.
 */
struct kmview_vfd_poll {
	__u64 handle;
	__u32 events;
	__u32 reserved[3];
};

#define KMVIEW_IOC_MAGIC 0xD8
#define KMVIEW_IOC_HELLO _IOWR(KMVIEW_IOC_MAGIC, 0x00, struct kmview_hello)
#define KMVIEW_IOC_SET_FILTER _IOW(KMVIEW_IOC_MAGIC, 0x01, struct kmview_filter)
#define KMVIEW_IOC_ADD_PREFIX _IOW(KMVIEW_IOC_MAGIC, 0x02, struct kmview_prefix)
#define KMVIEW_IOC_DEL_PREFIX _IOW(KMVIEW_IOC_MAGIC, 0x03, __u64)
/*
 * Called by the joining process itself, with an argument of 0 (pass 0UL:
 * ioctl is variadic): see Documentation/design.md for who may join.
 */
#define KMVIEW_IOC_ATTACH _IO(KMVIEW_IOC_MAGIC, 0x04)
#define KMVIEW_IOC_MEM _IOW(KMVIEW_IOC_MAGIC, 0x05, struct kmview_mem)
#define KMVIEW_IOC_VFD_POLL _IOW(KMVIEW_IOC_MAGIC, 0x06, struct kmview_vfd_poll)
#define KMVIEW_IOC_SET_KEYS _IOW(KMVIEW_IOC_MAGIC, 0x07, struct kmview_keys)

/* ---- messages: kernel to daemon, by read() ---- */

enum kmview_msg_type {
	KMVIEW_MSG_SYSCALL = 1,   /* struct kmview_syscall follows; needs a reply */
	KMVIEW_MSG_INTERRUPT = 2, /* @unique was interrupted by a signal; no body */
	KMVIEW_MSG_RELEASE = 3,   /* struct kmview_release follows; the last close of a placeholder */
	KMVIEW_MSG_FORK = 4,      /* struct kmview_fork follows (KMVIEW_FEAT_NOTIFY_FORK) */
	KMVIEW_MSG_EXIT = 5,      /* no body: @tid exited (KMVIEW_FEAT_NOTIFY_EXIT) */
};

/**
 * struct kmview_msg - header of every message
 * @len: bytes of this message, header and body, a multiple of 8
 * @type: enum kmview_msg_type
 * @flags: zero in this version
 * @unique: request id to echo in the reply (SYSCALL, INTERRUPT), else 0
 * @tid: thread id of the member, in the daemon's pid namespace
 * @tgid: its thread group id
 *
 * Ordering: the FORK message of a task is queued before the task can run,
 * so it always precedes the task's first request and its EXIT.
 */
struct kmview_msg {
	__u32 len;
	__u16 type;
	__u16 flags;
	__u64 unique;
	__s32 tid;
	__s32 tgid;
};

#define KMVIEW_NO_ARG 0xff

/**
 * struct kmview_syscall - body of KMVIEW_MSG_SYSCALL
 * @nr: syscall number (negative for the VUOS management calls)
 * @args: the six raw arguments
 * @handle: for each fd slot, the daemon handle of the placeholder the fd
 *          argument names, or 0 if the fd is not a placeholder of this view
 * @fd_arg: argument index of fd slot i, or KMVIEW_NO_ARG
 * @path_arg: argument index of path i, or KMVIEW_NO_ARG
 * @path_len: bytes of path i including its NUL; 0 if absent
 * @reserved: zero
 *
 * The member copies its path arguments into the message: path 0 then
 * path 1 follow this struct, each padded to 8 bytes. Anything else the
 * daemon needs from the member it reads with KMVIEW_IOC_MEM.
 */
struct kmview_syscall {
	__s64 nr;
	__u64 args[6];
	__u64 handle[2];
	__u8 fd_arg[2];
	__u8 path_arg[2];
	__u16 path_len[2];
	__u32 reserved[4];
};

/** struct kmview_release - body of KMVIEW_MSG_RELEASE: @handle is closed */
struct kmview_release {
	__u64 handle;
};

/**
 * struct kmview_fork - body of KMVIEW_MSG_FORK: @tid (header) created @child
 * @child: the new task
 * @reserved: zero
 * @clone_flags: what the child shares with its parent, as observed:
 *               CLONE_THREAD, CLONE_VM, CLONE_FS, CLONE_FILES (other bits 0)
 */
struct kmview_fork {
	__s32 child;
	__u32 reserved;
	__u64 clone_flags;
};

/* ---- replies: daemon to kernel, by write() ---- */

enum kmview_reply_kind {
	KMVIEW_REPLY_RETURN = 1,  /* the call returns @retval */
	KMVIEW_REPLY_NATIVE = 2,  /* run the call natively, unchanged */
	KMVIEW_REPLY_REWRITE = 3, /* run it natively with arguments from @argmask (and a path) */
	KMVIEW_REPLY_VFD = 4,     /* install a placeholder bound to @handle, return its fd */
	KMVIEW_REPLY_FILE = 5,    /* install the daemon's file @fd in the member, return its fd */
	KMVIEW_REPLY_MMAP = 6,    /* (1.1) a captured mmap maps the daemon's file @fd instead */
};

/* struct kmview_reply.flags */
#define KMVIEW_REPLY_F_PATH (1U << 0) /* REWRITE: a path follows, placed in arg @path_arg */
/*
 * (1.1) Any kind: from now on the cwd of the member, and of every member
 * sharing it (CLONE_FS), is virtual: calls with paths relative to the cwd,
 * and every chdir, fchdir and chroot, are forwarded. CWD_REAL ends that.
 */
#define KMVIEW_REPLY_F_CWD_VIRTUAL (1U << 1)
#define KMVIEW_REPLY_F_CWD_REAL (1U << 2)

/**
 * struct kmview_reply - header of a reply
 * @unique: the request answered
 * @len: bytes of the reply, trailing data included
 * @kind: enum kmview_reply_kind
 * @flags: KMVIEW_REPLY_F_*
 * @retval: RETURN: the value, or -errno in [-4095, -1] except the
 *          kernel-internal codes -512 to -530 (ERESTARTSYS and friends),
 *          which are refused: a daemon passing errno values through must
 *          map them (see @retval -EINTR below for restarts)
 * @args: REWRITE: new arguments, where @argmask has a bit set;
 *        MMAP: address, length, protection, flags, (unused), byte offset
 * @argmask: REWRITE: bit i set replaces argument i
 * @path_arg: REWRITE with KMVIEW_REPLY_F_PATH: the argument that receives
 *            the address of the path, written on the member's stack
 * @handle: VFD: nonzero daemon handle, unique among open placeholders
 * @fd: FILE, MMAP: a file descriptor of the writing daemon thread
 * @open_flags: VFD, FILE: O_CLOEXEC is honoured; for VFD also the access
 *              mode and O_NONBLOCK reported by F_GETFL
 * @path_len: REWRITE with KMVIEW_REPLY_F_PATH: bytes of the path following
 *            the header, NUL included; the path is then padded to 8
 * @ncopy: RETURN, VFD, FILE: number of struct kmview_copy segments that
 *         follow (after the path, if any): the member copies each to its
 *         own memory before the call returns
 * @reserved: must be zero
 *
 * A reply for an unknown or withdrawn request fails with ENOENT; a
 * malformed one with EINVAL, and the request stays pending.
 * If a request was interrupted (KMVIEW_MSG_INTERRUPT), a RETURN of -EINTR
 * lets the kernel's restart rules apply (SA_RESTART restarts the call).
 *
 * MMAP answers only a captured mmap (else EINVAL): the member maps the
 * daemon's file with the parameters in @args, as mmap(2) would, and the
 * call returns the address or the error. Private mappings of a copy, or
 * shared ones of the backing file, are the daemon's choice.
 */
struct kmview_reply {
	__u64 unique;
	__u32 len;
	__u16 kind;
	__u16 flags;
	__s64 retval;
	__u64 args[6];
	__u32 argmask;
	__u32 path_arg;
	__u64 handle;
	__s32 fd;
	__u32 open_flags;
	__u32 path_len;
	__u32 ncopy;
	__u64 reserved[2];
};

/**
 * struct kmview_copy - a segment copied to the member's memory
 * @addr: destination in the member
 * @len: bytes of data following this struct (padded to 8)
 * @reserved: must be zero
 */
struct kmview_copy {
	__u64 addr;
	__u32 len;
	__u32 reserved;
};

/* VUOS management calls: syscall(-N, ...) from a member reaches the daemon. */
#define KMVIEW_VU_INSMOD (-1)
#define KMVIEW_VU_RMMOD (-2)
#define KMVIEW_VU_LSMOD (-3)
#define KMVIEW_VU_VUCTL (-4)
#define KMVIEW_VU_MSOCKET (-5)
#define KMVIEW_VU_FIRST KMVIEW_VU_MSOCKET

#endif /* _UAPI_LINUX_KMVIEW_H */

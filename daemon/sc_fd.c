// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc_fd.c - the fd system calls on placeholders: read, write and their
 * p forms, lseek, getdents64, and what fcntl, ioctl and fadvise may do.
 *
 * The kernel names the placeholder's handle in msg->vfd[0]; a call that
 * reaches here without one (a real fd) runs natively. Data moves in
 * chunks of at most VU_IO_MAX bytes per call: a short read or write, which
 * every caller of read(2) and write(2) must handle anyway.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/syscall.h>

#include "member_mem.h"
#include "modcall.h"
#include "syscalls.h"
#include "vfd.h"

#define VU_IO_MAX (256 * 1024)

/* The placeholder of fd slot 0, or NULL after choosing the reply. */
static struct vu_vfd *vu_sc_vfd(struct vu_call *call)
{
	struct vu_vfd *f;

	if (!call->msg->vfd[0]) {
		vu_call_native(call);
		return NULL;
	}
	f = vu_vfd_get(call->msg->vfd[0]);
	if (!f)
		vu_call_return(call, -EBADF); /* a handle the daemon never gave */
	return f;
}

static size_t vu_io_len(uint64_t count)
{
	return count > VU_IO_MAX ? VU_IO_MAX : (size_t)count;
}

void vu_sc_read(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sc_vfd(call);
	size_t len = vu_io_len(msg->args[2]);
	void *buf;
	long ret;

	if (!f)
		return;
	buf = vu_call_alloc(call, len);
	if (!buf) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	if (msg->nr == __NR_pread64)
		ret = vu_mcall(f->ht, pread64, ssize_t, (int, void *, size_t, off_t, int, void *),
			       f->sfd, buf, len, (off_t)msg->args[3], 0, f->fdprivate);
	else
		ret = vu_mcall(f->ht, read, ssize_t, (int, void *, size_t, void *), f->sfd, buf,
			       len, f->fdprivate);
	if (ret > 0)
		ret = vu_call_copy_out(call, msg->args[1], buf, (size_t)ret) ?: ret;
	vu_call_return(call, ret);
}

void vu_sc_write(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sc_vfd(call);
	size_t len = vu_io_len(msg->args[2]);
	void *buf;
	long ret;

	if (!f)
		return;
	buf = vu_call_alloc(call, len);
	if (!buf) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	ret = len ? vu_peek(call->be, msg, msg->args[1], buf, len) : 0;
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	if (msg->nr == __NR_pwrite64)
		ret = vu_mcall(f->ht, pwrite64, ssize_t,
			       (int, const void *, size_t, off_t, int, void *), f->sfd, buf, len,
			       (off_t)msg->args[3], 0, f->fdprivate);
	else
		ret = vu_mcall(f->ht, write, ssize_t, (int, const void *, size_t, void *), f->sfd,
			       buf, len, f->fdprivate);
	vu_call_return(call, ret);
}

void vu_sc_lseek(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sc_vfd(call);

	if (!f)
		return;
	vu_call_return(call, vu_mcall(f->ht, lseek, off_t, (int, off_t, int, void *), f->sfd,
				      (off_t)msg->args[1], (int)msg->args[2], f->fdprivate));
}

void vu_sc_getdents64(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sc_vfd(call);
	/* the count is an unsigned int in the system call */
	size_t len = vu_io_len((unsigned int)msg->args[2]);
	void *buf;
	long ret;

	if (!f)
		return;
	buf = vu_call_alloc(call, len);
	if (!buf) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	ret = vu_mcall(f->ht, getdents64, int, (unsigned int, void *, unsigned int, void *),
		       (unsigned int)f->sfd, buf, (unsigned int)len, f->fdprivate);
	if (ret > 0)
		ret = vu_call_copy_out(call, msg->args[1], buf, (size_t)ret) ?: ret;
	vu_call_return(call, ret);
}

/*
 * The fd-table commands act on the member's descriptor, not on the file:
 * the kernel does them right on a placeholder. Anything about the file
 * (status flags, locks, leases, seals) needs the module: not yet.
 */
void vu_sc_fcntl(struct vu_call *call)
{
	struct vu_vfd *f = vu_sc_vfd(call);

	if (!f)
		return;
	switch ((int)call->msg->args[1]) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETFL:
		vu_call_native(call);
		break;
	default:
		vu_syscall_refuse(call, "a virtual file");
		break;
	}
}

/* A module ioctl is not served yet: a file without ioctls says ENOTTY. */
void vu_sc_ioctl(struct vu_call *call)
{
	if (vu_sc_vfd(call))
		vu_call_return(call, -ENOTTY);
}

/* Advice only: accepted and ignored, as a file system without readahead does. */
void vu_sc_fadvise(struct vu_call *call)
{
	if (vu_sc_vfd(call))
		vu_call_return(call, 0);
}

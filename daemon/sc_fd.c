// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc_fd.c - the fd system calls on placeholders: read, write and their
 * p forms, lseek, getdents64, fsync, fdatasync, fallocate, flock, and
 * what fcntl, ioctl and fadvise may do.
 *
 * The kernel names the placeholder's handle in msg->vfd[0]; a call that
 * reaches here without one (a real fd) runs natively. Data moves in
 * chunks of at most VU_IO_MAX bytes per call: a short read or write, which
 * every caller of read(2) and write(2) must handle anyway.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/syscall.h>

#include "log.h"
#include "member_mem.h"
#include "modcall.h"
#include "sc_obj.h"
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
 * the kernel does them right on a placeholder. F_SETFL changes the file:
 * the module's fcntl sets its own fd's flags, then the kernel sets the
 * placeholder's, so F_GETFL (native) tells the truth. A module without
 * fcntl keeps the flags it opened with, which is harmless for O_NONBLOCK
 * and friends, but not for O_APPEND: that change is refused. Locks,
 * leases and seals need the module: not yet.
 */
void vu_sc_fcntl(struct vu_call *call)
{
	struct vu_vfd *f = vu_sc_vfd(call);
	int cmd = (int)call->msg->args[1];
	long arg = (long)call->msg->args[2];
	long ret;

	if (!f)
		return;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
	case F_GETFD:
	case F_SETFD:
	case F_GETFL:
		vu_call_native(call);
		break;
	case F_SETFL:
		ret = vu_mcall(f->ht, fcntl, int, (int, int, long, void *), f->sfd, F_SETFL, arg,
			       f->fdprivate);
		if (ret == -ENOSYS && !f->ht->service->method[VU_M_fcntl])
			ret = (arg ^ f->flags) & O_APPEND ? -EINVAL : 0;
		if (ret < 0) {
			vu_call_return(call, ret);
			break;
		}
		f->flags = (f->flags & ~(O_APPEND | O_NONBLOCK)) | (arg & (O_APPEND | O_NONBLOCK));
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

/*
 * fsync and fdatasync: a module without the method keeps no data of its
 * own to flush (its writes are the system's), so there is nothing to do.
 */
void vu_sc_fsync(struct vu_call *call)
{
	struct vu_vfd *f = vu_sc_vfd(call);
	long ret;

	if (!f)
		return;
	if (call->msg->nr == __NR_fsync)
		ret = vu_mcall(f->ht, fsync, int, (int, void *), f->sfd, f->fdprivate);
	else
		ret = vu_mcall(f->ht, fdatasync, int, (int, void *), f->sfd, f->fdprivate);
	if (ret == -ENOSYS && !f->ht->service->method[call->msg->nr == __NR_fsync ? VU_M_fsync
										: VU_M_fdatasync])
		ret = 0;
	vu_call_return(call, ret);
}

void vu_sc_fallocate(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_obj o;
	long ret;

	if (!vu_obj_get(call, true, 0, &o))
		return;
	ret = vu_mcall(o.ht, fallocate, int, (int, int, off_t, off_t, void *), o.sfd,
		       (int)msg->args[1], (off_t)msg->args[2], (off_t)msg->args[3], o.fdprivate);
	vu_obj_return(call, &o, VU_M_fallocate, ret);
}

/*
 * flock. A lock that must wait blocks the worker serving this member and
 * no one else (serve.c); a signal to the member interrupts it: the pool
 * signals the worker, the module's flock fails with EINTR, and the
 * kernel's restart rules apply (SA_RESTART restarts the call).
 */
void vu_sc_flock(struct vu_call *call)
{
	int op = (int)call->msg->args[1];
	struct vu_obj o;
	long ret;

	if (!vu_obj_get(call, true, 0, &o))
		return;
	ret = vu_mcall(o.ht, flock, int, (int, int, void *), o.sfd, op, o.fdprivate);
	vu_obj_return(call, &o, VU_M_flock, ret);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/fd.c - the fd system calls on placeholders: read, write and their
 * p forms, lseek, getdents64 and the old getdents, fsync, fdatasync,
 * fallocate, flock, and what fcntl, ioctl and fadvise may do.
 *
 * The kernel names the placeholder's handle in msg->vfd[0]; a call that
 * reaches here without one (a real fd) runs natively. Data moves in
 * chunks of at most VU_IO_MAX bytes (sc/fd.h) per call: a short read or write, which
 * every caller of read(2) and write(2) must handle anyway.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "base/log.h"
#include "core/dirent.h"
#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/fd.h"
#include "sc/obj.h"
#include "core/sysname.h"
#include "sc/handlers.h"
#include "sc/socket.h"
#include "sc/prw.h"
#include "core/vfd.h"

#ifndef FIGETBSZ
#define FIGETBSZ _IO(0x00, 2) /* linux/fs.h, which clashes with the C library's */
#endif

struct vu_vfd *vu_sc_vfd(struct vu_call *call)
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

/* A count the module returns is never more than it was given (modret.h). */
long vu_file_read(struct vu_vfd *f, void *buf, size_t len, const off_t *off, int flags)
{
	if (f->socket)
		return off ? -ESPIPE : vu_sock_read(f, buf, len);
	if (!off && vu_prw(f))
		return vu_prw_read(f, buf, len);
	if (off)
		return vu_mod_size(f->ht, "pread64",
				   vu_mcall(f->ht, pread64, ssize_t,
					    (int, void *, size_t, off_t, int, void *), f->sfd, buf,
					    len, *off, flags, f->fdprivate),
				   len);
	return vu_mod_size(f->ht, "read",
			   vu_mcall(f->ht, read, ssize_t, (int, void *, size_t, void *), f->sfd,
				    buf, len, f->fdprivate),
			   len);
}

long vu_file_write(struct vu_vfd *f, const void *buf, size_t len, const off_t *off, int flags)
{
	if (f->socket)
		return off ? -ESPIPE : vu_sock_write(f, buf, len);
	if (!off && vu_prw(f))
		return vu_prw_write(f, buf, len);
	if (off)
		return vu_mod_size(f->ht, "pwrite64",
				   vu_mcall(f->ht, pwrite64, ssize_t,
					    (int, const void *, size_t, off_t, int, void *), f->sfd,
					    buf, len, *off, flags, f->fdprivate),
				   len);
	return vu_mod_size(f->ht, "write",
			   vu_mcall(f->ht, write, ssize_t, (int, const void *, size_t, void *),
				    f->sfd, buf, len, f->fdprivate),
			   len);
}

/*
 * The placeholder of the call and a buffer for @count bytes of its data
 * (at most VU_IO_MAX: *@len is the size), or NULL once the reply is chosen.
 */
static struct vu_vfd *vu_sc_vfd_buf(struct vu_call *call, uint64_t count, void **buf, size_t *len)
{
	struct vu_vfd *f = vu_sc_vfd(call);

	if (!f)
		return NULL;
	*len = count > VU_IO_MAX ? VU_IO_MAX : (size_t)count;
	*buf = vu_call_alloc(call, *len);
	if (!*buf) {
		vu_call_return(call, -ENOMEM);
		return NULL;
	}
	return f;
}

static long vu_sc_fstat(struct vu_vfd *f, struct stat *st);

/*
 * Does a read or write of @f longer than a chunk go on to the next one?
 * For a regular file or a block device, which never stop short before
 * their end (mke2fs takes a short write on a device for an error); not for
 * anything else (a character device may be a message per read: /dev/fuse).
 */
static bool vu_sc_whole(struct vu_vfd *f, uint64_t count, size_t chunk)
{
	struct stat st;

	if (count <= chunk || f->socket)
		return false;
	return vu_sc_fstat(f, &st) == 0 && (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode));
}

void vu_sc_read(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	off_t off = (off_t)msg->args[3];
	struct vu_vfd *f;
	size_t len;
	void *buf;
	long ret;

	f = vu_sc_vfd_buf(call, msg->args[2], &buf, &len);
	if (!f)
		return;
	/* chunk after chunk, until the count or a short one, if vu_sc_whole() */
	bool whole = vu_sc_whole(f, msg->args[2], len);

	for (uint64_t done = 0;;) {
		size_t n = msg->args[2] - done < len ? (size_t)(msg->args[2] - done) : len;

		ret = vu_file_read(f, buf, n, msg->nr == __NR_pread64 ? &off : NULL, 0);
		/* one chunk goes with the reply; more are written as they come (one buffer) */
		if (ret > 0 && msg->args[2] <= len)
			ret = vu_call_copy_out(call, msg->args[1], buf, (size_t)ret) ?: ret;
		else if (ret > 0)
			ret = vu_poke(call->be, msg, msg->args[1] + done, buf, (size_t)ret) ?: ret;
		if (ret <= 0) {
			ret = done ? (long)done : ret;
			break;
		}
		done += (uint64_t)ret;
		off += ret;
		if ((size_t)ret < n || done == msg->args[2] || !whole) {
			ret = (long)done;
			break;
		}
	}
	vu_call_return(call, ret);
}

void vu_sc_write(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	off_t off = (off_t)msg->args[3];
	struct vu_vfd *f;
	size_t len;
	void *buf;
	long ret;

	f = vu_sc_vfd_buf(call, msg->args[2], &buf, &len);
	if (!f)
		return;
	/* as read: the whole count, chunk after chunk, unless one is short */
	bool whole = vu_sc_whole(f, msg->args[2], len);

	for (uint64_t done = 0;;) {
		size_t n = msg->args[2] - done < len ? (size_t)(msg->args[2] - done) : len;

		ret = n ? vu_peek(call->be, msg, msg->args[1] + done, buf, n) : 0;
		if (ret >= 0)
			ret = vu_file_write(f, buf, n, msg->nr == __NR_pwrite64 ? &off : NULL, 0);
		if (ret <= 0) {
			ret = done ? (long)done : ret;
			break;
		}
		done += (uint64_t)ret;
		off += ret;
		if ((size_t)ret < n || done == msg->args[2] || !whole) {
			ret = (long)done;
			break;
		}
	}
	vu_call_return(call, ret);
}

void vu_sc_lseek(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sc_vfd(call);

	if (!f)
		return;
	if (vu_prw(f)) {
		vu_call_return(call, vu_prw_lseek(f, (off_t)msg->args[1], (int)msg->args[2]));
		return;
	}
	vu_call_return(call, vu_mcall(f->ht, lseek, off_t, (int, off_t, int, void *), f->sfd,
				      (off_t)msg->args[1], (int)msg->args[2], f->fdprivate));
}

/*
 * getdents64, and the old getdents: the module answers in the getdents64
 * format only (VUOS's method), rewritten in place for the old call.
 */
void vu_sc_getdents64(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f;
	size_t len;
	void *buf;
	long ret;

	/* the count is an unsigned int in the system call */
	f = vu_sc_vfd_buf(call, (unsigned int)msg->args[2], &buf, &len);
	if (!f)
		return;
	ret = vu_mcall(f->ht, getdents64, int, (unsigned int, void *, unsigned int, void *),
		       (unsigned int)f->sfd, buf, (unsigned int)len, f->fdprivate);
	ret = vu_mod_size(f->ht, "getdents64", ret, len);
	if (ret > 0 && msg->nr == __NR_getdents && vu_dirent64_to_old(buf, (size_t)ret) < 0) {
		vu_log(LOG_WARNING, "module %s: getdents64 gave a malformed record",
		       f->ht->service->mod ? f->ht->service->mod->name : "?");
		ret = -EIO;
	}
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

/* The module's stat of @f: 0 or -errno. */
static long vu_sc_fstat(struct vu_vfd *f, struct stat *st)
{
	return vu_mcall(f->ht, lstat, int, (char *, struct stat *, int, int, void *),
			(char *)vu_vfd_mpath(f), st, 0, f->sfd, f->fdprivate);
}

/*
 * The module's ioctl method, VUOS's way (vu_wrap_ioctl.c). First the
 * probe: ioctl(-1, request, NULL, addr, fdprivate) answers the size and
 * direction of the argument as an _IOC value, in the module's sense:
 * _IOC_READ, the module reads it (copied from the member before the
 * call), _IOC_WRITE, the module writes it (copied to the member after a
 * call that succeeds). A probe that fails (-1) leaves the request's own
 * encoding, in the kernel's sense: _IOC_READ, the caller reads the result.
 * There VUOS reads the same bits the module's way, so that an _IOR result
 * never reached the caller; here the argument is copied in for either
 * direction (the module sees what VUOS showed it) and out for _IOC_READ.
 * Then the call: ioctl(@sfd, request, buf, addr, @fdprivate), buf the
 * daemon's copy of the argument (NULL without a size); @sfd is -1 and
 * @fdprivate NULL for a real fd claimed by a CHECKIOCTL entry, as in VUOS.
 */
static long vu_ioctl_module(struct vu_call *call, struct vuht_entry_t *ht, int sfd,
			    void *fdprivate)
{
	const struct vu_msg *msg = call->msg;
	unsigned long req = (unsigned long)msg->args[1];
	uint64_t addr = msg->args[2];
	bool in, out, probed;
	unsigned long enc;
	void *buf = NULL;
	size_t size, move;
	long ret;

	if (!ht->service->method[VU_M_ioctl])
		return -ENOTTY;
	/* the probe answers with an _IOC value, negative as an int for _IOC_READ: not an errno */
	ret = vu_mcall_raw(ht, ioctl, int, (int, unsigned long, void *, uintptr_t, void *), -1,
			   req, NULL, (uintptr_t)addr, fdprivate);
	probed = ret != -1;
	enc = probed ? (unsigned int)ret : req;
	size = _IOC_SIZE(enc);
	in = probed ? _IOC_DIR(enc) & _IOC_READ : _IOC_DIR(enc) != _IOC_NONE;
	out = _IOC_DIR(enc) & (probed ? _IOC_WRITE : _IOC_READ);
	/*
	 * A request that encodes its size: no more than that moves between the
	 * member and the module, though the module gets the buffer it expects.
	 */
	move = size;
	if (enc != req && _IOC_SIZE(req))
		move = (size_t)vu_mod_size(ht, "ioctl", (long)size, _IOC_SIZE(req));
	if (size) {
		buf = vu_call_alloc(call, size);
		if (!buf)
			return -ENOMEM;
		memset(buf, 0, size);
		if (in) {
			ret = vu_peek(call->be, msg, addr, buf, move);
			if (ret < 0)
				return ret;
		}
	}
	ret = vu_mcall(ht, ioctl, int, (int, unsigned long, void *, uintptr_t, void *), sfd, req,
		       buf, (uintptr_t)addr, fdprivate);
	if (ret >= 0 && move && out)
		ret = vu_call_copy_out(call, addr, buf, move) ?: ret;
	return ret;
}

static long vu_sc_ioctl_module(struct vu_call *call, struct vu_vfd *f)
{
	return vu_ioctl_module(call, f->ht, f->sfd, f->fdprivate);
}

/*
 * ioctl on a real fd: a CHECKIOCTL entry that claims the request (by
 * number, or a wildcard whose confirm function takes it) serves it, as
 * VUOS's choice_ioctl; else the kernel runs it. (The kernel forwards an
 * ioctl on a real fd only when its filter knows the request may be
 * claimed.)
 */
static void vu_sc_ioctl_real(struct vu_call *call)
{
	unsigned long req = (unsigned long)call->msg->args[1];
	struct vuht_entry_t *ht;
	long ret;

	ht = vuht_has_type(CHECKIOCTL) ? vuht_pick(CHECKIOCTL, &req, (int)sizeof(req),
						   vu_epoch_get())
				       : NULL;
	if (!ht) {
		vu_call_native(call);
		return;
	}
	vu_debug('c', "tid %d: ioctl 0x%lx of real fd %d: module %s", call->msg->tid, req,
		 (int)call->msg->args[0], ht->service->mod ? ht->service->mod->name : "?");
	ret = vu_ioctl_module(call, ht, -1, NULL);
	vuht_drop(ht);
	vu_call_return(call, ret);
}

/*
 * ioctl on a placeholder. FIOCLEX and FIONCLEX act on the member's
 * descriptor: the kernel does them. FIONBIO is F_SETFL of O_NONBLOCK (the
 * module's fcntl, then the placeholder). FIONREAD of a regular file (size
 * less position), FIOQSIZE (bytes used) and FIGETBSZ come from the
 * module's lstat (and lseek).
 * A placeholder cannot send SIGIO: FIOASYNC fails with ENOTTY. Anything
 * else goes to the module's ioctl method, or fails with ENOTTY, as on a
 * file without ioctls.
 */
void vu_sc_ioctl(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f;
	unsigned long req = (unsigned long)msg->args[1];
	uint64_t addr = msg->args[2];
	struct stat st;
	long ret;
	int on;

	if (!msg->vfd[0]) {
		vu_sc_ioctl_real(call);
		return;
	}
	f = vu_sc_vfd(call);
	if (!f)
		return;
	switch (req) {
	case FIOCLEX:
	case FIONCLEX:
		vu_call_native(call);
		return;
	case FIONBIO:
		ret = vu_peek(call->be, msg, addr, &on, sizeof(on));
		if (ret < 0)
			break;
		ret = vu_mcall(f->ht, fcntl, int, (int, int, long, void *), f->sfd, F_SETFL,
			       (long)((f->flags & ~O_NONBLOCK) | (on ? O_NONBLOCK : 0)),
			       f->fdprivate);
		if (ret == -ENOSYS && !f->ht->service->method[VU_M_fcntl])
			ret = 0;
		if (ret < 0)
			break;
		f->flags = (f->flags & ~O_NONBLOCK) | (on ? O_NONBLOCK : 0);
		vu_call_native(call); /* the placeholder's own flag, for F_GETFL */
		return;
	case FIOASYNC:
		ret = -ENOTTY;
		break;
	case FIONREAD:
	case FIOQSIZE:
	case FIGETBSZ:
		ret = vu_sc_fstat(f, &st);
		if (ret < 0)
			break;
		if (req == FIGETBSZ) {
			int bsz = (int)st.st_blksize;

			ret = vu_call_copy_out(call, addr, &bsz, sizeof(bsz));
		} else if (req == FIOQSIZE && (S_ISREG(st.st_mode) || S_ISDIR(st.st_mode) ||
					       S_ISLNK(st.st_mode))) {
			int64_t bytes = (int64_t)st.st_blocks * 512; /* what it uses, as inode_get_bytes */

			ret = vu_call_copy_out(call, addr, &bytes, sizeof(bytes));
		} else if (req == FIONREAD && S_ISREG(st.st_mode)) {
			off_t pos = vu_mcall(f->ht, lseek, off_t, (int, off_t, int, void *), f->sfd,
					     0, SEEK_CUR, f->fdprivate);
			int64_t left = pos < 0 ? 0 : st.st_size - pos;
			int n = left < 0 ? 0 : left > INT_MAX ? INT_MAX : (int)left;

			ret = vu_call_copy_out(call, addr, &n, sizeof(n));
		} else {
			ret = vu_sc_ioctl_module(call, f);
		}
		break;
	default:
		ret = vu_sc_ioctl_module(call, f);
		break;
	}
	vu_call_return(call, ret);
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
	enum vu_method m = call->msg->nr == __NR_fsync	   ? VU_M_fsync
			   : call->msg->nr == __NR_syncfs ? VU_M_syncfs
							  : VU_M_fdatasync;

	if (m == VU_M_fsync)
		ret = vu_mcall(f->ht, fsync, int, (int, void *), f->sfd, f->fdprivate);
	else if (m == VU_M_syncfs)
		ret = vu_mcall(f->ht, syncfs, int, (int, void *), f->sfd, f->fdprivate);
	else
		ret = vu_mcall(f->ht, fdatasync, int, (int, void *), f->sfd, f->fdprivate);
	/* nothing of the module's own to flush */
	if (ret == -ENOSYS && !f->ht->service->method[m])
		ret = 0;
	vu_call_return(call, ret);
}

static void vu_sync_mount(struct vuht_entry_t *ht, void *arg)
{
	(void)arg;
	if (ht->service && ht->service->method[VU_M_syncfs])
		vu_mcall(ht, syncfs, int, (int, void *), -1, NULL);
}

/*
 * sync(2): every mount's module is asked to write what it holds (its
 * syncfs with no file: sfd -1, fdprivate NULL), then the kernel syncs the
 * real file systems. sync cannot fail, so the modules' errors are not told.
 */
void vu_sc_sync(struct vu_call *call)
{
	vuht_foreach(CHECKPATH, vu_sync_mount, NULL);
	vu_call_native(call);
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

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/xfer.c - the calls that move data from one fd to another inside the
 * kernel: sendfile, copy_file_range, splice and tee, when one end is a
 * placeholder.
 *
 * sendfile and copy_file_range are emulated: the daemon reads from the in
 * end and writes to the out end, at most VU_IO_MAX bytes per call (a
 * short count, which their callers loop on). A virtual end goes through
 * the module (pread64/pwrite64 at the offset when the call gives an
 * offset pointer, which is then updated and the file position left
 * alone; read/write at the file position otherwise). A real end must be
 * reached in the member's own open file: the daemon takes a copy of it
 * with pidfd_getfd(2) (the member is the daemon's descendant, same
 * credentials) and uses it only if it is a regular file, whose reads and
 * writes do not wait on another member. A pipe, socket or tty, or a copy
 * the kernel refuses, fails with EINVAL and a log line: the daemon must
 * never block on a member's pipe, which the caller itself may be the one
 * to drain (cp and python's shutil then fall back to read and write).
 *
 * splice and tee need a pipe at one or both ends; a placeholder is never
 * a pipe, so tee, and splice between two placeholders, fail with EINVAL
 * as the kernel says for non-pipes. A splice between a placeholder and a
 * real pipe would block the daemon on the pipe: EINVAL and a log line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/fd.h"
#include "sc/handlers.h"
#include "core/vfd.h"

/* One end of the transfer. */
struct vu_xend {
	int arg;           /* the fd argument */
	struct vu_vfd *f;  /* virtual: the placeholder's file */
	int fd;            /* real: the daemon's copy of the member's file, or -1 */
	uint64_t offp;     /* the offset pointer in the member, 0 for none */
	int64_t off;       /* *offp */
};

/* The handle of the placeholder in argument @arg, 0 for a real fd. */
static uint64_t vu_xfer_handle(const struct vu_msg *msg, int arg)
{
	for (int i = 0; i < 2; i++)
		if (msg->fd_arg[i] == arg)
			return msg->vfd[i];
	return 0;
}

static const char *vu_xfer_name(const struct vu_msg *msg)
{
	switch (msg->nr) {
	case __NR_sendfile:
		return "sendfile";
	case __NR_copy_file_range:
		return "copy_file_range";
	case __NR_splice:
		return "splice";
	default:
		return "tee";
	}
}

static long vu_xfer_refuse(struct vu_call *call, const char *why)
{
	vu_log(LOG_NOTICE, "tid %d: %s with a virtual file: %s: EINVAL", call->msg->tid,
	       vu_xfer_name(call->msg), why);
	return -EINVAL;
}

/*
 * The member's real fd @fd as a file of the daemon, if it is a regular
 * file: the fd, or -errno (-EINVAL after a log line for what is refused).
 */
static int vu_xfer_real(struct vu_call *call, int fd)
{
	int pidfd, copy, err;
	struct stat st;

	if (fd < 0)
		return -EBADF;
	pidfd = (int)syscall(SYS_pidfd_open, call->msg->tgid, 0);
	if (pidfd < 0)
		return vu_xfer_refuse(call, "the member is out of reach (pidfd_open)");
	copy = (int)syscall(SYS_pidfd_getfd, pidfd, fd, 0);
	err = errno;
	close(pidfd);
	if (copy < 0) {
		if (err == EBADF)
			return -EBADF;
		return vu_xfer_refuse(call, err == EPERM ? "the real fd is out of reach (EPERM)"
							 : "the real fd is out of reach");
	}
	if (fstat(copy, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(copy);
		return vu_xfer_refuse(call, "the real end is not a regular file");
	}
	return copy;
}

static int vu_xend_accmode(const struct vu_xend *e)
{
	return e->f ? e->f->flags & O_ACCMODE : fcntl(e->fd, F_GETFL) & O_ACCMODE;
}

static bool vu_xend_append(const struct vu_xend *e)
{
	return e->f ? e->f->flags & O_APPEND : fcntl(e->fd, F_GETFL) & O_APPEND;
}

static ssize_t vu_xend_read(struct vu_xend *e, void *buf, size_t len)
{
	ssize_t n;

	off_t off = (off_t)e->off;

	if (e->f)
		return vu_file_read(e->f, buf, len, e->offp ? &off : NULL, 0);
	n = e->offp ? pread(e->fd, buf, len, (off_t)e->off) : read(e->fd, buf, len);
	return n < 0 ? -errno : n;
}

static ssize_t vu_xend_write(struct vu_xend *e, const void *buf, size_t len, off_t off)
{
	ssize_t n;

	if (e->f)
		return vu_file_write(e->f, buf, len, e->offp ? &off : NULL, 0);
	n = e->offp ? pwrite(e->fd, buf, len, off) : write(e->fd, buf, len);
	return n < 0 ? -errno : n;
}

/* Move the file position of @e by @delta (a short write gives back what was read). */
static void vu_xend_unread(struct vu_xend *e, off_t delta)
{
	if (e->f)
		vu_mcall(e->f->ht, lseek, off_t, (int, off_t, int, void *), e->f->sfd, -delta,
			 SEEK_CUR, e->f->fdprivate);
	else
		lseek(e->fd, -delta, SEEK_CUR);
}

static off_t vu_xend_pos(struct vu_xend *e)
{
	if (e->offp)
		return (off_t)e->off;
	if (e->f)
		return vu_mcall(e->f->ht, lseek, off_t, (int, off_t, int, void *), e->f->sfd, 0,
				SEEK_CUR, e->f->fdprivate);
	return lseek(e->fd, 0, SEEK_CUR);
}

/* Set up @e for argument @arg with offset pointer @offp: 0 or -errno. */
static long vu_xend_get(struct vu_call *call, struct vu_xend *e, int arg, uint64_t offp)
{
	const struct vu_msg *msg = call->msg;
	uint64_t handle = vu_xfer_handle(msg, arg);
	long ret;

	e->arg = arg;
	e->f = NULL;
	e->fd = -1;
	e->offp = offp;
	e->off = 0;
	if (offp) {
		ret = vu_peek(call->be, msg, offp, &e->off, sizeof(e->off));
		if (ret < 0)
			return ret;
		if (e->off < 0)
			return -EINVAL;
	}
	if (handle) {
		e->f = vu_vfd_get(handle);
		return e->f ? 0 : -EBADF;
	}
	e->fd = vu_xfer_real(call, (int)msg->args[arg]);
	return e->fd < 0 ? e->fd : 0;
}

static void vu_xend_put(struct vu_xend *e)
{
	if (e->fd >= 0)
		close(e->fd);
	e->fd = -1;
}

/* Copy at most @len bytes from @in to @out: bytes written, or -errno. */
static long vu_xfer_copy(struct vu_call *call, struct vu_xend *in, struct vu_xend *out,
			 size_t len)
{
	size_t done = 0;
	ssize_t n;
	char *buf;

	if (len > VU_IO_MAX)
		len = VU_IO_MAX;
	if (len == 0)
		return 0;
	buf = vu_call_alloc(call, len);
	if (!buf)
		return -ENOMEM;
	n = vu_xend_read(in, buf, len);
	if (n <= 0)
		return n;
	while (done < (size_t)n) {
		ssize_t w = vu_xend_write(out, buf + done, (size_t)n - done,
					  (off_t)(out->off + (int64_t)done));

		if (w <= 0) {
			if (done == 0)
				return w < 0 ? w : -EIO;
			break;
		}
		done += (size_t)w;
	}
	if (!in->offp && done < (size_t)n)
		vu_xend_unread(in, (off_t)((size_t)n - done));
	return (long)done;
}

static long vu_xend_stat(struct vu_xend *e, struct stat *st)
{
	if (e->f)
		return vu_mcall(e->f->ht, lstat, int, (char *, struct stat *, int, int, void *),
				(char *)vu_vfd_mpath(e->f), st, 0, e->f->sfd, e->f->fdprivate);
	return fstat(e->fd, st) < 0 ? -errno : 0;
}

/*
 * copy_file_range's checks, in the kernel's order: regular files (EISDIR,
 * EINVAL), open modes and O_APPEND (EBADF), and no overlap within one
 * file once the count is cut at the end of the in file (EINVAL).
 */
static long vu_xfer_cfr_checks(struct vu_xend *in, struct vu_xend *out, size_t len)
{
	struct stat sin, sout;
	long ret = vu_xend_stat(in, &sin);

	if (ret == 0)
		ret = vu_xend_stat(out, &sout);
	if (ret < 0)
		return ret;
	if (S_ISDIR(sin.st_mode) || S_ISDIR(sout.st_mode))
		return -EISDIR;
	if (!S_ISREG(sin.st_mode) || !S_ISREG(sout.st_mode))
		return -EINVAL;
	if (vu_xend_accmode(in) == O_WRONLY || vu_xend_accmode(out) == O_RDONLY ||
	    vu_xend_append(out))
		return -EBADF;
	if (sin.st_dev == sout.st_dev && sin.st_ino == sout.st_ino) {
		off_t pin = vu_xend_pos(in), pout = vu_xend_pos(out);
		off_t count = pin >= sin.st_size ? 0 : sin.st_size - pin;

		if (count > (off_t)len)
			count = (off_t)len;
		if (pin >= 0 && pout >= 0 && pout + count > pin && pout < pin + count)
			return -EINVAL;
	}
	return 0;
}

static long vu_xfer_serve(struct vu_call *call, struct vu_xend *in, struct vu_xend *out,
			  size_t len)
{
	long ret;

	if (call->msg->nr == __NR_copy_file_range) {
		ret = vu_xfer_cfr_checks(in, out, len);
		if (ret < 0)
			return ret;
	} else {
		if (vu_xend_accmode(in) == O_WRONLY || vu_xend_accmode(out) == O_RDONLY)
			return -EBADF;
		if (vu_xend_append(out))
			return -EINVAL; /* sendfile to an O_APPEND file */
	}
	ret = vu_xfer_copy(call, in, out, len);
	if (ret <= 0)
		return ret;
	/* the offsets the member sees move with what was copied */
	if (in->offp) {
		int64_t v = in->off + ret;
		long r = vu_call_copy_out(call, in->offp, &v, sizeof(v));

		if (r < 0)
			return r;
	}
	if (out->offp) {
		int64_t v = out->off + ret;
		long r = vu_call_copy_out(call, out->offp, &v, sizeof(v));

		if (r < 0)
			return r;
	}
	return ret;
}

void vu_sc_xfer(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_xend in = { .fd = -1 }, out = { .fd = -1 };
	long ret;

	if (!msg->vfd[0] && !msg->vfd[1]) {
		vu_call_native(call);
		return;
	}
	switch (msg->nr) {
	case __NR_sendfile:
		/* sendfile(out, in, off_t *offset, count): the offset is the in end's */
		ret = vu_xend_get(call, &in, 1, msg->args[2]);
		if (ret == 0)
			ret = vu_xend_get(call, &out, 0, 0);
		if (ret == 0)
			ret = vu_xfer_serve(call, &in, &out, (size_t)msg->args[3]);
		break;
	case __NR_copy_file_range:
		if (msg->args[5]) {
			ret = -EINVAL; /* no flags are defined */
			break;
		}
		ret = vu_xend_get(call, &in, 0, msg->args[1]);
		if (ret == 0)
			ret = vu_xend_get(call, &out, 2, msg->args[3]);
		if (ret == 0)
			ret = vu_xfer_serve(call, &in, &out, (size_t)msg->args[4]);
		break;
	case __NR_splice:
		ret = vu_xfer_refuse(call, msg->vfd[0] && msg->vfd[1]
						   ? "neither end is a pipe"
						   : "a splice with a pipe is not served");
		break;
	default: /* tee: both ends must be pipes */
		ret = vu_xfer_refuse(call, "a virtual file is not a pipe");
		break;
	}
	vu_xend_put(&in);
	vu_xend_put(&out);
	vu_call_return(call, ret);
}

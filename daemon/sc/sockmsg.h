/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/sockmsg.h - the arguments of the socket calls, read from a member and
 * bounded: addresses, iovecs, ancillary data and option values. Pure
 * logic over member_mem.h (no module is called), shared by sc/socket.c
 * and the unit tests.
 *
 * The caps (what a member may make the daemon allocate per call):
 *  - an address: sizeof(struct sockaddr_storage), 128 bytes, as the
 *    kernel (more is EINVAL for bind, connect and sendto; a msghdr's
 *    msg_namelen is cut to it, as the kernel does);
 *  - data: VU_IO_MAX (256 KiB) per message, a short count beyond;
 *  - iovecs: UIO_MAXIOV (1024) per message, more is EMSGSIZE, as the kernel;
 *  - ancillary data: VU_SOCK_CTL_MAX (64 KiB); a larger msg_controllen is
 *    ENOBUFS for sendmsg (the kernel's answer past optmem_max), and the
 *    buffer of recvmsg is cut to it;
 *  - an option value: VU_SOCK_OPT_MAX (64 KiB); setsockopt with more is
 *    EINVAL, getsockopt's buffer is cut to it;
 *  - sendmmsg, recvmmsg: UIO_MAXIOV messages per call, as the kernel.
 */
#ifndef KMVIEW_DAEMON_SC_SOCKMSG_H
#define KMVIEW_DAEMON_SC_SOCKMSG_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include "backend/backend.h"

#define VU_SOCK_ADDR_MAX ((socklen_t)sizeof(struct sockaddr_storage))
#define VU_SOCK_CTL_MAX (64 * 1024)
#define VU_SOCK_TRUNC_MAX (1 << 20) /* a MSG_TRUNC length: no datagram is longer */
#define VU_SOCK_OPT_MAX (64 * 1024)
#define VU_SOCK_IOV_MAX 1024  /* UIO_MAXIOV */
#define VU_SOCK_MMSG_MAX 1024 /* UIO_MAXIOV */

/* O_CLOEXEC and O_NONBLOCK of the SOCK_* flags of socket's @type or accept4's @flags. */
int vu_sock_open_flags(int type);

/*
 * The address of bind, connect, sendto: @len bytes at @addr (an int in
 * the system call) read into @buf (VU_SOCK_ADDR_MAX bytes). Returns the
 * length (0 for a NULL @addr, which the caller passes as NULL), -EINVAL
 * if @len is negative or more than VU_SOCK_ADDR_MAX, -EFAULT.
 */
int vu_sock_addr_in(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, int len,
		    void *buf);

/*
 * The room for an address to return (getsockname, accept, recvfrom): the
 * int at @lenaddr. -EFAULT, -EINVAL for a negative length; else 0 and
 * *@plen, cut to VU_SOCK_ADDR_MAX, is the buffer the module gets.
 */
int vu_sock_addrlen_out(struct vu_backend *be, const struct vu_msg *req, uint64_t lenaddr,
			socklen_t *plen);

/* Bytes of a returned address to copy: the member's room or what the module gave, less. */
static inline size_t vu_sock_addr_copylen(socklen_t room, socklen_t got)
{
	if (room > VU_SOCK_ADDR_MAX)
		room = VU_SOCK_ADDR_MAX;
	return got < room ? got : room;
}

/*
 * The iovecs of a msghdr: @n at @addr read into @iov (VU_SOCK_IOV_MAX
 * entries). Returns the bytes they describe, cut to @cap, or -EMSGSIZE
 * (more than VU_SOCK_IOV_MAX), -EINVAL (a total beyond SSIZE_MAX), -EFAULT.
 */
ssize_t vu_sock_iov_in(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, size_t n,
		       struct iovec *iov, size_t cap);
/* Copy the first @len bytes the @n iovecs @iov describe in the member to @buf: 0 or -EFAULT. */
int vu_sock_gather(struct vu_backend *be, const struct vu_msg *req, const struct iovec *iov,
		   size_t n, void *buf, size_t len);
/* Copy @len bytes of @buf to the member along the @n iovecs @iov: 0 or -EFAULT. */
int vu_sock_scatter(struct vu_backend *be, const struct vu_msg *req, const struct iovec *iov,
		    size_t n, const void *buf, size_t len);

/*
 * The lengths of a member's msghdr @m, checked as the kernel does: the
 * name's (0 without msg_name; -EINVAL if negative; cut to
 * VU_SOCK_ADDR_MAX) and the control's (0 without msg_control; for a send
 * -ENOBUFS beyond VU_SOCK_CTL_MAX, for a receive cut to it).
 */
int vu_sock_msg_lens(const struct msghdr *m, int sending, socklen_t *namelen, size_t *ctllen);

#endif /* KMVIEW_DAEMON_SC_SOCKMSG_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/sockmsg.c - the socket calls' arguments, read from a member and
 * bounded (sockmsg.h says the caps).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/member_mem.h"
#include "sc/sockmsg.h"

int vu_sock_open_flags(int type)
{
	return (type & SOCK_CLOEXEC ? O_CLOEXEC : 0) | (type & SOCK_NONBLOCK ? O_NONBLOCK : 0);
}

int vu_sock_addr_in(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, int len,
		    void *buf)
{
	int ret;

	if (len < 0 || len > (int)VU_SOCK_ADDR_MAX)
		return -EINVAL;
	if (!addr || len == 0)
		return 0;
	ret = vu_peek(be, req, addr, buf, (size_t)len);
	return ret < 0 ? ret : len;
}

int vu_sock_addrlen_out(struct vu_backend *be, const struct vu_msg *req, uint64_t lenaddr,
			socklen_t *plen)
{
	int len;
	int ret;

	*plen = 0;
	if (!lenaddr)
		return -EFAULT;
	ret = vu_peek(be, req, lenaddr, &len, sizeof(len));
	if (ret < 0)
		return ret;
	if (len < 0)
		return -EINVAL;
	*plen = (socklen_t)len > VU_SOCK_ADDR_MAX ? VU_SOCK_ADDR_MAX : (socklen_t)len;
	return 0;
}

ssize_t vu_sock_iov_in(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, size_t n,
		       struct iovec *iov, size_t cap)
{
	size_t total = 0;
	int ret;

	if (n > VU_SOCK_IOV_MAX)
		return -EMSGSIZE;
	if (n == 0)
		return 0;
	ret = vu_peek(be, req, addr, iov, n * sizeof(*iov));
	if (ret < 0)
		return ret;
	for (size_t i = 0; i < n; i++) {
		/* the kernel refuses a total that does not fit a ssize_t */
		if (iov[i].iov_len > (size_t)SSIZE_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return (ssize_t)(total > cap ? cap : total);
}

int vu_sock_gather(struct vu_backend *be, const struct vu_msg *req, const struct iovec *iov,
		   size_t n, void *buf, size_t len)
{
	char *p = buf;

	for (size_t i = 0; i < n && len > 0; i++) {
		size_t part = iov[i].iov_len < len ? iov[i].iov_len : len;
		int ret;

		if (part == 0)
			continue;
		ret = vu_peek(be, req, (uint64_t)(uintptr_t)iov[i].iov_base, p, part);
		if (ret < 0)
			return ret;
		p += part;
		len -= part;
	}
	return 0;
}

int vu_sock_scatter(struct vu_backend *be, const struct vu_msg *req, const struct iovec *iov,
		    size_t n, const void *buf, size_t len)
{
	const char *p = buf;

	for (size_t i = 0; i < n && len > 0; i++) {
		size_t part = iov[i].iov_len < len ? iov[i].iov_len : len;
		int ret;

		if (part == 0)
			continue;
		ret = vu_poke(be, req, (uint64_t)(uintptr_t)iov[i].iov_base, p, part);
		if (ret < 0)
			return ret;
		p += part;
		len -= part;
	}
	return 0;
}

int vu_sock_msg_lens(const struct msghdr *m, int sending, socklen_t *namelen, size_t *ctllen)
{
	*namelen = 0;
	*ctllen = 0;
	if (m->msg_name) {
		if ((int)m->msg_namelen < 0)
			return -EINVAL;
		*namelen = m->msg_namelen > VU_SOCK_ADDR_MAX ? VU_SOCK_ADDR_MAX : m->msg_namelen;
	}
	if (m->msg_control && m->msg_controllen) {
		if (m->msg_controllen > VU_SOCK_CTL_MAX && sending)
			return -ENOBUFS;
		*ctllen = m->msg_controllen > VU_SOCK_CTL_MAX ? VU_SOCK_CTL_MAX : m->msg_controllen;
	}
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/iov.c - readv, writev, preadv, pwritev, preadv2, pwritev2 on
 * placeholders, emulated with one call of the module's read, write,
 * pread64 or pwrite64 over the whole vector: the data is gathered from
 * or scattered to the member's segments by the daemon. As for read and
 * write, at most VU_IO_MAX bytes move per call (a short count).
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include "core/member_mem.h"
#include "sc/fd.h"
#include "sc/handlers.h"
#include "core/vfd.h"

#define VU_IOV_MAX 1024 /* UIO_MAXIOV */

struct vu_iov {
	struct iovec *v; /* the member's segments, addresses in the member */
	int n;
	size_t total; /* bytes covered, at most VU_IO_MAX */
};

static long vu_iov_read(struct vu_call *call, struct vu_iov *iov)
{
	const struct vu_msg *msg = call->msg;
	int cnt = (int)msg->args[2];
	long ret;

	if (cnt < 0 || cnt > VU_IOV_MAX)
		return -EINVAL;
	iov->n = cnt;
	iov->total = 0;
	iov->v = vu_call_alloc(call, (size_t)(cnt ? cnt : 1) * sizeof(*iov->v));
	if (!iov->v)
		return -ENOMEM;
	ret = cnt ? vu_peek(call->be, msg, msg->args[1], iov->v, (size_t)cnt * sizeof(*iov->v))
		  : 0;
	if (ret < 0)
		return ret;
	for (int i = 0; i < cnt; i++) {
		if ((ssize_t)iov->v[i].iov_len < 0)
			return -EINVAL;
		if (iov->total + iov->v[i].iov_len > VU_IO_MAX) {
			iov->v[i].iov_len = VU_IO_MAX - iov->total;
			iov->n = i + 1;
		}
		iov->total += iov->v[i].iov_len;
		if (iov->total == VU_IO_MAX)
			break;
	}
	return 0;
}

/* The offset of the p forms, NULL for the current position (or preadv2's -1). */
static const off_t *vu_iov_offset(const struct vu_msg *msg, off_t *off, int *flags)
{
	*flags = 0;
	*off = (off_t)msg->args[3];
	switch (msg->nr) {
	case __NR_preadv2:
	case __NR_pwritev2:
		*flags = (int)msg->args[5];
		return *off != -1 ? off : NULL;
	case __NR_preadv:
	case __NR_pwritev:
		return off;
	default:
		return NULL;
	}
}

/*
 * The placeholder, the member's vector and a buffer for all the bytes it
 * covers, or NULL once the reply is chosen.
 */
static struct vu_vfd *vu_iov_get(struct vu_call *call, struct vu_iov *iov, char **buf)
{
	struct vu_vfd *f = vu_sc_vfd(call);
	long ret;

	if (!f)
		return NULL;
	ret = vu_iov_read(call, iov);
	*buf = ret == 0 ? vu_call_alloc(call, iov->total ? iov->total : 1) : NULL;
	if (ret == 0 && !*buf)
		ret = -ENOMEM;
	if (ret < 0) {
		vu_call_return(call, ret);
		return NULL;
	}
	return f;
}

void vu_sc_readv(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_iov iov;
	struct vu_vfd *f;
	const off_t *at;
	char *buf;
	off_t off;
	int flags;
	long ret;

	f = vu_iov_get(call, &iov, &buf);
	if (!f)
		return;
	at = vu_iov_offset(msg, &off, &flags);
	ret = vu_file_read(f, buf, iov.total, at, flags);
	/* scatter what was read; the member sees it only if the call succeeds */
	for (size_t done = 0, i = 0; ret > 0 && done < (size_t)ret; i++) {
		size_t n = iov.v[i].iov_len;

		if (n > (size_t)ret - done)
			n = (size_t)ret - done;
		if (n && vu_poke(call->be, msg, (uint64_t)(uintptr_t)iov.v[i].iov_base,
				 buf + done, n) < 0) {
			ret = -EFAULT;
			break;
		}
		done += n;
	}
	vu_call_return(call, ret);
}

void vu_sc_writev(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_iov iov;
	struct vu_vfd *f;
	size_t done = 0;
	const off_t *at;
	char *buf;
	off_t off;
	int flags;
	long ret = 0;

	f = vu_iov_get(call, &iov, &buf);
	if (!f)
		return;
	for (int i = 0; ret == 0 && i < iov.n; i++) {
		size_t n = iov.v[i].iov_len;

		if (n)
			ret = vu_peek(call->be, msg, (uint64_t)(uintptr_t)iov.v[i].iov_base,
				      buf + done, n);
		done += n;
	}
	if (ret == 0) {
		at = vu_iov_offset(msg, &off, &flags);
		ret = vu_file_write(f, buf, iov.total, at, flags);
	}
	vu_call_return(call, ret);
}

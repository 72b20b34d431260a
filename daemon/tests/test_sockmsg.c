// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_sockmsg.c - the socket calls' arguments (sc/sockmsg.c): address
 * lengths, iovecs gathered and scattered across the fake backend's
 * "pages", and the msghdr bounds, each as the kernel answers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>

#include "fake_backend.h"
#include "sc/fd.h"
#include "sc/sockmsg.h"
#include "tap.h"

static struct fake_backend f;
static struct vu_msg req = { .type = VU_MSG_SYSCALL, .tid = 1, .unique = 3 };

#define A(off) ((void *)(uintptr_t)(0x1000 + (off)))

int main(void)
{
	static uint8_t page[4096];
	struct sockaddr_storage ss;
	struct iovec iov[VU_SOCK_IOV_MAX + 1];
	char buf[64];
	socklen_t len;
	int ilen;

	fake_init(&f, 0);
	fake_map(&f, 0x1000, page, sizeof(page));
	fake_hold(&f, 3);

	is_long(vu_sock_open_flags(SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK),
		O_CLOEXEC | O_NONBLOCK, "SOCK_CLOEXEC and SOCK_NONBLOCK are the open flags");
	is_long(vu_sock_open_flags(SOCK_STREAM), 0, "no flag, none");

	/* addresses in */
	memcpy(page, "\x0c\x00name", 6);
	is_long(vu_sock_addr_in(&f.be, &req, 0x1000, 6, &ss), 6, "an address is read");
	ok(memcmp(&ss, "\x0c\x00name", 6) == 0, "as it is");
	is_long(vu_sock_addr_in(&f.be, &req, 0x1000, 129, &ss), -EINVAL,
		"longer than a sockaddr_storage: EINVAL, as the kernel");
	is_long(vu_sock_addr_in(&f.be, &req, 0x1000, 128, &ss), 128, "exactly 128 bytes: read");
	is_long(vu_sock_addr_in(&f.be, &req, 0x1000, -1, &ss), -EINVAL, "negative: EINVAL");
	is_long(vu_sock_addr_in(&f.be, &req, 0x9000, 16, &ss), -EFAULT, "unmapped: EFAULT");
	is_long(vu_sock_addr_in(&f.be, &req, 0x1000 + 4090, 16, &ss), -EFAULT,
		"running off the page: EFAULT");
	is_long(vu_sock_addr_in(&f.be, &req, 0, 0, &ss), 0, "none: 0");

	/* room for addresses out */
	ilen = 1000;
	memcpy(page + 100, &ilen, sizeof(ilen));
	is_long(vu_sock_addrlen_out(&f.be, &req, 0x1000 + 100, &len), 0, "room read");
	is_long(len, 128, "cut to a sockaddr_storage: the module's buffer is bounded");
	ilen = 10;
	memcpy(page + 100, &ilen, sizeof(ilen));
	vu_sock_addrlen_out(&f.be, &req, 0x1000 + 100, &len);
	is_long(len, 10, "a smaller room is kept");
	ilen = -5;
	memcpy(page + 100, &ilen, sizeof(ilen));
	is_long(vu_sock_addrlen_out(&f.be, &req, 0x1000 + 100, &len), -EINVAL, "negative: EINVAL");
	is_long(vu_sock_addrlen_out(&f.be, &req, 0, &len), -EFAULT, "no length: EFAULT");
	is_long(vu_sock_addr_copylen(10, 16), 10, "copied: the member's room when less");
	is_long(vu_sock_addr_copylen(1000, 16), 16, "copied: what the module gave when less");
	is_long(vu_sock_addr_copylen(1000, 500), 128, "never more than 128");

	/* iovecs: three pieces in the member, one empty */
	struct iovec m[3] = { { A(200), 3 }, { A(300), 0 }, { A(400), 4 } };

	memcpy(page + 500, m, sizeof(m));
	memcpy(page + 200, "abc", 3);
	memcpy(page + 400, "defg", 4);
	is_long(vu_sock_iov_in(&f.be, &req, 0x1000 + 500, 3, iov, VU_IO_MAX), 7,
		"the iovecs describe 7 bytes");
	is_long(vu_sock_gather(&f.be, &req, iov, 3, buf, 7), 0, "gathered");
	ok(memcmp(buf, "abcdefg", 7) == 0, "in order, the empty one skipped");
	is_long(vu_sock_iov_in(&f.be, &req, 0x1000 + 500, 3, iov, 5), 5, "cut to the cap");
	memset(buf, 0, sizeof(buf));
	vu_sock_gather(&f.be, &req, iov, 3, buf, 5);
	ok(memcmp(buf, "abcde\0", 6) == 0, "a gather of the first 5 bytes stops there");
	is_long(vu_sock_scatter(&f.be, &req, iov, 3, "ABCDEF", 6), 0, "scattered");
	ok(memcmp(page + 200, "ABC", 3) == 0 && memcmp(page + 400, "DEFg", 4) == 0,
		"6 bytes across the pieces, the rest untouched");
	is_long(vu_sock_iov_in(&f.be, &req, 0x1000 + 500, VU_SOCK_IOV_MAX + 1, iov, VU_IO_MAX),
		-EMSGSIZE, "more than UIO_MAXIOV iovecs: EMSGSIZE, nothing read");
	is_long(vu_sock_iov_in(&f.be, &req, 0x1000 + 4090, 2, iov, VU_IO_MAX), -EFAULT,
		"iovecs off the page: EFAULT");
	struct iovec huge[2] = { { A(0), SIZE_MAX / 2 }, { A(0), SIZE_MAX / 2 } };

	memcpy(page + 600, huge, sizeof(huge));
	is_long(vu_sock_iov_in(&f.be, &req, 0x1000 + 600, 2, iov, VU_IO_MAX), -EINVAL,
		"a total beyond SSIZE_MAX: EINVAL");
	struct iovec bad[1] = { { (void *)0x9000, 4 } };

	is_long(vu_sock_gather(&f.be, &req, bad, 1, buf, 4), -EFAULT, "gather from nowhere: EFAULT");
	is_long(vu_sock_scatter(&f.be, &req, bad, 1, "xxxx", 4), -EFAULT,
		"scatter to nowhere: EFAULT");

	/* msghdr bounds */
	struct msghdr h = { .msg_name = A(0), .msg_namelen = 200 };
	size_t ctl;

	is_long(vu_sock_msg_lens(&h, 1, &len, &ctl), 0, "a long msg_namelen is accepted");
	is_long(len, 128, "and cut to 128, as the kernel");
	h.msg_namelen = (socklen_t)-1;
	is_long(vu_sock_msg_lens(&h, 1, &len, &ctl), -EINVAL, "a negative msg_namelen: EINVAL");
	h.msg_name = NULL;
	is_long(vu_sock_msg_lens(&h, 1, &len, &ctl), 0, "no name: its length does not matter");
	is_long(len, 0, "and is 0");
	h.msg_control = A(0);
	h.msg_controllen = VU_SOCK_CTL_MAX + 1;
	is_long(vu_sock_msg_lens(&h, 1, &len, &ctl), -ENOBUFS,
		"sending more ancillary data than the cap: ENOBUFS");
	is_long(vu_sock_msg_lens(&h, 0, &len, &ctl), 0, "receiving: accepted");
	is_long(ctl, VU_SOCK_CTL_MAX, "the buffer cut to the cap");
	h.msg_control = NULL;
	vu_sock_msg_lens(&h, 1, &len, &ctl);
	is_long(ctl, 0, "no control buffer: no ancillary data");
	is_long(f.protocol_errors, 0, "no rule of the backend broken");
	return tap_done();
}

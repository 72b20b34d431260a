// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_socket.c - the socket calls (sc/socket.c) over the fake backend,
 * with sockecho (selftests/kmview/modules), which claims AF_DECnet: the
 * filter gets socket(2) for the family alone; socket() of it is the
 * module's placeholder, of AF_INET native; the calls on the placeholder
 * reach the module's methods with the member's data, bounded; a real fd
 * stays native; a method the module lacks is ENOSYS. A stack mounted with
 * VUFLAG_FDPASS hands its sockets over (the module's socketpair end).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "fake_backend.h"
#include "filter.h"
#include "host/modmgmt.h"
#include "base/log.h"
#include "core/vfd.h"
#include "tap.h"

#define AF 12
#define SOL 0x1234
#define A_BUF 0x1000
#define A_ADDR 0x2000
#define A_LEN 0x3000
#define A_MSG 0x4000

#define A_SRC 0x5000
#define A_DST 0x5100
#define A_TYPE 0x5200
#define A_OPTS 0x5300

static struct fake_backend f;
static char m_src[] = "none", m_dst[] = "/kmview-test-stack", m_type[] = "sockecho";
static char m_opts[] = "fdpass";
static char m_buf[1024], m_addr[256];
static int m_len[4];
static char m_msg[512];

static bool bit(long nr)
{
	return f.bitmap[nr / 64] & (1ULL << (nr % 64));
}

/* A call on fd 3 of the member, a placeholder of @h (0: a real fd). */
static long fcall(long nr, uint64_t h, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
		  uint64_t a5)
{
	struct vu_msg m = fake_msg(1, nr, NULL);

	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[0] = 3;
	m.args[1] = a1;
	m.args[2] = a2;
	m.args[3] = a3;
	m.args[4] = a4;
	m.args[5] = a5;
	return fake_serve(&f, m);
}

static const struct vu_reply *last(void)
{
	return &f.replies[f.nreplies - 1].rep;
}

/* socket(AF, @type): the handle of its placeholder, or 0. */
static uint64_t vsocket(int type)
{
	fake_call(&f, 1, __NR_socket, AF, (uint64_t)type, 0, 0);
	return last()->kind == VU_REPLY_VFD ? last()->handle : 0;
}

static void sa(char *to, const char *name)
{
	unsigned short fam = AF;

	memcpy(to, &fam, 2);
	memcpy(to + 2, name, strlen(name));
}

int main(void)
{
	uint64_t h, h2;

	vu_log_set_level(LOG_CRIT);
	fake_init(&f, 0);
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	fake_map(&f, A_ADDR, m_addr, sizeof(m_addr));
	fake_map(&f, A_LEN, m_len, sizeof(m_len));
	fake_map(&f, A_MSG, m_msg, sizeof(m_msg));

	is_long(vu_module_insert(TEST_SOCKECHO, 0), 0, "sockecho loads");
	is_long(vu_filter_sync(&f.be), 0, "the filter follows");
	ok(bit(__NR_socket), "socket(2) reaches the daemon: a module claims a family");
	ok(!bit(__NR_open) && !bit(__NR_bind), "nothing else: no path, no file yet");

	is_long(fake_call(&f, 1, __NR_socket, AF_INET, SOCK_STREAM, 0, 0), FAKE_NATIVE,
		"socket(AF_INET): native");
	h = vsocket(SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC);
	ok(h != 0, "socket(AF_DECnet): a placeholder");
	is_long(last()->open_flags, O_RDWR | O_NONBLOCK | O_CLOEXEC,
		"read-write, SOCK_NONBLOCK and SOCK_CLOEXEC its flags");
	is_long(vu_filter_sync(&f.be), 0, "the filter follows");
	ok(bit(__NR_bind) && bit(__NR_recvmsg), "now the fd calls reach the daemon");
	is_long(fake_call(&f, 1, __NR_socket, AF, 7, 0, 0), -EINVAL,
		"a type the module refuses: its EINVAL");

	sa(m_addr, "here");
	is_long(fcall(__NR_bind, h, A_ADDR, 6, 0, 0, 0), 0, "bind: the module's");
	is_long(fcall(__NR_bind, 0, A_ADDR, 6, 0, 0, 0), FAKE_NATIVE, "bind on a real fd: native");
	is_long(fcall(__NR_bind, h, A_ADDR, 129, 0, 0, 0), -EINVAL, "an address of 129 bytes: EINVAL");
	is_long(fcall(__NR_bind, h, 0x9000, 6, 0, 0, 0), -EFAULT, "a bad address: EFAULT");
	m_len[0] = 64;
	memset(m_buf, 0, 16);
	is_long(fcall(__NR_getsockname, h, A_BUF, A_LEN, 0, 0, 0), 0, "getsockname");
	ok(memcmp(m_buf, m_addr, 6) == 0, "the bound address goes back");
	is_long(m_len[0], 6, "with its length");
	m_len[0] = 3;
	memset(m_buf, 0, 16);
	fcall(__NR_getsockname, h, A_BUF, A_LEN, 0, 0, 0);
	ok(memcmp(m_buf, m_addr, 3) == 0 && m_buf[3] == 0, "a short room: cut");
	is_long(m_len[0], 6, "the full length told, as the kernel");
	is_long(fcall(__NR_getpeername, h, A_BUF, A_LEN, 0, 0, 0), -ENOSYS,
		"getpeername, which the module lacks: ENOSYS");

	sa(m_addr, "dst");
	memcpy(m_buf, "ping", 4);
	is_long(fcall(__NR_sendto, h, A_BUF, 4, MSG_DONTWAIT, A_ADDR, 5), 4, "sendto");
	memset(m_buf, 0, sizeof(m_buf));
	memset(m_addr, 0, sizeof(m_addr));
	m_len[0] = 16;
	is_long(fcall(__NR_recvfrom, h, A_BUF, 100, 0, A_ADDR, A_LEN), 4, "recvfrom: the echo");
	ok(memcmp(m_buf, "ping", 4) == 0, "its data written to the member");
	ok(memcmp(m_addr + 2, "dst", 3) == 0 && m_len[0] == 5, "from where it went, with the length");
	m_len[0] = sizeof(int);
	is_long(fcall(__NR_getsockopt, h, SOL, 2, A_BUF, A_LEN, 0), 0, "getsockopt");
	ok(*(int *)m_buf == MSG_DONTWAIT && m_len[0] == sizeof(int),
	   "the flags of the send reached the module");

	is_long(fcall(__NR_write, h, A_BUF, 1, 0, 0, 0), -ENOTCONN,
		"write on an unconnected datagram socket: the module's ENOTCONN");
	sa(m_addr, "peer");
	is_long(fcall(__NR_connect, h, A_ADDR, 6, 0, 0, 0), 0, "connect");

	/* sendmsg, recvmsg: three iovecs (one empty) and ancillary data */
	struct msghdr *mh = (struct msghdr *)m_msg;
	struct iovec *iov = (struct iovec *)(m_msg + 128);

	memset(m_msg, 0, sizeof(m_msg));
	memcpy(m_buf, "abcdef", 6);
	iov[0] = (struct iovec){ (void *)(uintptr_t)A_BUF, 2 };
	iov[1] = (struct iovec){ (void *)(uintptr_t)A_BUF, 0 };
	iov[2] = (struct iovec){ (void *)(uintptr_t)(A_BUF + 2), 4 };
	mh->msg_iov = (void *)(uintptr_t)(A_MSG + 128);
	mh->msg_iovlen = 3;
	mh->msg_control = (void *)(uintptr_t)(A_BUF + 512);
	mh->msg_controllen = 8;
	memcpy(m_buf + 512, "CTLDATA!", 8);
	is_long(fcall(__NR_sendmsg, h, A_MSG, 0, 0, 0, 0), 6, "sendmsg of 6 bytes in 3 iovecs");
	memset(m_buf, 0, 600);
	iov[0].iov_len = 4;
	iov[1] = (struct iovec){ (void *)(uintptr_t)(A_BUF + 100), 10 };
	mh->msg_iovlen = 2;
	mh->msg_controllen = 16;
	mh->msg_flags = 77;
	is_long(fcall(__NR_recvmsg, h, A_MSG, 0, 0, 0, 0), 6, "recvmsg");
	ok(memcmp(m_buf, "abcd", 4) == 0 && memcmp(m_buf + 100, "ef", 2) == 0,
	   "scattered across the iovecs");
	ok(memcmp(m_buf + 512, "CTLDATA!", 8) == 0 && mh->msg_controllen == 8,
	   "the ancillary data and its length");
	is_long(mh->msg_flags, 0, "msg_flags written");
	mh->msg_iovlen = 1025;
	is_long(fcall(__NR_sendmsg, h, A_MSG, 0, 0, 0, 0), -EMSGSIZE, "1025 iovecs: EMSGSIZE");
	mh->msg_iovlen = 1;
	mh->msg_controllen = 65537;
	is_long(fcall(__NR_sendmsg, h, A_MSG, 0, 0, 0, 0), -ENOBUFS,
		"more than 64 KiB of ancillary data: ENOBUFS");

	/* fstat, and fstatat's AT_EMPTY_PATH (glibc's fstat): made up, S_IFSOCK */
	struct stat *st = (struct stat *)m_buf;

	memset(m_buf, 0, sizeof(*st));
	is_long(fcall(__NR_fstat, h, A_BUF, 0, 0, 0, 0), 0, "fstat");
	ok(S_ISSOCK(st->st_mode), "a socket");
	{
		struct vu_msg m = fake_msg(1, __NR_newfstatat, "");

		m.path_arg[0] = 1;
		m.fd_arg[0] = 0;
		m.vfd[0] = h;
		m.args[0] = 3;
		m.args[2] = A_BUF;
		m.args[3] = AT_EMPTY_PATH;
		memset(m_buf, 0, sizeof(*st));
		is_long(fake_serve(&f, m), 0, "fstatat(fd, \"\", AT_EMPTY_PATH)");
		ok(S_ISSOCK(st->st_mode), "a socket too");
	}

	/* read and write are recvfrom and sendto (the module has neither read nor write) */
	memcpy(m_buf, "rw", 2);
	is_long(fcall(__NR_write, h, A_BUF, 2, 0, 0, 0), 2, "write");
	memset(m_buf, 0, 4);
	is_long(fcall(__NR_read, h, A_BUF, 10, 0, 0, 0), 2, "read: the echo");
	ok(memcmp(m_buf, "rw", 2) == 0, "its data");
	is_long(fcall(__NR_pread64, h, A_BUF, 10, 0, 0, 0), -ESPIPE, "pread: ESPIPE");
	is_long(fcall(__NR_read, h, A_BUF, 10, 0, 0, 0), -EAGAIN,
		"nothing queued, nonblocking: the module's EAGAIN");

	/* options */
	int v = 42;

	memcpy(m_buf, &v, sizeof(v));
	is_long(fcall(__NR_setsockopt, h, SOL, 1, A_BUF, sizeof(v), 0), 0, "setsockopt");
	is_long(fcall(__NR_setsockopt, h, SOL, 1, A_BUF, 70000, 0), -EINVAL,
		"setsockopt of more than 64 KiB: EINVAL");
	is_long(fcall(__NR_setsockopt, h, SOL, 1, 0x9000, 4, 0), -EFAULT, "a bad optval: EFAULT");
	m_len[0] = sizeof(int);
	memset(m_buf, 0, 4);
	is_long(fcall(__NR_getsockopt, h, SOL, 1, A_BUF, A_LEN, 0), 0, "getsockopt");
	ok(*(int *)m_buf == 42, "the value set");
	m_len[0] = -1;
	is_long(fcall(__NR_getsockopt, h, SOL, 1, A_BUF, A_LEN, 0), -EINVAL,
		"a negative optlen: EINVAL");
	is_long(fcall(__NR_listen, h, 1, 0, 0, 0, 0), -EOPNOTSUPP,
		"listen on a datagram socket: the module's EOPNOTSUPP");

	/* sendmmsg: two messages, each one's msg_len written */
	struct mmsghdr *mm = (struct mmsghdr *)m_msg;

	memset(m_msg, 0, sizeof(m_msg));
	iov = (struct iovec *)(m_msg + 256);
	memcpy(m_buf, "onetwo", 6);
	iov[0] = (struct iovec){ (void *)(uintptr_t)A_BUF, 3 };
	iov[1] = (struct iovec){ (void *)(uintptr_t)(A_BUF + 3), 3 };
	for (int i = 0; i < 2; i++) {
		mm[i].msg_hdr.msg_iov = (void *)(uintptr_t)(A_MSG + 256 + i * sizeof(*iov));
		mm[i].msg_hdr.msg_iovlen = 1;
	}
	is_long(fcall(__NR_sendmmsg, h, A_MSG, 2, 0, 0, 0), 2, "sendmmsg of two");
	ok(mm[0].msg_len == 3 && mm[1].msg_len == 3, "each msg_len written");
	memset(m_buf, 0, 8);
	mm[0].msg_len = mm[1].msg_len = 0;
	is_long(fcall(__NR_recvmmsg, h, A_MSG, 5, MSG_WAITFORONE, 0, 0), 2,
		"recvmmsg: two queued, then MSG_DONTWAIT stops it");
	ok(memcmp(m_buf, "onetwo", 6) == 0 && mm[0].msg_len == 3 && mm[1].msg_len == 3,
	   "both received");

	is_long(fcall(__NR_shutdown, h, SHUT_WR, 0, 0, 0, 0), 0, "shutdown");
	is_long(fcall(__NR_sendto, h, A_BUF, 1, 0, 0, 0), -EPIPE, "send after it: the module's EPIPE");

	/* a stream socket: listen, accept4 */
	h2 = vsocket(SOCK_STREAM);
	is_long(fcall(__NR_listen, h2, 1, 0, 0, 0, 0), 0, "listen");
	m_len[0] = 64;
	memset(m_addr, 0, 16);
	fcall(__NR_accept4, h2, A_ADDR, A_LEN, SOCK_CLOEXEC, 0, 0);
	ok(last()->kind == VU_REPLY_VFD && last()->handle != h2 && (last()->open_flags & O_CLOEXEC),
	   "accept4: a new placeholder, SOCK_CLOEXEC");
	ok(memcmp(m_addr + 2, "client", 6) == 0 && m_len[0] == 8, "the peer's address goes with it");
	uint64_t h3 = last()->handle;

	memcpy(m_buf, "x", 1);
	is_long(fcall(__NR_write, h3, A_BUF, 1, 0, 0, 0), 1, "the accepted socket is the module's");
	is_long(fcall(__NR_accept4, h2, A_ADDR, A_LEN, 0x4000, 0, 0), -EINVAL,
		"accept4 with an unknown flag: EINVAL");

	/* not a socket: ENOTSOCK (a placeholder of a regular file would be) */
	vu_vfd_get(h3)->socket = false;
	is_long(fcall(__NR_listen, h3, 1, 0, 0, 0, 0), -ENOTSOCK, "a virtual non-socket: ENOTSOCK");
	vu_vfd_get(h3)->socket = true;

	is_long(vu_vfd_count(NULL), 3, "three sockets open");
	vu_vfd_release(h);
	vu_vfd_release(h2);
	vu_vfd_release(h3);
	is_long(vu_vfd_count(NULL), 0, "the last close of each is the module's close");

	/* fd passthrough of sockets: a stack whose entry has VUFLAG_FDPASS */
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_OPTS, m_opts, sizeof(m_opts));
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "a stack without fdpass");
	fake_call(&f, 1, __NR_msocket, A_DST, AF, SOCK_DGRAM, 0);
	ok(last()->kind == VU_REPLY_VFD, "its socket is a placeholder");
	if (last()->kind == VU_REPLY_VFD)
		vu_vfd_release(last()->handle);
	is_long(fake_call(&f, 1, __NR_umount2, A_DST, 0, 0, 0), 0, "unmounted");
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, A_OPTS), 0, "a stack with VUFLAG_FDPASS");
	fake_call(&f, 1, __NR_msocket, A_DST, AF, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int pfd = f.replies[f.nreplies - 1].file, typ = 0;
	socklen_t tl = sizeof(typ);

	ok(last()->kind == VU_REPLY_FILE && pfd >= 0 &&
		   getsockopt(pfd, SOL_SOCKET, SO_TYPE, &typ, &tl) == 0 && typ == SOCK_DGRAM,
	   "its socket is handed over: the module's own socket, no placeholder");
	is_long(last()->open_flags, O_CLOEXEC, "SOCK_CLOEXEC goes with it");
	is_long(vu_vfd_count(NULL), 0, "nothing stays in the daemon");
	if (pfd >= 0)
		close(pfd);
	is_long(fake_call(&f, 1, __NR_umount2, A_DST, 0, 0, 0), 0,
		"the module's close ran at once: the stack is not busy");
	is_long(f.protocol_errors, 0, "no rule of the backend broken");
	return tap_done();
}

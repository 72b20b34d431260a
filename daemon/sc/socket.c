// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/socket.c - the socket calls, VUOS's way (umvu's vu_wrap_socket.c):
 * socket(2) of an address family a module claims (CHECKSOCKET) is the
 * module's socket method, and the member gets a placeholder; every socket
 * call on that placeholder is the module's method of the same name, with
 * the module's fd ("sfd") and fdprivate. send, sendmsg, sendmmsg and
 * write are its sendto; recv, recvmsg, recvmmsg and read its recvfrom,
 * one message per call, the iovecs gathered into one buffer. A real fd
 * runs natively, and socket(2) of a family no module claims too.
 *
 * msocket(path, domain, type, protocol), the management call -5: with a
 * NULL path it is socket(2); else the socket method of the module serving
 * path (a network stack mounted there) makes the socket, the entry's
 * private data telling the module which stack. SOCK_DEFAULT as the type
 * asks the module to make that stack the default of the family: its
 * answer is returned, no socket is made.
 *
 * What members may make the daemon allocate is bounded (sc/sockmsg.h).
 * A method the module lacks is ENOSYS and a notice in the log.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "core/modcall.h"
#include "core/sysname.h"
#include "core/vfd.h"
#include "core/vpath.h"
#include "core/vuht.h"
#include "sc/fd.h"
#include "sc/handlers.h"
#include "sc/socket.h"
#include "sc/sockmsg.h"

/* The path of a placeholder of a CHECKSOCKET entry (fstat: S_IFSOCK). */
#define VU_SOCK_PATH "socket:"

#define SENDTO_PROTO                                                                 \
	(int, const void *, size_t, int, const struct sockaddr *, socklen_t, void *, size_t, \
	 void *)
#define RECVFROM_PROTO \
	(int, void *, size_t, int, struct sockaddr *, socklen_t *, void *, size_t *, void *)

/* Has the module of @ht method @m? Else the call is ENOSYS, with a notice. */
static bool vu_sock_has(struct vu_call *call, struct vuht_entry_t *ht, enum vu_method m)
{
	char buf[32];

	if (ht->service->method[m])
		return true;
	vu_log(LOG_NOTICE, "tid %d: %s on a virtual socket is not served: module %s has no %s: ENOSYS",
	       call->msg->tid, vu_syscall_name(call->msg->nr, buf, sizeof(buf)),
	       ht->service->mod->name, vu_method_name(m));
	vu_call_return(call, -ENOSYS);
	return false;
}

/*
 * The virtual socket of the call's fd, whose module has method @m; NULL
 * once the reply is chosen (native for a real fd, ENOTSOCK for a virtual
 * file that is not a socket, ENOSYS).
 */
static struct vu_vfd *vu_sock_file(struct vu_call *call, enum vu_method m)
{
	struct vu_vfd *f = vu_sc_vfd(call);

	if (!f)
		return NULL;
	if (!f->socket) {
		vu_call_return(call, -ENOTSOCK);
		return NULL;
	}
	return vu_sock_has(call, f->ht, m) ? f : NULL;
}

/*
 * Reply a placeholder for the module's new socket @sfd in @ht, whose use
 * it takes over; on ENOMEM the module's socket is closed.
 */
static void vu_sock_reply_vfd(struct vu_call *call, struct vuht_entry_t *ht, int sfd,
			      void *fdprivate, int oflags, const char *path)
{
	struct vu_vfd *f = vu_vfd_new(ht, sfd, fdprivate, O_RDWR | oflags, path);

	if (!f) {
		vu_mcall(ht, close, int, (int, void *), sfd, fdprivate);
		vuht_drop(ht);
		vu_call_return(call, -ENOMEM);
		return;
	}
	f->socket = true; /* before the reply: no one else knows the handle yet */
	vu_debug('a', "tid %d: virtual socket %llu of %s (module fd %d)", call->msg->tid,
		 (unsigned long long)f->handle, ht->service->mod->name, sfd);
	call->reply.kind = VU_REPLY_VFD;
	call->reply.handle = f->handle;
	call->reply.open_flags = O_RDWR | (oflags & (O_NONBLOCK | O_CLOEXEC));
}

/*
 * Hand the member the module's new socket @sfd itself, if @ht passes its
 * files (VU_MODULE_FDPASS or VUFLAG_FDPASS) and @sfd is a real socket:
 * then every later call on it runs natively. The module's close runs at
 * once; the kernel holds the socket after the reply. False: a placeholder.
 */
static bool vu_sock_pass(struct vu_call *call, struct vuht_entry_t *ht, int sfd, void *fdprivate,
			 int oflags)
{
	struct stat st;
	long ret;
	int fd;

	/* the system call itself: nest.c's fstat would ask an inner module */
	if (!vu_ht_passes_files(ht) || syscall(__NR_fstat, sfd, &st) < 0 || !S_ISSOCK(st.st_mode))
		return false;
	fd = fcntl(sfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ret = vu_mcall(ht, close, int, (int, void *), sfd, fdprivate);
	if (ret < 0 && ret != -ENOSYS)
		vu_log(LOG_NOTICE, "tid %d: closing module socket %d after passing it: %s",
		       call->msg->tid, sfd, strerror((int)-ret));
	vu_debug('a', "tid %d: socket of %s passed through (module fd %d)", call->msg->tid,
		 ht->service->mod->name, sfd);
	vuht_drop(ht);
	vu_call_file(call, fd, oflags);
	return true;
}

/*
 * The socket method of @ht (whose use is the caller's, taken over) for
 * socket, or msocket (@mgmt), where SOCK_DEFAULT asks for no socket.
 */
static void vu_sock_open(struct vu_call *call, struct vuht_entry_t *ht, int domain, int type,
			 int protocol, const char *path, bool mgmt)
{
	void *fdprivate = NULL;
	long ret;

	if (!vu_sock_has(call, ht, VU_M_socket)) {
		vuht_drop(ht);
		return;
	}
	ret = vu_mcall(ht, socket, int, (int, int, int, void **), domain, type, protocol,
		       &fdprivate);
	/* SOCK_DEFAULT: the module set a default stack, it made no socket */
	if (ret < 0 || (mgmt && type == SOCK_DEFAULT)) {
		vuht_drop(ht);
		vu_call_return(call, ret < 0 ? ret : 0);
		return;
	}
	if (vu_sock_pass(call, ht, (int)ret, fdprivate, vu_sock_open_flags(type)))
		return;
	vu_sock_reply_vfd(call, ht, (int)ret, fdprivate, vu_sock_open_flags(type), path);
}

void vu_sc_socket(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int domain = (int)msg->args[0];
	struct vuht_entry_t *ht = vuht_pick(CHECKSOCKET, &domain, sizeof(domain), VU_EPOCH_NOW);

	vu_debug('a', "tid %d: socket family %d: %s", msg->tid, domain,
		 ht ? ht->service->mod->name : "native");
	if (!ht) {
		vu_call_native(call);
		return;
	}
	vu_sock_open(call, ht, domain, (int)msg->args[1], (int)msg->args[2], VU_SOCK_PATH, false);
}

/*
 * socket(2) made by the daemon for a member (msocket without a path, no
 * module for the family): the same socket the member would get.
 */
static void vu_sock_real(struct vu_call *call, int domain, int type, int protocol)
{
	int fd = socket(domain, type | SOCK_CLOEXEC, protocol);

	if (fd < 0) {
		vu_call_return(call, -errno);
		return;
	}
	vu_call_file(call, fd, vu_sock_open_flags(type));
}

void vu_msocket(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int domain = (int)msg->args[1], type = (int)msg->args[2], protocol = (int)msg->args[3];
	struct vuht_entry_t *ht;
	struct vu_target t;
	char *path;
	long ret;

	if (!msg->args[0]) {
		ht = vuht_pick(CHECKSOCKET, &domain, sizeof(domain), VU_EPOCH_NOW);
		vu_debug('a', "tid %d: msocket family %d: %s", msg->tid, domain,
			 ht ? ht->service->mod->name : "real");
		if (ht)
			vu_sock_open(call, ht, domain, type, protocol, VU_SOCK_PATH, true);
		else
			vu_sock_real(call, domain, type, protocol);
		return;
	}
	path = vu_call_alloc(call, KMVIEW_PATH_MAX);
	if (!path) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	ret = vu_peek_str(call->be, msg, msg->args[0], path, KMVIEW_PATH_MAX);
	if (ret >= 0)
		ret = vu_resolve_str(call, path, VU_RES_FOLLOW, &t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	if (!t.ht) {
		struct stat st;

		/* VUOS: ENOENT if nothing is there, ENOTSUP if it is no stack */
		vu_call_return(call, stat(t.path, &st) < 0 && errno == ENOENT ? -ENOENT : -ENOTSUP);
		return;
	}
	vu_debug('a', "tid %d: msocket %s family %d: %s", msg->tid, t.path, domain,
		 t.ht->service->mod->name);
	vu_sock_open(call, t.ht, domain, type, protocol, t.path, true);
}

void vu_sc_bind(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool bind = msg->nr == __NR_bind;
	struct vu_vfd *f = vu_sock_file(call, bind ? VU_M_bind : VU_M_connect);
	struct sockaddr_storage ss;
	const struct sockaddr *sa = msg->args[1] ? (const struct sockaddr *)&ss : NULL;
	long ret;

	if (!f)
		return;
	ret = vu_sock_addr_in(call->be, msg, msg->args[1], (int)msg->args[2], &ss);
	if (ret >= 0 && bind)
		ret = vu_mcall(f->ht, bind, int, (int, const struct sockaddr *, socklen_t, void *),
			       f->sfd, sa, (socklen_t)ret, f->fdprivate);
	else if (ret >= 0)
		ret = vu_mcall(f->ht, connect, int,
			       (int, const struct sockaddr *, socklen_t, void *), f->sfd, sa,
			       (socklen_t)ret, f->fdprivate);
	vu_call_return(call, ret);
}

void vu_sc_listen(struct vu_call *call)
{
	struct vu_vfd *f = vu_sock_file(call, VU_M_listen);

	if (f)
		vu_call_return(call, vu_mcall(f->ht, listen, int, (int, int, void *), f->sfd,
					      (int)call->msg->args[1], f->fdprivate));
}

void vu_sc_shutdown(struct vu_call *call)
{
	struct vu_vfd *f = vu_sock_file(call, VU_M_shutdown);

	if (f)
		vu_call_return(call, vu_mcall(f->ht, shutdown, int, (int, int, void *), f->sfd,
					      (int)call->msg->args[1], f->fdprivate));
}

/*
 * accept and accept4: the module's accept4, which VUOS gives one more
 * argument, where the module may store the new socket's fdprivate (it
 * starts as the listening socket's). The new socket is a placeholder in
 * the same entry; the peer's address goes with the reply.
 */
void vu_sc_accept(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int flags = msg->nr == __NR_accept4 ? (int)msg->args[3] : 0;
	struct vu_vfd *f = vu_sock_file(call, VU_M_accept4);
	struct sockaddr_storage ss;
	socklen_t room = 0, len;
	bool want = msg->args[1] != 0;
	void *fdprivate;
	long ret;

	if (!f)
		return;
	if (flags & ~(SOCK_CLOEXEC | SOCK_NONBLOCK)) {
		vu_call_return(call, -EINVAL);
		return;
	}
	if (want) {
		ret = vu_sock_addrlen_out(call->be, msg, msg->args[2], &room);
		if (ret < 0) {
			vu_call_return(call, ret);
			return;
		}
	}
	len = room;
	fdprivate = f->fdprivate;
	memset(&ss, 0, sizeof(ss));
	ret = vu_mcall(f->ht, accept4, int,
		       (int, struct sockaddr *, socklen_t *, int, void *, void **), f->sfd,
		       want ? (struct sockaddr *)&ss : NULL, want ? &len : NULL, flags,
		       f->fdprivate, &fdprivate);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	vuht_pick_again(f->ht);
	vu_sock_reply_vfd(call, f->ht, (int)ret, fdprivate, vu_sock_open_flags(flags), f->path);
	if (call->reply.kind != VU_REPLY_VFD || !want)
		return;
	/* written before the call returns, or the placeholder is not installed: EFAULT */
	size_t n = vu_sock_addr_copylen(room, len);

	if ((n && vu_call_copy_out(call, msg->args[1], &ss, n) < 0) ||
	    vu_call_copy_out(call, msg->args[2], &len, sizeof(len)) < 0)
		vu_log(LOG_ERR, "tid %d: accept: the peer's address cannot go with the reply",
		       msg->tid);
}

/* getsockname and getpeername. */
void vu_sc_getname(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool self = msg->nr == __NR_getsockname;
	struct vu_vfd *f = vu_sock_file(call, self ? VU_M_getsockname : VU_M_getpeername);
	struct sockaddr_storage ss;
	socklen_t room, len;
	long ret;

	if (!f)
		return;
	ret = vu_sock_addrlen_out(call->be, msg, msg->args[2], &room);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	len = room;
	memset(&ss, 0, sizeof(ss));
	if (self)
		ret = vu_mcall(f->ht, getsockname, int, (int, struct sockaddr *, socklen_t *, void *),
			       f->sfd, (struct sockaddr *)&ss, &len, f->fdprivate);
	else
		ret = vu_mcall(f->ht, getpeername, int, (int, struct sockaddr *, socklen_t *, void *),
			       f->sfd, (struct sockaddr *)&ss, &len, f->fdprivate);
	if (ret >= 0) {
		size_t n = vu_sock_addr_copylen(room, len);

		if (n)
			ret = vu_call_copy_out(call, msg->args[1], &ss, n) ?: ret;
		if (ret >= 0)
			ret = vu_call_copy_out(call, msg->args[2], &len, sizeof(len)) ?: ret;
	}
	vu_call_return(call, ret);
}

/* One message, its parts in the member: what sendto and recvfrom get. */
struct vu_sock_msg {
	const struct iovec *iov; /* the member's iovecs, copied */
	size_t iovlen;
	size_t len; /* the bytes they describe, cut to VU_IO_MAX */
	uint64_t name;
	socklen_t namelen; /* checked (sockmsg.h) */
	uint64_t control;
	size_t controllen; /* checked */
};

/* Send @m with @flags through the module's sendto: the bytes sent or -errno. */
static long vu_sock_send1(struct vu_call *call, struct vu_vfd *f, const struct vu_sock_msg *m,
			  int flags)
{
	struct sockaddr_storage ss;
	void *buf = malloc(m->len ? m->len : 1), *ctl = NULL;
	long ret;

	if (!buf)
		return -ENOMEM;
	ret = vu_sock_gather(call->be, call->msg, m->iov, m->iovlen, buf, m->len);
	if (ret == 0 && m->name)
		ret = vu_peek(call->be, call->msg, m->name, &ss, m->namelen);
	if (ret == 0 && m->controllen) {
		ctl = malloc(m->controllen);
		ret = ctl ? vu_peek(call->be, call->msg, m->control, ctl, m->controllen) : -ENOMEM;
	}
	if (ret == 0)
		ret = vu_mod_size(f->ht, "sendto",
				  vu_mcall(f->ht, sendto, ssize_t, SENDTO_PROTO, f->sfd, buf, m->len,
					   flags, m->name ? (struct sockaddr *)&ss : NULL,
					   m->name ? m->namelen : 0, ctl, m->controllen,
					   f->fdprivate),
				  m->len);
	free(ctl);
	free(buf);
	return ret;
}

/*
 * Receive into @m with @flags through the module's recvfrom: the bytes
 * received or -errno. The data, the address and the ancillary data are
 * written to the member; their lengths are in *@namelen and *@controllen.
 * With MSG_TRUNC the result is the datagram's whole length, which may be
 * more than the buffer (netlink users size their buffer so, with
 * MSG_PEEK): only the buffer's worth is copied, and a count larger than
 * any datagram (VU_SOCK_TRUNC_MAX) is a module's lie, cut to the buffer.
 */
static long vu_sock_recv1(struct vu_call *call, struct vu_vfd *f, const struct vu_sock_msg *m,
			  int flags, socklen_t *namelen, size_t *controllen)
{
	struct sockaddr_storage ss;
	void *buf = malloc(m->len ? m->len : 1), *ctl = NULL;
	long ret = 0;

	*namelen = m->name ? m->namelen : 0;
	*controllen = m->controllen;
	if (!buf)
		return -ENOMEM;
	if (m->controllen && !(ctl = calloc(1, m->controllen))) {
		free(buf);
		return -ENOMEM;
	}
	memset(&ss, 0, sizeof(ss));
	/* vunet reads *addrlen even without an address: always a valid pointer */
	ret = vu_mod_size(f->ht, "recvfrom",
			  vu_mcall(f->ht, recvfrom, ssize_t, RECVFROM_PROTO, f->sfd, buf, m->len,
				   flags, m->name ? (struct sockaddr *)&ss : NULL, namelen, ctl,
				   ctl ? controllen : NULL, f->fdprivate),
			  flags & MSG_TRUNC ? VU_SOCK_TRUNC_MAX : m->len);
	if (ret >= 0 && !ctl)
		*controllen = 0;
	if (*controllen > m->controllen)
		*controllen = m->controllen;
	if (ret > 0) {
		size_t got = (size_t)ret < m->len ? (size_t)ret : m->len;
		int r = got ? vu_sock_scatter(call->be, call->msg, m->iov, m->iovlen, buf, got) : 0;

		ret = r < 0 ? r : ret;
	}
	if (ret >= 0 && m->name) {
		size_t n = vu_sock_addr_copylen(m->namelen, *namelen);

		ret = (n ? vu_poke(call->be, call->msg, m->name, &ss, n) : 0) ?: ret;
	}
	if (ret >= 0 && *controllen)
		ret = vu_poke(call->be, call->msg, m->control, ctl, *controllen) ?: ret;
	free(ctl);
	free(buf);
	return ret;
}

/*
 * The parts of the member's msghdr @h as a vu_sock_msg, its iovecs read
 * into @iov (h->msg_iovlen entries at most VU_SOCK_IOV_MAX). 0 or -errno.
 */
static int vu_sock_msg_in(struct vu_call *call, const struct msghdr *h, bool sending,
			  struct iovec *iov, struct vu_sock_msg *m)
{
	ssize_t len;
	int ret = vu_sock_msg_lens(h, sending, &m->namelen, &m->controllen);

	if (ret < 0)
		return ret;
	len = vu_sock_iov_in(call->be, call->msg, (uint64_t)(uintptr_t)h->msg_iov, h->msg_iovlen,
			     iov, VU_IO_MAX);
	if (len < 0)
		return (int)len;
	m->iov = iov;
	m->iovlen = h->msg_iovlen;
	m->len = (size_t)len;
	m->name = (uint64_t)(uintptr_t)h->msg_name;
	m->control = m->controllen ? (uint64_t)(uintptr_t)h->msg_control : 0;
	return 0;
}

/* sendto, or sendmsg of the msghdr at @addr. */
static long vu_sock_sendmsg(struct vu_call *call, struct vu_vfd *f, uint64_t addr, int flags,
			    struct iovec *iov)
{
	struct msghdr h;
	struct vu_sock_msg m;
	long ret = vu_peek(call->be, call->msg, addr, &h, sizeof(h));

	if (ret == 0)
		ret = vu_sock_msg_in(call, &h, true, iov, &m);
	return ret < 0 ? ret : vu_sock_send1(call, f, &m, flags);
}

/* The fields of a member's msghdr at @addr that recvmsg writes. 0 or -EFAULT. */
static int vu_sock_msg_out(struct vu_call *call, uint64_t addr, const struct msghdr *h,
			   socklen_t namelen, size_t controllen, bool truncated)
{
	/* the method cannot tell MSG_CTRUNC, MSG_EOR...: only a datagram longer than the buffer */
	int flags = truncated ? MSG_TRUNC : 0;
	int ret = 0;

	if (h->msg_name)
		ret = vu_poke(call->be, call->msg, addr + offsetof(struct msghdr, msg_namelen),
			      &namelen, sizeof(namelen));
	ret = ret ?: vu_poke(call->be, call->msg, addr + offsetof(struct msghdr, msg_controllen),
			     &controllen, sizeof(controllen));
	return ret ?: vu_poke(call->be, call->msg, addr + offsetof(struct msghdr, msg_flags),
			      &flags, sizeof(flags));
}

/* recvmsg of the msghdr at @addr. */
static long vu_sock_recvmsg(struct vu_call *call, struct vu_vfd *f, uint64_t addr, int flags,
			    struct iovec *iov)
{
	struct msghdr h;
	struct vu_sock_msg m;
	socklen_t namelen;
	size_t controllen;
	long ret = vu_peek(call->be, call->msg, addr, &h, sizeof(h));

	if (ret == 0)
		ret = vu_sock_msg_in(call, &h, false, iov, &m);
	if (ret < 0)
		return ret;
	ret = vu_sock_recv1(call, f, &m, flags, &namelen, &controllen);
	if (ret >= 0)
		ret = vu_sock_msg_out(call, addr, &h, namelen, controllen, (size_t)ret > m.len) ?:
		      ret;
	return ret;
}

/*
 * sendmmsg and recvmmsg: one message at a time, as VUOS's sendmmsg, up
 * to the first error (returned if no message went). recvmmsg's
 * MSG_WAITFORONE makes the messages after the first MSG_DONTWAIT; its
 * timeout is read (EFAULT) but not applied.
 */
static long vu_sock_mmsg(struct vu_call *call, struct vu_vfd *f, struct iovec *iov)
{
	const struct vu_msg *msg = call->msg;
	bool sending = msg->nr == __NR_sendmmsg;
	uint64_t vec = msg->args[1];
	unsigned int vlen = (unsigned int)msg->args[2];
	int flags = (int)msg->args[3];
	long ret = 0;
	unsigned int i;

	if (vlen > VU_SOCK_MMSG_MAX)
		vlen = VU_SOCK_MMSG_MAX; /* as the kernel */
	if (!sending && msg->args[4]) {
		struct timespec ts;

		ret = vu_peek(call->be, msg, msg->args[4], &ts, sizeof(ts));
		if (ret < 0)
			return ret;
	}
	for (i = 0; i < vlen; i++) {
		uint64_t one = vec + (uint64_t)i * sizeof(struct mmsghdr);
		unsigned int n;

		if (sending) {
			ret = vu_sock_sendmsg(call, f, one, flags, iov);
		} else {
			ret = vu_sock_recvmsg(call, f, one, flags & ~MSG_WAITFORONE, iov);
			if (flags & MSG_WAITFORONE)
				flags |= MSG_DONTWAIT;
		}
		if (ret < 0)
			break;
		n = (unsigned int)ret;
		ret = vu_poke(call->be, msg, one + offsetof(struct mmsghdr, msg_len), &n, sizeof(n));
		if (ret < 0)
			break;
	}
	return i > 0 ? (long)i : ret;
}

/*
 * The virtual socket of a send or receive call, whose module has @m, and
 * room for the iovecs of its messages in *@iov; NULL once answered.
 */
static struct vu_vfd *vu_sock_file_iov(struct vu_call *call, enum vu_method m,
				       struct iovec **iov)
{
	struct vu_vfd *f = vu_sock_file(call, m);

	if (!f)
		return NULL;
	*iov = vu_call_alloc(call, VU_SOCK_IOV_MAX * sizeof(**iov));
	if (!*iov) {
		vu_call_return(call, -ENOMEM);
		return NULL;
	}
	return f;
}

/* sendto, sendmsg, sendmmsg. */
void vu_sc_send(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct iovec *iov;
	struct vu_vfd *f = vu_sock_file_iov(call, VU_M_sendto, &iov);
	long ret;

	if (!f)
		return;
	switch (msg->nr) {
	case __NR_sendto: {
		struct vu_sock_msg m = { .iov = iov, .iovlen = 1 };

		iov[0].iov_base = (void *)(uintptr_t)msg->args[1];
		iov[0].iov_len = msg->args[2] > VU_IO_MAX ? VU_IO_MAX : (size_t)msg->args[2];
		m.len = iov[0].iov_len;
		m.name = msg->args[4];
		m.namelen = (socklen_t)msg->args[5];
		/* as bind's address: no more than a sockaddr_storage */
		ret = m.name && (int)m.namelen < 0 ? -EINVAL : 0;
		if (m.name && m.namelen > VU_SOCK_ADDR_MAX)
			ret = -EINVAL;
		if (ret == 0)
			ret = vu_sock_send1(call, f, &m, (int)msg->args[3]);
		break;
	}
	case __NR_sendmsg:
		ret = vu_sock_sendmsg(call, f, msg->args[1], (int)msg->args[2], iov);
		break;
	default:
		ret = vu_sock_mmsg(call, f, iov);
		break;
	}
	vu_call_return(call, ret);
}

/* recvfrom, recvmsg, recvmmsg. */
void vu_sc_recv(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct iovec *iov;
	struct vu_vfd *f = vu_sock_file_iov(call, VU_M_recvfrom, &iov);
	long ret;

	if (!f)
		return;
	switch (msg->nr) {
	case __NR_recvfrom: {
		struct vu_sock_msg m = { .iov = iov, .iovlen = 1 };
		socklen_t namelen = 0;
		size_t controllen;

		iov[0].iov_base = (void *)(uintptr_t)msg->args[1];
		iov[0].iov_len = msg->args[2] > VU_IO_MAX ? VU_IO_MAX : (size_t)msg->args[2];
		m.len = iov[0].iov_len;
		m.name = msg->args[4];
		ret = m.name ? vu_sock_addrlen_out(call->be, msg, msg->args[5], &m.namelen) : 0;
		if (ret >= 0)
			ret = vu_sock_recv1(call, f, &m, (int)msg->args[3], &namelen, &controllen);
		if (ret >= 0 && m.name)
			ret = vu_poke(call->be, msg, msg->args[5], &namelen, sizeof(namelen)) ?: ret;
		break;
	}
	case __NR_recvmsg:
		ret = vu_sock_recvmsg(call, f, msg->args[1], (int)msg->args[2], iov);
		break;
	default:
		ret = vu_sock_mmsg(call, f, iov);
		break;
	}
	vu_call_return(call, ret);
}

void vu_sc_setsockopt(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sock_file(call, VU_M_setsockopt);
	int optlen = (int)msg->args[4];
	void *val = NULL;
	long ret;

	if (!f)
		return;
	if (optlen < 0 || optlen > VU_SOCK_OPT_MAX) {
		vu_call_return(call, -EINVAL);
		return;
	}
	if (msg->args[3] || optlen) {
		val = vu_call_alloc(call, optlen ? (size_t)optlen : 1);
		if (!val) {
			vu_call_return(call, -ENOMEM);
			return;
		}
		ret = vu_peek(call->be, msg, msg->args[3], val, (size_t)optlen);
		if (ret < 0) {
			vu_call_return(call, ret);
			return;
		}
	}
	vu_call_return(call, vu_mcall(f->ht, setsockopt, int,
				      (int, int, int, const void *, socklen_t, void *), f->sfd,
				      (int)msg->args[1], (int)msg->args[2], val, (socklen_t)optlen,
				      f->fdprivate));
}

void vu_sc_getsockopt(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vu_vfd *f = vu_sock_file(call, VU_M_getsockopt);
	int optlen;
	socklen_t room, len;
	void *val;
	long ret;

	if (!f)
		return;
	ret = vu_peek(call->be, msg, msg->args[4], &optlen, sizeof(optlen));
	if (ret == 0 && optlen < 0)
		ret = -EINVAL;
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	room = optlen > VU_SOCK_OPT_MAX ? VU_SOCK_OPT_MAX : (socklen_t)optlen;
	val = vu_call_alloc(call, room ? room : 1);
	if (!val) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	memset(val, 0, room ? room : 1);
	len = room;
	ret = vu_mcall(f->ht, getsockopt, int, (int, int, int, void *, socklen_t *, void *), f->sfd,
		       (int)msg->args[1], (int)msg->args[2], msg->args[3] ? val : NULL, &len,
		       f->fdprivate);
	if (ret >= 0 && msg->args[3] && (len < room ? len : room))
		ret = vu_call_copy_out(call, msg->args[3], val, len < room ? len : room) ?: ret;
	if (ret >= 0)
		ret = vu_call_copy_out(call, msg->args[4], &len, sizeof(len)) ?: ret;
	vu_call_return(call, ret);
}

int vu_sock_stat(const struct vu_vfd *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	st->st_ino = (ino_t)f->sfd;
	st->st_nlink = 1;
	st->st_uid = getuid();
	st->st_gid = getgid();
	st->st_blksize = 4096;
	return 0;
}

long vu_sock_read(struct vu_vfd *f, void *buf, size_t len)
{
	socklen_t namelen = 0;

	if (!f->ht->service->method[VU_M_recvfrom])
		return vu_mod_size(f->ht, "read",
				   vu_mcall(f->ht, read, ssize_t, (int, void *, size_t, void *),
					    f->sfd, buf, len, f->fdprivate),
				   len);
	return vu_mod_size(f->ht, "recvfrom",
			   vu_mcall(f->ht, recvfrom, ssize_t, RECVFROM_PROTO, f->sfd, buf, len, 0,
				    NULL, &namelen, NULL, NULL, f->fdprivate),
			   len);
}

long vu_sock_write(struct vu_vfd *f, const void *buf, size_t len)
{
	if (!f->ht->service->method[VU_M_sendto])
		return vu_mod_size(f->ht, "write",
				   vu_mcall(f->ht, write, ssize_t,
					    (int, const void *, size_t, void *), f->sfd, buf, len,
					    f->fdprivate),
				   len);
	return vu_mod_size(f->ht, "sendto",
			   vu_mcall(f->ht, sendto, ssize_t, SENDTO_PROTO, f->sfd, buf, len, 0, NULL,
				    0, NULL, 0, f->fdprivate),
			   len);
}

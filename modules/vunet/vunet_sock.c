// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunet_sock.c - the socket methods: each calls the operation of the
 * socket's stack with the submodule's fd, its fdprivate current (so that
 * vunet_get_fdprivate answers). sendto and recvfrom are the submodule's
 * sendmsg and recvmsg. For a stack whose sockets are handed over
 * (VUNET_FDPASS) only socket and close run here: the hypervisor closes
 * its copy once the member has the socket.
 */
#include <errno.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vunet_impl.h"

/* The socket being served, for vunet_get_fdprivate/vunet_set_fdprivate. */
static __thread struct vunetfd *vunet_cur;

void *vunet_get_fdprivate(void)
{
	return vunet_cur ? vunet_cur->fdprivate : NULL;
}

void vunet_set_fdprivate(void *fdprivate)
{
	if (vunet_cur)
		vunet_cur->fdprivate = fdprivate;
}

void *vunet_get_private_data(void)
{
	struct vunet *stack = vunet_cur ? vunet_cur->stack : vu_get_ht_private_data();

	return stack ? stack->private_data : NULL;
}

/* The operations of the socket @fdprivate, current; NULL (errno EBADF) if none. */
static struct vunet_operations *vunet_enter(void *fdprivate)
{
	vunet_cur = fdprivate;
	if (!vunet_cur)
		return errno = EBADF, NULL;
	return vunet_cur->stack->ops;
}

#define VUNET_CALL(fdprivate, op, ...)                                           \
	({                                                                       \
		struct vunet_operations *o_ = vunet_enter(fdprivate);            \
		!o_ ? -1 : !o_->op ? (errno = ENOSYS, -1) : o_->op(__VA_ARGS__); \
	})

/* A new socket of @stack for @fdprivate: the submodule's fd, or -1 with errno. */
static int vunet_new_socket(struct vunet *stack, int domain, int type, int protocol,
			    void **fdprivate)
{
	struct vunetfd *s;
	int fd;

	if (!stack->ops->socket)
		return errno = ENOSYS, -1;
	if (!vunet_has_domain(stack, domain))
		return errno = EAFNOSUPPORT, -1;
	s = calloc(1, sizeof(*s));
	if (!s)
		return errno = ENOMEM, -1;
	s->stack = stack;
	vunet_cur = s;
	fd = stack->ops->socket(domain, type, protocol);
	vunet_cur = NULL;
	if (fd < 0) {
		free(s);
		return -1;
	}
	*fdprivate = s;
	return fd;
}

/*
 * socket(2) through a family's entry, or msocket through the stack's
 * path: the stack is the entry's. SOCK_DEFAULT makes it the default.
 */
int vu_vunet_socket(int domain, int type, int protocol, void **fdprivate)
{
	struct vunet *stack = vu_get_ht_private_data();

	if (!stack)
		stack = vunet_default_get(domain);
	if (!stack)
		return errno = EAFNOSUPPORT, -1;
	if (type == SOCK_DEFAULT)
		return vunet_default_set(domain, stack);
	return vunet_new_socket(stack, domain, type, protocol, fdprivate);
}

int vu_vunet_bind(int fd, const struct sockaddr *addr, socklen_t len, void *fdprivate)
{
	return VUNET_CALL(fdprivate, bind, fd, addr, len);
}

int vu_vunet_connect(int fd, const struct sockaddr *addr, socklen_t len, void *fdprivate)
{
	return VUNET_CALL(fdprivate, connect, fd, addr, len);
}

int vu_vunet_listen(int fd, int backlog, void *fdprivate)
{
	return VUNET_CALL(fdprivate, listen, fd, backlog);
}

/* The hypervisor's accept4: the new socket gets an fdprivate of its own in *@newprivate. */
static int vunet_accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags, void *fdprivate,
			 void **newprivate)
{
	struct vunetfd *s = calloc(1, sizeof(*s));
	int nfd;

	if (!s)
		return errno = ENOMEM, -1;
	nfd = VUNET_CALL(fdprivate, accept4, fd, addr, len, flags);
	if (nfd < 0) {
		free(s);
		return -1;
	}
	s->stack = vunet_cur->stack;
	*newprivate = s;
	return nfd;
}

int vu_vunet_getsockname(int fd, struct sockaddr *addr, socklen_t *len, void *fdprivate)
{
	return VUNET_CALL(fdprivate, getsockname, fd, addr, len);
}

int vu_vunet_getpeername(int fd, struct sockaddr *addr, socklen_t *len, void *fdprivate)
{
	return VUNET_CALL(fdprivate, getpeername, fd, addr, len);
}

ssize_t vu_vunet_sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
			socklen_t tolen, void *control, size_t controllen, void *fdprivate)
{
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr m = { .msg_name = (void *)to,
			    .msg_namelen = tolen,
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = control,
			    .msg_controllen = controllen };

	return VUNET_CALL(fdprivate, sendmsg, fd, &m, flags);
}

ssize_t vu_vunet_recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
			  socklen_t *fromlen, void *control, size_t *controllen, void *fdprivate)
{
	struct iovec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr m = { .msg_name = from,
			    .msg_namelen = fromlen ? *fromlen : 0,
			    .msg_iov = &iov,
			    .msg_iovlen = 1,
			    .msg_control = control,
			    .msg_controllen = controllen ? *controllen : 0 };
	ssize_t n = VUNET_CALL(fdprivate, recvmsg, fd, &m, flags);

	if (n >= 0 && fromlen)
		*fromlen = m.msg_namelen;
	if (n >= 0 && controllen)
		*controllen = m.msg_controllen;
	return n;
}

int vu_vunet_getsockopt(int fd, int level, int name, void *val, socklen_t *len, void *fdprivate)
{
	return VUNET_CALL(fdprivate, getsockopt, fd, level, name, val, len);
}

int vu_vunet_setsockopt(int fd, int level, int name, const void *val, socklen_t len,
			void *fdprivate)
{
	return VUNET_CALL(fdprivate, setsockopt, fd, level, name, val, len);
}

static int vunet_shutdown(int fd, int how, void *fdprivate)
{
	return VUNET_CALL(fdprivate, shutdown, fd, how);
}

static int vunet_fcntl(int fd, int cmd, long arg, void *fdprivate)
{
	return VUNET_CALL(fdprivate, fcntl, fd, cmd, arg);
}

/*
 * ioctl: the probe (fd -1, no buffer) asks the submodule what the
 * argument is (vunet_ioctl_parms for the old netdevice requests).
 * SIOCGIFCONF points into the member: the submodule fills a buffer of
 * ours, copied to the member's.
 */
int vu_vunet_ioctl(int fd, unsigned long request, void *buf, uintptr_t addr, void *fdprivate)
{
	struct vunet_operations *o = vunet_enter(fdprivate);
	struct ifconf *ifc = buf;
	char *theirs, *ours;
	int ret;

	(void)addr;
	if (!o)
		return -1;
	if (!o->ioctl)
		return errno = ENOTTY, -1;
	if (fd < 0 || request != SIOCGIFCONF || !buf || !ifc->ifc_buf || ifc->ifc_len <= 0)
		return o->ioctl(fd, request, buf);
	theirs = ifc->ifc_buf;
	ours = calloc(1, (size_t)ifc->ifc_len);
	if (!ours)
		return errno = ENOMEM, -1;
	ifc->ifc_buf = ours;
	ret = o->ioctl(fd, request, buf);
	if (ret >= 0 && ifc->ifc_len > 0)
		vu_mod_poke_data(theirs, ours, (size_t)ifc->ifc_len);
	ifc->ifc_buf = theirs;
	free(ours);
	return ret;
}

int vu_vunet_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event, void *fdprivate)
{
	return VUNET_CALL(fdprivate, epoll_ctl, epfd, op, fd, event);
}

/* The last close: the submodule's, then the socket is forgotten. */
int vu_vunet_close(int fd, void *fdprivate)
{
	int ret = VUNET_CALL(fdprivate, close, fd);

	free(fdprivate);
	vunet_cur = NULL;
	return ret;
}

void vunet_sock_install(struct vu_service_t *s)
{
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-function-type"
	vu_syscall_handler(s, accept4) = (syscall_t)vunet_accept4;
	vu_syscall_handler(s, shutdown) = (syscall_t)vunet_shutdown;
	vu_syscall_handler(s, fcntl) = (syscall_t)vunet_fcntl;
#pragma GCC diagnostic pop
}

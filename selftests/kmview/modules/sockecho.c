// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sockecho.c - a test module (not shipped): the address family AF_DECnet
 * (12), which Debian's kernels no longer have (socket(2) natively is
 * EAFNOSUPPORT), so that every answer the tests see is this module's.
 *
 * Each socket is one end of a socketpair of the daemon: what is sent
 * comes back at the next receive, "from" the address it was sent to (or
 * the connected one), with the ancillary data it was sent with. bind and
 * connect remember addresses, getsockname gives the bound one; listen and
 * accept make a new echo socket whose peer is "client". Options at level
 * ECHO_SOL: 1 an int to set and get, 2 the flags of the last send, 3 1 if
 * the socket was made through the stack path (msocket), 4 the SOCK_DEFAULT
 * requests seen. getpeername is missing on purpose (ENOSYS), and so are
 * read and write: the hypervisor serves them with recvfrom and sendto.
 * "mount -t sockecho none DIR" makes DIR a stack path (msocket's path
 * form): the module claims no path until then, so the tests see that
 * socket(2) reaches the daemon for the family alone. With "-o fdpass"
 * the stack's entry has VUFLAG_FDPASS: its sockets are handed over.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <vumodule.h>

#define ECHO_AF 12 /* AF_DECnet */
#define ECHO_SOL 0x1234
#define ECHO_TYPE_DEFAULT 0 /* SOCK_DEFAULT */

VU_PROTOTYPES(sockecho)
VU_KMVIEW_PROTOTYPES(sockecho)

struct vu_module_t vu_module = {
	.name = "sockecho",
	.description = "test: an echo socket family",
};

struct echo {
	int peer; /* the other end of the socketpair: writing there echoes */
	int type;
	int via_stack;
	int listening;
	int shut; /* 1: SHUT_RD, 2: SHUT_WR */
	int opt;
	int last_flags;
	struct sockaddr_storage name, peername, from;
	socklen_t namelen, peerlen, fromlen;
	char ctl[512];
	size_t ctllen;
};

static struct vuht_entry_t *sock_ht;
static int stack_tag = 1;
static int defaults_seen; /* atomic */

static int echo_new(int type, int via_stack, struct echo **out)
{
	int base = type & 0xf, sv[2];
	struct echo *e;

	if (base != SOCK_DGRAM && base != SOCK_STREAM && base != SOCK_SEQPACKET)
		return errno = EINVAL, -1;
	e = calloc(1, sizeof(*e));
	if (!e)
		return errno = ENOMEM, -1;
	/* SEQPACKET keeps a datagram's bounds on a stream socket too */
	if (socketpair(AF_UNIX, (base == SOCK_DGRAM ? SOCK_DGRAM : SOCK_SEQPACKET) | SOCK_CLOEXEC,
		       0, sv) < 0) {
		free(e);
		return -1;
	}
	if (type & SOCK_NONBLOCK)
		fcntl(sv[0], F_SETFL, O_NONBLOCK); /* the member's own flag says EAGAIN */
	e->peer = sv[1];
	e->type = base;
	e->via_stack = via_stack;
	*out = e;
	return sv[0];
}

int vu_sockecho_socket(int domain, int type, int protocol, void **fdprivate)
{
	int *tag = vu_get_ht_private_data();

	if (type == ECHO_TYPE_DEFAULT) {
		__atomic_add_fetch(&defaults_seen, 1, __ATOMIC_SEQ_CST);
		return 0;
	}
	if (domain != ECHO_AF)
		return errno = EAFNOSUPPORT, -1;
	return echo_new(type, tag == &stack_tag, (struct echo **)fdprivate);
}

static int echo_addr(const struct sockaddr *addr, socklen_t len, struct sockaddr_storage *to,
		     socklen_t *tolen)
{
	if (!addr || len < sizeof(sa_family_t) || len > sizeof(*to))
		return errno = EINVAL, -1;
	if (addr->sa_family != ECHO_AF)
		return errno = EAFNOSUPPORT, -1;
	memcpy(to, addr, len);
	*tolen = len;
	return 0;
}

int vu_sockecho_bind(int sockfd, const struct sockaddr *addr, socklen_t addrlen, void *fdprivate)
{
	struct echo *e = fdprivate;

	return echo_addr(addr, addrlen, &e->name, &e->namelen);
}

int vu_sockecho_connect(int sockfd, const struct sockaddr *addr, socklen_t addrlen,
			void *fdprivate)
{
	struct echo *e = fdprivate;

	return echo_addr(addr, addrlen, &e->peername, &e->peerlen);
}

int vu_sockecho_listen(int sockfd, int backlog, void *fdprivate)
{
	struct echo *e = fdprivate;

	if (e->type == SOCK_DGRAM)
		return errno = EOPNOTSUPP, -1;
	e->listening = 1;
	return 0;
}

/*
 * VUOS passes one more argument than VU_PROTOTYPES says: where the new
 * socket's fdprivate goes. Installed by vu_syscall_handler at init.
 */
static int echo_accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags,
			void *fdprivate, void **newprivate)
{
	struct echo *e = fdprivate, *n;
	struct sockaddr_storage client;
	int fd;

	if (!e->listening)
		return errno = EINVAL, -1;
	fd = echo_new(e->type | (flags & SOCK_NONBLOCK), e->via_stack, &n);
	if (fd < 0)
		return -1;
	memset(&client, 0, sizeof(client));
	client.ss_family = ECHO_AF;
	memcpy((char *)&client + sizeof(sa_family_t), "client", 6);
	n->peername = client;
	n->peerlen = sizeof(sa_family_t) + 6;
	if (addr && addrlen) {
		memcpy(addr, &client, *addrlen < n->peerlen ? *addrlen : n->peerlen);
		*addrlen = n->peerlen;
	}
	*newprivate = n;
	return fd;
}

static int echo_name_out(const struct sockaddr_storage *a, socklen_t alen, struct sockaddr *addr,
			 socklen_t *addrlen)
{
	if (addr && addrlen)
		memcpy(addr, a, *addrlen < alen ? *addrlen : alen);
	if (addrlen)
		*addrlen = alen;
	return 0;
}

int vu_sockecho_getsockname(int sockfd, struct sockaddr *addr, socklen_t *addrlen,
			    void *fdprivate)
{
	struct echo *e = fdprivate;
	struct sockaddr_storage unbound = { .ss_family = ECHO_AF };

	if (!e->namelen)
		return echo_name_out(&unbound, sizeof(sa_family_t), addr, addrlen);
	return echo_name_out(&e->name, e->namelen, addr, addrlen);
}

ssize_t vu_sockecho_sendto(int sockfd, const void *buf, size_t len, int flags,
			   const struct sockaddr *dest_addr, socklen_t addrlen, void *msg_control,
			   size_t msg_controllen, void *fdprivate)
{
	struct echo *e = fdprivate;
	ssize_t n;

	e->last_flags = flags;
	if (e->shut & 2)
		return errno = EPIPE, -1;
	if (msg_controllen > sizeof(e->ctl))
		return errno = ENOBUFS, -1;
	if (dest_addr) {
		if (echo_addr(dest_addr, addrlen, &e->from, &e->fromlen) < 0)
			return -1;
	} else if (e->peerlen) {
		e->from = e->peername;
		e->fromlen = e->peerlen;
	} else if (e->type == SOCK_DGRAM) {
		return errno = ENOTCONN, -1;
	}
	n = send(e->peer, buf, len, MSG_DONTWAIT | MSG_NOSIGNAL);
	if (n >= 0) {
		memcpy(e->ctl, msg_control, msg_controllen);
		e->ctllen = msg_controllen;
	}
	return n;
}

ssize_t vu_sockecho_recvfrom(int sockfd, void *buf, size_t len, int flags,
			     struct sockaddr *src_addr, socklen_t *addrlen, void *msg_control,
			     size_t *msg_controllen, void *fdprivate)
{
	struct echo *e = fdprivate;
	ssize_t n;

	if (e->shut & 1)
		return 0;
	n = recv(sockfd, buf, len, flags);
	if (n < 0)
		return -1;
	if (src_addr)
		echo_name_out(&e->from, e->fromlen, src_addr, addrlen);
	else if (addrlen)
		*addrlen = 0;
	if (msg_control && msg_controllen) {
		size_t c = *msg_controllen < e->ctllen ? *msg_controllen : e->ctllen;

		memcpy(msg_control, e->ctl, c);
		*msg_controllen = c;
	}
	return n;
}

int vu_sockecho_shutdown(int sockfd, int how, void *fdprivate)
{
	struct echo *e = fdprivate;

	if (how < SHUT_RD || how > SHUT_RDWR)
		return errno = EINVAL, -1;
	e->shut |= how + 1;
	return 0;
}

int vu_sockecho_setsockopt(int sockfd, int level, int optname, const void *optval,
			   socklen_t optlen, void *fdprivate)
{
	struct echo *e = fdprivate;

	if (level != ECHO_SOL || optname != 1)
		return errno = ENOPROTOOPT, -1;
	if (optlen != sizeof(int) || !optval)
		return errno = EINVAL, -1;
	memcpy(&e->opt, optval, sizeof(int));
	return 0;
}

int vu_sockecho_getsockopt(int sockfd, int level, int optname, void *optval, socklen_t *optlen,
			   void *fdprivate)
{
	struct echo *e = fdprivate;
	int v;

	if (level == SOL_SOCKET && optname == SO_TYPE)
		v = e->type;
	else if (level == SOL_SOCKET && optname == SO_DOMAIN)
		v = ECHO_AF;
	else if (level == SOL_SOCKET && optname == SO_PROTOCOL)
		v = 0; /* python's socket(fileno=) asks */
	else if (level != ECHO_SOL)
		return errno = ENOPROTOOPT, -1;
	else if (optname == 1)
		v = e->opt;
	else if (optname == 2)
		v = e->last_flags;
	else if (optname == 3)
		v = e->via_stack;
	else if (optname == 4)
		v = __atomic_load_n(&defaults_seen, __ATOMIC_SEQ_CST);
	else
		return errno = ENOPROTOOPT, -1;
	if (!optval || *optlen < sizeof(int))
		return errno = EINVAL, -1;
	memcpy(optval, &v, sizeof(v));
	*optlen = sizeof(v);
	return 0;
}

int vu_sockecho_close(int fd, void *fdprivate)
{
	struct echo *e = fdprivate;

	if (e) {
		close(e->peer);
		free(e);
	}
	return close(fd);
}

/* The stack path: its root only, a network stack's file type. */
int vu_sockecho_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	if (strcmp(pathname, "/") != 0)
		return errno = ENOENT, -1;
	memset(buf, 0, sizeof(*buf));
	buf->st_mode = 0160000 | 0600; /* S_IFSTACK */
	buf->st_nlink = 1;
	return 0;
}

int vu_sockecho_mount(const char *source, const char *target, const char *filesystemtype,
		      unsigned long mountflags, const void *data)
{
	int vuflags = data && strstr(data, "fdpass") ? VUFLAG_FDPASS : 0;

	if (!vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			  vu_mod_getservice(), vuflags, NULL, &stack_tag))
		return -1;
	return 0;
}

int vu_sockecho_umount2(const char *target, int flags)
{
	int ret = vuht_del(vu_mod_getht(), flags);

	return ret < 0 ? (errno = -ret, -1) : 0;
}

void *vu_sockecho_init(void)
{
	struct vu_service_t *s = vu_mod_getservice();
	static int af = ECHO_AF;

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wcast-function-type"
	vu_syscall_handler(s, accept4) = (syscall_t)echo_accept4;
#pragma GCC diagnostic pop
	sock_ht = vuht_add(CHECKSOCKET, &af, sizeof(af), s, 0, NULL, NULL);
	return sock_ht ? NULL : VU_INIT_FAILED;
}

int vu_sockecho_fini(void *private)
{
	if (sock_ht && vuht_del(sock_ht, MNT_FORCE) == 0)
		sock_ht = NULL;
	return 0;
}

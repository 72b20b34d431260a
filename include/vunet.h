/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vunet.h - the interface of vunet's submodules (network stacks).
 *
 * Source compatible with VUOS's <vunet.h>: a VUOS vunet submodule
 * (vunetnull, vunetreal, vunetvdestack ...) builds against this header
 * unchanged.
 *
 * vunet is a kmview module (built against <vumodule.h>) that serves the
 * sockets of mounted network stacks: `vumount -t vunetNAME source
 * /dev/net/xxx` makes vunet dlopen the submodule vunetNAME.so and look up
 * its one exported symbol,
 *
 *	struct vunet_operations vunet_ops = { ... };
 *
 * The mount point is the stack: a file of type S_IFSTACK that msocket(2)
 * (see <vulib.h>) names to open a socket on that stack, or to make it the
 * default stack of the calling process (type SOCK_DEFAULT; the default is
 * inherited by the process's children). socket(2) uses the default stack
 * of its family. Every socket call on a stack's socket reaches the
 * submodule's operation with the submodule's own fd, the one its socket
 * returned; read, write, send and recv arrive as sendmsg and recvmsg.
 *
 * The functions declared here are defined by vunet, which a submodule is
 * loaded by: the symbols are resolved against vunet.so at dlopen time.
 *
 * kmview's addition: a submodule whose socket operation returns a kernel
 * socket of the hypervisor, and whose other operations are the system
 * calls on it (vunetreal, vunetvdestack), says so with
 *
 *	const unsigned long vunet_flags = VUNET_FDPASS;
 *
 * and the member gets the socket itself: after socket(2) every call on it
 * runs natively (module-api.md, "Fd passthrough"). VUOS ignores the symbol.
 */
#ifndef _VUNET_H
#define _VUNET_H

#include <vumodule.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The file type of a mounted stack (as in <vulib.h>). */
#ifndef S_IFSTACK
#define S_IFSTACK 0160000
#endif
/* msocket()'s type that sets the default stack of a family (as in <vulib.h>). */
#ifndef SOCK_DEFAULT
#define SOCK_DEFAULT 0
#endif

/* The bits of a submodule's vunet_flags (kmview's). */
#define VUNET_FDPASS 1UL

/*
 * A per-socket pointer of the submodule's own, for the socket being
 * served: NULL after socket, set with vunet_set_fdprivate (usually in the
 * socket operation) and read back in the later operations on that socket.
 */
void *vunet_get_fdprivate(void);
void vunet_set_fdprivate(void *fdprivate);
/* The stack's private data: what init stored in *private_data. */
void *vunet_get_private_data(void);

/*
 * struct vunet_operations - what a submodule implements. The operations
 * have the signatures of the system calls (a submodule may use the C
 * library's functions as they are, as vunetreal does); a NULL operation
 * fails with ENOSYS. They return like the C library: a value, or -1 with
 * errno set.
 * @socket: returns the submodule's fd for the new socket. Not called for
 *          a @domain that supported_domain refuses (EAFNOSUPPORT).
 * @recvmsg: read, recv, recvfrom and recvmsg all come here.
 * @sendmsg: write, send, sendto and sendmsg all come here.
 * @ioctl: with fd == -1, a query about the request: return -1 if it
 *         encodes its direction and size (_IO, _IOR, _IOW, _IOWR), else a
 *         request number that encodes them (see vunet_ioctl_parms()).
 *         With fd >= 0, perform it on the argument.
 * @close: the last close of the socket.
 * @fcntl: the file status flags (F_GETFL, F_SETFL).
 * @epoll_ctl: the socket's part of poll, select and blocking waits.
 * @supported_domain: 1 if the stack has address family @domain, else 0;
 *                    NULL: every family.
 * @supported_ioctl: 1 if the stack serves the non-socket ioctl @request
 *                   (e.g. the netdevice(7) ones on any fd), else 0; NULL:
 *                   none.
 * @init: the mount: @source, @flags and @args are mount(2)'s source,
 *        mountflags and data. Store the stack's state in *private_data;
 *        return 0, or -1 with errno to fail the mount (EINVAL if unset).
 * @fini: the last umount, with the state init stored.
 */
struct vunet_operations {
	int (*socket)(int domain, int type, int protocol);
	int (*bind)(int fd, const struct sockaddr *addr, socklen_t addrlen);
	int (*connect)(int fd, const struct sockaddr *addr, socklen_t addrlen);
	int (*listen)(int fd, int backlog);
	int (*accept4)(int fd, struct sockaddr *addr, socklen_t *addrlen, int flags);
	int (*getsockname)(int fd, struct sockaddr *addr, socklen_t *addrlen);
	int (*getpeername)(int fd, struct sockaddr *addr, socklen_t *addrlen);
	ssize_t (*recvmsg)(int fd, struct msghdr *msg, int flags);
	ssize_t (*sendmsg)(int fd, const struct msghdr *msg, int flags);
	int (*setsockopt)(int fd, int level, int optname, const void *optval, socklen_t optlen);
	int (*getsockopt)(int fd, int level, int optname, void *optval, socklen_t *optlen);
	int (*shutdown)(int fd, int how);
	int (*ioctl)(int fd, unsigned long request, void *addr);
	int (*close)(int fd);
	int (*fcntl)(int fd, int cmd, long arg);
	int (*epoll_ctl)(int epfd, int op, int fd, struct epoll_event *event);
	int (*supported_domain)(int domain);
	int (*supported_ioctl)(unsigned long request);
	int (*init)(const char *source, unsigned long flags, const char *args,
		    void **private_data);
	int (*fini)(void *private_data);
};

/*
 * Helpers for a submodule's ioctl (defined by vunet):
 * vunet_is_netdev_ioctl() - 1 if @request is one of netdevice(7)'s
 * requests (SIOCGIFCONF, SIOCGIFFLAGS, SIOCSIFADDR ...), else 0.
 * vunet_ioctl_parms() - for the requests that predate the _IOC encoding
 * (the netdevice ones, FIONREAD, FIONBIO), a request number whose
 * direction and size describe the argument; 0 for any other request.
 */
int vunet_is_netdev_ioctl(unsigned long request);
long vunet_ioctl_parms(unsigned long request);

#endif /* _VUNET_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunetreal.c - the host's stack as a vunet stack, for a process in a view
 * whose default is another stack (vustack /dev/net/real cmd). Its sockets
 * are the hypervisor's kernel sockets, handed to the member
 * (VUNET_FDPASS): they are the real ones, at native speed.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <vunet.h>

const unsigned long vunet_flags = VUNET_FDPASS;

static int real_domain(int domain)
{
	return domain == AF_INET || domain == AF_INET6 || domain == AF_NETLINK ||
	       domain == AF_PACKET;
}

/* ioctl's third argument is variadic in the C library: not the operation's type. */
static int real_ioctl(int fd, unsigned long request, void *addr)
{
	return ioctl(fd, request, addr);
}

static int real_fcntl(int fd, int cmd, long arg)
{
	return fcntl(fd, cmd, arg);
}

struct vunet_operations vunet_ops = {
	.socket = socket,
	.bind = bind,
	.connect = connect,
	.listen = listen,
	.accept4 = accept4,
	.getsockname = getsockname,
	.getpeername = getpeername,
	.recvmsg = recvmsg,
	.sendmsg = sendmsg,
	.getsockopt = getsockopt,
	.setsockopt = setsockopt,
	.shutdown = shutdown,
	.ioctl = real_ioctl,
	.close = close,
	.fcntl = real_fcntl,
	.epoll_ctl = epoll_ctl,
	.supported_domain = real_domain,
};

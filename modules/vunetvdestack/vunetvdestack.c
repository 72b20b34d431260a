// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunetvdestack.c - a network stack on a VDE network: `vumount -t
 * vunetvdestack [-o ip=...,up] URL /dev/net/NAME`. libvdestack makes a
 * kernel stack in a new user and network namespace (no privilege needed)
 * whose tap vde0 is plugged into the VDE network at URL (vde://, hub://,
 * vxvde://, slirp://, cmd://... any vdeplug plugin). Its sockets are
 * kernel sockets made inside that namespace and handed to the member
 * (VUNET_FDPASS): every call after socket() is native, netlink included,
 * so ip(8) configures the stack as it would the host's. The mount
 * options set vde0 up at once (vdestack_opts.h); ICMP datagram sockets
 * are allowed to the view's owner, so ping works unprivileged.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <vdestack.h>
#include <vunet.h>

#include "vdestack_conf.h"
#include "vdestack_keeper.h"
#include "vdestack_ns.h"
#include "vdestack_opts.h"
#include "vdestack_watch.h"

#define VDS_IFNAME "vde0"
#define VDS_ERR_MAX 256

const unsigned long vunet_flags = VUNET_FDPASS;

/* A mounted stack: libvdestack's, and the watch on its switch. */
struct vds {
	struct vdestack *stack;
	struct vds_keeper *keeper; /* the thread the stack lives in */
	struct vds_watch *watch;
};

static int vds_domain(int domain)
{
	return domain == AF_INET || domain == AF_INET6 || domain == AF_NETLINK ||
	       domain == AF_PACKET;
}

/* A socket made in the stack's namespace; ENETDOWN once the stack's process is gone. */
static int vds_socket(int domain, int type, int protocol)
{
	struct vds *vds = vunet_get_private_data();
	int fd;

	if (!vds)
		return errno = ENETDOWN, -1;
	fd = vde_msocket(vds->stack, domain, type, protocol);
	if (fd < 0 && errno == EFAULT) /* libvdestack's answer when its process is gone */
		errno = ENETDOWN;
	return fd;
}

/* The probe (fd -1, no argument): the old netdevice requests' argument. */
static int vds_ioctl(int fd, unsigned long request, void *arg)
{
	long parms;

	if (fd >= 0)
		return ioctl(fd, request, arg);
	parms = vunet_ioctl_parms(request);
	return parms ? (int)parms : -1;
}

static int vds_fcntl(int fd, int cmd, long arg)
{
	return fcntl(fd, cmd, arg);
}

/* Why vde_addstack failed on @url with @err, as a user reads it. */
static void vds_why(const char *url, int err, char *msg, size_t len)
{
	char scheme[32] = "";
	const char *sep = strstr(url, "://");

	if (sep && (size_t)(sep - url) < sizeof(scheme))
		snprintf(scheme, sizeof(scheme), "%.*s", (int)(sep - url), url);
	switch (err) {
	case ENOENT:
	case ECONNREFUSED:
		snprintf(msg, len, "%s: no VDE switch there (%s)", url, strerror(err));
		break;
	case EPROTONOSUPPORT:
		snprintf(
			msg, len,
			"%s: no vdeplug plugin for '%s://' (libvdeplug_%s.so): a bad URL or a plugin not installed",
			url, scheme[0] ? scheme : "?", scheme[0] ? scheme : "?");
		break;
	case EPERM:
	case ENOSPC:
	case EUSERS:
		snprintf(msg, len, "%s: cannot make the stack's user namespace (%s)", url,
			 strerror(err));
		break;
	default:
		snprintf(msg, len, "%s: %s", url, strerror(err));
	}
}

/* Set the new stack up: ping allowed, vde0 as the options say, the switch watched. */
static int vds_setup(struct vds *vds, const char *url, const struct vds_opts *o, char *msg,
		     size_t len)
{
	int nl = vde_msocket(vds->stack, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	int wnl = vde_msocket(vds->stack, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);

	if (wnl >= 0)
		vds->watch = vds_watch_start(url, wnl, VDS_IFNAME);
	if (nl < 0) {
		snprintf(msg, len, "the stack does not answer (%s): its namespace did not start",
			 strerror(errno));
		return -1;
	}
	if (vds_ns_allow_ping(nl, msg, len) < 0)
		printk(KERN_NOTICE "vunetvdestack: %s: ping needs privileges\n", msg);
	return vds_configure(nl, VDS_IFNAME, o, msg, len);
}

static int vds_fini(void *private_data)
{
	struct vds *vds = private_data;

	vds_watch_stop(vds->watch);
	vds_keeper_stop(vds->keeper);
	free(vds);
	return 0;
}

static int vds_init(const char *source, unsigned long flags, const char *args, void **private_data)
{
	char msg[VDS_ERR_MAX];
	struct vds_opts o;
	struct vds *vds;
	int err;

	(void)flags;
	if (vds_opts_parse(args, &o, msg, sizeof(msg)) < 0) {
		printk(KERN_ERR "vunetvdestack: %s\n", msg);
		return errno = EINVAL, -1;
	}
	if (!source || !*source || strcmp(source, "none") == 0) {
		printk(KERN_ERR "vunetvdestack: no VDE URL (vde:///path, slirp://, vxvde://...)\n");
		return errno = EINVAL, -1;
	}
	if (vds_ns_userns_forbidden(msg, sizeof(msg))) {
		printk(KERN_ERR "vunetvdestack: %s\n", msg);
		return errno = EPERM, -1;
	}
	vds = calloc(1, sizeof(*vds));
	if (!vds)
		return errno = ENOMEM, -1;
	vds->keeper = vds_keeper_start(source, VDS_IFNAME, &vds->stack);
	if (!vds->keeper) {
		err = errno;
		vds_why(source, err, msg, sizeof(msg));
		printk(KERN_ERR "vunetvdestack: %s\n", msg);
		free(vds);
		return errno = err, -1;
	}
	if (vds_setup(vds, source, &o, msg, sizeof(msg)) < 0) {
		printk(KERN_ERR "vunetvdestack: %s: %s\n", source, msg);
		vds_fini(vds);
		return errno = EINVAL, -1;
	}
	*private_data = vds;
	return 0;
}

struct vunet_operations vunet_ops = {
	.socket = vds_socket,
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
	.ioctl = vds_ioctl,
	.close = close,
	.fcntl = vds_fcntl,
	.epoll_ctl = epoll_ctl,
	.supported_domain = vds_domain,
	.init = vds_init,
	.fini = vds_fini,
};

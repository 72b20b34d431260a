// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vdestack_conf.c - vde0's set-up at mount time, what `ip link set`,
 * `ip addr add` and `ip route add default` would do inside the stack:
 * libnl-route-3 over a netlink socket made in the stack's namespace.
 * The tap appears a moment after the stack is made: it is waited for.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <netlink/socket.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "vdestack_conf.h"

#define VDS_TAP_WAIT_MS 3000
#define VDS_TAP_STEP_MS 10

/* The link @name, waited for up to VDS_TAP_WAIT_MS. 0 or a libnl error. */
static int vds_link_wait(struct nl_sock *sk, const char *name, struct rtnl_link **link)
{
	struct timespec step = { 0, VDS_TAP_STEP_MS * 1000000L };
	int ret = 0;

	for (int waited = 0; waited <= VDS_TAP_WAIT_MS; waited += VDS_TAP_STEP_MS) {
		ret = rtnl_link_get_kernel(sk, 0, name, link);
		if (ret != -NLE_OBJ_NOTFOUND && ret != -NLE_NODEV)
			return ret;
		nanosleep(&step, NULL);
	}
	return ret;
}

/* @nlfd as a libnl socket (NULL: @err set); freeing it closes @nlfd. */
static struct nl_sock *vds_nl(int nlfd, char *err, size_t errlen)
{
	struct nl_sock *sk = nl_socket_alloc();
	int ret;

	if (!sk) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ret = nl_socket_set_fd(sk, NETLINK_ROUTE, nlfd);
	if (ret < 0) {
		nl_socket_free(sk);
		snprintf(err, errlen, "the stack's netlink socket: %s", nl_geterror(ret));
		return NULL;
	}
	return sk;
}

/* Set @link up, or its MAC and MTU: a change of @link. 0 or a libnl error. */
static int vds_link_set(struct nl_sock *sk, struct rtnl_link *link, const struct vds_opts *o,
			bool up)
{
	struct rtnl_link *change = rtnl_link_alloc();
	struct nl_addr *mac = NULL;
	int ret;

	if (!change)
		return -NLE_NOMEM;
	if (up) {
		rtnl_link_set_flags(change, IFF_UP);
	} else {
		if (o->has_mac) {
			mac = nl_addr_build(AF_LLC, o->mac, sizeof(o->mac));
			if (!mac) {
				rtnl_link_put(change);
				return -NLE_NOMEM;
			}
			rtnl_link_set_addr(change, mac);
		}
		if (o->mtu)
			rtnl_link_set_mtu(change, o->mtu);
	}
	ret = rtnl_link_change(sk, link, change, 0);
	if (mac)
		nl_addr_put(mac);
	rtnl_link_put(change);
	return ret;
}

/* @a (with its prefix length if @prefix) as a libnl address, or NULL. */
static struct nl_addr *vds_nladdr(const struct vds_addr *a, bool prefix)
{
	struct nl_addr *n = nl_addr_build(a->family, a->a, a->family == AF_INET ? 4 : 16);

	if (n && prefix)
		nl_addr_set_prefixlen(n, a->prefix);
	return n;
}

static int vds_addr_add(struct nl_sock *sk, int ifindex, const struct vds_addr *a)
{
	struct rtnl_addr *addr = rtnl_addr_alloc();
	struct nl_addr *local = vds_nladdr(a, true);
	int ret = -NLE_NOMEM;

	if (addr && local) {
		rtnl_addr_set_ifindex(addr, ifindex);
		rtnl_addr_set_local(addr, local);
		/* no duplicate address detection: usable at once, as for a new link */
		if (a->family == AF_INET6)
			rtnl_addr_set_flags(addr, IFA_F_NODAD);
		ret = rtnl_addr_add(sk, addr, 0);
	}
	if (local)
		nl_addr_put(local);
	if (addr)
		rtnl_addr_put(addr);
	return ret;
}

/* The default route of @gw's family through @gw on @ifindex. */
static int vds_route_add(struct nl_sock *sk, int ifindex, const struct vds_addr *gw)
{
	struct rtnl_route *route = rtnl_route_alloc();
	struct rtnl_nexthop *nh = rtnl_route_nh_alloc();
	struct nl_addr *dst = nl_addr_alloc(0), *via = vds_nladdr(gw, false);
	int ret = -NLE_NOMEM;

	if (route && nh && dst && via) {
		nl_addr_set_family(dst, gw->family);
		nl_addr_set_prefixlen(dst, 0);
		rtnl_route_set_family(route, (uint8_t)gw->family);
		rtnl_route_set_dst(route, dst);
		rtnl_route_nh_set_ifindex(nh, ifindex);
		rtnl_route_nh_set_gateway(nh, via);
		rtnl_route_add_nexthop(route, nh);
		nh = NULL; /* the route's now */
		ret = rtnl_route_add(sk, route, NLM_F_CREATE);
	}
	if (nh)
		rtnl_route_nh_free(nh);
	if (via)
		nl_addr_put(via);
	if (dst)
		nl_addr_put(dst);
	if (route)
		rtnl_route_put(route);
	return ret;
}

/* @a as text, for a message. */
static const char *vds_ntop(const struct vds_addr *a, char *buf, size_t len)
{
	struct nl_addr *n = vds_nladdr(a, false);

	if (!n) {
		snprintf(buf, len, "?");
		return buf;
	}
	nl_addr2str(n, buf, len);
	nl_addr_put(n);
	return buf;
}

/* The steps, in order; @step names the one that failed. 0 or a libnl error. */
static int vds_steps(struct nl_sock *sk, const char *ifname, const struct vds_opts *o, char *step,
		     size_t steplen)
{
	struct rtnl_link *link = NULL, *lo = NULL;
	char text[64];
	int ret, ifindex;

	snprintf(step, steplen, "no interface %s in the stack", ifname);
	ret = vds_link_wait(sk, ifname, &link);
	if (ret < 0)
		return ret;
	ifindex = rtnl_link_get_ifindex(link);
	snprintf(step, steplen, "%s: mac= or mtu=", ifname);
	if ((o->has_mac || o->mtu) && (ret = vds_link_set(sk, link, o, false)) < 0)
		goto out;
	/* up first, then the addresses: as ip(8) users do */
	if (o->up) {
		snprintf(step, steplen, "%s: up", ifname);
		ret = vds_link_set(sk, link, o, true);
		if (ret >= 0 && rtnl_link_get_kernel(sk, 0, "lo", &lo) == 0)
			ret = vds_link_set(sk, lo, o, true);
		if (ret < 0)
			goto out;
	}
	for (int i = 0; i < o->naddr; i++) {
		snprintf(step, steplen, "%s: ip=%s/%d", ifname,
			 vds_ntop(&o->addr[i], text, sizeof(text)), o->addr[i].prefix);
		ret = vds_addr_add(sk, ifindex, &o->addr[i]);
		if (ret < 0)
			goto out;
	}
	for (int f = 0; f < 2; f++) {
		const struct vds_addr *gw = f ? &o->gw6 : &o->gw4;

		if (!gw->family)
			continue;
		snprintf(step, steplen, "%s: gw=%s", ifname, vds_ntop(gw, text, sizeof(text)));
		ret = vds_route_add(sk, ifindex, gw);
		if (ret < 0)
			goto out;
	}
	ret = 0;
out:
	if (lo)
		rtnl_link_put(lo);
	rtnl_link_put(link);
	return ret;
}

int vds_configure(int nlfd, const char *ifname, const struct vds_opts *o, char *err, size_t errlen)
{
	struct nl_sock *sk = vds_nl(nlfd, err, errlen);
	char step[160];
	int ret;

	if (!sk) {
		close(nlfd);
		return -1;
	}
	ret = vds_steps(sk, ifname, o, step, sizeof(step));
	nl_socket_free(sk); /* closes nlfd */
	if (ret < 0) {
		snprintf(err, errlen, "%s: %s", step, nl_geterror(ret));
		return -1;
	}
	return 0;
}

int vds_link_down(int nlfd, const char *ifname, char *err, size_t errlen)
{
	int fd = fcntl(nlfd, F_DUPFD_CLOEXEC, 0); /* libnl closes its own */
	struct nl_sock *sk = fd < 0 ? NULL : vds_nl(fd, err, errlen);
	struct rtnl_link *link = NULL, *change = NULL;
	int ret = -NLE_NOMEM;

	if (fd < 0) {
		snprintf(err, errlen, "%s", strerror(errno));
		return -1;
	}
	if (!sk) {
		close(fd);
		return -1;
	}
	ret = rtnl_link_get_kernel(sk, 0, ifname, &link);
	if (ret == 0 && (change = rtnl_link_alloc())) {
		rtnl_link_unset_flags(change, IFF_UP);
		ret = rtnl_link_change(sk, link, change, 0);
	}
	if (change)
		rtnl_link_put(change);
	if (link)
		rtnl_link_put(link);
	nl_socket_free(sk);
	if (ret < 0) {
		snprintf(err, errlen, "%s down: %s", ifname, nl_geterror(ret));
		return -1;
	}
	return 0;
}

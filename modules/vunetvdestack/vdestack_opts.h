/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vdestack_opts.h - the mount options of vunetvdestack: how vde0 is set
 * up when the stack is made (ip=, gw=, mac=, mtu=, up and the IPv6 forms).
 */
#ifndef VDESTACK_OPTS_H
#define VDESTACK_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#define VDS_MAX_ADDRS 8

/* An address of either family: 4 or 16 bytes of @a. */
struct vds_addr {
	int family; /* AF_INET, AF_INET6 */
	unsigned char a[16];
	int prefix; /* ip=: the prefix length; gw=: unused */
};

struct vds_opts {
	struct vds_addr addr[VDS_MAX_ADDRS]; /* ip=, ip6=: added in order */
	int naddr;
	struct vds_addr gw4, gw6; /* gw=, gw6=: the default routes; family 0 if none */
	unsigned char mac[6];
	bool has_mac;
	unsigned int mtu; /* 0: the tap's own */
	bool up; /* vde0 and lo up (implied by ip= and gw=) */
};

/*
 * Parse the comma-separated @args (NULL or "": none) into @o:
 *   ip=ADDR[/LEN]  an address of vde0, IPv4 or IPv6 (LEN: 32 or 128 if not given)
 *   ip6=ADDR[/LEN] the same, IPv6 only
 *   gw=ADDR        the default route through ADDR (IPv4 or IPv6)
 *   gw6=ADDR       the same, IPv6 only
 *   mac=XX:XX:XX:XX:XX:XX  vde0's MAC address (unicast)
 *   mtu=N          vde0's MTU, 68 to 65521
 *   up             vde0 and lo up (an address or a gateway brings them up too)
 * 0, or -1 with a message naming the bad option in @err (@errlen bytes).
 */
int vds_opts_parse(const char *args, struct vds_opts *o, char *err, size_t errlen);

#endif /* VDESTACK_OPTS_H */

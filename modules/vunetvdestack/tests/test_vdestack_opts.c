// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vdestack_opts.c - vunetvdestack's mount options: addresses of both
 * families with their prefixes, gateways, MAC, MTU, up; every bad one is
 * refused with a message naming it.
 */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "tap.h"
#include "vdestack_opts.h"

static struct vds_opts o;
static char err[128];

static int parse(const char *args)
{
	return vds_opts_parse(args, &o, err, sizeof(err));
}

static int is_addr(const struct vds_addr *a, int family, const char *text)
{
	unsigned char want[16] = { 0 };

	return a->family == family && inet_pton(family, text, want) == 1 &&
	       memcmp(a->a, want, family == AF_INET ? 4 : 16) == 0;
}

static void bad(const char *args, const char *msg)
{
	is_long(parse(args), -1, "'%s' is refused", args);
	ok(strstr(err, msg) != NULL, "... saying \"%s\" (got \"%s\")", msg, err);
}

int main(void)
{
	is_long(parse(NULL), 0, "no options");
	ok(o.naddr == 0 && !o.up && !o.has_mac && o.mtu == 0 && !o.gw4.family && !o.gw6.family,
	   "nothing to do");
	is_long(parse("up"), 0, "up");
	ok(o.up && o.naddr == 0, "vde0 up, no address");

	is_long(parse("ip=10.0.0.1/24,gw=10.0.0.254,mac=02:00:00:00:00:01,mtu=1400"), 0,
		"ip=, gw=, mac=, mtu=");
	ok(o.naddr == 1 && is_addr(&o.addr[0], AF_INET, "10.0.0.1") && o.addr[0].prefix == 24,
	   "the address and its prefix");
	ok(is_addr(&o.gw4, AF_INET, "10.0.0.254") && !o.gw6.family, "the IPv4 gateway");
	ok(o.has_mac && memcmp(o.mac, "\x02\0\0\0\0\x01", 6) == 0, "the MAC");
	is_long(o.mtu, 1400, "the MTU");
	ok(o.up, "an address brings vde0 up");

	is_long(parse("ip=fd00::1/64,ip6=fd00:1::2,gw6=fd00::ff,ip=192.168.1.2"), 0,
		"IPv6 forms beside IPv4");
	ok(o.naddr == 3 && is_addr(&o.addr[0], AF_INET6, "fd00::1") && o.addr[0].prefix == 64,
	   "ip= takes an IPv6 address");
	ok(is_addr(&o.addr[1], AF_INET6, "fd00:1::2") && o.addr[1].prefix == 128,
	   "ip6= without a length: 128");
	ok(is_addr(&o.addr[2], AF_INET, "192.168.1.2") && o.addr[2].prefix == 32,
	   "ip= without a length: 32");
	ok(is_addr(&o.gw6, AF_INET6, "fd00::ff") && !o.gw4.family, "the IPv6 gateway");
	is_long(parse("gw=fd00::1"), 0, "gw= with an IPv6 address");
	ok(is_addr(&o.gw6, AF_INET6, "fd00::1"), "is the IPv6 gateway");
	is_long(parse(",,up,"), 0, "empty options are skipped");

	bad("ip=10.0.0.1/33", "bad value for ip: '10.0.0.1/33'");
	bad("ip=10.0.0.1/", "bad value for ip");
	bad("ip=10.0.0.1/2x", "bad value for ip");
	bad("ip=10.0.0.300/24", "bad value for ip");
	bad("ip", "bad value for ip");
	bad("ip6=10.0.0.1", "bad value for ip6");
	bad("ip=fd00::1/129", "bad value for ip");
	bad("gw6=10.0.0.1", "bad value for gw6");
	bad("gw=host", "bad value for gw");
	bad("mac=01:00:00:00:00:01", "bad value for mac");
	bad("mac=02:00:00:00:00", "bad value for mac");
	bad("mac=02-00-00-00-00-01", "bad value for mac");
	bad("mac=02:00:00:00:00:011", "bad value for mac");
	bad("mtu=67", "bad value for mtu");
	bad("mtu=65522", "bad value for mtu");
	bad("mtu=1500x", "bad value for mtu");
	bad("up=1", "bad value for up");
	bad("ipaddr=10.0.0.1", "unknown option 'ipaddr'");
	bad("ip=1.1.1.1,ip=1.1.1.2,ip=1.1.1.3,ip=1.1.1.4,ip=1.1.1.5,ip=1.1.1.6,ip=1.1.1.7,"
	    "ip=1.1.1.8,ip=1.1.1.9",
	    "more than 8 addresses");
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vdestack_opts.c - vunetvdestack's mount options, checked whole before
 * the stack is made: a typo is a message, not a half-configured vde0.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "vdestack_opts.h"

#define VDS_OPT_MAX 128
#define VDS_MTU_MIN 68
#define VDS_MTU_MAX 65521 /* the tap's largest */

/* @s, an address of @family (AF_UNSPEC: either), into @a. 0 or -1. */
static int vds_parse_addr(const char *s, int family, struct vds_addr *a)
{
	memset(a, 0, sizeof(*a));
	if ((family == AF_UNSPEC || family == AF_INET) && inet_pton(AF_INET, s, a->a) == 1)
		a->family = AF_INET;
	else if ((family == AF_UNSPEC || family == AF_INET6) && inet_pton(AF_INET6, s, a->a) == 1)
		a->family = AF_INET6;
	else
		return -1;
	return 0;
}

/* ADDR[/LEN] of @family into @a. 0 or -1. */
static int vds_parse_prefix(const char *s, int family, struct vds_addr *a)
{
	char buf[VDS_OPT_MAX], *slash, *end;
	long len;
	int max;

	snprintf(buf, sizeof(buf), "%s", s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (vds_parse_addr(buf, family, a) < 0)
		return -1;
	max = a->family == AF_INET ? 32 : 128;
	a->prefix = max;
	if (!slash)
		return 0;
	errno = 0;
	len = strtol(slash + 1, &end, 10);
	if (errno || end == slash + 1 || *end || len < 0 || len > max)
		return -1;
	a->prefix = (int)len;
	return 0;
}

static int vds_parse_mac(const char *s, unsigned char mac[6])
{
	unsigned int b[6];
	char tail;

	if (strlen(s) != 17 || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
				      &b[4], &b[5], &tail) != 6)
		return -1;
	for (int i = 0; i < 6; i++) {
		if (s[i * 3 + 2] != ':' && i < 5)
			return -1;
		mac[i] = (unsigned char)b[i];
	}
	return mac[0] & 1 ? -1 : 0; /* a multicast address is no interface's */
}

static int vds_parse_mtu(const char *s, unsigned int *mtu)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < VDS_MTU_MIN || v > VDS_MTU_MAX)
		return -1;
	*mtu = (unsigned int)v;
	return 0;
}

/* One option, @name=@val (@val NULL: no '='), into @o. 0, or -1 with @err set. */
static int vds_parse_one(const char *name, const char *val, struct vds_opts *o, char *err,
			 size_t errlen)
{
	bool v6 = strcmp(name, "ip6") == 0 || strcmp(name, "gw6") == 0;
	int fam = v6 ? AF_INET6 : AF_UNSPEC;

	if (strcmp(name, "up") == 0) {
		if (!val) {
			o->up = true;
			return 0;
		}
	} else if (strcmp(name, "ip") == 0 || strcmp(name, "ip6") == 0) {
		if (o->naddr == VDS_MAX_ADDRS) {
			snprintf(err, errlen, "more than %d addresses", VDS_MAX_ADDRS);
			return -1;
		}
		if (val && vds_parse_prefix(val, fam, &o->addr[o->naddr]) == 0) {
			o->naddr++;
			o->up = true;
			return 0;
		}
	} else if (strcmp(name, "gw") == 0 || strcmp(name, "gw6") == 0) {
		struct vds_addr a;

		if (val && vds_parse_addr(val, fam, &a) == 0) {
			*(a.family == AF_INET ? &o->gw4 : &o->gw6) = a;
			o->up = true;
			return 0;
		}
	} else if (strcmp(name, "mac") == 0) {
		if (val && vds_parse_mac(val, o->mac) == 0) {
			o->has_mac = true;
			return 0;
		}
	} else if (strcmp(name, "mtu") == 0) {
		if (val && vds_parse_mtu(val, &o->mtu) == 0)
			return 0;
	} else {
		snprintf(err, errlen, "unknown option '%s'", name);
		return -1;
	}
	snprintf(err, errlen, "bad value for %s: '%s'", name, val ? val : "");
	return -1;
}

int vds_opts_parse(const char *args, struct vds_opts *o, char *err, size_t errlen)
{
	memset(o, 0, sizeof(*o));
	if (errlen)
		err[0] = '\0';
	while (args && *args) {
		const char *end = strchr(args, ',');
		size_t len = end ? (size_t)(end - args) : strlen(args);
		char opt[VDS_OPT_MAX], *eq;

		if (len >= sizeof(opt)) {
			snprintf(err, errlen, "option too long: '%.20s...'", args);
			return -1;
		}
		memcpy(opt, args, len);
		opt[len] = '\0';
		args = end ? end + 1 : NULL;
		if (!len)
			continue;
		eq = strchr(opt, '=');
		if (eq)
			*eq = '\0';
		if (vds_parse_one(opt, eq ? eq + 1 : NULL, o, err, errlen) < 0)
			return -1;
	}
	return 0;
}

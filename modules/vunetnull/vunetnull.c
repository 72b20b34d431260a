// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunetnull.c - the stack without a network: it has the families of the
 * Internet (AF_INET, AF_INET6), AF_NETLINK and AF_PACKET, and refuses
 * every socket of them (EAFNOSUPPORT). A process given it as its default
 * (vustack /dev/net/null cmd) cannot reach any network; AF_UNIX stays
 * the host's.
 */
#include <errno.h>
#include <vunet.h>

static int null_domain(int domain)
{
	return domain == AF_INET || domain == AF_INET6 || domain == AF_NETLINK ||
	       domain == AF_PACKET;
}

static int null_socket(int domain, int type, int protocol)
{
	(void)domain, (void)type, (void)protocol;
	errno = EAFNOSUPPORT;
	return -1;
}

struct vunet_operations vunet_ops = {
	.socket = null_socket,
	.supported_domain = null_domain,
};

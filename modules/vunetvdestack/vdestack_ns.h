/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vdestack_ns.h - what the stack sets inside its network namespace with
 * a child of its own: the sysctls an ordinary user's programs need there.
 */
#ifndef VDESTACK_NS_H
#define VDESTACK_NS_H

#include <stddef.h>

/*
 * Let the view's owner open ICMP datagram sockets (ping without
 * privileges) in the namespace of the socket @sockfd: its
 * net.ipv4.ping_group_range becomes the owner's group. 0, or -1 with
 * errno and a message in @err.
 */
int vds_ns_allow_ping(int sockfd, char *err, size_t errlen);

/*
 * Why a user namespace cannot be made here, from the sysctls that forbid
 * it (Debian's kernel.unprivileged_userns_clone, user.max_user_namespaces):
 * a message in @err and 1, or 0 if none forbids it.
 */
int vds_ns_userns_forbidden(char *err, size_t errlen);

#endif /* VDESTACK_NS_H */

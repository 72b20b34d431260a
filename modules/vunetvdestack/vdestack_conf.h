/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vdestack_conf.h - vde0 set up as the mount options say, through
 * rtnetlink inside the stack (libnl-route-3).
 */
#ifndef VDESTACK_CONF_H
#define VDESTACK_CONF_H

#include <stddef.h>

#include "vdestack_opts.h"

/*
 * Configure the interface @ifname of the stack whose NETLINK_ROUTE socket
 * is @nlfd (taken over: closed here) as @o says: MAC and MTU, the
 * addresses, up (with lo), the default routes. 0, or -1 with a message
 * naming the step that failed in @err.
 */
int vds_configure(int nlfd, const char *ifname, const struct vds_opts *o, char *err, size_t errlen);

/*
 * Set @ifname down through the stack's NETLINK_ROUTE socket @nlfd (kept
 * open). 0, or -1 with a message in @err.
 */
int vds_link_down(int nlfd, const char *ifname, char *err, size_t errlen);

#endif /* VDESTACK_CONF_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vdestack_watch.h - the end of the VDE network seen by the stack: when
 * the switch goes away, vde0 goes down, so the stack's sockets see the
 * network unreachable instead of waiting for replies that never come.
 */
#ifndef VDESTACK_WATCH_H
#define VDESTACK_WATCH_H

struct vds_watch;

/*
 * Watch the VDE network @url with a connection of its own, whose control
 * channel ends with the switch (vde://: a switch; plugins without one,
 * slirp:// say, are not watched: NULL). Then set @ifname down through the
 * stack's NETLINK_ROUTE socket @nlfd (taken over). NULL if not watched.
 */
struct vds_watch *vds_watch_start(const char *url, int nlfd, const char *ifname);
/* Stop watching and free @w (NULL: nothing). */
void vds_watch_stop(struct vds_watch *w);

#endif /* VDESTACK_WATCH_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vdestack_keeper.h - the thread a stack is made and deleted in.
 */
#ifndef VDESTACK_KEEPER_H
#define VDESTACK_KEEPER_H

#include <vdestack.h>

struct vds_keeper;

/*
 * Make the stack of @url with interface @ifname (vde_addstack) in a
 * thread of its own, which keeps it until vds_keeper_stop. Its process
 * ends when the thread that made it does (libvdestack's parent-death
 * signal): not with the request's thread, which may go before the mount.
 * NULL with errno if it cannot be made; the stack in *@stack.
 */
struct vds_keeper *vds_keeper_start(const char *url, const char *ifname, struct vdestack **stack);
/* Delete the stack (vde_delstack, in its thread) and end the thread. */
void vds_keeper_stop(struct vds_keeper *k);

#endif /* VDESTACK_KEEPER_H */

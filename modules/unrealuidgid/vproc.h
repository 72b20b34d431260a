/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vproc.h - the virtual credentials of each process of the view, shared
 * by unrealuidgid and unrealcap: a process's struct is shared with its
 * children until one of them changes it (copy on write), as a fork
 * shares the kernel's struct cred.
 */
#ifndef KMVIEW_UNREALUIDGID_VPROC_H
#define KMVIEW_UNREALUIDGID_VPROC_H

#include <linux/capability.h>

#include "creds.h"

/* Set the rules (the owner, the full capability set) and the upcall. */
int vproc_init(void);
void vproc_fini(void);
const struct vcred_rules *vproc_rules(void);

/* The calling process's credentials, read-only; NULL with errno. */
const struct vcred *vproc_get(void);
/* The same, for a change: copied first if another process shares them. */
struct vcred *vproc_modify(void);

/* capget/capset on the calling process (the hypervisor checks versions). */
int vproc_capget(cap_user_header_t hdr, cap_user_data_t data);
int vproc_capset(cap_user_header_t hdr, const cap_user_data_t data);

#endif

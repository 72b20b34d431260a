/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modmgmt.h - the module management calls of members: vu_insmod (-1),
 * vu_rmmod (-2), vu_lsmod (-3), with VUOS's errors.
 */
#ifndef KMVIEW_DAEMON_MODMGMT_H
#define KMVIEW_DAEMON_MODMGMT_H

#include <stddef.h>

#include "core/call.h"

void vu_insmod(struct vu_call *call);
void vu_rmmod(struct vu_call *call);
void vu_lsmod(struct vu_call *call);

/* The kernel-facing side of the calls, also used by the unit tests. */
long vu_module_insert(const char *name, int permanent);
long vu_module_remove(const char *name);
/*
 * At the daemon's exit, once the view is empty: every file still open is
 * closed, every mount deleted (each module's cleanup runs: a file system
 * writes what it holds), newest first, then each module removed (its
 * fini, then what is left of its entries), newest first, permanent too.
 */
void vu_modules_shutdown(void);
/*
 * One "name: description\n" line per module, oldest first, in @buf (cut
 * to @len, then not NUL-terminated, as VUOS). Returns the bytes the whole
 * list needs, NUL included; @buf may be NULL to ask for that.
 */
size_t vu_lsmod_format(char *buf, size_t len);

#endif /* KMVIEW_DAEMON_MODMGMT_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modctx.h - the per-request state behind vumodule.h's helpers
 * (vu_mod_getht, vu_mod_gettid, vu_mod_getumask): the serving thread sets
 * it before it calls a module.
 */
#ifndef KMVIEW_DAEMON_MODCTX_H
#define KMVIEW_DAEMON_MODCTX_H

#include <sys/types.h>

#include <vumodule.h>

/* The member this thread now serves (0: none). */
void vu_mod_set_tid(pid_t tid);
/* The umask of @tid, from /proc (022 if it cannot be read). */
mode_t vu_umask_of(pid_t tid);

#endif /* KMVIEW_DAEMON_MODCTX_H */

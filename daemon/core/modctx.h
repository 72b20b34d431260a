/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modctx.h - the per-request state behind vumodule.h's helpers
 * (vu_mod_getht, vu_mod_gettid, vu_mod_getumask, vu_mod_getmode,
 * vu_mod_getsyscall_*, vu_mod_peek_*): the serving thread sets it before
 * it calls a module.
 */
#ifndef KMVIEW_DAEMON_MODCTX_H
#define KMVIEW_DAEMON_MODCTX_H

#include <stdbool.h>
#include <sys/types.h>

#include <vumodule.h>

#include "core/call.h"
#include "core/service.h"

/* This thread now serves @call (NULL: none); its member is the tid of its message. */
void vu_modctx_begin(struct vu_call *call);
void vu_modctx_end(void);
/* The request this thread serves, or NULL. */
struct vu_call *vu_modctx_call(void);
/* What vu_mod_getmode answers for the rest of this request (a handler that knows it). */
void vu_modctx_set_mode(mode_t mode);
/*
 * vu_mod_getmode answers, if a module asks, with the lstat of @mpath by
 * @ht's module (@flags: AT_SYMLINK_NOFOLLOW or 0): asked only then, so a
 * module that never asks costs nothing. @mpath must live until the
 * request's end, or until vu_modctx_set_mode.
 */
void vu_modctx_set_mode_of(struct vuht_entry_t *ht, const char *mpath, int flags);
struct vu_vfd;
/*
 * The open file of @handle, pinned until this request ends
 * (vu_modctx_end): a file the module asked about that the request does
 * not name, which the member's other threads may close meanwhile. NULL if
 * unknown, released, or VU_MODCTX_HOLD are held already.
 */
#define VU_MODCTX_HOLD 8
struct vu_vfd *vu_modctx_hold(uint64_t handle);
/*
 * Serving in the reader (serve.c, Documentation/design.md "The daemon's
 * thread pool"): while @on, a module method may run only if it cannot
 * wait (vu_mcall_may); any other is not called, and the request is
 * refused here, to be served again by a worker.
 */
void vu_modctx_set_reader(bool on);
/* Was a method refused to this request in the reader? */
bool vu_modctx_refused(void);
extern __thread bool vu_modctx_in_reader;
/* Called by vu_mcall: may @m of @ht run on this thread now? (false: refused) */
bool vu_modctx_reader_may(const struct vuht_entry_t *ht, enum vu_method m);

static inline bool vu_mcall_may(const struct vuht_entry_t *ht, enum vu_method m)
{
	return !vu_modctx_in_reader || vu_modctx_reader_may(ht, m);
}
/* The umask of @tid, from /proc (022 if it cannot be read). */
mode_t vu_umask_of(pid_t tid);

#endif /* KMVIEW_DAEMON_MODCTX_H */

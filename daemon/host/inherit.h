/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * inherit.h - the modules' per-process state upcalls (vumodule.h's
 * mod_inheritance_upcall_register), as the daemon calls them.
 *
 * Each call runs the upcalls on the calling thread, which must be the
 * member's own (core/mthread.h): modules keep the state in __thread
 * variables. A thread tells every upcall START exactly once before
 * anything else: with the value its parent's CLONE returned, or NULL for
 * an upcall registered after that CLONE (or a member that existed before).
 */
#ifndef KMVIEW_DAEMON_INHERIT_H
#define KMVIEW_DAEMON_INHERIT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* Is an upcall registered? One atomic load: the pool's fast path. */
bool vu_inherit_active(void);
/*
 * MOD_INH_CLONE to every upcall (@clone_flags, as VUOS passes them;
 * START with NULL first to those registered since this thread's): the
 * child's values, for vu_inherit_start on the child's thread (NULL if no
 * upcall; malloc'd, vu_inherit_start frees it).
 */
void *vu_inherit_clone(uint64_t clone_flags);
/*
 * MOD_INH_START on this thread, the first call of a member's thread:
 * each upcall gets its value in @values (NULL: none, as for a member
 * that existed before); the values of upcalls deregistered since are
 * dropped. Frees @values.
 */
void vu_inherit_start(void *values);
/* START with NULL to the upcalls registered since this thread's START (before each request). */
void vu_inherit_catch_up(void);
/* MOD_INH_EXEC: @uid and @gid the ids a set-id program gets, -1 for none. */
void vu_inherit_exec(uid_t uid, gid_t gid);
/* MOD_INH_TERMINATE, the last call of a member's thread. */
void vu_inherit_terminate(void);
/* Registered upcalls (tests). */
unsigned int vu_inherit_count(void);

#endif /* KMVIEW_DAEMON_INHERIT_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modret.h - what a module returns, made safe to hand to a member.
 *
 * A module is code the user loaded, but a bug in it must not hang a
 * member or leak the daemon's memory: the kernel refuses a reply whose
 * errno it cannot deliver (outside [-4095, -1], or one of its internal
 * restart codes -512..-530, uapi.md), which would leave the member waiting
 * for ever; and a size larger than the buffer the module was given would
 * copy what lies past it. Both are fixed here, with a log line.
 */
#ifndef KMVIEW_DAEMON_MODRET_H
#define KMVIEW_DAEMON_MODRET_H

#include <stdbool.h>
#include <stddef.h>

struct vuht_entry_t;

/* May @v be the result of a system call in a RETURN reply? (kmod/reply_check.c's rule) */
bool vu_retval_ok(long v);
/*
 * The -errno to return for a method of @ht's module (@method, for the log)
 * that failed with errno @err: -@err, or -EIO if the kernel could not
 * deliver it (0, negative, too large, a restart code).
 */
long vu_mod_errno(const struct vuht_entry_t *ht, const char *method, int err);
/*
 * @ret of @method, a byte count for a buffer of @max bytes: @ret, or @max
 * if the module said more than it was given. Negative values pass.
 */
long vu_mod_size(const struct vuht_entry_t *ht, const char *method, long ret, size_t max);

#endif /* KMVIEW_DAEMON_MODRET_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * modcall.h - call a module's method for the request being served.
 *
 * vu_mcall(ht, method, return type, (parameter types), arguments...)
 * evaluates to the method's result or -errno: -ENOSYS if the module has
 * no such method, -EIO (logged) if its errno is none a system call may
 * return (modret.h). Around the call the per-request helpers of vumodule.h
 * answer for @ht, and the thread's epoch is @ht's, so that whatever the
 * module looks up sees only what was there before it.
 *
 * A method that may change what a path names empties the request's cache
 * of lstats before and after it runs (pcache.h); in the reader, a method
 * that may wait is not called (-EAGAIN) and the request goes to a worker
 * (modctx.h).
 */
#ifndef KMVIEW_DAEMON_MODCALL_H
#define KMVIEW_DAEMON_MODCALL_H

#include <errno.h>
#include <string.h>

#include "core/modctx.h"
#include "core/modret.h"
#include "core/pcache.h"
#include "core/service.h"
#include "core/vuht.h"

struct vu_mcall_ctx {
	struct vuht_entry_t *ht;
	uint64_t epoch;
};

static inline void vu_mcall_enter(struct vu_mcall_ctx *ctx, struct vuht_entry_t *ht)
{
	ctx->ht = vu_mod_setht(ht);
	ctx->epoch = vu_epoch_set(ht->epoch);
	errno = 0;
}

static inline void vu_mcall_leave(struct vu_mcall_ctx *ctx)
{
	vu_epoch_set(ctx->epoch);
	vu_mod_setht(ctx->ht);
}

/* The parameters of a module's lstat method (vumodule.h), for vu_mcall. */
#define VU_LSTAT_PROTO (char *, struct vu_stat *, int, int, void *)

/* A module lacks method @name: say so under debug tag m (VUOS answers ENOSYS, as we do). */
void vu_mcall_missing(const struct vuht_entry_t *ht, const char *name);

/*
 * Call method @m of the module behind @ht (-ENOSYS if it has none); with
 * @use_errno a negative result becomes the module's errno (vu_mod_errno).
 */
#define vu_mcall_do(ht, m, use_errno, rtype, params, ...)                      \
	({                                                                      \
		syscall_t vu_fn_ = (ht)->service->method[VU_M_##m];             \
		long vu_r_ = -ENOSYS;                                           \
		if (vu_fn_ && !vu_mcall_may((ht), VU_M_##m)) {                  \
			vu_r_ = -EAGAIN; /* refused in the reader */            \
		} else if (vu_fn_) {                                            \
			struct vu_mcall_ctx vu_ctx_;                            \
			bool vu_keeps_ = vu_pcache_keeps(VU_M_##m);             \
			rtype(*vu_typed_) params;                               \
			memcpy(&vu_typed_, &vu_fn_, sizeof(vu_fn_));            \
			if (!vu_keeps_)                                         \
				vu_pcache_clear();                              \
			vu_mcall_enter(&vu_ctx_, (ht));                         \
			vu_r_ = (long)vu_typed_(__VA_ARGS__);                   \
			if ((use_errno) && vu_r_ < 0)                           \
				vu_r_ = vu_mod_errno((ht), #m, errno);          \
			vu_mcall_leave(&vu_ctx_);                               \
			if (!vu_keeps_)                                         \
				vu_pcache_clear();                              \
		} else {                                                        \
			vu_mcall_missing((ht), #m);                             \
		}                                                               \
		vu_r_;                                                          \
	})

#define vu_mcall(ht, m, rtype, params, ...) vu_mcall_do(ht, m, 1, rtype, params, __VA_ARGS__)

/* The same, the method's own return value as it is (-ENOSYS if none): no errno is read. */
#define vu_mcall_raw(ht, m, rtype, params, ...) vu_mcall_do(ht, m, 0, rtype, params, __VA_ARGS__)

#endif /* KMVIEW_DAEMON_MODCALL_H */

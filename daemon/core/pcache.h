/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * pcache.h - what one request learned of the paths it walked: the
 * modules' lstat of each path, asked once per request.
 *
 * A path of N components through a mount costs the walk (vpath.c) an
 * lstat of each one (is it a symlink?), then "." and "..", a trailing
 * slash, the device check and the handler's own stat ask about paths the
 * walk has just seen. The cache answers those from the first lstat.
 *
 * It lives in the serving thread, from vu_pcache_begin to vu_pcache_end
 * (modctx.c: a request's start and end); outside a request every lstat
 * goes to the module. Keys are the serving entry's epoch (unique to each
 * entry, so a mount removed and another made at the same address never
 * match) and the path inside it. A module method that may change what a
 * path names (anything but the read-only ones of vu_pcache_keeps) empties
 * it before and after it runs (core/modcall.h), so a handler that creates
 * or removes a file and then walks again asks the module afresh. Other
 * processes changing the tree during one request are a race the kernel's
 * own walk has too.
 */
#ifndef KMVIEW_DAEMON_PCACHE_H
#define KMVIEW_DAEMON_PCACHE_H

#include <stdbool.h>
#include <stddef.h>

#include <vumodule.h>

#include "core/service.h"
#include "core/vuht.h"

/* This thread starts (or ends) serving a request: the cache starts empty. */
void vu_pcache_begin(void);
void vu_pcache_end(void);
/* Forget everything learned so far (a method that may change the tree). */
void vu_pcache_clear(void);

/*
 * The lstat of @mpath by @ht's module (no file: sfd -1), following a final
 * symlink unless @flags has AT_SYMLINK_NOFOLLOW, as vu_mcall would answer
 * it: from this request's earlier answer if there is one (an lstat that
 * found no symlink, or failed, also answers one that follows), else from
 * the module.
 */
long vu_pcache_lstat(struct vuht_entry_t *ht, const char *mpath, struct vu_stat *st, int flags);

/* Counters of this thread, for the tests: lstats asked, and answered from the cache. */
struct vu_pcache_stats {
	unsigned long asked, hits;
};
void vu_pcache_get_stats(struct vu_pcache_stats *st);

/* Does method @m leave every path as it found it (the cache stays)? */
static inline bool vu_pcache_keeps(enum vu_method m)
{
	switch (m) {
	case VU_M_lstat:
	case VU_M_access:
	case VU_M_readlink:
	case VU_M_getdents64:
	case VU_M_lseek:
	case VU_M_read:
	case VU_M_pread64:
	case VU_M_statfs:
	case VU_M_lgetxattr:
	case VU_M_llistxattr:
	case VU_M_statx:
		return true;
	default:
		return false;
	}
}

#endif /* KMVIEW_DAEMON_PCACHE_H */

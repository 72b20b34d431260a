/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vpath.h - from a path argument of a member to the module that serves it.
 *
 * Paths are walked one component at a time, as the kernel's lookup does
 * (vpath.c vu_walk): absolute paths; paths relative to the member's cwd,
 * real (read from /proc/TID/cwd) or virtual (member.h: a chdir into a
 * virtual tree is the daemon's alone, the kernel's cwd stays where it
 * was); paths relative to a virtual directory fd (the placeholder's
 * path); "" with AT_EMPTY_PATH on a placeholder; "." and ".." on what is
 * resolved so far; a symlink of a module anywhere in the path (the last
 * component only when the call follows) replaced by its target, an
 * absolute target being a path of the view, virtual or real; a trailing
 * slash, "." or ".." after a module's non-directory: ENOTDIR ("." or
 * ".." after a missing one: ENOENT).
 *
 * Each component inside a mount costs one lstat of its module per
 * request: the answers are kept for the request (pcache.h), so ".", "..",
 * a trailing slash, the device check and the handler's own stat ask no
 * more.
 *
 * Components of real paths are taken lexically, as the kernel filter
 * does: a real symlink that leads into a virtual tree is followed by the
 * kernel, which does not see the virtual tree. chroot into a virtual tree
 * is not done.
 *
 * Device nodes: while the table has CHECKCHRDEVICE or CHECKBLKDEVICE
 * entries, the target is stat'ed (through its module, or the real one
 * with stat or lstat as the call follows or not) and a char or block node
 * whose st_rdev an entry claims is served by that entry, with the whole
 * path as its module's path (VUOS's vuht_pick with a stat). The stat's
 * mode is what vu_mod_getmode answers for a call's first path.
 */
#ifndef KMVIEW_DAEMON_VPATH_H
#define KMVIEW_DAEMON_VPATH_H

#include <fcntl.h>
#include <stdbool.h>

#include <linux/kmview.h>

#include "core/call.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define VU_RES_FOLLOW (1U << 0)    /* follow a symlink in the last component */
#define VU_RES_EMPTY_PATH (1U << 1) /* "" names the dirfd itself (AT_EMPTY_PATH) */
#define VU_RES_AT (1U << 2)        /* fd slot @slot is the dirfd of path slot @slot */

/*
 * The resolution of an *at call with AT_* @flags that follows a final
 * symlink unless AT_SYMLINK_NOFOLLOW, and names its dirfd with AT_EMPTY_PATH.
 */
static inline unsigned int vu_res_at(int flags)
{
	return VU_RES_AT | (flags & AT_SYMLINK_NOFOLLOW ? 0 : VU_RES_FOLLOW) |
	       (flags & AT_EMPTY_PATH ? VU_RES_EMPTY_PATH : 0);
}

struct vu_target {
	char path[KMVIEW_PATH_MAX]; /* absolute, normal path in the view */
	struct vuht_entry_t *ht;    /* the serving entry (one use), NULL: a real path */
	const char *mpath;          /* path inside ht */
	struct vu_vfd *vfd;         /* AT_EMPTY_PATH: the open file itself */
	bool rewritten;             /* a real path that differs from what the member gave */
	mode_t mode;                /* its st_mode if the walk stat'ed it (device entries exist), else 0 */
};

/* The kernel's cwd of @tid (a real path): 0, or -errno. */
int vu_cwd_of(pid_t tid, char *buf, size_t size);

/*
 * Resolve path slot @slot of @call. 0 and @t filled, or -errno (ENOENT for
 * "" without VU_RES_EMPTY_PATH, ELOOP, ENAMETOOLONG). Release with
 * vu_target_put.
 */
int vu_resolve(struct vu_call *call, int slot, unsigned int flags, struct vu_target *t);
void vu_target_put(struct vu_target *t);

/*
 * Resolve @path, a path the daemon read from the member itself (a call
 * whose path the kernel does not copy: mount, umount2, the target of
 * symlink), relative to the member's cwd. As vu_resolve otherwise.
 */
int vu_resolve_str(struct vu_call *call, const char *path, unsigned int flags,
		   struct vu_target *t);

/*
 * For a real target: NATIVE if the member's own argument names it, else
 * REWRITE with t->path in place of path slot @slot.
 */
void vu_target_native(struct vu_call *call, int slot, const struct vu_target *t);
/*
 * vu_resolve, then answer the call if it is done: an error is returned, a
 * real path runs natively. True if path @slot names something virtual:
 * serve it, then vu_target_put(@t).
 */
bool vu_resolve_virtual(struct vu_call *call, int slot, unsigned int flags, struct vu_target *t);

/* The two paths of rename and link (allocated: each holds a path buffer). */
struct vu_target_pair {
	struct vu_target from, to;
};

/*
 * Resolve path slots 0 (@res_from) and 1 (@res_to) of a call that acts
 * within one mount (rename, link), and answer it if that is all: an
 * error, or both real (natively), or not within one mount (EXDEV, as
 * the kernel says across mounts; a relative path made absolute counts as
 * real, since only one path can be rewritten). Else the pair, both in
 * one mount: serve it, then vu_target_pair_put.
 */
struct vu_target_pair *vu_resolve_pair(struct vu_call *call, unsigned int res_from,
				       unsigned int res_to);
void vu_target_pair_put(struct vu_target_pair *p);

/*
 * Resolve the absolute @path of a module's own call (nesting), at the
 * thread's epoch, following a final symlink if @flags has VU_RES_FOLLOW.
 * -EINVAL for a relative path.
 */
int vu_resolve_abs(const char *path, unsigned int flags, struct vu_target *t);

#endif /* KMVIEW_DAEMON_VPATH_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/open2.c - what comes before the open of a virtual path (sc/path.c):
 * the mount table files (sc/procmounts.c), and openat2, whose struct
 * open_how is decoded and checked here.
 *
 * openat2 on a virtual path is served as openat with how->flags and
 * how->mode. Its resolve flags restrict how the kernel walks a path; the
 * daemon walks virtual paths lexically and a module resolves the rest of
 * its tree itself, so none of them can be promised there: RESOLVE_CACHED
 * fails with EAGAIN (the caller is to retry without it, as when the
 * kernel's cache misses), any other resolve flag fails with ENOSYS and a
 * log line (programs then fall back to openat, as on kernels before
 * openat2). On a real path openat2 runs natively, every flag honoured.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "sc/open2.h"
#include "sc/procmounts.h"
#include "sc/handlers.h"
#include "core/vpath.h"

#define VU_RESOLVE_ALL (RESOLVE_NO_XDEV | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_SYMLINKS | \
			RESOLVE_BENEATH | RESOLVE_IN_ROOT | RESOLVE_CACHED)
#define VU_OPEN_HOW_MAX 4096 /* the kernel's limit: a page */
#define VU_OPEN_HOW_VER0 24   /* flags, mode, resolve: the first struct open_how */

/* How the open resolves its path: O_NOFOLLOW and O_CREAT|O_EXCL stop at a final symlink. */
static unsigned int vu_open_res(int flags, bool at)
{
	unsigned int res = at ? VU_RES_AT : 0;

	if (!(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL))
		res |= VU_RES_FOLLOW;
	return res;
}

void vu_sc_open_proc(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool at = msg->nr == __NR_openat;
	int flags = (int)msg->args[at ? 2 : 1];

	if (!vu_procmounts_open(call, flags, vu_open_res(flags, at)))
		vu_sc_open(call);
}

int vu_open_how_check(const struct open_how *how)
{
	if (how->flags >> 32)
		return -EINVAL;
	if (how->resolve & ~(uint64_t)VU_RESOLVE_ALL)
		return -EINVAL;
	if ((how->resolve & RESOLVE_BENEATH) && (how->resolve & RESOLVE_IN_ROOT))
		return -EINVAL;
	if (how->mode & ~(uint64_t)07777)
		return -EINVAL;
	/* a mode means something only when a file may be created */
	if (how->mode && !(how->flags & O_CREAT) && (how->flags & O_TMPFILE) != O_TMPFILE)
		return -EINVAL;
	return 0;
}

/* struct open_how from the member, as the kernel reads it: 0 or -errno. */
static int vu_open_how_read(struct vu_call *call, struct open_how *how)
{
	const struct vu_msg *msg = call->msg;
	uint64_t addr = msg->args[2];
	size_t size = (size_t)msg->args[3];
	unsigned char rest[256];
	int ret;

	memset(how, 0, sizeof(*how));
	if (size < VU_OPEN_HOW_VER0)
		return -EINVAL;
	if (size > VU_OPEN_HOW_MAX)
		return -E2BIG;
	ret = vu_peek(call->be, msg, addr, how, size < sizeof(*how) ? size : sizeof(*how));
	if (ret < 0)
		return ret;
	/* a larger struct from a newer program: what we do not know must be zero */
	for (size_t off = sizeof(*how); off < size;) {
		size_t n = size - off < sizeof(rest) ? size - off : sizeof(rest);

		ret = vu_peek(call->be, msg, addr + off, rest, n);
		if (ret < 0)
			return ret;
		for (size_t i = 0; i < n; i++)
			if (rest[i])
				return -E2BIG;
		off += n;
	}
	return vu_open_how_check(how);
}

void vu_sc_openat2(struct vu_call *call)
{
	const struct vu_msg *orig = call->msg;
	struct vu_msg as_openat;
	struct open_how how;
	struct vu_target t;
	int ret = vu_open_how_read(call, &how);

	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	if (how.resolve) {
		if (!vu_resolve_virtual(call, 0, vu_open_res((int)how.flags, true), &t))
			return; /* real: the kernel honours every flag */
		vu_target_put(&t);
		if (how.resolve & RESOLVE_CACHED) {
			vu_call_return(call, -EAGAIN);
			return;
		}
		vu_log(LOG_NOTICE, "tid %d: openat2 of virtual path %s with resolve flags %#llx "
		       "is not served: ENOSYS", orig->tid, t.path, (unsigned long long)how.resolve);
		vu_call_return(call, -ENOSYS);
		return;
	}
	if (vu_procmounts_open(call, (int)how.flags, vu_open_res((int)how.flags, true)))
		return;
	/*
	 * The open itself, as openat: same dirfd and path slots, the flags
	 * and mode from open_how. Its reply is one for this openat2 (a native
	 * run or a path rewrite run openat2 itself with the member's how).
	 */
	as_openat = *orig;
	as_openat.nr = __NR_openat;
	as_openat.args[2] = how.flags;
	as_openat.args[3] = how.mode;
	call->msg = &as_openat;
	vu_sc_open(call);
	call->msg = orig;
}

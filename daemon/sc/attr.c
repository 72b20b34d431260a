// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/attr.c - the calls that change or read a file's attributes, in their
 * path and fd forms: the chmod, chown and utime families, truncate and
 * ftruncate, statfs and fstatfs. Each reaches one method that takes both
 * forms (vumodule.h), through sc/obj.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <utime.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/time.h>

#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/obj.h"
#include "sc/handlers.h"

#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452 /* x86-64; newer than the C library's headers */
#endif

void vu_sc_chmod(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool fd_form = msg->nr == __NR_fchmod;
	bool at = msg->nr == __NR_fchmodat || msg->nr == __NR_fchmodat2;
	/* fchmodat(2) has no flags: it always follows; fchmodat2 has them */
	int flags = msg->nr == __NR_fchmodat2 ? (int)msg->args[3] : 0;
	unsigned int res = at ? vu_res_at(flags) : VU_RES_FOLLOW;
	mode_t mode = (mode_t)msg->args[at ? 2 : 1];
	struct stat st;
	struct vu_obj o;
	long ret = 0;

	/* a kernel older than fchmodat2 copies no path: it fails natively (ENOSYS) */
	if (msg->nr == __NR_fchmodat2 && !msg->path[0]) {
		vu_call_native(call);
		return;
	}
	if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) {
		vu_call_return(call, -EINVAL);
		return;
	}
	if (!vu_obj_get(call, fd_form, res, &o))
		return;
	/* a symlink has no mode of its own: the kernel says EOPNOTSUPP */
	if (flags & AT_SYMLINK_NOFOLLOW) {
		ret = vu_mcall(o.ht, lstat, int, (char *, struct stat *, int, int, void *),
			       (char *)o.mpath, &st, AT_SYMLINK_NOFOLLOW, o.sfd, o.fdprivate);
		if (ret == 0 && S_ISLNK(st.st_mode))
			ret = -EOPNOTSUPP;
	}
	if (ret == 0)
		ret = vu_mcall(o.ht, chmod, int, (const char *, mode_t, int, void *), o.mpath,
			       mode & 07777, o.sfd, o.fdprivate);
	vu_obj_return(call, &o, VU_M_chmod, ret);
	vu_obj_put(&o);
}

void vu_sc_chown(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int a = msg->nr == __NR_fchownat ? 2 : 1;
	unsigned int res = 0;
	struct vu_obj o;
	long ret;

	switch (msg->nr) {
	case __NR_chown:
		res = VU_RES_FOLLOW;
		break;
	case __NR_fchownat:
		res = vu_res_at((int)msg->args[4]);
		break;
	}
	if (!vu_obj_get(call, msg->nr == __NR_fchown, res, &o))
		return;
	ret = vu_mcall(o.ht, lchown, int, (const char *, uid_t, gid_t, int, void *), o.mpath,
		       (uid_t)msg->args[a], (gid_t)msg->args[a + 1], o.sfd, o.fdprivate);
	vu_obj_return(call, &o, VU_M_lchown, ret);
	vu_obj_put(&o);
}

static void vu_tv2ts(struct timespec *ts, const struct timeval *tv)
{
	ts->tv_sec = tv->tv_sec;
	ts->tv_nsec = tv->tv_usec * 1000;
}

/* The times of utimensat, utimes, futimesat, utime as two timespecs; NULL is "now". */
static long vu_utime_times(struct vu_call *call, struct timespec ts[2], struct timespec **out)
{
	const struct vu_msg *msg = call->msg;
	uint64_t addr = msg->args[msg->nr == __NR_utime || msg->nr == __NR_utimes ? 1 : 2];
	long ret = 0;

	*out = NULL;
	if (!addr)
		return 0;
	if (msg->nr == __NR_utimensat) {
		ret = vu_peek(call->be, msg, addr, ts, 2 * sizeof(ts[0]));
	} else if (msg->nr == __NR_utime) {
		struct utimbuf ub;

		ret = vu_peek(call->be, msg, addr, &ub, sizeof(ub));
		ts[0] = (struct timespec){ .tv_sec = ub.actime };
		ts[1] = (struct timespec){ .tv_sec = ub.modtime };
	} else {
		struct timeval tv[2];

		ret = vu_peek(call->be, msg, addr, tv, sizeof(tv));
		if (ret == 0 && (tv[0].tv_usec < 0 || tv[0].tv_usec >= 1000000 ||
				 tv[1].tv_usec < 0 || tv[1].tv_usec >= 1000000))
			ret = -EINVAL;
		vu_tv2ts(&ts[0], &tv[0]);
		vu_tv2ts(&ts[1], &tv[1]);
	}
	if (ret == 0)
		*out = ts;
	return ret;
}

void vu_sc_utime(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int flags = msg->nr == __NR_utimensat ? (int)msg->args[3] : 0;
	unsigned int res = VU_RES_FOLLOW;
	bool fd_form = false;
	struct timespec ts[2], *times;
	struct vu_obj o;
	long ret;

	if (msg->nr == __NR_utimensat) {
		/* futimens(fd) is utimensat(fd, NULL, ...): the fd itself */
		fd_form = !msg->path[0];
		res = vu_res_at(flags);
	} else if (msg->nr == __NR_futimesat) {
		res |= VU_RES_AT;
	}
	if (fd_form && !msg->vfd[0]) {
		vu_call_native(call);
		return;
	}
	if (!vu_obj_get(call, fd_form, res, &o))
		return;
	ret = vu_utime_times(call, ts, &times);
	if (ret == 0)
		ret = vu_mcall(o.ht, utimensat, int,
			       (int, const char *, const struct timespec *, int, int, void *),
			       AT_FDCWD, o.mpath, times, flags & AT_SYMLINK_NOFOLLOW, o.sfd,
			       o.fdprivate);
	vu_obj_return(call, &o, VU_M_utimensat, ret);
	vu_obj_put(&o);
}

void vu_sc_truncate(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	off_t len = (off_t)msg->args[1];
	struct vu_obj o;
	long ret;

	if (!vu_obj_get(call, msg->nr == __NR_ftruncate, VU_RES_FOLLOW, &o))
		return;
	if (len < 0)
		ret = -EINVAL;
	else
		ret = vu_mcall(o.ht, truncate, int, (const char *, off_t, int, void *), o.mpath,
			       len, o.sfd, o.fdprivate);
	vu_obj_return(call, &o, VU_M_truncate, ret);
	vu_obj_put(&o);
}

void vu_sc_statfs(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct statfs st;
	struct vu_obj o;
	long ret;

	if (!vu_obj_get(call, msg->nr == __NR_fstatfs, VU_RES_FOLLOW, &o))
		return;
	memset(&st, 0, sizeof(st));
	ret = vu_mcall(o.ht, statfs, int, (const char *, struct statfs *, int, void *), o.mpath,
		       &st, o.sfd, o.fdprivate);
	if (ret == 0)
		ret = vu_call_copy_out(call, msg->args[1], &st, sizeof(st));
	vu_obj_return(call, &o, VU_M_statfs, ret);
	vu_obj_put(&o);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec_ids.c - the ids an exec gives, for the modules' MOD_INH_EXEC.
 *
 * VUOS tells the upcalls at the tracee's exec event, after the kernel ran
 * it. The daemon has no exec event: it tells them when it has served the
 * request, before the kernel runs it, so an exec the kernel then refuses
 * (ENOEXEC, a bad ELF) was told too. While an upcall is registered the
 * kernel forwards every exec (KMVIEW_FILTER_ALL_EXECS, filter.c): a real
 * one runs natively (sc/exec.c) and is told here all the same; a kmview.ko
 * before 1.3 forwards only those under a mount, a virtual cwd, a chroot:
 * module-api.md, "Per-process state".
 */
#include <sys/stat.h>
#include <sys/syscall.h>

#include "core/modcall.h"
#include "core/vpath.h"
#include "host/inherit.h"
#include "sc/exec_ids.h"


/* The file @call would exec, followed: 0 and @st, or -errno. */
static int vu_exec_stat(struct vu_call *call, struct stat *st)
{
	const struct vu_msg *msg = call->msg;
	unsigned int res = msg->nr == __NR_execveat ? vu_res_at((int)msg->args[4]) : VU_RES_FOLLOW;
	struct vu_target t;
	int ret = vu_resolve(call, 0, res, &t);

	if (ret < 0)
		return ret;
	if (t.vfd)
		ret = (int)vu_mcall(t.ht, lstat, int, VU_LSTAT_PROTO, (char *)vu_vfd_mpath(t.vfd), st,
				    0, t.vfd->sfd, t.vfd->fdprivate);
	else if (t.ht)
		ret = (int)vu_mcall(t.ht, lstat, int, VU_LSTAT_PROTO, (char *)t.mpath, st, 0, -1,
				    NULL);
	else
		ret = stat(t.path, st) < 0 ? -errno : 0;
	vu_target_put(&t);
	return ret;
}

void vu_exec_inherit(struct vu_call *call)
{
	long nr = call->msg->nr;
	uid_t uid = (uid_t)-1;
	gid_t gid = (gid_t)-1;
	struct stat st;

	if ((nr != __NR_execve && nr != __NR_execveat) || !vu_inherit_active())
		return;
	if (call->reply.kind == VU_REPLY_RETURN && call->reply.retval < 0)
		return; /* the exec failed here: the process stays what it was */
	if (vu_exec_stat(call, &st) == 0) {
		if (st.st_mode & S_ISUID)
			uid = st.st_uid;
		if (st.st_mode & S_ISGID)
			gid = st.st_gid;
	}
	vu_inherit_exec(uid, gid);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/cwd.c - chdir, fchdir, getcwd and chroot: the virtual cwd and root.
 *
 * A chdir into a virtual tree is the daemon's alone: the member's real
 * cwd stays where it was, the daemon remembers the virtual one
 * (member.h), and the reply tells the kernel (KMVIEW_REPLY_F_CWD_VIRTUAL)
 * to forward, from now on, every call with a path relative to the cwd,
 * every chdir, fchdir and chroot, and getcwd. A chdir back to a real
 * directory runs natively, with an absolute path, and ends that
 * (KMVIEW_REPLY_F_CWD_REAL). The virtual cwd holds its mount in use, so
 * unmounting it says EBUSY, as for a real cwd.
 *
 * chroot is virtual, for any directory of the view, real or virtual, and
 * for ordinary users: the daemon keeps the root (member.h, shared as the
 * cwd is) and every absolute path of the member is walked under it
 * (vpath.c), so the kernel must forward every path call (the filter's
 * strict mode, for the whole view, from the first chroot on) and the cwd
 * of a member in a chroot is always the daemon's, so that getcwd can
 * answer relative to the root. No privilege is needed because none can be
 * gained: members run with no_new_privs, so no setuid program runs with
 * privilege in a chroot it did not expect. What the kernel resolves
 * itself is not under the root: the ELF interpreter of an exec'd program
 * and a #! interpreter, AF_UNIX socket paths, /proc/self/root.
 *
 * /proc/self/cwd of a member keeps naming its real cwd.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "base/log.h"
#include "core/member.h"
#include "core/modcall.h"
#include "sc/handlers.h"
#include "core/vpath.h"

/* Is @mpath of @ht a directory the member may enter? 0 or -errno. */
static long vu_cwd_check_virtual(struct vuht_entry_t *ht, const char *mpath, int sfd,
				 void *fdprivate)
{
	struct stat st;
	long ret;

	ret = vu_mcall(ht, lstat, int, (char *, struct stat *, int, int, void *), (char *)mpath,
		       &st, 0, sfd, fdprivate);
	if (ret < 0)
		return ret;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	ret = vu_mcall(ht, access, int, (char *, int, int), (char *)mpath, X_OK, 0);
	return ret == -ENOSYS ? 0 : ret; /* no access method: the mode bits are the module's */
}

/* The cwd is now @path in @ht (a use taken over): answer 0. */
static void vu_cwd_enter(struct vu_call *call, const char *path, struct vuht_entry_t *ht)
{
	long ret = vu_member_chdir(call->msg->tid, path, ht);

	vu_debug('p', "tid %d: cwd %s, virtual", call->msg->tid, path);
	vu_call_return(call, ret);
	if (ret == 0)
		call->reply.cwd = VU_CWD_VIRTUAL;
}

/*
 * Leaving a virtual cwd for the real directory @path: the kernel's chdir
 * must not fail once the daemon forgot the virtual cwd, so check first,
 * as the member (the daemon has its uid).
 */
static long vu_cwd_check_real(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOTDIR;
	if (faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) < 0)
		return -errno;
	return 0;
}

/* A real cwd that the daemon keeps (the kernel's moves too). */
static void vu_cwd_keep(struct vu_call *call, const char *path)
{
	long ret = vu_member_chdir(call->msg->tid, path, NULL);

	if (ret < 0)
		vu_call_return(call, ret);
}

static void vu_cwd_leave(struct vu_call *call)
{
	vu_member_chdir(call->msg->tid, NULL, NULL);
	vu_debug('p', "tid %d: cwd real again", call->msg->tid);
	call->reply.cwd = VU_CWD_REAL;
}

void vu_sc_chdir(struct vu_call *call)
{
	char cwd[KMVIEW_PATH_MAX];
	int was_virtual = vu_member_getcwd(call->msg->tid, cwd, sizeof(cwd));
	struct vu_target t;
	long ret;

	ret = vu_resolve(call, 0, VU_RES_FOLLOW, &t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	if (t.ht) {
		ret = vu_cwd_check_virtual(t.ht, t.mpath, -1, NULL);
		if (ret < 0) {
			vu_call_return(call, ret);
			vu_target_put(&t);
		} else {
			vu_cwd_enter(call, t.path, t.ht); /* takes t's use */
		}
		return;
	}
	if (was_virtual <= 0) {
		vu_target_native(call, 0, &t);
		return;
	}
	ret = vu_cwd_check_real(t.path);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	t.rewritten = true;
	vu_target_native(call, 0, &t);
	if (call->reply.kind == VU_REPLY_RETURN)
		return;
	if (vu_member_getroot(call->msg->tid, cwd, sizeof(cwd)) > 0)
		vu_cwd_keep(call, t.path); /* in a chroot the cwd stays the daemon's */
	else
		vu_cwd_leave(call);
}

void vu_sc_fchdir(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	char cwd[KMVIEW_PATH_MAX], link[64];
	struct vu_vfd *f;
	long ret;

	if (msg->vfd[0]) {
		f = vu_vfd_get(msg->vfd[0]);
		if (!f) {
			vu_call_return(call, -EBADF);
			return;
		}
		ret = vu_cwd_check_virtual(f->ht, vu_vfd_mpath(f), f->sfd, f->fdprivate);
		if (ret < 0) {
			vu_call_return(call, ret);
			return;
		}
		vuht_pick_again(f->ht);
		vu_cwd_enter(call, f->path, f->ht);
		return;
	}
	vu_call_native(call);
	if (vu_member_getcwd(msg->tid, cwd, sizeof(cwd)) <= 0)
		return;
	/* a real fd: a directory, seen through the member's own fd table */
	snprintf(link, sizeof(link), "/proc/%d/fd/%d", (int)msg->tid, (int)msg->args[0]);
	ret = vu_cwd_check_real(link);
	if (ret == -ENOENT)
		ret = -EBADF;
	if (ret < 0) {
		vu_call_return(call, ret);
	} else if (vu_member_getroot(msg->tid, cwd, sizeof(cwd)) > 0) {
		ssize_t n = readlink(link, cwd, sizeof(cwd) - 1);

		if (n < 0 || (size_t)n == sizeof(cwd) - 1) {
			vu_call_return(call, n < 0 ? -errno : -ENAMETOOLONG);
			return;
		}
		cwd[n] = '\0';
		vu_cwd_keep(call, cwd);
	} else {
		vu_cwd_leave(call);
	}
}

/*
 * @cwd as a member in a chroot sees it: under its root, or marked
 * "(unreachable)" as the kernel does for a cwd outside the root. 0, or
 * -ENAMETOOLONG.
 */
static int vu_cwd_in_root(pid_t tid, char *cwd, size_t size)
{
	char root[KMVIEW_PATH_MAX];
	int ret = vu_member_getroot(tid, root, sizeof(root));
	size_t rlen = strlen(root), clen = strlen(cwd);
	const char *mark = "(unreachable)";

	if (ret <= 0 || strcmp(root, "/") == 0)
		return ret;
	if (strncmp(cwd, root, rlen) == 0 && (cwd[rlen] == '/' || cwd[rlen] == '\0')) {
		memmove(cwd, cwd + rlen, clen - rlen + 1);
		if (!cwd[0])
			strcpy(cwd, "/");
		return 0;
	}
	if (clen + strlen(mark) >= size)
		return -ENAMETOOLONG;
	memmove(cwd + strlen(mark), cwd, clen + 1);
	memcpy(cwd, mark, strlen(mark));
	return 0;
}

/* getcwd(buf, size): forwarded only while the cwd is virtual. */
void vu_sc_getcwd(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	char cwd[KMVIEW_PATH_MAX];
	int ret = vu_member_getcwd(msg->tid, cwd, sizeof(cwd));
	size_t len;

	if (ret <= 0) {
		if (ret == 0)
			vu_call_native(call);
		else
			vu_call_return(call, ret);
		return;
	}
	ret = vu_cwd_in_root(msg->tid, cwd, sizeof(cwd));
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	len = strlen(cwd) + 1;
	if (len > msg->args[1]) {
		vu_call_return(call, -ERANGE);
		return;
	}
	ret = vu_call_copy_out(call, msg->args[0], cwd, len);
	vu_call_return(call, ret < 0 ? ret : (long)len);
}

/* chroot(path): the member's root is now @path, a directory of the view. */
void vu_sc_chroot(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	char cwd[KMVIEW_PATH_MAX];
	struct vu_target t;
	long ret;

	ret = vu_resolve(call, 0, VU_RES_FOLLOW, &t);
	if (ret == 0)
		ret = t.ht ? vu_cwd_check_virtual(t.ht, t.mpath, -1, NULL) : vu_cwd_check_real(t.path);
	if (ret == 0) {
		ret = vu_member_getcwd(msg->tid, cwd, sizeof(cwd));
		if (ret == 0)
			ret = vu_cwd_of(msg->tid, cwd, sizeof(cwd));
	}
	if (ret >= 0)
		ret = vu_member_chroot(msg->tid, t.path, cwd);
	vu_target_put(&t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	vu_debug('p', "tid %d: root %s", msg->tid, t.path);
	vu_call_return(call, 0);
	call->reply.cwd = VU_CWD_VIRTUAL; /* getcwd must reach the daemon */
	/* serve.c brings the filter in step (strict paths) before the reply */
}

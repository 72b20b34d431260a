// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/path.c - the path system calls on virtual paths: the stat family,
 * access, readlink, open, mkdir, rmdir/unlink, rename.
 *
 * Each handler resolves its path (vpath.c). A real result runs natively
 * (rewritten if following a virtual symlink led out of the virtual tree);
 * a virtual one calls the module's method with the path inside the mount
 * and returns its result, copying out what the call returns in memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "core/fdlink.h"
#include "core/modctx.h"
#include "core/statx.h"
#include "core/modcall.h"
#include "core/pcache.h"
#include "sc/obj.h"
#include "sc/handlers.h"
#include "sc/socket.h"
#include "core/vfd.h"
#include "core/vpath.h"


void vu_sc_stat(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	unsigned int res = VU_RES_FOLLOW;
	bool fd_form = false;
	uint64_t buf;
	int flags = 0;
	struct vu_obj o;
	struct stat st;
	long ret;

	switch (msg->nr) {
	case __NR_fstat:
		/* a handle the daemon does not know: the kernel's fstat of the placeholder */
		if (!msg->vfd[0] || !vu_vfd_get(msg->vfd[0])) {
			vu_call_native(call);
			return;
		}
		fd_form = true;
		buf = msg->args[1];
		break;
	case __NR_stat:
		buf = msg->args[1];
		break;
	case __NR_lstat:
		buf = msg->args[1];
		res = 0;
		flags = AT_SYMLINK_NOFOLLOW;
		break;
	case __NR_newfstatat:
		buf = msg->args[2];
		flags = (int)msg->args[3];
		res = vu_res_at(flags);
		break;
	default: /* statx */
		buf = msg->args[4];
		flags = (int)msg->args[2];
		res = vu_res_at(flags);
		break;
	}
	if (!vu_obj_get(call, fd_form, res, &o))
		return;
	/* fstat, or AT_EMPTY_PATH, of a virtual socket: the hypervisor's (sc/socket.c) */
	struct vu_vfd *sock = fd_form ? vu_vfd_get(msg->vfd[0]) : o.t.vfd;

	if (sock && sock->socket)
		ret = vu_sock_stat(sock, &st);
	else if (o.sfd < 0) /* a path: the walk has just asked the module of it (pcache.h) */
		ret = vu_pcache_lstat(o.ht, o.mpath, &st, flags & AT_SYMLINK_NOFOLLOW);
	else
		ret = vu_mcall(o.ht, lstat, int, VU_LSTAT_PROTO, (char *)o.mpath, &st,
			       flags & AT_SYMLINK_NOFOLLOW, o.sfd, o.fdprivate);
	if (ret == 0 && msg->nr == __NR_statx) {
		struct statx sx;

		vu_statx_from_stat(&sx, &st);
		ret = vu_call_copy_out(call, buf, &sx, sizeof(sx));
	} else if (ret == 0) {
		ret = vu_call_copy_out(call, buf, &st, sizeof(st));
	}
	vu_obj_put(&o);
	vu_call_return(call, ret);
}

void vu_sc_access(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	unsigned int res = VU_RES_FOLLOW;
	int mode, flags = 0;
	struct vu_target t;
	long ret;

	if (msg->nr == __NR_access) {
		mode = (int)msg->args[1];
	} else {
		mode = (int)msg->args[2];
		if (msg->nr == __NR_faccessat2)
			flags = (int)msg->args[3];
		res = vu_res_at(flags);
	}
	if (!vu_resolve_virtual(call, 0, res, &t))
		return;
	ret = vu_mcall(t.ht, access, int, (char *, int, int), (char *)t.mpath, mode,
		       flags & AT_EACCESS);
	vu_target_put(&t);
	vu_call_return(call, ret);
}

void vu_sc_readlink(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int at = msg->nr == __NR_readlinkat;
	uint64_t buf = msg->args[at ? 2 : 1];
	long size = (long)msg->args[at ? 3 : 2];
	struct vu_target t;
	char target[KMVIEW_PATH_MAX];
	long ret;

	ret = vu_resolve(call, 0, at ? VU_RES_AT : 0, &t);
	if (ret == 0 && !t.ht) {
		/* the fd link of a virtual file names its path (core/fdlink.h) */
		int link = vu_fdlink_target(t.path, target, sizeof(target));
		size_t len;

		if (link == 0) {
			vu_target_native(call, 0, &t);
		} else if (link < 0 || (int)size <= 0) {
			vu_call_return(call, link < 0 ? link : -EINVAL);
		} else {
			len = strnlen(target, (size_t)size);
			vu_call_return(call, vu_call_copy_out(call, buf, target, len) ?: (long)len);
		}
		return;
	}
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	if ((int)size <= 0) {
		vu_target_put(&t);
		vu_call_return(call, -EINVAL);
		return;
	}
	if ((size_t)size > sizeof(target))
		size = sizeof(target);
	ret = vu_mcall(t.ht, readlink, ssize_t, (char *, char *, size_t), (char *)t.mpath, target,
		       (size_t)size);
	ret = vu_mod_size(t.ht, "readlink", ret, (size_t)size);
	if (ret > 0)
		ret = vu_call_copy_out(call, buf, target, (size_t)ret) ?: ret;
	vu_target_put(&t);
	vu_call_return(call, ret);
}

/*
 * A directory of a redirected mount: after the reply, the kernel is told
 * where in the view it is and which real directory it is (serve.c), so
 * that the calls relative to it can run natively too (kmod/redirect.c).
 * The module's fd is the real directory (FDPASS modules' fds are what
 * they open; a stand-in of the nesting layer is no directory).
 */
static void vu_open_dir_identity(struct vu_call *call, const struct vu_vfd *f)
{
	struct stat st;

	if (!vu_ht_redirects(call->be, f->ht) || fstat(f->sfd, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	call->vfd_dir = true;
	call->vfd_dev = st.st_dev;
	call->vfd_ino = st.st_ino;
}

/*
 * Fd passthrough: give the member the module's own file, so that its
 * reads, writes and every other call on the fd run natively and never
 * come here. Only where that changes nothing the member can rely on:
 *  - the module says its fd methods are the system calls on its fd
 *    (VU_MODULE_FDPASS in vu_module.flags: a VUOS module has no flags, and
 *    a module that changes data must keep serving read and write itself);
 *  - the mount has no "nopassthrough" option and is not read-only (a real
 *    fd would let fchmod, fchown, futimens change the real file);
 *  - the file is a regular file: a directory stays virtual, as getdents,
 *    fchdir and the *at calls relative to it are the module's;
 *  - the open is not O_PATH: the kernel takes the daemon's file with
 *    fget(), which refuses O_PATH files (the reply would fail);
 *  - the module's open stored no fdprivate: state of its own for the file
 *    means it wants the calls on it (vufs's cow copy, whose fchown and
 *    fchmod are virtual), and passing would release that state at once;
 *  - the daemon's fstat of the module's fd names what the module's lstat
 *    of the open file names: a module's fd may stand for something else
 *    (a file opened through an older virtual mount is a /dev/null fd of
 *    the nesting layer: nest.c), and nothing but that file may reach the
 *    member.
 * The file goes to the kernel as a duplicate, closed after the reply (the
 * kernel has taken its own reference by then); the module's file is
 * closed now, its fdprivate released by its close method.
 * True if the reply is chosen.
 */
static bool vu_open_passthrough(struct vu_call *call, struct vu_target *t, int flags, int sfd,
				void *fdprivate)
{
	long ret;
	int fd;

	if (!vu_ht_passes_files(t->ht) || (flags & O_PATH) || fdprivate ||
	    !vu_sfd_is_real_file(t->ht, t->mpath, sfd, fdprivate))
		return false;
	fd = fcntl(sfd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return false;
	ret = vu_mcall(t->ht, close, int, (int, void *), sfd, fdprivate);
	if (ret < 0 && ret != -ENOSYS)
		vu_log(LOG_NOTICE, "tid %d: closing module file of %s after passing it: %s",
		       call->msg->tid, t->path, strerror((int)-ret));
	vu_debug('a', "tid %d: %s is passed through (module fd %d)", call->msg->tid, t->path, sfd);
	vu_call_file(call, fd, flags);
	return true;
}

void vu_sc_open(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	unsigned int res = VU_RES_FOLLOW;
	int flags;
	mode_t mode;
	struct vu_target t;
	void *fdprivate = NULL;
	long ret;

	switch (msg->nr) {
	case __NR_creat:
		flags = O_CREAT | O_WRONLY | O_TRUNC;
		mode = (mode_t)msg->args[1];
		break;
	case __NR_open:
		flags = (int)msg->args[1];
		mode = (mode_t)msg->args[2];
		break;
	default: /* openat */
		flags = (int)msg->args[2];
		mode = (mode_t)msg->args[3];
		res |= VU_RES_AT;
		break;
	}
	/* O_CREAT|O_EXCL never follows a final symlink, O_NOFOLLOW refuses one */
	if ((flags & O_NOFOLLOW) || (flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		res &= ~VU_RES_FOLLOW;
	if (!vu_resolve_virtual(call, 0, res, &t))
		return;
	if (flags & (O_CREAT | O_TMPFILE))
		mode &= ~vu_umask_of(msg->tid) & 07777;
	else
		mode = 0;
	/*
	 * A module's open may ask what is there (vu_mod_getmode), as VUOS's vufs
	 * does to tell a create from an open, unless the walk found it already
	 * (a device node): its lstat of the target, made only if it asks.
	 */
	if (vu_mod_getmode() == 0)
		vu_modctx_set_mode_of(t.ht, t.mpath, res & VU_RES_FOLLOW ? 0 : AT_SYMLINK_NOFOLLOW);
	ret = vu_mcall(t.ht, open, int, (const char *, int, mode_t, void **), t.mpath, flags, mode,
		       &fdprivate);
	vu_modctx_set_mode(0); /* t.mpath is not kept past here */
	if (ret < 0) {
		vu_target_put(&t);
		vu_call_return(call, ret);
		return;
	}
	if (vu_open_passthrough(call, &t, flags, (int)ret, fdprivate)) {
		vu_target_put(&t);
		return;
	}
	/* the file takes over the target's use of the entry */
	struct vu_vfd *f = vu_vfd_new(t.ht, (int)ret, fdprivate, flags, t.path);

	if (!f) {
		vu_mcall(t.ht, close, int, (int, void *), (int)ret, fdprivate);
		vu_target_put(&t);
		vu_call_return(call, -ENOMEM);
		return;
	}
	vu_debug('a', "tid %d: %s is virtual file %llu (module fd %ld)", msg->tid, t.path,
		 (unsigned long long)f->handle, ret);
	call->reply.kind = VU_REPLY_VFD;
	call->reply.handle = f->handle;
	call->reply.open_flags = flags & (O_ACCMODE | O_NONBLOCK | O_CLOEXEC);
	vu_open_dir_identity(call, f);
}

void vu_sc_mkdir(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int at = msg->nr == __NR_mkdirat;
	mode_t mode = (mode_t)msg->args[at ? 2 : 1];
	struct vu_target t;
	long ret;

	if (!vu_resolve_virtual(call, 0, at ? VU_RES_AT : 0, &t))
		return;
	mode &= ~vu_umask_of(msg->tid) & 07777;
	ret = vu_mcall(t.ht, mkdir, int, (const char *, mode_t), t.mpath, mode);
	vu_target_put(&t);
	vu_call_return(call, ret);
}

/* 1 if the last component of @path is ".", 2 if "..", else 0 (trailing slashes ignored). */
static int vu_last_dots(const char *path)
{
	size_t len = strlen(path);
	size_t end, start;

	while (len > 1 && path[len - 1] == '/')
		len--;
	end = len;
	start = end;
	while (start > 0 && path[start - 1] != '/')
		start--;
	if (end - start == 1 && path[start] == '.')
		return 1;
	if (end - start == 2 && path[start] == '.' && path[start + 1] == '.')
		return 2;
	return 0;
}

void vu_sc_unlink(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int at = msg->nr == __NR_unlinkat;
	int dir = msg->nr == __NR_rmdir || (at && (msg->args[2] & AT_REMOVEDIR));
	struct vu_target t;
	long ret;
	int dots;

	if (!vu_resolve_virtual(call, 0, at ? VU_RES_AT : 0, &t))
		return;
	/* the kernel's: the walk took "d/." for "d", but it is no name to remove */
	dots = vu_last_dots(msg->path[0]);
	if (dots) {
		vu_target_put(&t);
		vu_call_return(call, !dir ? -EISDIR : dots == 1 ? -EINVAL : -ENOTEMPTY);
		return;
	}
	if (dir)
		ret = vu_mcall(t.ht, rmdir, int, (const char *), t.mpath);
	else
		ret = vu_mcall(t.ht, unlink, int, (const char *), t.mpath);
	vu_target_put(&t);
	vu_call_return(call, ret);
}

void vu_sc_rename(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	unsigned int res = msg->nr == __NR_rename ? 0 : VU_RES_AT;
	int flags = msg->nr == __NR_renameat2 ? (int)msg->args[4] : 0;
	struct vu_target_pair *p = vu_resolve_pair(call, res, res);

	if (!p)
		return;
	vu_call_return(call, vu_mcall(p->from.ht, rename, int, (const char *, const char *, int),
				      p->from.mpath, p->to.mpath, flags));
	vu_target_pair_put(p);
}

/*
 * getxattr, listxattr and their l and f forms. A module without the
 * method is a file system without extended attributes: ENOTSUP, which
 * ls and cp take as "no ACLs" (ENOSYS would be reported as an error).
 */
void vu_sc_xattr(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	long nr = msg->nr;
	int list = nr == __NR_listxattr || nr == __NR_llistxattr || nr == __NR_flistxattr;
	int follow = nr == __NR_getxattr || nr == __NR_listxattr;
	uint64_t value = msg->args[list ? 1 : 2];
	size_t size = (size_t)msg->args[list ? 2 : 3];
	char name[256];
	struct vu_obj o;
	void *buf = NULL;
	long ret;

	if (!vu_obj_get(call, nr == __NR_fgetxattr || nr == __NR_flistxattr,
			follow ? VU_RES_FOLLOW : 0, &o))
		return;
	if (size > 65536)
		size = 65536;
	if (size)
		buf = vu_call_alloc(call, size);
	ret = size && !buf ? -ENOMEM : 0;
	if (ret == 0 && !list) {
		ssize_t n = vu_peek_str(call->be, msg, msg->args[1], name, sizeof(name));

		ret = n == -ENAMETOOLONG ? -ERANGE : (n < 0 ? n : 0);
	}
	if (ret == 0 && list)
		ret = vu_mcall(o.ht, llistxattr, ssize_t,
			       (const char *, char *, size_t, int, void *), o.mpath, buf, size,
			       o.sfd, o.fdprivate);
	else if (ret == 0)
		ret = vu_mcall(o.ht, lgetxattr, ssize_t,
			       (const char *, const char *, void *, size_t, int, void *), o.mpath,
			       name, buf, size, o.sfd, o.fdprivate);
	if (ret == -ENOSYS)
		ret = -ENOTSUP;
	if (size)
		ret = vu_mod_size(o.ht, list ? "llistxattr" : "lgetxattr", ret, size);
	if (ret > 0 && size)
		ret = vu_call_copy_out(call, value, buf, (size_t)ret) ?: ret;
	vu_obj_put(&o);
	vu_call_return(call, ret);
}

/*
 * setxattr, removexattr and their l and f forms, through the module's
 * lsetxattr and lremovexattr. Without the method: ENOTSUP, a file system
 * without extended attributes.
 */
void vu_sc_xattr_set(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	long nr = msg->nr;
	int remove = nr == __NR_removexattr || nr == __NR_lremovexattr || nr == __NR_fremovexattr;
	int fd_form = nr == __NR_fsetxattr || nr == __NR_fremovexattr;
	int follow = nr == __NR_setxattr || nr == __NR_removexattr;
	size_t size = remove ? 0 : (size_t)msg->args[3];
	char name[256];
	struct vu_obj o;
	void *value = NULL;
	long ret;
	ssize_t n;

	if (!vu_obj_get(call, fd_form, follow ? VU_RES_FOLLOW : 0, &o))
		return;
	n = vu_peek_str(call->be, msg, msg->args[1], name, sizeof(name));
	ret = n == -ENAMETOOLONG ? -ERANGE : (n < 0 ? n : 0);
	if (ret == 0 && size > 65536)
		ret = -E2BIG;
	if (ret == 0 && size) {
		value = vu_call_alloc(call, size);
		ret = value ? vu_peek(call->be, msg, msg->args[2], value, size) : -ENOMEM;
	}
	if (ret == 0 && remove)
		ret = vu_mcall(o.ht, lremovexattr, int, (const char *, const char *, int, void *),
			       o.mpath, name, o.sfd, o.fdprivate);
	else if (ret == 0)
		ret = vu_mcall(o.ht, lsetxattr, int,
			       (const char *, const char *, const void *, size_t, int, int, void *),
			       o.mpath, name, value, size, (int)msg->args[4], o.sfd, o.fdprivate);
	if (ret == -ENOSYS)
		ret = -ENOTSUP;
	vu_obj_put(&o);
	vu_call_return(call, ret);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpath.c - resolve a member's path argument (see vpath.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include "base/log.h"
#include "core/member.h"
#include "core/modcall.h"
#include "core/exec_dir.h"
#include "core/pcache.h"
#include "core/fdlink.h"
#include "core/vfd.h"
#include "core/vpath.h"

/* Symlinks followed in one resolution, as the kernel's MAXSYMLINKS. */
#define VU_MAXSYMLINKS 40

int vu_cwd_of(pid_t tid, char *buf, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/cwd", (int)tid);
	n = readlink(link, buf, size - 1);
	if (n < 0)
		return -errno;
	if ((size_t)n == size - 1)
		return -ENAMETOOLONG;
	buf[n] = '\0';
	return 0;
}

/*
 * VUOS's rule for device nodes: a character or block device whose number
 * a CHECKCHRDEVICE or CHECKBLKDEVICE entry claims is served by that
 * entry's module, whoever serves its path (a module's node, or a real
 * one), and the module gets the whole path. The node is stat'ed (through
 * its module, or the daemon's own stat as the call follows or not) only
 * while such entries exist; t->mode keeps what the stat said.
 */
static void vu_target_device(struct vu_target *t, unsigned int flags)
{
	struct vuht_entry_t *dht;
	struct stat st;
	uint8_t kind;
	long r;

	if (!vuht_has_type(CHECKCHRDEVICE) && !vuht_has_type(CHECKBLKDEVICE))
		return;
	if (t->ht)
		r = vu_pcache_lstat(t->ht, t->mpath, &st, AT_SYMLINK_NOFOLLOW);
	else /* the system call itself: nesting (host/nest.c) would resolve the path again */
		r = syscall(__NR_newfstatat, AT_FDCWD, t->path, &st,
			    (flags & VU_RES_FOLLOW) ? 0 : AT_SYMLINK_NOFOLLOW) < 0 ? -errno : 0;
	if (r < 0)
		return;
	t->mode = st.st_mode;
	kind = S_ISCHR(st.st_mode) ? CHECKCHRDEVICE : S_ISBLK(st.st_mode) ? CHECKBLKDEVICE : 0;
	if (!kind)
		return;
	dht = vuht_pick(kind, &st.st_rdev, (int)sizeof(st.st_rdev), vu_epoch_get());
	if (!dht)
		return;
	vu_debug('c', "%s: device %u:%u served by %s", t->path, major(st.st_rdev),
		 minor(st.st_rdev), dht->service->mod ? dht->service->mod->name : "?");
	vuht_drop(t->ht);
	t->ht = dht;
	t->mpath = vuht_path2mpath(dht, t->path);
}

static void vu_target_lookup(struct vu_target *t, unsigned int flags)
{
	t->ht = vuht_pick(CHECKPATH, t->path, 0, vu_epoch_get());
	t->mpath = t->ht ? vuht_path2mpath(t->ht, t->path) : NULL;
	vu_target_device(t, flags);
	/* a member's request: what it closed before in this mount is closed (vfd.c) */
	if (t->ht && vu_epoch_get() == VU_EPOCH_NOW && vu_vfd_get_horizon())
		vu_vfd_wait_closing(NULL, t->ht);
}

/*
 * Is @path a symlink of a module (or, with @real, a real one)? Its target
 * in @target and 1, 0 if not (or missing: the call itself will say), or
 * -errno.
 */
static int vu_readlink_at(const char *path, bool real, char *target, size_t size)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKPATH, path, 0, vu_epoch_get());
	const char *mpath;
	struct stat st;
	long r;

	if (!ht) {
		/* a member's fd link of a virtual file is a link to its path (fdlink.h) */
		int link = vu_fdlink_target(path, target, size);

		if (link != 0 || !real)
			return link;
	}
	if (!ht && real) {
		ssize_t n;

		if (lstat(path, &st) < 0 || !S_ISLNK(st.st_mode))
			return 0;
		n = readlink(path, target, size - 1);
		if (n < 0)
			return -errno;
		target[n] = '\0';
		return 1;
	}
	if (!ht)
		return 0;
	mpath = vuht_path2mpath(ht, path);
	r = vu_pcache_lstat(ht, mpath, &st, AT_SYMLINK_NOFOLLOW);
	if (r == 0 && S_ISLNK(st.st_mode)) {
		r = vu_mcall(ht, readlink, ssize_t, (char *, char *, size_t), (char *)mpath, target,
			     size - 1);
		if (r >= 0) {
			target[r] = '\0';
			r = 1;
		}
	} else {
		r = 0;
	}
	vuht_drop(ht);
	return (int)r;
}

/*
 * -ENOTDIR if @path is a file of a module that is not a directory, else
 * 0. With @must_exist ("a/." and "a/.."), a missing a is ENOENT, as in
 * the kernel; a trailing slash may name what a call is to create (mkdir
 * "a/"), so there it is the call's to say.
 */
static int vu_isdir_virtual(const char *path, bool must_exist)
{
	struct vuht_entry_t *ht = path[0] ? vuht_pick(CHECKPATH, path, 0, vu_epoch_get()) : NULL;
	struct stat st;
	long r;

	if (!ht)
		return 0;
	r = vu_pcache_lstat(ht, vuht_path2mpath(ht, path), &st, AT_SYMLINK_NOFOLLOW);
	vuht_drop(ht);
	/*
	 * Only a missing a is an answer: the kernel asks a file system
	 * nothing for "a/..", so another error (a FUSE server gone:
	 * ENOTCONN; a module without lstat) says nothing, as before.
	 */
	if (r < 0)
		return must_exist && r == -ENOENT ? -ENOENT : 0;
	return !S_ISDIR(st.st_mode) ? -ENOTDIR : 0;
}

/*
 * Walk @path (absolute) one component at a time into @t->path, as the
 * kernel's lookup does: "." and ".." on what is resolved so far, and a
 * symlink of a module in the middle of the path (or last, with
 * VU_RES_FOLLOW) replaced by its target, an absolute target being a path
 * of the view. Components of real paths are taken as they are: the
 * kernel resolves those (and the kernel filter, which chose to forward
 * the call, is lexical too); but in a chroot, real symlinks are followed
 * here too, as their absolute targets are under the root. A trailing slash follows the last component
 * and asks for a directory.
 *
 * The walk starts at @start (a normal absolute path, "" for "/") and
 * never climbs above @root (a chroot, "" if none) when it starts under
 * it; an absolute symlink target starts again at @root.
 */
static int vu_walk(const char *root, const char *start, const char *path, unsigned int flags,
		   struct vu_target *t)
{
	char todo[KMVIEW_PATH_MAX * 2], target[KMVIEW_PATH_MAX], *cur = t->path;
	size_t curlen = strlen(start), len = strlen(path), rootlen = strlen(root);
	bool dir = len > 0 && path[len - 1] == '/';
	const char *pos;
	int links = 0;

	if (len >= sizeof(todo) || curlen >= sizeof(t->path))
		return -ENAMETOOLONG;
	memcpy(todo, path, len + 1);
	memmove(cur, start, curlen + 1);
	if (strncmp(start, root, rootlen) != 0 || (start[rootlen] && start[rootlen] != '/'))
		rootlen = 0; /* a cwd outside the chroot: ".." is free, as in the kernel */
	pos = todo;
	for (;;) {
		const char *end;
		bool last;
		int r;

		while (*pos == '/')
			pos++;
		if (!*pos)
			break;
		end = strchrnul(pos, '/');
		len = (size_t)(end - pos);
		last = !end[strspn(end, "/")];
		if ((len == 1 && pos[0] == '.') || (len == 2 && pos[0] == '.' && pos[1] == '.')) {
			/* "a/." and "a/.." want a directory a, as in the kernel */
			r = vu_isdir_virtual(cur, true);
			if (r < 0)
				return r;
			if (len == 2)
				while (curlen > rootlen && cur[--curlen] != '/')
					;
			cur[curlen] = '\0';
			pos = end;
			continue;
		}
		if (curlen + 1 + len >= sizeof(t->path))
			return -ENAMETOOLONG;
		cur[curlen++] = '/';
		memcpy(cur + curlen, pos, len);
		curlen += len;
		cur[curlen] = '\0';
		pos = end;
		if (last && !(flags & VU_RES_FOLLOW) && !dir)
			break;
		r = vu_readlink_at(cur, rootlen > 0, target, sizeof(target));
		if (r < 0)
			return r;
		if (r == 0)
			continue;
		if (++links > VU_MAXSYMLINKS)
			return -ELOOP;
		/* the target, then what is left: in todo, whose tail pos is */
		size_t tlen = strlen(target), rest = strlen(pos);

		if (tlen + 1 + rest >= sizeof(todo))
			return -ENAMETOOLONG;
		memmove(todo + tlen + 1, pos, rest + 1);
		memcpy(todo, target, tlen);
		todo[tlen] = '/';
		pos = todo;
		if (target[0] == '/') {
			rootlen = strlen(root);
			memcpy(cur, root, rootlen);
			curlen = rootlen;
		} else {
			while (curlen > 0 && cur[--curlen] != '/')
				;
		}
		cur[curlen] = '\0';
		t->rewritten = true;
	}
	if (curlen == 0)
		strcpy(cur, "/");
	if (dir) {
		int r = vu_isdir_virtual(cur, false);

		if (r < 0)
			return r;
	}
	vu_target_lookup(t, flags);
	return 0;
}

/* Resolve @path (relative to @dir, or else to the member's cwd). */
static int vu_resolve_in(struct vu_call *call, const char *path, struct vu_vfd *dir,
			 unsigned int flags, struct vu_target *t)
{
	const struct vu_msg *msg = call->msg;
	char base[KMVIEW_PATH_MAX], root[KMVIEW_PATH_MAX];
	int ret;

	if (path[0] == '\0') {
		if (!(flags & VU_RES_EMPTY_PATH) || !(flags & VU_RES_AT))
			return -ENOENT;
		if (!dir)
			return 0; /* the real dirfd itself */
		t->vfd = dir;
		snprintf(t->path, sizeof(t->path), "%s", dir->path);
		vuht_pick_again(dir->ht);
		t->ht = dir->ht;
		t->mpath = vu_vfd_mpath(dir);
		return 0;
	}
	ret = vu_member_getroot(msg->tid, root, sizeof(root));
	if (ret < 0)
		return ret;
	if (ret == 0 || vu_exec_dir_contains(path) || strcmp(root, "/") == 0)
		root[0] = '\0'; /* chroot("/") roots nothing: "/" + an absolute target is not "//" */
	if (path[0] == '/') {
		snprintf(base, sizeof(base), "%s", root);
		t->rewritten = root[0] != '\0'; /* the kernel's root is not this one */
	} else if (dir) {
		snprintf(base, sizeof(base), "%s", dir->path);
		t->rewritten = true; /* if it turns out real, the kernel needs it absolute */
	} else {
		ret = vu_member_getcwd(msg->tid, base, sizeof(base));
		if (ret > 0)
			t->rewritten = true; /* the kernel's cwd is not this one */
		else if (ret == 0)
			ret = vu_cwd_of(msg->tid, base, sizeof(base));
		if (ret < 0)
			return ret;
	}
	if (strcmp(base, "/") == 0)
		base[0] = '\0';
	ret = vu_walk(root, base, path, flags, t);
	if (ret < 0)
		return ret;
	vu_debug('p', "tid %d: %s -> %s %s%s", msg->tid, path, t->path,
		 t->ht ? "virtual, in " : "real", t->ht ? t->ht->service->mod->name : "");
	return 0;
}

int vu_resolve(struct vu_call *call, int slot, unsigned int flags, struct vu_target *t)
{
	const struct vu_msg *msg = call->msg;
	const char *path = msg->path[slot];
	struct vu_vfd *dir = NULL;
	int ret;

	memset(t, 0, sizeof(*t));
	if (!path)
		return -EFAULT; /* the capture could not read it */
	if ((flags & VU_RES_AT) && msg->fd_arg[slot] != VU_NO_ARG) {
		if (msg->vfd[slot])
			dir = vu_vfd_get(msg->vfd[slot]);
		else if ((int)msg->args[msg->fd_arg[slot]] != AT_FDCWD && path[0] != '/')
			return 0; /* relative to a real directory: real, as the kernel decided */
	}
	ret = vu_resolve_in(call, path, dir, flags, t);
	/* vu_mod_getmode: the mode of what the call's first path names, as VUOS's */
	if (ret == 0 && slot == 0 && t->mode)
		vu_modctx_set_mode(t->mode);
	return ret;
}

int vu_resolve_str(struct vu_call *call, const char *path, unsigned int flags,
		   struct vu_target *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	ret = vu_resolve_in(call, path, NULL, flags & ~(VU_RES_AT | VU_RES_EMPTY_PATH), t);
	if (ret == 0 && t->mode)
		vu_modctx_set_mode(t->mode);
	return ret;
}

int vu_resolve_abs(const char *path, unsigned int flags, struct vu_target *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	if (path[0] != '/')
		return -EINVAL;
	ret = vu_walk("", "", path, flags, t);
	if (ret == 0 && strcmp(t->path, path) != 0)
		t->rewritten = true;
	return ret;
}

void vu_target_put(struct vu_target *t)
{
	vuht_drop(t->ht);
	t->ht = NULL;
}

void vu_target_native(struct vu_call *call, int slot, const struct vu_target *t)
{
	uint8_t arg = call->msg->path_arg[slot];
	char *copy;

	if (!t->rewritten || arg == VU_NO_ARG) {
		vu_call_native(call);
		return;
	}
	copy = vu_call_alloc(call, strlen(t->path) + 1);
	if (!copy) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	strcpy(copy, t->path);
	call->reply.kind = VU_REPLY_REWRITE;
	call->reply.path = copy;
	call->reply.path_arg = arg;
}

struct vu_target_pair *vu_resolve_pair(struct vu_call *call, unsigned int res_from,
				       unsigned int res_to)
{
	struct vu_target_pair *p = calloc(1, sizeof(*p));
	long ret = p ? 0 : -ENOMEM;

	if (ret == 0)
		ret = vu_resolve(call, 0, res_from, &p->from);
	if (ret == 0)
		ret = vu_resolve(call, 1, res_to, &p->to);
	if (ret < 0)
		vu_call_return(call, ret);
	else if (!p->from.ht && !p->to.ht && !p->from.rewritten && !p->to.rewritten)
		vu_call_native(call);
	else if (!p->from.ht || !p->to.ht || p->from.ht != p->to.ht)
		vu_call_return(call, -EXDEV); /* not within one mount */
	else
		return p;
	vu_target_pair_put(p);
	return NULL;
}

void vu_target_pair_put(struct vu_target_pair *p)
{
	if (!p)
		return;
	vu_target_put(&p->from);
	vu_target_put(&p->to);
	free(p);
}

bool vu_resolve_virtual(struct vu_call *call, int slot, unsigned int flags, struct vu_target *t)
{
	int ret = vu_resolve(call, slot, flags, t);

	if (ret < 0) {
		vu_call_return(call, ret);
		return false;
	}
	if (!t->ht) {
		vu_target_native(call, slot, t);
		return false;
	}
	return true;
}

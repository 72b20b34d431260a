// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vpath.c - resolve a member's path argument (see vpath.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "../kmod/path.h"
#include "log.h"
#include "member.h"
#include "modcall.h"
#include "vpath.h"

/* Symlinks followed in one resolution, as the kernel's MAXSYMLINKS. */
#define VU_MAXSYMLINKS 40

int vu_path_join(const char *base, const char *path, char *out, size_t size)
{
	size_t len;
	int n;

	if (path[0] == '/')
		n = snprintf(out, size, "%s", path);
	else
		n = snprintf(out, size, "%s/%s", base, path);
	if (n < 0 || (size_t)n >= size)
		return -ENAMETOOLONG;
	len = kmview_path_normalize(out, (size_t)n);
	(void)len;
	return 0;
}

static int vu_cwd_of(pid_t tid, char *buf, size_t size)
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

static void vu_target_lookup(struct vu_target *t)
{
	t->ht = vuht_pick(CHECKPATH, t->path, 0, vu_epoch_get());
	t->mpath = t->ht ? vuht_path2mpath(t->ht, t->path) : NULL;
}

/* While the last component is a symlink of a module, go where it points. */
static int vu_follow(struct vu_target *t)
{
	for (int i = 0; i < VU_MAXSYMLINKS; i++) {
		struct stat st;
		char target[KMVIEW_PATH_MAX], dir[KMVIEW_PATH_MAX];
		long r;

		if (!t->ht)
			return 0;
		r = vu_mcall(t->ht, lstat, int, (char *, struct stat *, int, int, void *),
			     (char *)t->mpath, &st, AT_SYMLINK_NOFOLLOW, -1, NULL);
		if (r < 0 || !S_ISLNK(st.st_mode))
			return 0; /* missing, or not a link: the call itself says */
		r = vu_mcall(t->ht, readlink, ssize_t, (char *, char *, size_t), (char *)t->mpath,
			     target, sizeof(target) - 1);
		if (r < 0)
			return (int)r;
		target[r] = '\0';
		snprintf(dir, sizeof(dir), "%s", t->path);
		char *slash = strrchr(dir, '/');

		if (slash == dir)
			dir[1] = '\0';
		else if (slash)
			*slash = '\0';
		vuht_drop(t->ht);
		t->ht = NULL;
		r = vu_path_join(dir, target, t->path, sizeof(t->path));
		if (r < 0)
			return (int)r;
		t->rewritten = true;
		vu_target_lookup(t);
	}
	vuht_drop(t->ht);
	t->ht = NULL;
	return -ELOOP;
}

/* Resolve @path (relative to @dir, or else to the member's cwd). */
static int vu_resolve_in(struct vu_call *call, const char *path, struct vu_vfd *dir,
			 unsigned int flags, struct vu_target *t)
{
	const struct vu_msg *msg = call->msg;
	char base[KMVIEW_PATH_MAX];
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
	if (path[0] == '/') {
		base[0] = '\0';
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
	ret = vu_path_join(base, path, t->path, sizeof(t->path));
	if (ret < 0)
		return ret;
	vu_target_lookup(t);
	if (flags & VU_RES_FOLLOW) {
		ret = vu_follow(t);
		if (ret < 0)
			return ret;
	}
	vu_debug('p', "tid %d: %s -> %s %s%s", msg->tid, path, t->path,
		 t->ht ? "virtual, in " : "real", t->ht ? t->ht->service->mod->name : "");
	return 0;
}

int vu_resolve(struct vu_call *call, int slot, unsigned int flags, struct vu_target *t)
{
	const struct vu_msg *msg = call->msg;
	const char *path = msg->path[slot];
	struct vu_vfd *dir = NULL;

	memset(t, 0, sizeof(*t));
	if (!path)
		return -EFAULT; /* the capture could not read it */
	if ((flags & VU_RES_AT) && msg->fd_arg[slot] != VU_NO_ARG) {
		if (msg->vfd[slot])
			dir = vu_vfd_get(msg->vfd[slot]);
		else if ((int)msg->args[msg->fd_arg[slot]] != AT_FDCWD && path[0] != '/')
			return 0; /* relative to a real directory: real, as the kernel decided */
	}
	return vu_resolve_in(call, path, dir, flags, t);
}

int vu_resolve_str(struct vu_call *call, const char *path, unsigned int flags,
		   struct vu_target *t)
{
	memset(t, 0, sizeof(*t));
	return vu_resolve_in(call, path, NULL, flags & ~(VU_RES_AT | VU_RES_EMPTY_PATH), t);
}

int vu_resolve_abs(const char *path, unsigned int flags, struct vu_target *t)
{
	int ret;

	memset(t, 0, sizeof(*t));
	if (path[0] != '/')
		return -EINVAL;
	ret = vu_path_join("", path, t->path, sizeof(t->path));
	if (ret < 0)
		return ret;
	t->rewritten = strcmp(t->path, path) != 0;
	vu_target_lookup(t);
	if (flags & VU_RES_FOLLOW)
		return vu_follow(t);
	return 0;
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

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_layer.c - where a path of a patchwork mount is: the virtual layer
 * (SOURCE) first, then, unless a whiteout in SOURCE/.-/ says it is
 * deleted, the real one. Whiteouts and vstat records (vufs.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <sys/syscall.h>

#include "vufs_layer.h"

/* clang-format off */
#define VUFS_META(p, mpath, suffix)                                     \
	char p[PATH_MAX];                                               \
	if (vufs_join(p, sizeof(p), v->meta, (mpath), (suffix)) < 0)    \
		return -1
/* clang-format on */

void vufs_parent(const char *mpath, char *buf, size_t size)
{
	const char *slash = strrchr(mpath, '/');
	size_t n = slash ? (size_t)(slash - mpath) : 0;

	if (n == 0 || n >= size) {
		snprintf(buf, size, "/");
		return;
	}
	memcpy(buf, mpath, n);
	buf[n] = '\0';
}

void vufs_caller(uid_t *uid, gid_t *gid)
{
	/* "who is my caller": nesting asks the view's id module (unrealuidgid) */
	*uid = (uid_t)setfsuid((uid_t)-1);
	*gid = (gid_t)setfsgid((gid_t)-1);
}

void vufs_self(uid_t *uid, gid_t *gid)
{
	/* the raw system calls are never rebound: these are the daemon's own */
	*uid = (uid_t)syscall(SYS_geteuid);
	*gid = (gid_t)syscall(SYS_getegid);
}

bool vufs_deleted(struct vufs *v, const char *mpath)
{
	char p[PATH_MAX];
	struct stat st;

	if (!vufs_writes_src(v) || strcmp(mpath, "/") == 0 ||
	    vufs_join(p, sizeof(p), v->meta, mpath, NULL) < 0)
		return false;
	if (lstat(p, &st) == 0)
		return S_ISREG(st.st_mode);
	/* an ancestor is a whiteout: the whole subtree is gone */
	return errno == ENOTDIR;
}

int vufs_where(struct vufs *v, const char *mpath, struct vufs_where *w)
{
	w->layer = VUFS_L_NONE;
	w->err = ENOENT;
	if (vufs_join(w->vpath, sizeof(w->vpath), v->source, mpath, NULL) < 0 ||
	    vufs_join(w->rpath, sizeof(w->rpath), v->target, mpath, NULL) < 0)
		return -1;
	if (vufs_reserved(v, mpath))
		return 0;
	if (lstat(w->vpath, &w->st) == 0) {
		w->layer = VUFS_L_VIRT;
		return 0;
	}
	if (!vufs_layered(v) || errno != ENOENT) {
		w->err = errno;
		return 0;
	}
	if (vufs_deleted(v, mpath))
		return 0;
	if (lstat(w->rpath, &w->st) == 0)
		w->layer = VUFS_L_REAL;
	else
		w->err = errno;
	return 0;
}

/* Make SOURCE/.-/ hold the directories down to @mpath's parent. */
static int vufs_meta_parents(struct vufs *v, const char *mpath)
{
	char dir[PATH_MAX];

	vufs_parent(mpath, dir, sizeof(dir));
	if (strcmp(dir, "/") == 0) {
		if (mkdir(v->meta, 0700) < 0 && errno != EEXIST)
			return -1;
		return 0;
	}
	return vufs_meta_dir(v, dir);
}

int vufs_whiteout(struct vufs *v, const char *mpath)
{
	VUFS_META(p, mpath, NULL);
	int fd;

	if (vufs_meta_parents(v, mpath) < 0)
		return -1;
	/* a directory of whiteouts for the entries of @mpath is replaced */
	if (vufs_rm_tree(p) < 0 && errno != ENOENT && errno != ENOTDIR)
		return -1;
	fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

/* A whiteout for every entry of the real directory @mpath, in SOURCE/.-/@mpath. */
static int vufs_whiteout_entries(struct vufs *v, const char *mpath, const char *metadir)
{
	char rdir[PATH_MAX], p[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (vufs_join(rdir, sizeof(rdir), v->target, mpath, NULL) < 0)
		return -1;
	d = opendir(rdir);
	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	while ((de = readdir(d))) {
		int fd;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", metadir, de->d_name) >= (int)sizeof(p)) {
			errno = ENAMETOOLONG;
			ret = -1;
			break;
		}
		fd = open(p, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
		if (fd < 0) {
			ret = -1;
			break;
		}
		close(fd);
	}
	closedir(d);
	return ret;
}

int vufs_meta_dir(struct vufs *v, const char *mpath)
{
	VUFS_META(p, mpath, NULL);
	struct stat st;
	bool was_deleted;

	if (strcmp(mpath, "/") == 0) {
		if (mkdir(v->meta, 0700) < 0 && errno != EEXIST)
			return -1;
		return 0;
	}
	if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	if (vufs_meta_parents(v, mpath) < 0)
		return -1;
	was_deleted = lstat(p, &st) == 0;
	if (was_deleted && unlink(p) < 0)
		return -1;
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		return -1;
	/* what was deleted stays deleted: the real entries stay hidden */
	if (was_deleted)
		return vufs_whiteout_entries(v, mpath, p);
	return 0;
}

int vufs_rm_tree(const char *path)
{
	struct dirent *de;
	struct stat st;
	DIR *d;

	if (lstat(path, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode))
		return unlink(path);
	d = opendir(path);
	if (!d)
		return -1;
	while ((de = readdir(d))) {
		char p[PATH_MAX];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", path, de->d_name) >= (int)sizeof(p))
			continue;
		vufs_rm_tree(p);
	}
	closedir(d);
	return rmdir(path);
}

int vufs_meta_clear(struct vufs *v, const char *mpath)
{
	VUFS_META(p, mpath, NULL);

	vufs_vstat_drop(v, mpath);
	if (vufs_rm_tree(p) < 0 && errno != ENOENT && errno != ENOTDIR)
		return -1;
	return 0;
}

void vufs_vstat_get(struct vufs *v, const char *mpath, struct vufs_vstat *vs)
{
	char p[PATH_MAX], text[512];
	ssize_t n;
	int fd;

	memset(vs, 0, sizeof(*vs));
	if (!vufs_writes_src(v) || vufs_join(p, sizeof(p), v->meta, mpath, "\177") < 0)
		return;
	fd = open(p, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0)
		return;
	text[n] = '\0';
	vufs_vstat_parse(text, vs);
}

int vufs_vstat_set(struct vufs *v, const char *mpath, const struct vufs_vstat *add)
{
	VUFS_META(p, mpath, "\177");
	struct vufs_vstat vs;
	char text[512];
	int fd, len;

	if (vufs_meta_parents(v, mpath) < 0)
		return -1;
	vufs_vstat_get(v, mpath, &vs);
	vufs_vstat_merge(&vs, add);
	len = vufs_vstat_format(&vs, text, sizeof(text));
	if (len < 0) {
		errno = EOVERFLOW;
		return -1;
	}
	/* rewritten in place: a hard link shares the record */
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, text, (size_t)len) != len) {
		int e = errno;

		close(fd);
		errno = e ? e : ENOSPC;
		return -1;
	}
	return close(fd);
}

void vufs_vstat_drop(struct vufs *v, const char *mpath)
{
	char p[PATH_MAX];

	if (vufs_join(p, sizeof(p), v->meta, mpath, "\177") == 0)
		unlink(p);
}

int vufs_vstat_rename(struct vufs *v, const char *from, const char *to)
{
	VUFS_META(pf, from, "\177");
	VUFS_META(pt, to, "\177");
	struct stat st;

	if (lstat(pf, &st) < 0) {
		unlink(pt);
		return 0;
	}
	if (vufs_meta_parents(v, to) < 0)
		return -1;
	return rename(pf, pt);
}

int vufs_vstat_link(struct vufs *v, const char *from, const char *to)
{
	VUFS_META(pf, from, "\177");
	VUFS_META(pt, to, "\177");
	struct stat st;

	if (lstat(pf, &st) < 0)
		return 0;
	if (vufs_meta_parents(v, to) < 0)
		return -1;
	unlink(pt);
	return link(pf, pt);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_copy.c - the copy-up of a real object into SOURCE. The copy is
 * made under a temporary name in SOURCE/.-/ and renamed into place, so a
 * copy cut short (kill -9, ENOSPC) leaves nothing visible and the old
 * object intact. Data moves in chunks (copy_file_range, else pread and
 * pwrite), never whole in memory; mode, times and the xattrs the file
 * system takes are kept; what the user cannot keep for real (another
 * owner, a device node, a mode without u+rw) goes in the vstat record.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/xattr.h>

#include "vufs_dir.h"
#include "vufs_layer.h"

#define VUFS_CHUNK (1 << 20)

static atomic_ulong vufs_tmp_seq;

static int vufs_tmpname(struct vufs *v, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s/\177cp.%d.%lu", v->meta, (int)getpid(),
			 atomic_fetch_add(&vufs_tmp_seq, 1));

	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (mkdir(v->meta, 0700) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

/* pread/pwrite from @off on: for what copy_file_range does not do. */
static int vufs_copy_rw(int in, int out, off_t off)
{
	char *buf = malloc(VUFS_CHUNK);
	int ret = 0;

	if (!buf) {
		errno = ENOMEM;
		return -1;
	}
	for (;;) {
		ssize_t n = pread(in, buf, VUFS_CHUNK, off);

		if (n < 0) {
			ret = -1;
			break;
		}
		if (n == 0)
			break;
		for (ssize_t w = 0; w < n;) {
			ssize_t k = pwrite(out, buf + w, (size_t)(n - w), off + w);

			if (k <= 0) {
				if (k == 0)
					errno = ENOSPC;
				ret = -1;
				goto out;
			}
			w += k;
		}
		off += n;
	}
out:
	free(buf);
	return ret;
}

static int vufs_copy_data(int in, int out, off_t size)
{
	off_t off = 0;

	while (off < size) {
		loff_t ioff = off, ooff = off;
		ssize_t n = copy_file_range(in, &ioff, out, &ooff, VUFS_CHUNK, 0);

		/* 0 early: a file of an older virtual mount (a stand-in fd) */
		if (n <= 0) {
			if (n < 0 && errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
			    errno != EOPNOTSUPP && errno != EBADF)
				return -1;
			break;
		}
		off += n;
	}
	/* the rest, and a file that grew */
	return vufs_copy_rw(in, out, off);
}

/* The xattrs the file system takes (security.* and trusted.* may be refused). */
static void vufs_copy_xattrs(int in, int out)
{
	char names[4096], value[4096];
	ssize_t n = flistxattr(in, names, sizeof(names));

	for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(names + i) + 1) {
		ssize_t len = fgetxattr(in, names + i, value, sizeof(value));

		if (len >= 0)
			fsetxattr(out, names + i, value, (size_t)len, 0);
	}
}

static int vufs_copy_file(const char *rpath, const char *tmp, const struct stat *st, bool data)
{
	struct timespec times[2] = { st->st_atim, st->st_mtim };
	int in, out, ret = -1, e;

	in = open(rpath, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	/* without data (O_TRUNC) a write-only file is copied too, its xattrs left */
	if (in < 0 && data)
		return -1;
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0)
		goto close_in;
	if (data && vufs_copy_data(in, out, st->st_size) < 0)
		goto close_out;
	if (in >= 0)
		vufs_copy_xattrs(in, out);
	if (fchmod(out, (st->st_mode & 07777) | 0600) < 0 || futimens(out, times) < 0)
		goto close_out;
	ret = 0;
close_out:
	e = errno;
	if (close(out) < 0 && ret == 0) {
		e = errno;
		ret = -1;
	}
	errno = e;
close_in:
	e = errno;
	if (in >= 0)
		close(in);
	errno = e;
	return ret;
}

/* The vstat record a copy of @st needs, given what the copy is (@copy_mode). */
static void vufs_copy_vstat(const struct stat *st, mode_t copy_mode, struct vufs_vstat *vs)
{
	uid_t uid;
	gid_t gid;

	memset(vs, 0, sizeof(*vs));
	vufs_self(&uid, &gid);
	if (st->st_uid != uid) {
		vs->uid = st->st_uid;
		vs->mask |= VUFS_VS_UID;
	}
	if (st->st_gid != gid) {
		vs->gid = st->st_gid;
		vs->mask |= VUFS_VS_GID;
	}
	if ((st->st_mode & S_IFMT) != (copy_mode & S_IFMT)) {
		vs->type = st->st_mode & S_IFMT;
		vs->rdev = st->st_rdev;
		vs->mask |= VUFS_VS_TYPE | VUFS_VS_RDEV;
	}
	if ((st->st_mode & 07777) != (copy_mode & 07777)) {
		vs->mode = st->st_mode & 07777;
		vs->mask |= VUFS_VS_MODE;
	}
}

/* Copy the real @w (of @mpath, whose parent is in SOURCE already) into SOURCE. */
static int vufs_copy_obj(struct vufs *v, const char *mpath, struct vufs_where *w, bool data)
{
	struct vufs_vstat vs, old;
	char tmp[PATH_MAX], target[PATH_MAX];
	mode_t copy_mode;
	ssize_t n;
	int e;

	if (S_ISDIR(w->st.st_mode)) {
		struct timespec times[2] = { w->st.st_atim, w->st.st_mtim };

		copy_mode = S_IFDIR | (w->st.st_mode & 07777) | 0700;
		vufs_copy_vstat(&w->st, copy_mode, &vs);
		vufs_vstat_get(v, mpath, &old);
		/* what was recorded for the real object (nochcopy) wins */
		vufs_vstat_merge(&vs, &old);
		if (vs.mask && vufs_vstat_set(v, mpath, &vs) < 0)
			return -1;
		if (mkdir(w->vpath, copy_mode & 07777) < 0 && errno != EEXIST)
			return -1;
		utimensat(AT_FDCWD, w->vpath, times, AT_SYMLINK_NOFOLLOW);
		return 0;
	}
	if (vufs_tmpname(v, tmp, sizeof(tmp)) < 0)
		return -1;
	switch (w->st.st_mode & S_IFMT) {
	case S_IFREG:
		copy_mode = S_IFREG | (w->st.st_mode & 07777) | 0600;
		if (vufs_copy_file(w->rpath, tmp, &w->st, data) < 0)
			goto fail;
		break;
	case S_IFLNK:
		copy_mode = w->st.st_mode;
		n = readlink(w->rpath, target, sizeof(target) - 1);
		if (n < 0)
			goto fail;
		target[n] = '\0';
		if (symlink(target, tmp) < 0)
			goto fail;
		break;
	case S_IFIFO:
		copy_mode = S_IFIFO | (w->st.st_mode & 07777) | 0600;
		if (mkfifo(tmp, copy_mode & 07777) < 0)
			goto fail;
		break;
	default: {
		/* a device node or a socket: a plain empty file and its vstat */
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);

		if (fd < 0)
			goto fail;
		close(fd);
		copy_mode = S_IFREG | 0600;
		break;
	}
	}
	if (!S_ISLNK(copy_mode)) {
		struct timespec times[2] = { w->st.st_atim, w->st.st_mtim };

		utimensat(AT_FDCWD, tmp, times, AT_SYMLINK_NOFOLLOW);
	}
	vufs_copy_vstat(&w->st, copy_mode, &vs);
	vufs_vstat_get(v, mpath, &old);
	vufs_vstat_merge(&vs, &old);
	/* the record first: the copy is never visible without it */
	if (vs.mask && vufs_vstat_set(v, mpath, &vs) < 0)
		goto fail;
	if (rename(tmp, w->vpath) < 0)
		goto fail;
	return 0;
fail:
	e = errno;
	unlink(tmp);
	errno = e;
	return -1;
}

int vufs_copyup_dir(struct vufs *v, const char *mpath)
{
	struct vufs_where w;
	char parent[PATH_MAX];

	if (strcmp(mpath, "/") == 0)
		return 0;
	if (vufs_where(v, mpath, &w) < 0)
		return -1;
	if (w.layer == VUFS_L_NONE) {
		errno = w.err;
		return -1;
	}
	if (!S_ISDIR(w.st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	if (w.layer == VUFS_L_VIRT)
		return 0;
	vufs_parent(mpath, parent, sizeof(parent));
	if (vufs_copyup_dir(v, parent) < 0)
		return -1;
	return vufs_copy_obj(v, mpath, &w, true);
}

int vufs_copyup_data(struct vufs *v, const char *mpath, bool data)
{
	struct vufs_where w;
	char parent[PATH_MAX];

	if (vufs_where(v, mpath, &w) < 0)
		return -1;
	if (w.layer == VUFS_L_VIRT)
		return 0;
	if (w.layer == VUFS_L_NONE) {
		errno = w.err;
		return -1;
	}
	vufs_parent(mpath, parent, sizeof(parent));
	if (vufs_copyup_dir(v, parent) < 0)
		return -1;
	return vufs_copy_obj(v, mpath, &w, data);
}

int vufs_copyup(struct vufs *v, const char *mpath)
{
	return vufs_copyup_data(v, mpath, true);
}

int vufs_copyup_tree(struct vufs *v, const char *mpath)
{
	struct vufs_list l = { 0 };
	int ret;

	if (vufs_copyup_dir(v, mpath) < 0)
		return -1;
	ret = vufs_merged_list(v, mpath, false, &l);
	for (size_t i = 0; ret == 0 && i < l.n; i++) {
		char child[PATH_MAX];
		struct vufs_where w;

		if (snprintf(child, sizeof(child), "%s/%s", strcmp(mpath, "/") ? mpath : "",
			     l.ent[i].name) >= (int)sizeof(child)) {
			errno = ENAMETOOLONG;
			ret = -1;
			break;
		}
		if (vufs_where(v, child, &w) < 0 || w.layer == VUFS_L_NONE)
			continue;
		if (S_ISDIR(w.st.st_mode))
			ret = vufs_copyup_tree(v, child);
		else if (w.layer == VUFS_L_REAL)
			ret = vufs_copyup(v, child);
	}
	vufs_list_free(&l);
	return ret;
}

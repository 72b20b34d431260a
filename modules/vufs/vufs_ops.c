// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_ops.c - the methods of vufs on status, open files and listings
 * (names: vufs_names.c, attributes: vufs_attr.c). In bind and move mode
 * each is the real system call on SOURCE + the path inside the mount; in
 * merge, cow and mincow the path is first found in its layer (vufs_where)
 * and a change goes where the mode says (vufs_mode.c). The hypervisor has
 * resolved the path (symlinks followed where the call follows them), so a
 * method acts on the last component as given and never follows it again.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "vufs_mode.h"

VU_PROTOTYPES(vufs)
VU_KMVIEW_PROTOTYPES(vufs)

/* ---- status ---- */

int vu_vufs_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vufs *v = vufs_get();
	struct vufs_where w;
	struct vufs_vstat vs;

	if (!v)
		return vufs_fail(EINVAL);
	/* an open file is asked by its fd: it may have been renamed or unlinked */
	if (sfd >= 0) {
		if (fstat(sfd, buf) < 0)
			return -1;
	} else {
		if (vufs_where(v, pathname, &w) < 0)
			return -1;
		if (w.layer == VUFS_L_NONE)
			return vufs_fail(w.err);
		*buf = w.st;
	}
	vufs_vstat_get(v, fdprivate ? vufs_fp(fdprivate)->mpath : pathname, &vs);
	vufs_vstat_apply(&vs, buf);
	return 0;
}

int vu_vufs_access(char *path, int mode, int flags)
{
	VUFS_WHERE(v, w, path);

	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	/* R_OK, W_OK, X_OK are VUFS_MAY_READ, WRITE, EXEC */
	if (vufs_permit(v, path, &w, mode | (flags & AT_EACCESS ? 0 : VUFS_MAY_REAL_IDS)) < 0)
		return -1;
	if ((mode & W_OK) && (v->o.ro || (v->o.mode == VUFS_MERGE && w.layer == VUFS_L_VIRT)))
		return vufs_fail(EROFS);
	/* what cow would write is its own copy */
	if (w.layer == VUFS_L_REAL && vufs_writes_src(v) && (mode & W_OK)) {
		if (faccessat(AT_FDCWD, w.rpath, mode, flags | AT_SYMLINK_NOFOLLOW) == 0)
			return 0;
		if (errno != EACCES && errno != EROFS)
			return -1;
		mode &= ~W_OK;
	}
	return faccessat(AT_FDCWD, vufs_lpath(&w), mode, flags | AT_SYMLINK_NOFOLLOW);
}

ssize_t vu_vufs_readlink(char *path, char *buf, size_t bufsiz)
{
	VUFS_WHERE(v, w, path);

	if (w.layer == VUFS_L_NONE)
		return vufs_fail(w.err);
	return readlink(vufs_lpath(&w), buf, bufsiz);
}

/* ---- open files ---- */

/*
 * An open file keeps a struct vufs_file (and so stays virtual, never
 * passed through) if it is a directory of a patchwork mount (its merged
 * listing), a file written in SOURCE by cow or mincow (fchown, fchmod on
 * it are virtual) or a file with a vstat record (its fstat merges it).
 */
static int vufs_keep(struct vufs *v, const char *mpath, int fd, int flags, void **fdprivate)
{
	struct vufs_vstat vs;
	struct vufs_file *f;
	struct stat st;
	bool dir, keep;

	if (!vufs_layered(v) || fstat(fd, &st) < 0)
		return 0;
	dir = S_ISDIR(st.st_mode);
	keep = dir;
	if (!keep && vufs_writes_src(v)) {
		vufs_vstat_get(v, mpath, &vs);
		keep = vs.mask || (flags & O_ACCMODE) != O_RDONLY;
	}
	if (!keep)
		return 0;
	f = calloc(1, sizeof(*f) + strlen(mpath) + 1);
	if (!f)
		return vufs_fail(ENOMEM);
	f->is_dir = dir;
	strcpy(f->mpath, mpath);
	*fdprivate = f;
	return 0;
}

static int vufs_open_layered(struct vufs *v, const char *mpath, struct vufs_where *w, int flags,
			     mode_t mode)
{
	bool writing = (flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC);
	struct vufs_new n = { VUFS_K_OPEN, flags, mode, 0, NULL };
	int fd;

	if (w->layer == VUFS_L_NONE) {
		if (w->err != ENOENT || !(flags & O_CREAT))
			return vufs_fail(w->err);
		return vufs_create(v, mpath, w, &n);
	}
	if ((flags & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
		return vufs_fail(EEXIST);
	flags &= ~(O_CREAT | O_EXCL);
	if (!(flags & O_PATH) &&
	    vufs_permit(v, mpath, w,
			((flags & O_ACCMODE) != O_WRONLY ? VUFS_MAY_READ : 0) |
				(writing ? VUFS_MAY_WRITE : 0)) < 0)
		return -1;
	if (!writing)
		return open(vufs_lpath(w), flags | O_CLOEXEC);
	/* a directory opened for writing: the real EISDIR, nothing copied */
	if (S_ISDIR(w->st.st_mode))
		return vufs_fail(v->o.ro ? EROFS : EISDIR);
	/* what O_TRUNC throws away is not copied */
	if (v->o.mode == VUFS_COW && !v->o.ro && (flags & O_TRUNC) && w->layer == VUFS_L_REAL &&
	    S_ISREG(w->st.st_mode)) {
		if (vufs_copyup_data(v, mpath, false) < 0)
			return -1;
		w->layer = VUFS_L_VIRT;
	}
	if (vufs_prepare(v, mpath, w) < 0)
		return -1;
	fd = open(vufs_lpath(w), flags | O_CLOEXEC);
	if (vufs_fallback(v, mpath, w, fd) > 0)
		fd = open(w->vpath, flags | O_CLOEXEC);
	return fd;
}

int vu_vufs_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	VUFS_WHERE(v, w, pathname);
	int fd;

	if (!vufs_layered(v)) {
		if (v->o.ro && ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))))
			return vufs_fail(EROFS);
		/* the module's fd must not leak into what the daemon runs */
		return open(w.vpath, flags | O_CLOEXEC, mode);
	}
	VUFS_LOCKED(v, fd, vufs_open_layered(v, pathname, &w, flags, mode));
	if (fd >= 0 && vufs_keep(v, pathname, fd, flags, fdprivate) < 0) {
		close(fd);
		return vufs_fail(ENOMEM);
	}
	return fd;
}

int vu_vufs_close(int fd, void *fdprivate)
{
	struct vufs_file *f = fdprivate;

	if (f) {
		vufs_list_free(&f->l);
		free(f);
	}
	return close(fd);
}

ssize_t vu_vufs_read(int fd, void *buf, size_t count, void *fdprivate)
{
	return read(fd, buf, count);
}

ssize_t vu_vufs_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	return write(fd, buf, count);
}

ssize_t vu_vufs_pread64(int fd, void *buf, size_t count, off_t offset, int flags, void *fdprivate)
{
	return pread(fd, buf, count, offset);
}

ssize_t vu_vufs_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			 void *fdprivate)
{
	return pwrite(fd, buf, count, offset);
}

int vu_vufs_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count, void *fdprivate)
{
	struct vufs_file *f = fdprivate;
	struct vufs *v = vufs_get();
	long n;

	if (!f || !f->is_dir || !v)
		return (int)getdents64((int)fd, dirp, count);
	if (!f->listed) {
		off_t pos = f->l.pos;

		vufs_list_free(&f->l);
		if (vufs_merged_list(v, f->mpath, true, &f->l) < 0)
			return -1;
		f->l.pos = pos;
		f->listed = true;
	}
	n = vufs_list_fill(&f->l, dirp, count);
	return (int)n;
}

off_t vu_vufs_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct vufs_file *f = fdprivate;
	off_t pos;

	if (!f || !f->is_dir)
		return lseek(fd, offset, whence);
	/* a directory's offset is an index of its merged listing */
	if (whence == SEEK_SET)
		pos = offset;
	else if (whence == SEEK_CUR)
		pos = f->l.pos + offset;
	else
		return vufs_fail(EINVAL);
	if (pos < 0)
		return vufs_fail(EINVAL);
	/* a rewind lists again, as a real directory shows what is new */
	if (pos == 0)
		f->listed = false;
	f->l.pos = pos;
	return pos;
}

int vu_vufs_fcntl(int fd, int cmd, long arg, void *fdprivate)
{
	return fcntl(fd, cmd, arg);
}

/* kmview's methods for the fd calls VUOS serves through vu_syscall_handler. */
int vu_vufs_fsync(int fd, void *fdprivate)
{
	return fsync(fd);
}

int vu_vufs_fdatasync(int fd, void *fdprivate)
{
	return fdatasync(fd);
}

int vu_vufs_fallocate(int fd, int mode, off_t offset, off_t len, void *fdprivate)
{
	return fallocate(fd, mode, offset, len);
}

int vu_vufs_flock(int fd, int operation, void *fdprivate)
{
	return flock(fd, operation);
}

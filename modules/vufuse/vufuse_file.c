// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuse_file.c - vufuse's open files: the fuse_file_info (fh) the file
 * system set at open, kept per open file, the offset, and a directory's
 * entries, read once with readdir and then served by index, so that the
 * offsets getdents64 and lseek use stay stable.
 *
 * The file keeps the path it was opened with (libfuse follows renames
 * of open files by node; vufuse does not).
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vufuse_op.h"

#pragma GCC visibility push(default)
VU_PROTOTYPES(vufuse)
VU_KMVIEW_PROTOTYPES(vufuse)
#pragma GCC visibility pop

static void vufuse_file_link(struct fuse *f, struct vufuse_file *file)
{
	file->next = f->files;
	if (f->files)
		f->files->prev = file;
	f->files = file;
}

static void vufuse_file_unlink(struct fuse *f, struct vufuse_file *file)
{
	if (file->prev)
		file->prev->next = file->next;
	else
		f->files = file->next;
	if (file->next)
		file->next->prev = file->prev;
}

static void vufuse_dir_free(struct vufuse_file *file)
{
	for (size_t i = 0; i < file->nents; i++)
		free(file->ents[i].name);
	free(file->ents);
	file->ents = NULL;
	file->nents = 0;
	file->loaded = false;
}

/* Open an existing file or directory (@st its attributes). */
static int vufuse_open_existing(struct fuse *f, struct vufuse_file *file, const struct stat *st,
				int flags)
{
	int r = 0;

	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (S_ISDIR(st->st_mode)) {
		if ((flags & O_ACCMODE) != O_RDONLY)
			return -EISDIR;
		file->dir = true;
		return f->ops.opendir ? f->ops.opendir(file->path, &file->fi) : 0;
	}
	if (flags & O_DIRECTORY)
		return -ENOTDIR;
	if (vufuse_ro(f) && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_TRUNC)))
		return -EROFS;
	if (f->ops.open)
		r = f->ops.open(file->path, &file->fi);
	if (r == 0 && (flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY && st->st_size > 0) {
		r = f->ops.truncate ? f->ops.truncate(file->path, 0, &file->fi) : -ENOSYS;
		if (r < 0 && f->ops.release)
			f->ops.release(file->path, &file->fi);
	}
	return r;
}

/* Create a file: create, or (as the kernel's FUSE falls back) mknod then open. */
static int vufuse_open_create(struct fuse *f, struct vufuse_file *file, mode_t mode, int flags)
{
	int r = -ENOSYS;

	if (vufuse_ro(f))
		return -EROFS;
	file->fi.flags = flags;
	if (f->ops.create)
		r = f->ops.create(file->path, mode, &file->fi);
	if (r != -ENOSYS)
		return r;
	if (!f->ops.mknod)
		return -ENOSYS;
	r = f->ops.mknod(file->path, S_IFREG | (mode & 07777), 0);
	if (r < 0)
		return r;
	file->fi.flags = flags & ~(O_CREAT | O_EXCL | O_TRUNC);
	return f->ops.open ? f->ops.open(file->path, &file->fi) : 0;
}

static int vufuse_open_op(struct fuse *f, struct vufuse_file *file, int flags, mode_t mode)
{
	struct stat st;
	int r = vufuse_getattr(f, file->path, &st, NULL);

	file->fi.flags = flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC);
	if (r == 0)
		return vufuse_open_existing(f, file, &st, flags);
	if (r == -ENOENT && (flags & O_CREAT))
		return vufuse_open_create(f, file, mode, flags);
	return r;
}

int vu_vufuse_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	static int vufuse_nextfd;
	struct fuse *f = vufuse_mount_of_request();
	struct vufuse_file *file = calloc(1, sizeof(*file));
	long r;

	if (!file || !(file->path = strdup(pathname))) {
		free(file);
		errno = ENOMEM;
		return -1;
	}
	file->fuse = f;
	file->flags = flags;
	r = VUFUSE_OP_UMASK(f, flags & O_CREAT, vufuse_open_op(f, file, flags, mode));
	if (r < 0) {
		free(file->path);
		free(file);
		return vufuse_ret(r);
	}
	pthread_mutex_lock(&f->lock);
	vufuse_file_link(f, file);
	pthread_mutex_unlock(&f->lock);
	*fdprivate = file;
	/* the daemon keeps the file by fdprivate: the number only has to be >= 0 */
	return __atomic_add_fetch(&vufuse_nextfd, 1, __ATOMIC_RELAXED) & 0x3fffffff;
}

/* flush then release, as at the last close under the kernel's FUSE; flush's error is close's. */
static int vufuse_close_op(struct fuse *f, struct vufuse_file *file)
{
	int r = 0;

	if (file->dir)
		return f->ops.releasedir ? f->ops.releasedir(file->path, &file->fi) : 0;
	if (f->ops.flush) {
		file->fi.flush = 1;
		r = f->ops.flush(file->path, &file->fi);
		file->fi.flush = 0;
		if (r == -ENOSYS)
			r = 0;
	}
	if (f->ops.release)
		f->ops.release(file->path, &file->fi);
	return r;
}

int vu_vufuse_close(int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;
	long r;

	(void)fd;
	pthread_mutex_lock(&f->lock);
	vufuse_file_unlink(f, file);
	pthread_mutex_unlock(&f->lock);
	/* a file of a mount whose server called fuse_exit is still freed */
	r = VUFUSE_OP(f, vufuse_close_op(f, file));
	vufuse_dir_free(file);
	free(file->path);
	free(file);
	return vufuse_ret(r == -ENOTCONN ? 0 : r);
}

static long vufuse_read_op(struct fuse *f, struct vufuse_file *file, void *buf, size_t count,
			   off_t off)
{
	if (file->dir)
		return -EISDIR;
	if ((file->flags & O_ACCMODE) == O_WRONLY)
		return -EBADF;
	if (!f->ops.read)
		return -ENOSYS;
	return f->ops.read(file->path, buf, count, off, &file->fi);
}

static long vufuse_write_op(struct fuse *f, struct vufuse_file *file, const void *buf,
			    size_t count, off_t off, bool append)
{
	if ((file->flags & O_ACCMODE) == O_RDONLY)
		return -EBADF;
	if (!f->ops.write)
		return -ENOSYS;
	if (append) {
		struct stat st;
		int r = vufuse_getattr(f, file->path, &st, &file->fi);

		if (r < 0)
			return r;
		off = st.st_size;
		file->pos = off;
	}
	file->fi.writepage = 0;
	return f->ops.write(file->path, buf, count, off, &file->fi);
}

ssize_t vu_vufuse_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;
	long r;

	(void)fd;
	r = VUFUSE_OP(f, vufuse_read_op(f, file, buf, count, file->pos));
	if (r > 0)
		file->pos += r;
	return vufuse_ret(r);
}

ssize_t vu_vufuse_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;

	(void)fd;
	(void)flags;
	return vufuse_ret(VUFUSE_OP(f, vufuse_read_op(f, file, buf, count, offset)));
}

ssize_t vu_vufuse_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;
	long r;

	(void)fd;
	r = VUFUSE_OP(f, vufuse_write_op(f, file, buf, count, file->pos,
					 file->flags & O_APPEND));
	if (r > 0)
		file->pos += r;
	return vufuse_ret(r);
}

ssize_t vu_vufuse_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			   void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;

	(void)fd;
	(void)flags;
	return vufuse_ret(VUFUSE_OP(f, vufuse_write_op(f, file, buf, count, offset, false)));
}

/* SEEK_DATA and SEEK_HOLE without an lseek operation: the whole file is data. */
static off_t vufuse_seek_data(struct fuse *f, struct vufuse_file *file, off_t off, int whence)
{
	struct stat st;
	int r;

	if (f->ops.lseek) {
		off_t o = f->ops.lseek(file->path, off, whence, &file->fi);

		if (o != -ENOSYS)
			return o;
	}
	r = vufuse_getattr(f, file->path, &st, &file->fi);
	if (r < 0)
		return r;
	if (off < 0 || off >= st.st_size)
		return -ENXIO;
	return whence == SEEK_DATA ? off : st.st_size;
}

static off_t vufuse_lseek_op(struct fuse *f, struct vufuse_file *file, off_t off, int whence)
{
	struct stat st;
	off_t base = 0;
	int r;

	if (file->dir) {
		if (whence != SEEK_SET || off < 0)
			return -EINVAL;
		if (off == 0)
			vufuse_dir_free(file); /* rewinddir reads the directory again */
		return off;
	}
	switch (whence) {
	case SEEK_SET:
		break;
	case SEEK_CUR:
		base = file->pos;
		break;
	case SEEK_END:
		r = vufuse_getattr(f, file->path, &st, &file->fi);
		if (r < 0)
			return r;
		base = st.st_size;
		break;
	case SEEK_DATA:
	case SEEK_HOLE:
		return vufuse_seek_data(f, file, off, whence);
	default:
		return -EINVAL;
	}
	if (base + off < 0)
		return -EINVAL;
	return base + off;
}

off_t vu_vufuse_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;
	long r;

	(void)fd;
	r = VUFUSE_OP(f, vufuse_lseek_op(f, file, offset, whence));
	if (r >= 0)
		file->pos = r;
	return vufuse_ret(r);
}

/* readdir's filler: every entry is taken (never "buffer full"), offsets or not. */
static int vufuse_filler(void *buf, const char *name, const struct stat *st, off_t off,
			 enum fuse_fill_dir_flags flags)
{
	struct vufuse_file *file = buf;
	struct vufuse_dirent *e;

	(void)off;
	(void)flags;
	if ((file->nents & (file->nents - 1)) == 0) {
		size_t n = file->nents ? file->nents * 2 : 16;
		struct vufuse_dirent *ents = realloc(file->ents, n * sizeof(*ents));

		if (!ents)
			return 1;
		file->ents = ents;
	}
	e = &file->ents[file->nents];
	e->name = strdup(name);
	if (!e->name)
		return 1;
	e->ino = st && st->st_ino ? st->st_ino : 0;
	e->type = st && (st->st_mode & S_IFMT) ? IFTODT(st->st_mode) : DT_UNKNOWN;
	file->nents++;
	return 0;
}

static int vufuse_dir_load(struct fuse *f, struct vufuse_file *file)
{
	int r;

	if (file->loaded)
		return 0;
	if (!f->ops.readdir)
		return -ENOSYS;
	r = f->ops.readdir(file->path, file, vufuse_filler, 0, &file->fi, 0);
	if (r < 0) {
		vufuse_dir_free(file);
		return r;
	}
	file->loaded = true;
	return 0;
}

/* An entry without a number: one from its path, stable across calls. */
static ino_t vufuse_dirent_ino(const struct vufuse_file *file, const struct vufuse_dirent *e)
{
	unsigned long h = 5381;

	if (e->ino)
		return e->ino;
	for (const char *p = file->path; *p; p++)
		h = h * 33 + (unsigned char)*p;
	h = h * 33 + '/';
	for (const char *p = e->name; *p; p++)
		h = h * 33 + (unsigned char)*p;
	return h ? h : 1;
}

static long vufuse_getdents_op(struct fuse *f, struct vufuse_file *file, struct dirent64 *dirp,
			       unsigned int count)
{
	char *out = (char *)dirp;
	size_t used = 0;
	int r;

	if (!file->dir)
		return -ENOTDIR;
	r = vufuse_dir_load(f, file);
	if (r < 0)
		return r;
	for (; file->pos >= 0 && (size_t)file->pos < file->nents; file->pos++) {
		const struct vufuse_dirent *e = &file->ents[file->pos];
		size_t namelen = strlen(e->name);
		size_t reclen = (offsetof(struct dirent64, d_name) + namelen + 1 + 7) & ~7UL;
		struct dirent64 *d = (struct dirent64 *)(out + used);

		if (used + reclen > count) {
			if (used == 0)
				return -EINVAL;
			break;
		}
		d->d_ino = vufuse_dirent_ino(file, e);
		d->d_off = file->pos + 1;
		d->d_reclen = (unsigned short)reclen;
		d->d_type = e->type;
		memcpy(d->d_name, e->name, namelen);
		memset(d->d_name + namelen, 0, reclen - offsetof(struct dirent64, d_name) - namelen);
		used += reclen;
	}
	return (long)used;
}

int vu_vufuse_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
			 void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file->fuse;

	(void)fd;
	return vufuse_ret(VUFUSE_OP(f, vufuse_getdents_op(f, file, dirp, count)));
}

/* fsync or fsyncdir; a file system without them has nothing to write (FUSE says success). */
static int vufuse_fsync_op(struct fuse *f, struct vufuse_file *file, int datasync)
{
	int r = -ENOSYS;

	if (file->dir && f->ops.fsyncdir)
		r = f->ops.fsyncdir(file->path, datasync, &file->fi);
	else if (!file->dir && f->ops.fsync)
		r = f->ops.fsync(file->path, datasync, &file->fi);
	return r == -ENOSYS ? 0 : r;
}

int vu_vufuse_fsync(int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;

	(void)fd;
	return vufuse_ret(VUFUSE_OP(file->fuse, vufuse_fsync_op(file->fuse, file, 0)));
}

int vu_vufuse_fdatasync(int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;

	(void)fd;
	return vufuse_ret(VUFUSE_OP(file->fuse, vufuse_fsync_op(file->fuse, file, 1)));
}

/*
 * The root, synced as a directory (opendir, fsyncdir, releasedir): the
 * high-level API has no syncfs, and this is how a program asks a file
 * system to write what it holds without a file open. Mount lock held.
 */
static int vufuse_sync_root(struct fuse *f)
{
	struct fuse_file_info fi = { .flags = O_RDONLY | O_DIRECTORY };
	int r = 0;

	if (!f->ops.fsyncdir)
		return 0;
	if (f->ops.opendir)
		r = f->ops.opendir("/", &fi);
	if (r < 0)
		return r == -ENOSYS ? 0 : r;
	r = f->ops.fsyncdir("/", 0, &fi);
	if (f->ops.releasedir)
		f->ops.releasedir("/", &fi);
	return r == -ENOSYS ? 0 : r;
}

/* Every open file of @f: flush and fsync, then the root (mount lock held). The first error. */
static int vufuse_sync_files(struct fuse *f)
{
	int ret = 0;

	for (struct vufuse_file *file = f->files; file; file = file->next) {
		int r = 0;

		if (!file->dir && f->ops.flush) {
			r = f->ops.flush(file->path, &file->fi);
			if (r == -ENOSYS)
				r = 0;
		}
		if (r == 0)
			r = vufuse_fsync_op(f, file, 0);
		if (r < 0 && ret == 0)
			ret = r;
	}
	int r = vufuse_sync_root(f);

	return ret ? ret : r;
}

int vufuse_sync_all(struct fuse *f)
{
	struct fuse_context c, *old;
	int r;

	if (f->exited || f->state != VUFUSE_LOOPING)
		return 0;
	vufuse_ctx_push(f, &c, &old);
	r = vufuse_sync_files(f);
	vufuse_ctx_pop(old);
	return r;
}

/*
 * syncfs: the whole file system's open files, flushed and synced. The
 * hypervisor also calls it at sync(2), for the mount, with no file.
 */
int vu_vufuse_syncfs(int fd, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;
	struct fuse *f = file ? file->fuse : vufuse_mount_of_request();

	(void)fd;
	if (!f) {
		errno = EINVAL;
		return -1;
	}
	return vufuse_ret(VUFUSE_OP(f, vufuse_sync_files(f)));
}

int vu_vufuse_fcntl(int fd, int cmd, long arg, void *fdprivate)
{
	struct vufuse_file *file = fdprivate;

	(void)fd;
	if (cmd == F_SETFL)
		file->flags = (file->flags & ~O_APPEND) | (arg & O_APPEND);
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_ops.c - the module's methods: on /dev/fuse (fuse_dev.c) or on a
 * mount, where each becomes the kernel's FUSE requests for it (as
 * fs/fuse/dir.c, file.c and xattr.c send them).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>

#include "fuse_mod.h"
#include "fuse_node.h"
#include "fuse_proto.h"

VU_PROTOTYPES(fuse)
VU_KMVIEW_PROTOTYPES(fuse)

/* An open file of a mount. */
struct fuse_file {
	uint64_t nodeid, fh;
	int flags;
	bool dir, opened;
	pthread_mutex_t lock; /* the position */
	off_t pos;
	uint64_t dirpos;
};

static int fail(int err)
{
	errno = err < 0 ? -err : err;
	return -1;
}

#define MOUNT_CONN() ((struct fuse_conn *)vu_get_ht_private_data())

static bool rdonly(struct fuse_conn *c)
{
	return c->mountflags & MS_RDONLY;
}

static mode_t umasked(mode_t mode)
{
	return mode & ~vu_mod_getumask();
}

static int call(struct fuse_walk *w, uint32_t op, uint64_t nodeid, const struct iovec *in,
		int nin, void *out, size_t outsize, size_t *outlen)
{
	return fuse_conn_call(w->c, op, nodeid, &w->who, in, nin, out, outsize, outlen);
}

/* The reply of an op that makes a node: its lookup is forgotten with the walk. */
static int entry_call(struct fuse_walk *w, uint32_t op, uint64_t dir, const struct iovec *in,
		      int nin, struct fuse_entry_out *eo)
{
	size_t len = 0;
	int err = call(w, op, dir, in, nin, eo, sizeof(*eo), &len);

	if (err)
		return err;
	if (len < sizeof(*eo))
		return -EIO;
	fuse_walk_add(w, eo->nodeid);
	return 0;
}

int vu_fuse_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct fuse_file *ff = fdprivate;
	struct fuse_conn *c;
	struct fuse_attr a;
	struct fuse_walk w;
	uint64_t id;
	int err;

	(void)flags;
	if (fuse_is_dev(vu_mod_getht()))
		return fuse_dev_lstat(pathname, buf);
	c = MOUNT_CONN();
	fuse_walk_init(&w, c);
	if (sfd >= 0 && ff)
		err = fuse_getattr(c, &w.who, ff->nodeid, ff->opened && !ff->dir, ff->fh, &a);
	else
		err = fuse_walk_lookup(&w, pathname, &id, &a);
	fuse_walk_done(&w);
	if (err)
		return fail(err);
	fuse_proto_attr2stat(&a, c->dev, buf);
	return 0;
}

int vu_fuse_access(char *path, int mode, int flags)
{
	struct fuse_access_in in = { .mask = (uint32_t)mode };
	struct iovec iov = { &in, sizeof(in) };
	struct fuse_conn *c;
	struct fuse_walk w;
	uint64_t id;
	int err;

	(void)flags;
	if (fuse_is_dev(vu_mod_getht()))
		return mode & X_OK ? fail(EACCES) : 0;
	c = MOUNT_CONN();
	fuse_walk_init(&w, c);
	err = fuse_walk_lookup(&w, path, &id, NULL);
	if (!err && (mode & W_OK) && rdonly(c))
		err = -EROFS;
	if (!err && mode != F_OK && !c->no_access) {
		err = call(&w, FUSE_ACCESS, id, &iov, 1, NULL, 0, NULL);
		if (err == -ENOSYS) {
			/* as the kernel: a server without access() allows everything */
			c->no_access = true;
			err = 0;
		}
	}
	fuse_walk_done(&w);
	return err ? fail(err) : 0;
}

ssize_t vu_fuse_readlink(char *path, char *buf, size_t bufsiz)
{
	struct fuse_walk w;
	char *tmp = malloc(PATH_MAX);
	size_t len = 0;
	uint64_t id;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return free(tmp), fail(EINVAL);
	if (!tmp)
		return fail(ENOMEM);
	fuse_walk_init(&w, MOUNT_CONN());
	err = fuse_walk_lookup(&w, path, &id, NULL);
	if (!err)
		err = call(&w, FUSE_READLINK, id, NULL, 0, tmp, PATH_MAX, &len);
	fuse_walk_done(&w);
	if (!err) {
		if (len > bufsiz)
			len = bufsiz;
		memcpy(buf, tmp, len);
	}
	free(tmp);
	return err ? fail(err) : (ssize_t)len;
}

static int do_setattr(struct fuse_walk *w, uint64_t nodeid, struct fuse_setattr_in *in,
		      const struct fuse_file *ff)
{
	struct iovec iov = { in, sizeof(*in) };
	struct fuse_attr_out out;

	if (ff && ff->opened && !ff->dir) {
		in->valid |= FATTR_FH;
		in->fh = ff->fh;
	}
	return call(w, FUSE_SETATTR, nodeid, &iov, 1, &out, sizeof(out), NULL);
}

/* The node of a path method's target: the open file's, or looked up. */
static int target(struct fuse_walk *w, const char *path, int fd, struct fuse_file *ff,
		  uint64_t *id)
{
	if (fd >= 0 && ff) {
		*id = ff->nodeid;
		return 0;
	}
	return fuse_walk_lookup(w, path, id, NULL);
}

/* Open @id (looked up in @w) for @ff. */
static int do_open(struct fuse_walk *w, uint64_t id, int flags, struct fuse_file *ff)
{
	struct fuse_open_in in = {
		.flags = (uint32_t)(flags & ~(O_CREAT | O_EXCL | O_NOCTTY | O_TRUNC)),
	};
	struct iovec iov = { &in, sizeof(in) };
	struct fuse_open_out out;
	int err = call(w, ff->dir ? FUSE_OPENDIR : FUSE_OPEN, id, &iov, 1, &out, sizeof(out), NULL);

	if (err)
		return err;
	ff->fh = out.fh;
	ff->opened = true;
	return 0;
}

static void do_release(struct fuse_walk *w, struct fuse_file *ff)
{
	struct fuse_release_in in = { .fh = ff->fh, .flags = (uint32_t)ff->flags };
	struct iovec iov = { &in, sizeof(in) };

	call(w, ff->dir ? FUSE_RELEASEDIR : FUSE_RELEASE, ff->nodeid, &iov, 1, NULL, 0, NULL);
}

/* O_CREAT of a missing file: CREATE, or MKNOD and OPEN if the server has no create. */
static int do_create(struct fuse_walk *w, const char *path, int flags, mode_t mode,
		     struct fuse_file *ff)
{
	struct fuse_conn *c = w->c;
	struct fuse_entry_out eo;
	const char *name;
	uint64_t dir;
	int err;

	if (rdonly(c))
		return -EROFS;
	err = fuse_walk_parent(w, path, &dir, &name);
	if (err)
		return err;
	if (!c->no_create) {
		/* as the kernel's: CREATE keeps O_CREAT and O_EXCL (servers open with them) */
		struct fuse_create_in in = {
			.flags = (uint32_t)(flags & ~O_NOCTTY),
			.mode = S_IFREG | umasked(mode & 07777),
			.umask = vu_mod_getumask(),
		};
		struct iovec iov[2] = { { &in, sizeof(in) }, { (void *)name, strlen(name) + 1 } };
		struct {
			struct fuse_entry_out eo;
			struct fuse_open_out oo;
		} out;
		size_t len = 0;

		err = call(w, FUSE_CREATE, dir, iov, 2, &out, sizeof(out), &len);
		if (err == 0) {
			if (len < sizeof(out))
				return -EIO;
			fuse_walk_add(w, out.eo.nodeid);
			ff->nodeid = out.eo.nodeid;
			ff->fh = out.oo.fh;
			ff->opened = true;
			return 0;
		}
		if (err != -ENOSYS)
			return err;
		c->no_create = true;
	}
	{
		struct fuse_mknod_in in = {
			.mode = S_IFREG | umasked(mode & 07777),
			.umask = vu_mod_getumask(),
		};
		struct iovec iov[2] = { { &in, sizeof(in) }, { (void *)name, strlen(name) + 1 } };

		err = entry_call(w, FUSE_MKNOD, dir, iov, 2, &eo);
	}
	if (err)
		return err;
	ff->nodeid = eo.nodeid;
	return do_open(w, eo.nodeid, flags, ff);
}

int vu_fuse_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	int acc = flags & O_ACCMODE;
	struct fuse_file *ff;
	struct fuse_conn *c;
	struct fuse_attr a;
	struct fuse_walk w;
	uint64_t id;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fuse_dev_open(fdprivate);
	c = MOUNT_CONN();
	ff = calloc(1, sizeof(*ff));
	if (!ff)
		return fail(ENOMEM);
	pthread_mutex_init(&ff->lock, NULL);
	ff->flags = flags;
	fuse_walk_init(&w, c);
	err = fuse_walk_lookup(&w, pathname, &id, &a);
	if (err == -ENOENT && (flags & O_CREAT)) {
		fuse_walk_done(&w);
		err = do_create(&w, pathname, flags, mode, ff);
		goto done;
	}
	if (err)
		goto done;
	ff->nodeid = id;
	ff->dir = S_ISDIR(a.mode);
	if ((flags & O_CREAT) && (flags & O_EXCL))
		err = -EEXIST;
	else if (ff->dir && (acc != O_RDONLY || (flags & O_CREAT)))
		err = -EISDIR;
	else if ((flags & O_DIRECTORY) && !ff->dir)
		err = -ENOTDIR;
	else if ((acc != O_RDONLY || (flags & O_TRUNC)) && rdonly(c) && !(flags & O_PATH))
		err = -EROFS;
	if (err || (flags & O_PATH))
		goto done;
	err = do_open(&w, id, flags, ff);
	if (!err && (flags & O_TRUNC) && acc != O_RDONLY && S_ISREG(a.mode)) {
		struct fuse_setattr_in in = { .valid = FATTR_SIZE, .size = 0 };

		err = do_setattr(&w, id, &in, ff);
		if (err)
			do_release(&w, ff);
	}
done:
	if (err) {
		fuse_walk_done(&w);
		pthread_mutex_destroy(&ff->lock);
		free(ff);
		return fail(err);
	}
	/* the file keeps the lookup of its node until close */
	fuse_walk_keep_last(&w);
	fuse_walk_done(&w);
	*fdprivate = ff;
	return 0;
}

int vu_fuse_close(int fd, void *fdprivate)
{
	struct fuse_file *ff = fdprivate;
	struct fuse_conn *c;
	struct fuse_walk w;

	(void)fd;
	if (fuse_is_dev(vu_mod_getht()))
		return fuse_dev_close(fdprivate);
	c = MOUNT_CONN();
	fuse_walk_init(&w, c);
	if (ff->opened && !ff->dir && !c->no_flush) {
		struct fuse_flush_in in = { .fh = ff->fh };
		struct iovec iov = { &in, sizeof(in) };

		if (call(&w, FUSE_FLUSH, ff->nodeid, &iov, 1, NULL, 0, NULL) == -ENOSYS)
			c->no_flush = true;
	}
	if (ff->opened)
		do_release(&w, ff);
	fuse_walk_add(&w, ff->nodeid);
	fuse_walk_done(&w);
	pthread_mutex_destroy(&ff->lock);
	free(ff);
	return 0;
}

static unsigned int io_max(struct fuse_conn *c, bool write)
{
	unsigned int m = write ? c->max_write : FUSE_PROTO_IO_MAX;

	if (!write && c->max_read && c->max_read < m)
		m = c->max_read;
	return m ? m : 4096;
}

static ssize_t do_pread(struct fuse_file *ff, void *buf, size_t count, off_t off)
{
	struct fuse_conn *c = MOUNT_CONN();
	unsigned int max = io_max(c, false);
	struct fuse_walk w;
	size_t done = 0;

	if (ff->dir)
		return fail(EISDIR);
	if (!ff->opened || (ff->flags & O_ACCMODE) == O_WRONLY)
		return fail(EBADF);
	if (off < 0)
		return fail(EINVAL);
	fuse_walk_init(&w, c);
	while (done < count) {
		size_t chunk = count - done < max ? count - done : max, len = 0;
		struct fuse_read_in in = {
			.fh = ff->fh,
			.offset = (uint64_t)off + done,
			.size = (uint32_t)chunk,
			.flags = (uint32_t)ff->flags,
		};
		struct iovec iov = { &in, sizeof(in) };
		int err = call(&w, FUSE_READ, ff->nodeid, &iov, 1, (char *)buf + done, chunk, &len);

		if (err)
			return done ? (ssize_t)done : fail(err);
		done += len;
		if (len < chunk)
			break;
	}
	return (ssize_t)done;
}

static ssize_t do_pwrite(struct fuse_file *ff, const void *buf, size_t count, off_t off)
{
	struct fuse_conn *c = MOUNT_CONN();
	unsigned int max = io_max(c, true);
	struct fuse_walk w;
	size_t done = 0;

	if (ff->dir)
		return fail(EISDIR);
	if (!ff->opened || (ff->flags & O_ACCMODE) == O_RDONLY)
		return fail(EBADF);
	if (off < 0)
		return fail(EINVAL);
	fuse_walk_init(&w, c);
	while (done < count) {
		size_t chunk = count - done < max ? count - done : max, len = 0;
		struct fuse_write_in in = {
			.fh = ff->fh,
			.offset = (uint64_t)off + done,
			.size = (uint32_t)chunk,
			.flags = (uint32_t)ff->flags,
		};
		struct iovec iov[2] = { { &in, sizeof(in) }, { (char *)buf + done, chunk } };
		struct fuse_write_out out;
		int err = call(&w, FUSE_WRITE, ff->nodeid, iov, 2, &out, sizeof(out), &len);

		if (!err && (len < sizeof(out) || out.size > chunk))
			err = -EIO;
		if (err)
			return done ? (ssize_t)done : fail(err);
		done += out.size;
		if (out.size < chunk)
			break;
	}
	return (ssize_t)done;
}

ssize_t vu_fuse_pread64(int fd, void *buf, size_t count, off_t offset, int flags, void *fdprivate)
{
	(void)fd;
	(void)flags;
	if (fuse_is_dev(vu_mod_getht()))
		return fail(ESPIPE);
	return do_pread(fdprivate, buf, count, offset);
}

ssize_t vu_fuse_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			 void *fdprivate)
{
	(void)fd;
	(void)flags;
	if (fuse_is_dev(vu_mod_getht()))
		return fail(ESPIPE);
	return do_pwrite(fdprivate, buf, count, offset);
}

ssize_t vu_fuse_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct fuse_file *ff = fdprivate;
	ssize_t r;

	(void)fd;
	if (fuse_is_dev(vu_mod_getht()))
		return fuse_dev_read(fdprivate, buf, count);
	pthread_mutex_lock(&ff->lock);
	r = do_pread(ff, buf, count, ff->pos);
	if (r > 0)
		ff->pos += r;
	pthread_mutex_unlock(&ff->lock);
	return r;
}

ssize_t vu_fuse_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	struct fuse_file *ff = fdprivate;
	ssize_t r;

	(void)fd;
	if (fuse_is_dev(vu_mod_getht()))
		return fuse_dev_write(fdprivate, buf, count);
	pthread_mutex_lock(&ff->lock);
	if (ff->flags & O_APPEND) {
		struct fuse_conn *c = MOUNT_CONN();
		struct fuse_caller who;
		struct fuse_attr a;
		int err;

		fuse_who(&who);
		err = fuse_getattr(c, &who, ff->nodeid, ff->opened, ff->fh, &a);
		if (err) {
			pthread_mutex_unlock(&ff->lock);
			return fail(err);
		}
		ff->pos = (off_t)a.size;
	}
	r = do_pwrite(ff, buf, count, ff->pos);
	if (r > 0)
		ff->pos += r;
	pthread_mutex_unlock(&ff->lock);
	return r;
}

off_t vu_fuse_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct fuse_file *ff = fdprivate;
	off_t base = 0, r;

	(void)fd;
	if (fuse_is_dev(vu_mod_getht()))
		return fail(ESPIPE);
	pthread_mutex_lock(&ff->lock);
	if (ff->dir) {
		/* a directory's offset is the server's cookie (telldir, seekdir) */
		if (whence == SEEK_SET && offset >= 0) {
			ff->dirpos = (uint64_t)offset;
			r = offset;
		} else if (whence == SEEK_CUR && offset == 0) {
			r = (off_t)ff->dirpos;
		} else {
			r = fail(EINVAL);
		}
		pthread_mutex_unlock(&ff->lock);
		return r;
	}
	if (whence == SEEK_CUR) {
		base = ff->pos;
	} else if (whence == SEEK_END) {
		struct fuse_caller who;
		struct fuse_attr a;
		int err;

		fuse_who(&who);
		err = fuse_getattr(MOUNT_CONN(), &who, ff->nodeid, ff->opened, ff->fh, &a);
		if (err) {
			pthread_mutex_unlock(&ff->lock);
			return fail(err);
		}
		base = (off_t)a.size;
	} else if (whence != SEEK_SET) {
		pthread_mutex_unlock(&ff->lock);
		return fail(EINVAL);
	}
	if (base + offset < 0) {
		r = fail(EINVAL);
	} else {
		ff->pos = base + offset;
		r = ff->pos;
	}
	pthread_mutex_unlock(&ff->lock);
	return r;
}

int vu_fuse_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
		       void *fdprivate)
{
	struct fuse_file *ff = fdprivate;
	struct fuse_walk w;
	size_t len = 0;
	long r;
	void *tmp;
	int err;

	(void)fd;
	if (fuse_is_dev(vu_mod_getht()) || !ff->dir)
		return fail(ENOTDIR);
	if (!ff->opened)
		return fail(EBADF);
	if (count > FUSE_PROTO_IO_MAX)
		count = FUSE_PROTO_IO_MAX;
	tmp = malloc(count);
	if (!tmp)
		return fail(ENOMEM);
	fuse_walk_init(&w, MOUNT_CONN());
	pthread_mutex_lock(&ff->lock);
	{
		struct fuse_read_in in = { .fh = ff->fh, .offset = ff->dirpos, .size = count };
		struct iovec iov = { &in, sizeof(in) };

		err = call(&w, FUSE_READDIR, ff->nodeid, &iov, 1, tmp, count, &len);
	}
	r = err ? err : fuse_proto_dirents(tmp, len, dirp, count, &ff->dirpos);
	pthread_mutex_unlock(&ff->lock);
	free(tmp);
	return r < 0 ? fail((int)r) : (int)r;
}

/* A method on a directory entry: walk to @path's parent, send @op. */
static int name_op(const char *path, uint32_t op, const void *arg, size_t arglen,
		   const void *tail, size_t taillen, bool makes)
{
	struct fuse_conn *c;
	struct fuse_entry_out eo;
	const char *name;
	struct fuse_walk w;
	uint64_t dir;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fail(EPERM);
	c = MOUNT_CONN();
	if (rdonly(c))
		return fail(EROFS);
	fuse_walk_init(&w, c);
	err = fuse_walk_parent(&w, path, &dir, &name);
	if (!err) {
		struct iovec iov[3] = { { (void *)arg, arglen },
					{ (void *)name, strlen(name) + 1 },
					{ (void *)tail, taillen } };
		int nin = tail ? 3 : 2;
		const struct iovec *in = arg ? iov : iov + 1;

		if (!arg)
			nin--;
		if (makes)
			err = entry_call(&w, op, dir, in, nin, &eo);
		else
			err = call(&w, op, dir, in, nin, NULL, 0, NULL);
	}
	fuse_walk_done(&w);
	return err ? fail(err) : 0;
}

int vu_fuse_unlink(const char *pathname)
{
	return name_op(pathname, FUSE_UNLINK, NULL, 0, NULL, 0, false);
}

int vu_fuse_rmdir(const char *pathname)
{
	return name_op(pathname, FUSE_RMDIR, NULL, 0, NULL, 0, false);
}

int vu_fuse_mkdir(const char *pathname, mode_t mode)
{
	struct fuse_mkdir_in in = { .mode = umasked(mode & 07777), .umask = vu_mod_getumask() };

	return name_op(pathname, FUSE_MKDIR, &in, sizeof(in), NULL, 0, true);
}

int vu_fuse_mknod(const char *pathname, mode_t mode, dev_t dev)
{
	struct fuse_mknod_in in = {
		.mode = (mode & S_IFMT) | umasked(mode & 07777),
		.rdev = (uint32_t)dev,
		.umask = vu_mod_getumask(),
	};

	return name_op(pathname, FUSE_MKNOD, &in, sizeof(in), NULL, 0, true);
}

int vu_fuse_symlink(const char *target, const char *linkpath)
{
	/* SYMLINK's arguments: the link's name, then its target */
	return name_op(linkpath, FUSE_SYMLINK, NULL, 0, target, strlen(target) + 1, true);
}

int vu_fuse_link(const char *target, const char *linkpath)
{
	struct fuse_conn *c;
	struct fuse_entry_out eo;
	struct fuse_link_in in;
	const char *name;
	struct fuse_walk w;
	uint64_t dir;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fail(EPERM);
	c = MOUNT_CONN();
	if (rdonly(c))
		return fail(EROFS);
	fuse_walk_init(&w, c);
	err = fuse_walk_lookup(&w, target, &in.oldnodeid, NULL);
	if (!err)
		err = fuse_walk_parent(&w, linkpath, &dir, &name);
	if (!err) {
		struct iovec iov[2] = { { &in, sizeof(in) }, { (void *)name, strlen(name) + 1 } };

		err = entry_call(&w, FUSE_LINK, dir, iov, 2, &eo);
	}
	fuse_walk_done(&w);
	return err ? fail(err) : 0;
}

int vu_fuse_rename(const char *target, const char *linkpath, int flags)
{
	const char *oldname, *newname;
	struct fuse_conn *c;
	struct fuse_walk w;
	uint64_t olddir, newdir;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fail(EPERM);
	c = MOUNT_CONN();
	if (rdonly(c))
		return fail(EROFS);
	fuse_walk_init(&w, c);
	err = fuse_walk_parent(&w, target, &olddir, &oldname);
	if (!err)
		err = fuse_walk_parent(&w, linkpath, &newdir, &newname);
	if (!err && flags) {
		struct fuse_rename2_in in = { .newdir = newdir, .flags = (uint32_t)flags };
		struct iovec iov[3] = { { &in, sizeof(in) },
					{ (void *)oldname, strlen(oldname) + 1 },
					{ (void *)newname, strlen(newname) + 1 } };

		err = c->minor < 23 ? -ENOSYS : call(&w, FUSE_RENAME2, olddir, iov, 3, NULL, 0, NULL);
		if (err == -ENOSYS)
			err = -EINVAL; /* as the kernel: no renameat2 flags */
	} else if (!err) {
		struct fuse_rename_in in = { .newdir = newdir };
		struct iovec iov[3] = { { &in, sizeof(in) },
					{ (void *)oldname, strlen(oldname) + 1 },
					{ (void *)newname, strlen(newname) + 1 } };

		err = call(&w, FUSE_RENAME, olddir, iov, 3, NULL, 0, NULL);
	}
	fuse_walk_done(&w);
	return err ? fail(err) : 0;
}

/* SETATTR of a path or an open file. */
static int setattr(const char *path, int fd, void *fdprivate, struct fuse_setattr_in *in)
{
	struct fuse_conn *c;
	struct fuse_walk w;
	uint64_t id;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fail(EPERM);
	c = MOUNT_CONN();
	if (rdonly(c))
		return fail(EROFS);
	fuse_walk_init(&w, c);
	err = target(&w, path, fd, fdprivate, &id);
	if (!err)
		err = do_setattr(&w, id, in, fd >= 0 ? fdprivate : NULL);
	fuse_walk_done(&w);
	return err ? fail(err) : 0;
}

int vu_fuse_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	struct fuse_setattr_in in = { .valid = FATTR_SIZE, .size = (uint64_t)length };

	if (length < 0)
		return fail(EINVAL);
	return setattr(path, fd, fdprivate, &in);
}

int vu_fuse_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	struct fuse_setattr_in in = { .valid = FATTR_MODE, .mode = mode & 07777 };

	return setattr(pathname, fd, fdprivate, &in);
}

int vu_fuse_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	struct fuse_setattr_in in = { 0 };

	if (owner != (uid_t)-1) {
		in.valid |= FATTR_UID;
		in.uid = owner;
	}
	if (group != (gid_t)-1) {
		in.valid |= FATTR_GID;
		in.gid = group;
	}
	if (!in.valid)
		return 0;
	return setattr(pathname, fd, fdprivate, &in);
}

/* One of utimensat's times into @in: @now and @set the FATTR_ bits. */
static void set_time(struct fuse_setattr_in *in, const struct timespec *t, uint32_t set,
		     uint32_t now, uint64_t *sec, uint32_t *nsec)
{
	struct timespec n;

	if (t && t->tv_nsec == UTIME_OMIT)
		return;
	in->valid |= set;
	if (!t || t->tv_nsec == UTIME_NOW) {
		clock_gettime(CLOCK_REALTIME, &n);
		in->valid |= now;
		t = &n;
	}
	*sec = (uint64_t)t->tv_sec;
	*nsec = (uint32_t)t->tv_nsec;
}

int vu_fuse_utimensat(int dirfd, const char *pathname, const struct timespec times[2], int flags,
		      int fd, void *fdprivate)
{
	struct fuse_setattr_in in = { 0 };

	(void)dirfd;
	(void)flags;
	set_time(&in, times ? &times[0] : NULL, FATTR_ATIME, FATTR_ATIME_NOW, &in.atime,
		 &in.atimensec);
	set_time(&in, times ? &times[1] : NULL, FATTR_MTIME, FATTR_MTIME_NOW, &in.mtime,
		 &in.mtimensec);
	if (!in.valid)
		return 0;
	return setattr(pathname, fd, fdprivate, &in);
}

int vu_fuse_statfs(const char *pathname, struct statfs *buf, int fd, void *fdprivate)
{
	struct fuse_statfs_out out;
	struct fuse_walk w;
	uint64_t id;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fail(ENOSYS);
	fuse_walk_init(&w, MOUNT_CONN());
	err = target(&w, pathname, fd, fdprivate, &id);
	if (!err)
		err = call(&w, FUSE_STATFS, id, NULL, 0, &out, sizeof(out), NULL);
	fuse_walk_done(&w);
	if (err)
		return fail(err);
	fuse_proto_statfs(&out.st, buf);
	return 0;
}

static int do_fsync(int fd, void *fdprivate, uint32_t flags)
{
	struct fuse_file *ff = fdprivate;
	struct fuse_fsync_in in = { .fsync_flags = flags };
	struct iovec iov = { &in, sizeof(in) };
	struct fuse_conn *c;
	struct fuse_walk w;
	int err;

	(void)fd;
	if (fuse_is_dev(vu_mod_getht()))
		return 0;
	c = MOUNT_CONN();
	if (c->no_fsync || !ff->opened)
		return 0;
	in.fh = ff->fh;
	fuse_walk_init(&w, c);
	err = call(&w, ff->dir ? FUSE_FSYNCDIR : FUSE_FSYNC, ff->nodeid, &iov, 1, NULL, 0, NULL);
	if (err == -ENOSYS) {
		c->no_fsync = true;
		err = 0;
	}
	return err ? fail(err) : 0;
}

int vu_fuse_fsync(int fd, void *fdprivate)
{
	return do_fsync(fd, fdprivate, 0);
}

int vu_fuse_fdatasync(int fd, void *fdprivate)
{
	return do_fsync(fd, fdprivate, 1);
}

/* The xattr calls: ENOSYS from the server means none, EOPNOTSUPP (as the kernel). */
static ssize_t xattr_call(const char *path, int fd, void *fdprivate, uint32_t op,
			  const struct iovec *in, int nin, void *value, size_t size, bool sized)
{
	struct fuse_conn *c;
	struct fuse_walk w;
	size_t len = 0;
	uint64_t id;
	int err;

	if (fuse_is_dev(vu_mod_getht()))
		return fail(EOPNOTSUPP);
	c = MOUNT_CONN();
	if (c->no_xattr)
		return fail(EOPNOTSUPP);
	fuse_walk_init(&w, c);
	err = target(&w, path, fd, fdprivate, &id);
	if (!err && sized && size == 0) {
		struct fuse_getxattr_out out;

		err = call(&w, op, id, in, nin, &out, sizeof(out), &len);
		len = err ? 0 : out.size;
	} else if (!err) {
		err = call(&w, op, id, in, nin, value, size, &len);
	}
	fuse_walk_done(&w);
	if (err == -ENOSYS) {
		c->no_xattr = true;
		err = -EOPNOTSUPP;
	}
	return err ? fail(err) : (ssize_t)len;
}

ssize_t vu_fuse_lgetxattr(const char *path, const char *name, void *value, size_t size, int fd,
			  void *fdprivate)
{
	struct fuse_getxattr_in in = { .size = (uint32_t)size };
	struct iovec iov[2] = { { &in, sizeof(in) }, { (void *)name, strlen(name) + 1 } };

	return xattr_call(path, fd, fdprivate, FUSE_GETXATTR, iov, 2, value, size, true);
}

ssize_t vu_fuse_llistxattr(const char *path, char *list, size_t size, int fd, void *fdprivate)
{
	struct fuse_getxattr_in in = { .size = (uint32_t)size };
	struct iovec iov = { &in, sizeof(in) };

	return xattr_call(path, fd, fdprivate, FUSE_LISTXATTR, &iov, 1, list, size, true);
}

int vu_fuse_lsetxattr(const char *path, const char *name, const void *value, size_t size,
		      int flags, int fd, void *fdprivate)
{
	/* without FUSE_SETXATTR_EXT the argument is 7.32's: size and flags */
	struct fuse_setxattr_in in = { .size = (uint32_t)size, .flags = (uint32_t)flags };
	struct iovec iov[3] = { { &in, FUSE_COMPAT_SETXATTR_IN_SIZE },
				{ (void *)name, strlen(name) + 1 },
				{ (void *)value, size } };

	if (fuse_is_dev(vu_mod_getht()) || rdonly(MOUNT_CONN()))
		return fail(fuse_is_dev(vu_mod_getht()) ? EOPNOTSUPP : EROFS);
	return (int)xattr_call(path, fd, fdprivate, FUSE_SETXATTR, iov, 3, NULL, 0, false);
}

int vu_fuse_lremovexattr(const char *path, const char *name, int fd, void *fdprivate)
{
	struct iovec iov = { (void *)name, strlen(name) + 1 };

	if (fuse_is_dev(vu_mod_getht()) || rdonly(MOUNT_CONN()))
		return fail(fuse_is_dev(vu_mod_getht()) ? EOPNOTSUPP : EROFS);
	return (int)xattr_call(path, fd, fdprivate, FUSE_REMOVEXATTR, &iov, 1, NULL, 0, false);
}

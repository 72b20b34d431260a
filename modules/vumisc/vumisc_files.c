// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vumisc_files.c - the control files of a vumisc mount: the submodule's
 * infotree, its contents made and taken by the submodule's infocontents
 * upcall (<vumisc.h>).
 *
 * A read shows the contents made at the first read (or lseek) after the
 * open. Each write is one value, handed to the upcall at once
 * (PSEUDOFILE_STORE_CLOSE with a stream of the bytes written): if the
 * upcall returns -1 the write fails with its errno, so `echo abc >
 * frequency` says "Invalid argument" and nothing changes. The files
 * belong to the user the hypervisor runs as; their permissions are the
 * infotree's, for that user (the owner's bits) and for the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vumisc_priv.h"

VU_PROTOTYPES(vumisc)

/* An open file: a regular file and its contents, or a directory and where getdents is. */
struct vumisc_fd {
	struct vumisc_info *info;
	int flags;
	bool loaded;
	char *buf;
	size_t len;
	off_t pos; /* a directory: the index of the next entry */
};

struct vumisc_info *vumisc_info_find(struct vumisc_t *m, const char *path)
{
	if (!m || !m->ops || !m->ops->infotree)
		return NULL;
	for (struct vumisc_info *i = m->ops->infotree; i->path; i++)
		if (strcmp(i->path, path) == 0)
			return i;
	return NULL;
}

struct vumisc_info *vumisc_lookup(const char *path)
{
	struct vumisc_t *m = vu_get_ht_private_data();
	struct vuht_entry_t *ht = vu_mod_getht();

	if (!m)
		return NULL;
	for (int k = 0; k < VUMISC_MAX_ALIASES; k++)
		if (ht && m->alias_ht[k] == ht)
			return strcmp(path, "/") == 0 ? vumisc_info_find(m, m->alias_file[k]) : NULL;
	return vumisc_info_find(m, path);
}

static ino_t vumisc_ino(const struct vumisc_info *i)
{
	ino_t h = 2;

	if (i->stat.st_ino)
		return i->stat.st_ino;
	for (const char *p = i->path; *p; p++)
		h = (h * 31) ^ (unsigned char)*p;
	return h ? h : 1;
}

static int vumisc_fail(int e)
{
	errno = e;
	return -1;
}

int vu_vumisc_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vumisc_t *m = vu_get_ht_private_data();
	struct vumisc_info *i = vumisc_lookup(pathname);

	if (!i)
		return vumisc_fail(ENOENT);
	*buf = i->stat;
	buf->st_ino = vumisc_ino(i);
	if (buf->st_nlink == 0)
		buf->st_nlink = S_ISDIR(i->stat.st_mode) ? 2 : 1;
	buf->st_uid = getuid();
	buf->st_gid = getgid();
	buf->st_blksize = 4096;
	buf->st_atim = buf->st_mtim = buf->st_ctim = m->mounted;
	if (S_ISLNK(i->stat.st_mode) && i->upcall_private)
		buf->st_size = (off_t)strlen(i->upcall_private);
	return 0;
}

/* May the caller (the owner: the files are the user's) open @i with @amode (R_OK, W_OK...)? */
static bool vumisc_may(const struct vumisc_info *i, int amode)
{
	mode_t m = i->stat.st_mode;

	if ((amode & R_OK) && !(m & S_IRUSR))
		return false;
	if ((amode & W_OK) && !(m & S_IWUSR))
		return false;
	if ((amode & X_OK) && !(m & S_IXUSR))
		return false;
	return true;
}

int vu_vumisc_access(char *path, int mode, int flags)
{
	struct vumisc_info *i = vumisc_lookup(path);

	if (!i)
		return vumisc_fail(ENOENT);
	return vumisc_may(i, mode) ? 0 : vumisc_fail(EACCES);
}

ssize_t vu_vumisc_readlink(char *path, char *buf, size_t bufsiz)
{
	struct vumisc_info *i = vumisc_lookup(path);
	size_t n;

	if (!i)
		return vumisc_fail(ENOENT);
	if (!S_ISLNK(i->stat.st_mode) || !i->upcall_private)
		return vumisc_fail(EINVAL);
	n = strlen(i->upcall_private);
	if (n > bufsiz)
		n = bufsiz;
	memcpy(buf, i->upcall_private, n);
	return (ssize_t)n;
}

int vu_vumisc_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	struct vumisc_info *i = vumisc_lookup(pathname);
	int acc = flags & O_ACCMODE;
	struct vumisc_fd *f;

	if (!i)
		return vumisc_fail(flags & O_CREAT ? EACCES : ENOENT);
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return vumisc_fail(EEXIST);
	if (S_ISDIR(i->stat.st_mode) && acc != O_RDONLY)
		return vumisc_fail(EISDIR);
	if ((flags & O_DIRECTORY) && !S_ISDIR(i->stat.st_mode))
		return vumisc_fail(ENOTDIR);
	if (!S_ISDIR(i->stat.st_mode) && !S_ISREG(i->stat.st_mode))
		return vumisc_fail(ELOOP); /* a symlink is followed by the hypervisor */
	if (!vumisc_may(i, (acc != O_WRONLY ? R_OK : 0) | (acc != O_RDONLY ? W_OK : 0)))
		return vumisc_fail(EACCES);
	f = calloc(1, sizeof(*f));
	if (!f)
		return vumisc_fail(ENOMEM);
	f->info = i;
	f->flags = flags;
	*fdprivate = f;
	return 0;
}

int vu_vumisc_close(int fd, void *fdprivate)
{
	struct vumisc_fd *f = fdprivate;

	if (f) {
		free(f->buf);
		free(f);
	}
	return 0;
}

/* Make the contents of a regular file, once per open. */
static int vumisc_load(struct vumisc_fd *f)
{
	struct vumisc_t *m = vu_get_ht_private_data();
	FILE *s;

	if (f->loaded)
		return 0;
	s = open_memstream(&f->buf, &f->len);
	if (!s)
		return vumisc_fail(ENOMEM);
	if (m->ops->infocontents)
		m->ops->infocontents(PSEUDOFILE_LOAD_CONTENTS, s, f->flags, f->info->upcall_private);
	if (fclose(s) != 0) {
		free(f->buf);
		f->buf = NULL;
		f->len = 0;
		return vumisc_fail(ENOMEM);
	}
	f->loaded = true;
	return 0;
}

static ssize_t vumisc_pread(struct vumisc_fd *f, void *buf, size_t count, off_t off)
{
	size_t n;

	if (!f)
		return vumisc_fail(EBADF);
	if (S_ISDIR(f->info->stat.st_mode))
		return vumisc_fail(EISDIR);
	if ((f->flags & O_ACCMODE) == O_WRONLY)
		return vumisc_fail(EBADF);
	if (vumisc_load(f) < 0)
		return -1;
	if (off < 0)
		return vumisc_fail(EINVAL);
	if ((size_t)off >= f->len)
		return 0;
	n = f->len - (size_t)off;
	if (n > count)
		n = count;
	memcpy(buf, f->buf + off, n);
	return (ssize_t)n;
}

/* One write, one value: the submodule takes it or says why not. */
static ssize_t vumisc_store(struct vumisc_fd *f, const void *buf, size_t count)
{
	struct vumisc_t *m = vu_get_ht_private_data();
	char *copy;
	FILE *s;
	int ret;

	if (!f)
		return vumisc_fail(EBADF);
	if ((f->flags & O_ACCMODE) == O_RDONLY)
		return vumisc_fail(EBADF);
	if (!m->ops->infocontents)
		return vumisc_fail(EINVAL);
	if (count == 0)
		return 0;
	copy = malloc(count + 1);
	if (!copy)
		return vumisc_fail(ENOMEM);
	memcpy(copy, buf, count);
	copy[count] = '\0';
	s = fmemopen(copy, count, "r");
	if (!s) {
		free(copy);
		return vumisc_fail(ENOMEM);
	}
	errno = 0;
	ret = m->ops->infocontents(PSEUDOFILE_STORE_CLOSE, s, f->flags, f->info->upcall_private);
	int e = errno;

	fclose(s);
	free(copy);
	if (ret < 0)
		return vumisc_fail(e ? e : EINVAL);
	/* what a later read of this open file shows is made again */
	free(f->buf);
	f->buf = NULL;
	f->len = 0;
	f->loaded = false;
	return (ssize_t)count;
}

ssize_t vu_vumisc_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct vumisc_fd *f = fdprivate;
	ssize_t n = vumisc_pread(f, buf, count, f ? f->pos : 0);

	if (n > 0)
		f->pos += n;
	return n;
}

ssize_t vu_vumisc_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	return vumisc_pread(fdprivate, buf, count, offset);
}

ssize_t vu_vumisc_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	struct vumisc_fd *f = fdprivate;
	ssize_t n = vumisc_store(f, buf, count);

	if (n > 0)
		f->pos += n;
	return n;
}

ssize_t vu_vumisc_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			   void *fdprivate)
{
	return vumisc_store(fdprivate, buf, count);
}

off_t vu_vumisc_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct vumisc_fd *f = fdprivate;
	off_t base;

	if (!f)
		return vumisc_fail(EBADF);
	if (S_ISDIR(f->info->stat.st_mode)) {
		if (whence != SEEK_SET || offset != 0)
			return vumisc_fail(EINVAL);
		f->pos = 0;
		return 0;
	}
	switch (whence) {
	case SEEK_SET:
		base = 0;
		break;
	case SEEK_CUR:
		base = f->pos;
		break;
	case SEEK_END:
		if ((f->flags & O_ACCMODE) != O_WRONLY && vumisc_load(f) < 0)
			return -1;
		base = (off_t)f->len;
		break;
	default:
		return vumisc_fail(EINVAL);
	}
	if (base + offset < 0)
		return vumisc_fail(EINVAL);
	f->pos = base + offset;
	return f->pos;
}

int vu_vumisc_truncate(const char *path, off_t length, int fd, void *fdprivate)
{
	struct vumisc_info *i = vumisc_lookup(path);

	if (!i)
		return vumisc_fail(ENOENT);
	if (S_ISDIR(i->stat.st_mode))
		return vumisc_fail(EISDIR);
	/* a value is set by a write: emptying the file (O_TRUNC, `: >`) changes nothing */
	return vumisc_may(i, W_OK) ? 0 : vumisc_fail(EACCES);
}

/* Is @i a child of the directory @dir (its path)? Then its name. */
static const char *vumisc_child(const char *dir, const struct vumisc_info *i)
{
	size_t n = strcmp(dir, "/") == 0 ? 0 : strlen(dir);

	if (strncmp(i->path, dir, n) != 0 || i->path[n] != '/' || i->path[n + 1] == '\0')
		return NULL;
	if (strchr(i->path + n + 1, '/'))
		return NULL;
	return i->path + n + 1;
}

static unsigned char vumisc_dtype(mode_t m)
{
	switch (m & S_IFMT) {
	case S_IFDIR:
		return DT_DIR;
	case S_IFREG:
		return DT_REG;
	case S_IFLNK:
		return DT_LNK;
	default:
		return DT_UNKNOWN;
	}
}

int vu_vumisc_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
			 void *fdprivate)
{
	struct vumisc_t *m = vu_get_ht_private_data();
	struct vumisc_fd *f = fdprivate;
	unsigned int used = 0;
	off_t idx = 0;

	if (!f)
		return vumisc_fail(EBADF);
	if (!S_ISDIR(f->info->stat.st_mode))
		return vumisc_fail(ENOTDIR);
	/* entry 0 is ".", 1 "..", then the children in the tree's order */
	for (struct vumisc_info *i = NULL;; idx++) {
		const char *name;
		ino_t ino;
		unsigned char type;

		if (idx == 0) {
			name = ".";
			ino = vumisc_ino(f->info);
			type = DT_DIR;
		} else if (idx == 1) {
			name = "..";
			ino = 1;
			type = DT_DIR;
		} else {
			i = i ? i + 1 : m->ops->infotree;
			while (i->path && !vumisc_child(f->info->path, i))
				i++;
			if (!i->path)
				break;
			name = vumisc_child(f->info->path, i);
			ino = vumisc_ino(i);
			type = vumisc_dtype(i->stat.st_mode);
		}
		if (idx < f->pos)
			continue;
		size_t nlen = strlen(name);
		unsigned short reclen =
			(unsigned short)((offsetof(struct dirent64, d_name) + nlen + 1 + 7) & ~7UL);

		if (used + reclen > count) {
			if (used == 0)
				return vumisc_fail(EINVAL);
			break;
		}
		struct dirent64 *d = (struct dirent64 *)((char *)dirp + used);

		memset(d, 0, reclen);
		d->d_ino = ino;
		d->d_off = idx + 1;
		d->d_reclen = reclen;
		d->d_type = type;
		memcpy(d->d_name, name, nlen + 1);
		used += reclen;
		f->pos = idx + 1;
	}
	return (int)used;
}

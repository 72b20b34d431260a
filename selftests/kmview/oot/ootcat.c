// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ootcat.c - a module written as a third party would write one: built out
 * of the tree against vumodule.h alone, with Debian's default flags
 * (oot_build.sh). `vumount -t ootcat SRC DST` shows the tree SRC at DST,
 * read only. SRC is a path of the view, so it may be in an older mount:
 * every file is read through the module's own fopen64/fread and again
 * through open64/__read_chk (EIO if the two differ), stat through stat64,
 * directories through opendir/readdir64. Nothing else is served: chmod
 * and the other methods it lacks fail with ENOSYS.
 */
#define _GNU_SOURCE /* struct dirent64, as VUOS builds its modules */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vumodule.h"

VU_PROTOTYPES(ootcat)

struct vu_module_t vu_module = {
	.name = "ootcat",
	.description = "ootcat: a read-only view of a tree, read through nested calls",
};

/* An open file: its content, or a directory stream. */
struct ootfile {
	char *data;
	size_t len;
	off_t pos;
	DIR *dir;
	struct dirent64 pending; /* an entry that did not fit last time */
	int has_pending;
};

static volatile size_t chunk = 100; /* not a constant: read is __read_chk */

/* SRC + @path of the mount being served: 0, or -1 (ENAMETOOLONG). */
static int src_path(const char *path, char *buf, size_t size)
{
	const char *src = vu_get_ht_private_data();

	if (snprintf(buf, size, "%s%s", src, strcmp(path, "/") == 0 ? "" : path) >= (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int vu_ootcat_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	char p[PATH_MAX];

	if (src_path(pathname, p, sizeof(p)) < 0 || lstat(p, buf) < 0)
		return -1;
	buf->st_mode &= ~(mode_t)0222; /* read only */
	return 0;
}

int vu_ootcat_access(char *path, int mode, int flags)
{
	char p[PATH_MAX];

	if (src_path(path, p, sizeof(p)) < 0)
		return -1;
	if (mode & W_OK) {
		errno = EROFS;
		return -1;
	}
	return access(p, mode);
}

ssize_t vu_ootcat_readlink(char *path, char *buf, size_t bufsiz)
{
	char p[PATH_MAX];

	if (src_path(path, p, sizeof(p)) < 0)
		return -1;
	return readlink(p, buf, bufsiz);
}

/* The whole of @p through stdio. */
static char *slurp_stdio(const char *p, size_t *len)
{
	FILE *f = fopen(p, "r");
	char *data = NULL;
	size_t n = 0, got;
	char b[256];

	if (!f)
		return NULL;
	while ((got = fread(b, 1, sizeof(b), f)) > 0) {
		char *d = realloc(data, n + got + 1);

		if (!d) {
			free(data);
			fclose(f);
			errno = ENOMEM;
			return NULL;
		}
		data = d;
		memcpy(data + n, b, got);
		n += got;
	}
	fclose(f);
	*len = n;
	return data ? data : calloc(1, 1);
}

/* True if the file @p read with open64 and read is @len bytes of @data. */
static int same_by_fd(const char *p, const char *data, size_t len)
{
	int fd = open(p, O_RDONLY);
	size_t off = 0;
	char b[128];
	ssize_t n;

	if (fd < 0)
		return 0;
	while ((n = read(fd, b, chunk)) > 0) {
		if (off + (size_t)n > len || memcmp(data + off, b, (size_t)n) != 0)
			break;
		off += (size_t)n;
	}
	close(fd);
	return n == 0 && off == len;
}

int vu_ootcat_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	static int next_fd;
	char p[PATH_MAX];
	struct ootfile *f;
	struct stat st;

	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC))) {
		errno = EROFS;
		return -1;
	}
	if (src_path(pathname, p, sizeof(p)) < 0 || stat(p, &st) < 0)
		return -1;
	f = calloc(1, sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		f->dir = opendir(p);
	} else if ((f->data = slurp_stdio(p, &f->len)) && !same_by_fd(p, f->data, f->len)) {
		free(f->data);
		f->data = NULL;
		errno = EIO;
	}
	if (!f->dir && !f->data) {
		int e = errno;

		free(f);
		errno = e;
		return -1;
	}
	*fdprivate = f;
	return __atomic_add_fetch(&next_fd, 1, __ATOMIC_RELAXED);
}

int vu_ootcat_close(int fd, void *fdprivate)
{
	struct ootfile *f = fdprivate;

	if (f->dir)
		closedir(f->dir);
	free(f->data);
	free(f);
	return 0;
}

ssize_t vu_ootcat_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	struct ootfile *f = fdprivate;

	if (f->dir) {
		errno = EISDIR;
		return -1;
	}
	if (offset < 0 || (size_t)offset >= f->len)
		return 0;
	if (count > f->len - (size_t)offset)
		count = f->len - (size_t)offset;
	memcpy(buf, f->data + offset, count);
	return (ssize_t)count;
}

ssize_t vu_ootcat_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct ootfile *f = fdprivate;
	ssize_t n = vu_ootcat_pread64(fd, buf, count, f->pos, 0, fdprivate);

	if (n > 0)
		f->pos += n;
	return n;
}

off_t vu_ootcat_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct ootfile *f = fdprivate;
	off_t base = whence == SEEK_SET ? 0 : whence == SEEK_CUR ? f->pos : (off_t)f->len;

	if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || base + offset < 0) {
		errno = EINVAL;
		return -1;
	}
	if (f->dir) {
		if (whence != SEEK_SET || offset != 0) {
			errno = EINVAL;
			return -1;
		}
		rewinddir(f->dir);
		f->has_pending = 0;
		return 0;
	}
	f->pos = base + offset;
	return f->pos;
}

int vu_ootcat_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
			 void *fdprivate)
{
	struct ootfile *f = fdprivate;
	char *out = (char *)dirp;
	unsigned int used = 0;

	if (!f->dir) {
		errno = ENOTDIR;
		return -1;
	}
	for (;;) {
		struct dirent64 *e;
		size_t namelen;
		unsigned short reclen;

		if (f->has_pending) {
			e = &f->pending;
		} else {
			errno = 0;
			e = readdir64(f->dir);
			if (!e) {
				if (errno && used == 0)
					return -1;
				return (int)used;
			}
		}
		namelen = strlen(e->d_name);
		reclen = (unsigned short)((offsetof(struct dirent64, d_name) + namelen + 1 + 7) & ~7UL);
		if (used + reclen > count) {
			if (e != &f->pending)
				memcpy(&f->pending, e, sizeof(*e));
			f->has_pending = 1;
			if (used == 0) {
				errno = EINVAL;
				return -1;
			}
			return (int)used;
		}
		struct dirent64 *d = (struct dirent64 *)(out + used);

		d->d_ino = e->d_ino;
		d->d_off = e->d_off;
		d->d_reclen = reclen;
		d->d_type = e->d_type;
		memcpy(d->d_name, e->d_name, namelen + 1);
		used += reclen;
		f->has_pending = 0;
	}
}

int vu_ootcat_mount(const char *source, const char *target, const char *filesystemtype,
		    unsigned long mountflags, const void *data)
{
	struct stat st;
	char *src;

	/* the source is a path of the view, seen as it was before this mount */
	if (!source || source[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	if (stat(source, &st) < 0)
		return -1;
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	src = strdup(strcmp(source, "/") == 0 ? "" : source);
	if (!src) {
		errno = ENOMEM;
		return -1;
	}
	if (!vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			  vu_mod_getservice(), 0, NULL, src)) {
		int e = errno;

		free(src);
		errno = e;
		return -1;
	}
	return 0;
}

int vu_ootcat_umount2(const char *target, int flags)
{
	int ret = vuht_del(vu_mod_getht(), flags);

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

void vu_ootcat_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	if (type == CHECKPATH)
		free(vuht_get_private_data(ht));
}

void *vu_ootcat_init(void)
{
	return NULL;
}

int vu_ootcat_fini(void *private)
{
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pseudofile.c - libvumod's pseudofiles: a module's virtual file served
 * from a memory stream (the API of <libvumod.h>, as VUOS's).
 *
 * The stream is made lazily: a file that is opened and closed untouched
 * costs its module no upcall but STORE_CLOSE (with f NULL). Contents and
 * directory entries share the one stream; which one a file holds is
 * decided by the first call that needs it.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <volatilestream.h>

#include <libvumod.h>

struct pseudofile {
	pseudo_upcall upcall;
	void *pseudoprivate;
	int flags;
	FILE *f; /* NULL until the first read, write, lseek or getdents64 */
};

int pseudofile_mode2type(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return DT_REG;
	case S_IFDIR:
		return DT_DIR;
	case S_IFLNK:
		return DT_LNK;
	case S_IFCHR:
		return DT_CHR;
	case S_IFBLK:
		return DT_BLK;
	case S_IFSOCK:
		return DT_SOCK;
	case S_IFIFO:
		return DT_FIFO;
	default:
		return DT_UNKNOWN;
	}
}

ssize_t pseudofile_readlink_fill(char *path, char *buf, size_t bufsiz)
{
	size_t len;

	if (path == NULL) {
		errno = EINVAL;
		return -1;
	}
	len = strlen(path);
	if (len > bufsiz)
		len = bufsiz;
	memcpy(buf, path, len);
	/* readlink(2) never terminates; VUOS's helper does when there is room. */
	if (len < bufsiz)
		buf[len] = '\0';
	return len;
}

int pseudofile_filldir(FILE *f, char *name, ino_t ino, char type)
{
	/* One record, padded with zeros to 8 bytes as the kernel's are. */
	char rec[offsetof(struct dirent64, d_name) + sizeof(((struct dirent64 *)0)->d_name) + 8];
	struct dirent64 *d = (struct dirent64 *)rec;
	size_t namelen = strnlen(name, sizeof(d->d_name) - 1);
	size_t reclen = (offsetof(struct dirent64, d_name) + namelen + 1 + 7) & ~(size_t)7;

	memset(rec, 0, reclen);
	d->d_ino = ino;
	d->d_off = 0;
	d->d_reclen = reclen;
	d->d_type = type;
	memcpy(d->d_name, name, namelen);
	return fwrite(rec, reclen, 1, f) == 1;
}

int pseudofile_open(pseudo_upcall upcall, void *pseudoprivate, int flags, void **private)
{
	struct pseudofile *p = malloc(sizeof(*p));

	if (p == NULL) {
		errno = ENOMEM;
		return -1;
	}
	p->upcall = upcall;
	p->pseudoprivate = pseudoprivate;
	p->flags = flags;
	p->f = NULL;
	*private = p;
	return 0;
}

/* Make the stream and let the module fill it (@tag), then rewind. */
static int pseudofile_load(struct pseudofile *p, int tag)
{
	if (p->f != NULL)
		return 0;
	p->f = volstream_open();
	if (p->f == NULL) {
		errno = ENOMEM;
		return -1;
	}
	/* A file opened for writing only, or truncated, starts empty. */
	if (tag == PSEUDOFILE_LOAD_CONTENTS &&
	    ((p->flags & O_ACCMODE) == O_WRONLY || (p->flags & O_TRUNC)))
		return 0;
	p->upcall(tag, p->f, p->flags, p->pseudoprivate);
	if (fseeko(p->f, 0, SEEK_SET) < 0) {
		errno = EIO;
		return -1;
	}
	return 0;
}

/* A directory's first call is getdents64, or rewinddir's lseek. */
static int pseudofile_load_any(struct pseudofile *p)
{
	return pseudofile_load(p, (p->flags & O_DIRECTORY) ? PSEUDOFILE_LOAD_DIRENTS
							  : PSEUDOFILE_LOAD_CONTENTS);
}

int pseudofile_close(int fd, void *private)
{
	struct pseudofile *p = private;

	if (p == NULL)
		return 0;
	if (p->f != NULL)
		fseeko(p->f, 0, SEEK_SET); /* flushes: the module reads it all */
	p->upcall(PSEUDOFILE_STORE_CLOSE, p->f, p->flags, p->pseudoprivate);
	if (p->f != NULL)
		fclose(p->f);
	free(p);
	return 0;
}

int pseudofile_read(int fd, void *buf, size_t count, void *private)
{
	struct pseudofile *p = private;
	size_t n;

	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((p->flags & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return -1;
	}
	if (pseudofile_load(p, PSEUDOFILE_LOAD_CONTENTS) < 0)
		return -1;
	/* stdio wants a seek between a write and a read; it keeps the position. */
	fseeko(p->f, 0, SEEK_CUR);
	n = fread(buf, 1, count, p->f);
	if (n == 0 && ferror(p->f)) {
		clearerr(p->f);
		errno = EIO;
		return -1;
	}
	clearerr(p->f); /* the end is not sticky: a later write extends the file */
	return n;
}

int pseudofile_write(int fd, const void *buf, size_t count, void *private)
{
	struct pseudofile *p = private;
	size_t n;

	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	if ((p->flags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return -1;
	}
	if (pseudofile_load(p, PSEUDOFILE_LOAD_CONTENTS) < 0)
		return -1;
	if (fseeko(p->f, 0, (p->flags & O_APPEND) ? SEEK_END : SEEK_CUR) < 0) {
		errno = EIO;
		return -1;
	}
	n = fwrite(buf, 1, count, p->f);
	if (n == 0 && count > 0) {
		clearerr(p->f);
		errno = ENOMEM;
		return -1;
	}
	return n;
}

int pseudofile_lseek(int fd, off_t offset, int whence, void *private)
{
	struct pseudofile *p = private;
	off_t pos;

	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) {
		errno = EINVAL;
		return -1;
	}
	if (pseudofile_load_any(p) < 0)
		return -1;
	/* The stream refuses a negative position without setting errno. */
	errno = 0;
	if (fseeko(p->f, offset, whence) < 0) {
		if (errno == 0)
			errno = EINVAL;
		return -1;
	}
	pos = ftello(p->f);
	if (pos > 0x7fffffff) { /* the method returns an int, as VUOS's */
		errno = EOVERFLOW;
		return -1;
	}
	return pos;
}

int pseudofile_getdents64(int fd, struct dirent64 *dirp, unsigned int count, void *private)
{
	const size_t head = offsetof(struct dirent64, d_name);
	struct pseudofile *p = private;
	char *out = (char *)dirp;
	unsigned int used = 0;

	if (p == NULL) {
		errno = EINVAL;
		return -1;
	}
	if (pseudofile_load(p, PSEUDOFILE_LOAD_DIRENTS) < 0)
		return -1;
	fseeko(p->f, 0, SEEK_CUR);
	/* Whole records only: read each one's header, then the rest if it fits. */
	while (count - used >= head) {
		struct dirent64 *d = (struct dirent64 *)(out + used);

		if (fread(d, head, 1, p->f) != 1)
			break;
		if (d->d_reclen < head || d->d_reclen > count - used) {
			fseeko(p->f, -(off_t)head, SEEK_CUR);
			break;
		}
		if (fread(out + used + head, d->d_reclen - head, 1, p->f) != 1)
			break;
		used += d->d_reclen;
	}
	clearerr(p->f);
	if (used == 0) {
		/* Nothing copied and not at the end: the next entry does not fit. */
		int c = fgetc(p->f);

		clearerr(p->f);
		if (c != EOF) {
			ungetc(c, p->f);
			errno = EINVAL;
			return -1;
		}
	}
	return used;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_bigio.c - "bigio", a module for the unit test of reads and writes
 * longer than the daemon's chunk (test_bigio): /file is a 1 MiB regular
 * file, /blk the same bytes as a block device, /chr a character device
 * that answers every read and write in full (a message per call, as
 * /dev/fuse). It counts the calls.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <vumodule.h>

VU_PROTOTYPES(bigio)

struct vu_module_t vu_module = {
	.name = "bigio",
	.description = "bigio: long reads and writes (unit tests)",
	.flags = VU_USE_PRW,
};

#define BIG_SIZE (1 << 20)
unsigned char bigio_data[BIG_SIZE];
int bigio_calls;

static mode_t kind(const char *path)
{
	return !strcmp(path, "/chr") ? S_IFCHR : !strcmp(path, "/blk") ? S_IFBLK : S_IFREG;
}

int vu_bigio_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	memset(buf, 0, sizeof(*buf));
	buf->st_mode = kind(pathname) | 0644;
	buf->st_size = S_ISREG(buf->st_mode) ? BIG_SIZE : 0;
	return 0;
}

int vu_bigio_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	*fdprivate = (void *)(long)kind(pathname);
	return 3;
}

int vu_bigio_close(int fd, void *fdprivate)
{
	return 0;
}

ssize_t vu_bigio_pread64(int fd, void *buf, size_t count, off_t offset, int flags, void *fdprivate)
{
	bigio_calls++;
	if ((long)fdprivate == S_IFCHR) {
		memset(buf, 'c', count);
		return (ssize_t)count;
	}
	if (offset >= BIG_SIZE)
		return 0;
	if (count > (size_t)(BIG_SIZE - offset))
		count = (size_t)(BIG_SIZE - offset);
	memcpy(buf, bigio_data + offset, count);
	return (ssize_t)count;
}

ssize_t vu_bigio_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	bigio_calls++;
	if ((long)fdprivate == S_IFCHR)
		return (ssize_t)count;
	if (offset >= BIG_SIZE) {
		errno = ENOSPC;
		return -1;
	}
	if (count > (size_t)(BIG_SIZE - offset))
		count = (size_t)(BIG_SIZE - offset);
	memcpy(bigio_data + offset, buf, count);
	return (ssize_t)count;
}

off_t vu_bigio_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	if (whence == SEEK_END)
		return BIG_SIZE + offset;
	return offset;
}

int vu_bigio_mount(const char *source, const char *target, const char *filesystemtype,
		   unsigned long mountflags, const void *data)
{
	return vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			    vu_mod_getservice(), 0, NULL, NULL) ?
		       0 :
		       -1;
}

int vu_bigio_umount2(const char *target, int flags)
{
	return vuht_del(vu_mod_getht(), flags) == 0 ? 0 : (errno = EBUSY, -1);
}

void *vu_bigio_init(void)
{
	return NULL;
}

int vu_bigio_fini(void *private)
{
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_prw.c - "prwdev", a module for the unit tests with no file position
 * of its own (VU_USE_PRW): one 64-byte memory file at every path of its
 * mount. It has pread64 and pwrite64 but no read or write, and an lseek
 * that refuses positions past the end, as VUOS's header tells a device to.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include <vumodule.h>

VU_PROTOTYPES(prwdev)

struct vu_module_t vu_module = {
	.name = "prwdev",
	.description = "prwdev: a module without file positions (unit tests)",
	.flags = VU_USE_PRW,
};

#define PRW_SIZE 64
char prw_data[PRW_SIZE];
size_t prw_len = 16; /* the bytes written so far: the file's size */

int vu_prwdev_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	memset(buf, 0, sizeof(*buf));
	buf->st_mode = S_IFREG | 0644;
	buf->st_size = (off_t)prw_len;
	return 0;
}

int vu_prwdev_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	return 3;
}

int vu_prwdev_close(int fd, void *fdprivate)
{
	return 0;
}

ssize_t vu_prwdev_pread64(int fd, void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	if (offset >= (off_t)prw_len)
		return 0;
	if (count > prw_len - (size_t)offset)
		count = prw_len - (size_t)offset;
	memcpy(buf, prw_data + offset, count);
	return (ssize_t)count;
}

ssize_t vu_prwdev_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			   void *fdprivate)
{
	if (offset >= PRW_SIZE) {
		errno = ENOSPC;
		return -1;
	}
	if (count > PRW_SIZE - (size_t)offset)
		count = PRW_SIZE - (size_t)offset;
	memcpy(prw_data + offset, buf, count);
	if ((size_t)offset + count > prw_len)
		prw_len = (size_t)offset + count;
	return (ssize_t)count;
}

off_t vu_prwdev_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	switch (whence) {
	case SEEK_SET:
		if (offset <= PRW_SIZE)
			return offset;
		errno = EINVAL;
		return -1;
	case SEEK_END:
		return PRW_SIZE; /* a device: its end is its capacity */
	default:
		errno = EINVAL;
		return -1;
	}
}

int vu_prwdev_mount(const char *source, const char *target, const char *filesystemtype,
		    unsigned long mountflags, const void *data)
{
	return vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			    vu_mod_getservice(), 0, NULL, NULL)
		       ? 0
		       : -1;
}

int vu_prwdev_umount2(const char *target, int flags)
{
	return vuht_del(vu_mod_getht(), flags) == 0 ? 0 : (errno = EBUSY, -1);
}

void *vu_prwdev_init(void)
{
	return NULL;
}

int vu_prwdev_fini(void *private)
{
	return 0;
}

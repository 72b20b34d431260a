// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * testdev.c - a test module (selftests only, not installed): it claims
 * the character device 1:3, /dev/null's number, wherever a node of it is
 * (CHECKCHRDEVICE). A read of such a node returns one line,
 * "testdev: <path it was given>", then end of file; a write is swallowed
 * and counted; TIOCGWINSZ answers 42 rows, 4242 columns (VUOS's probe
 * says the module writes a struct winsize).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <vumodule.h>

VU_PROTOTYPES(testdev)

struct vu_module_t vu_module = {
	.name = "testdev",
	.description = "testdev: serves the char device 1:3 (selftests)",
};

static struct vuht_entry_t *testdev_ht;

struct testdev_file {
	size_t pos;
	char line[];
};

int vu_testdev_lstat(char *path, struct vu_stat *st, int flags, int sfd, void *fdprivate)
{
	(void)path;
	(void)flags;
	(void)sfd;
	(void)fdprivate;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0666;
	st->st_rdev = makedev(1, 3);
	st->st_nlink = 1;
	return 0;
}

int vu_testdev_open(const char *path, int flags, mode_t mode, void **fdprivate)
{
	struct testdev_file *f = malloc(sizeof(*f) + strlen(path) + 16);

	(void)flags;
	(void)mode;
	if (!f)
		return errno = ENOMEM, -1;
	f->pos = 0;
	sprintf(f->line, "testdev: %s\n", path);
	*fdprivate = f;
	return 0;
}

ssize_t vu_testdev_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct testdev_file *f = fdprivate;
	size_t n = strlen(f->line + f->pos);

	(void)fd;
	if (n > count)
		n = count;
	memcpy(buf, f->line + f->pos, n);
	f->pos += n;
	return (ssize_t)n;
}

ssize_t vu_testdev_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	(void)fd;
	(void)buf;
	(void)fdprivate;
	return (ssize_t)count;
}

off_t vu_testdev_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	(void)fd;
	(void)offset;
	(void)whence;
	(void)fdprivate;
	return 0;
}

int vu_testdev_close(int fd, void *fdprivate)
{
	(void)fd;
	free(fdprivate);
	return 0;
}

int vu_testdev_ioctl(int fd, unsigned long request, void *buf, uintptr_t addr, void *fdprivate)
{
	(void)addr;
	(void)fdprivate;
	if (request != TIOCGWINSZ)
		return errno = ENOTTY, -1;
	if (fd == -1 && !buf)
		return (int)_IOW(' ', 0, struct winsize); /* VUOS's sense: the module writes it */
	struct winsize ws = { .ws_row = 42, .ws_col = 4242 };

	memcpy(buf, &ws, sizeof(ws));
	return 0;
}

void *vu_testdev_init(void)
{
	dev_t null = makedev(1, 3);

	testdev_ht = vuht_add(CHECKCHRDEVICE, &null, sizeof(null), vu_mod_getservice(), 0, NULL,
			      NULL);
	return testdev_ht ? NULL : VU_INIT_FAILED;
}

int vu_testdev_fini(void *private)
{
	(void)private;
	if (testdev_ht && vuht_del(testdev_ht, MNT_FORCE) == 0)
		testdev_ht = NULL;
	return 0;
}

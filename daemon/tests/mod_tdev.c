// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_tdev.c - "tdev", a module for the unit tests of the device, ioctl
 * and binfmt dispatch (test_devices.c). Mounted, it shows a tree by last
 * component: "cdev" a char device 240:1, "cdev2" 240:2, "bdev" a block
 * device 241:0, "missing" nothing, "/" a directory, anything else a
 * regular file. The tests add its device, ioctl and binfmt entries
 * themselves. A read returns "<path it was given> <mode vu_mod_getmode
 * said at open>" (tdev_open_ht: the entry of that open), or tdev_content
 * if set; ioctl answers
 * VUOS's probe and records what it was called with.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <vumodule.h>

VU_PROTOTYPES(tdev)

struct vu_module_t vu_module = {
	.name = "tdev",
	.description = "tdev: device, ioctl and binfmt dispatch (unit tests)",
};

/* What the last ioctl call (not the probe) got. */
int tdev_ioctl_sfd = -2;
void *tdev_ioctl_private = (void *)1;
void *tdev_probe_private = (void *)1;
struct winsize tdev_ws_set;
/* If set, what every file of the tree holds (binfmt tests). */
char tdev_content[BINFMTBUFLEN];
/* The entry the last open was served for. */
struct vuht_entry_t *tdev_open_ht;

int vu_tdev_mount(const char *source, const char *target, const char *fstype, unsigned long flags,
		  const void *data)
{
	return vuht_pathadd(CHECKPATH, source, target, fstype, flags, data, vu_mod_getservice(), 0,
			    NULL, NULL) ?
		       0 :
		       -1;
}

int vu_tdev_umount2(const char *target, int flags)
{
	(void)target;
	return vuht_del(vu_mod_getht(), flags) == 0 ? 0 : (errno = EBUSY, -1);
}

static const char *tdev_base(const char *path)
{
	const char *b = strrchr(path, '/');

	return b ? b + 1 : path;
}

int vu_tdev_lstat(char *path, struct vu_stat *st, int flags, int sfd, void *fdprivate)
{
	const char *b = tdev_base(path);

	(void)flags;
	(void)sfd;
	(void)fdprivate;
	memset(st, 0, sizeof(*st));
	if (strcmp(b, "missing") == 0)
		return errno = ENOENT, -1;
	if (strcmp(path, "/") == 0) {
		st->st_mode = S_IFDIR | 0755;
	} else if (strcmp(b, "cdev") == 0 || strcmp(b, "cdev2") == 0) {
		st->st_mode = S_IFCHR | 0666;
		st->st_rdev = makedev(240, b[4] ? 2 : 1);
	} else if (strcmp(b, "bdev") == 0) {
		st->st_mode = S_IFBLK | 0660;
		st->st_rdev = makedev(241, 0);
	} else {
		st->st_mode = S_IFREG | 0755;
		st->st_size = 100;
	}
	st->st_ino = 7;
	return 0;
}

struct tdev_file {
	size_t pos;
	char s[];
};

int vu_tdev_open(const char *path, int flags, mode_t mode, void **fdprivate)
{
	struct tdev_file *tf = malloc(sizeof(*tf) + strlen(path) + 64 + sizeof(tdev_content));

	(void)flags;
	(void)mode;
	if (!tf)
		return errno = ENOMEM, -1;
	tdev_open_ht = vu_mod_getht();
	tf->pos = 0;
	if (tdev_content[0])
		strcpy(tf->s, tdev_content);
	else
		sprintf(tf->s, "%s %o", path, (unsigned int)vu_mod_getmode());
	*fdprivate = tf;
	return 3;
}

ssize_t vu_tdev_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct tdev_file *tf = fdprivate;
	size_t n = strlen(tf->s + tf->pos);

	(void)fd;
	if (n > count)
		n = count;
	memcpy(buf, tf->s + tf->pos, n);
	tf->pos += n;
	return (ssize_t)n;
}

int vu_tdev_close(int fd, void *fdprivate)
{
	(void)fd;
	free(fdprivate);
	return 0;
}

/* #define _IOR etc. mean the module's sense in VUOS's probe: _IOW, it writes the argument. */
int vu_tdev_ioctl(int fd, unsigned long request, void *buf, uintptr_t addr, void *fdprivate)
{
	(void)addr;
	if (fd == -1 && !buf) {
		tdev_probe_private = fdprivate;
		if (request == TIOCGWINSZ)
			return (int)_IOW(' ', 0, struct winsize);
		if (request == TIOCSWINSZ)
			return (int)_IOR(' ', 0, struct winsize);
		return errno = ENOSYS, -1;
	}
	tdev_ioctl_sfd = fd;
	tdev_ioctl_private = fdprivate;
	if (request == TIOCGWINSZ) {
		struct winsize ws = { .ws_row = 42, .ws_col = 4242 };

		memcpy(buf, &ws, sizeof(ws));
		return 0;
	}
	if (request == TIOCSWINSZ) {
		memcpy(&tdev_ws_set, buf, sizeof(tdev_ws_set));
		/* never copied back: the module only reads */
		memset(buf, 0xee, sizeof(tdev_ws_set));
		return 0;
	}
	if (_IOC_SIZE(request) == sizeof(int)) {
		int v = 777;

		memcpy(buf, &v, sizeof(v));
		return 0;
	}
	return errno = ENOTTY, -1;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * whoami.c - a test module (selftests only, not installed): the file
 * /dev/whoami reads "uid euid gid egid fsuid ngroups" as the module sees
 * its caller through the C library (getuid, geteuid, ..., setfsuid(-1),
 * getgroups), which the daemon nests to the view's id module, as VUOS
 * modules (vufuse's fuse_get_context, vufs's new files) expect.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fsuid.h>
#include <sys/stat.h>
#include <unistd.h>

#include <vumodule.h>

VU_PROTOTYPES(whoami)

struct vu_module_t vu_module = {
	.name = "whoami",
	.description = "whoami: /dev/whoami tells the caller's ids as a module sees them",
	.flags = VU_USE_PRW,
};

static struct vuht_entry_t *whoami_ht;

int vu_whoami_lstat(char *path, struct vu_stat *st, int flags, int sfd, void *fdprivate)
{
	(void)path;
	(void)flags;
	(void)sfd;
	(void)fdprivate;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	st->st_size = 64;
	return 0;
}

int vu_whoami_open(const char *path, int flags, mode_t mode, void **fdprivate)
{
	char *line = malloc(128);

	(void)path;
	(void)flags;
	(void)mode;
	if (!line)
		return errno = ENOMEM, -1;
	/* asked at open: the caller's ids as they are then */
	snprintf(line, 128, "%u %u %u %u %d %d\n", getuid(), geteuid(), getgid(), getegid(),
		 setfsuid((uid_t)-1), getgroups(0, NULL));
	*fdprivate = line;
	return 0;
}

ssize_t vu_whoami_pread64(int fd, void *buf, size_t count, off_t off, int flags, void *fdprivate)
{
	const char *line = fdprivate;
	size_t len = strlen(line);

	(void)fd;
	(void)flags;
	if ((size_t)off >= len)
		return 0;
	if (count > len - (size_t)off)
		count = len - (size_t)off;
	memcpy(buf, line + off, count);
	return (ssize_t)count;
}

int vu_whoami_close(int fd, void *fdprivate)
{
	(void)fd;
	free(fdprivate);
	return 0;
}

void *vu_whoami_init(void)
{
	whoami_ht = vuht_pathadd(CHECKPATH, "none", "/dev/whoami", "whoami", 0, "", vu_mod_getservice(),
				 0, NULL, NULL);
	return whoami_ht ? NULL : VU_INIT_FAILED;
}

int vu_whoami_fini(void *private)
{
	(void)private;
	return whoami_ht ? vuht_del(whoami_ht, MNT_FORCE) : 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_plainmount.c - a test module whose mount adds a path entry and that
 * has no umount2 method: the hypervisor's own vuht_del unmounts it.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <vumodule.h>

VU_PROTOTYPES(plainmount)

struct vu_module_t vu_module = { .name = "plainmount", .description = "mount, no umount2" };

int vu_plainmount_mount(const char *source, const char *target, const char *fstype,
			unsigned long flags, const void *data)
{
	return vuht_pathadd(CHECKPATH, source, target, fstype, flags, data, vu_mod_getservice(), 0,
			    NULL, NULL)
		       ? 0
		       : (errno = ENOMEM, -1);
}

int vu_plainmount_lstat(char *path, struct vu_stat *st, int flags, int sfd, void *fdprivate)
{
	(void)path;
	(void)flags;
	(void)sfd;
	(void)fdprivate;
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFDIR | 0755;
	st->st_nlink = 2;
	return 0;
}

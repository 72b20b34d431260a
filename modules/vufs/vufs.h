/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufs.h - what the parts of the vufs module share.
 *
 * A vufs mount shows the directory SOURCE at the mount point: each method
 * runs the real system call on SOURCE followed by the path inside the
 * mount. The modes of VUOS's vufs that kmview has are "bind" (the
 * default) and "move", which in VUOS are one and the same: the real
 * contents of the mount point are hidden, what is done under it is done
 * in SOURCE. "except=PATH" (repeatable) leaves PATH, relative to the
 * mount point, to the real file system.
 * "nopassthrough" is the hypervisor's: it keeps the open files of the
 * mount virtual (vufs sets VU_MODULE_FDPASS: without it, a regular file
 * opened in the mount is handed to the process as the real file).
 */
#ifndef KMVIEW_MODULES_VUFS_H
#define KMVIEW_MODULES_VUFS_H

#include <limits.h>
#include <stddef.h>

#include <vumodule.h>

#define VUFS_MAX_EXCEPT 16

struct vufs {
	char source[PATH_MAX]; /* absolute, no trailing slash ("" for /) */
	size_t srclen;
	int nexcept;
	char *except[VUFS_MAX_EXCEPT]; /* "/tmp": paths inside the mount, normal */
};

/*
 * Parse the mount data @opts ("bind", "move", "except=/x",
 * "nopassthrough", comma separated) into @v. 0, or -1 with a message printed (unknown option,
 * "except" without a path, both bind and move...).
 */
int vufs_parse_opts(const char *opts, struct vufs *v);
void vufs_free_opts(struct vufs *v);

/* SOURCE + @mpath of the mount being served into @buf: 0, or -1 ENAMETOOLONG. */
int vufs_path(const char *mpath, char *buf, size_t size);

#endif /* KMVIEW_MODULES_VUFS_H */

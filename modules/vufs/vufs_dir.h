/* SPDX-License-Identifier: GPL-2.0-or-later */
/* vufs_dir.h - the merged directories of a patchwork mount (vufs_dir.c). */
#ifndef KMVIEW_MODULES_VUFS_DIR_H
#define KMVIEW_MODULES_VUFS_DIR_H

#include "vufs.h"
#include "vufs_list.h"

/*
 * The entries of the directory @mpath: the virtual layer's, then the real
 * layer's not deleted and not already there; with "." and ".." first if
 * @dots. 0, or -1 with errno.
 */
int vufs_merged_list(struct vufs *v, const char *mpath, bool dots, struct vufs_list *l);
/* Whether the merged directory @mpath has an entry: 1, 0, or -1 with errno. */
int vufs_merged_nonempty(struct vufs *v, const char *mpath);

/* What vufs keeps for an open file of a patchwork mount (its fdprivate). */
struct vufs_file {
	bool is_dir;
	bool listed; /* l is built */
	struct vufs_list l;
	char mpath[];
};

#endif /* KMVIEW_MODULES_VUFS_DIR_H */

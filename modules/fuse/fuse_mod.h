/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse_mod.h - what the files of the fuse module share: the two entries
 * of the virtual /dev/fuse, and the helpers of the mount's methods.
 */
#ifndef KMVIEW_FUSE_MOD_H
#define KMVIEW_FUSE_MOD_H

#include <stdbool.h>
#include <vumodule.h>

#include "fuse_conn.h"

/* /dev/fuse: its path entry and its device number entry (10:229). */
extern struct vuht_entry_t *fuse_dev_path_ht, *fuse_dev_num_ht;

static inline bool fuse_is_dev(struct vuht_entry_t *ht)
{
	return ht && (ht == fuse_dev_path_ht || ht == fuse_dev_num_ht);
}

/* The methods of /dev/fuse (fuse_dev.c). */
int fuse_dev_lstat(const char *path, struct vu_stat *buf);
int fuse_dev_open(void **fdprivate);
int fuse_dev_close(void *fdprivate);
ssize_t fuse_dev_read(void *fdprivate, void *buf, size_t count);
ssize_t fuse_dev_write(void *fdprivate, const void *buf, size_t count);

/* The caller of the request being served, for the FUSE header. */
void fuse_who(struct fuse_caller *who);

/* Unmount @c's mount if it is still there (the server is gone). */
void fuse_mount_drop(struct fuse_conn *c);

#endif

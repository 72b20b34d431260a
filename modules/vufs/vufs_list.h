/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufs_list.h - the merged listing of a directory of two layers, built
 * once per open directory (at its first getdents, again at a rewind), so
 * that its offsets are stable: entry i has offset i + 1, what telldir
 * returns and seekdir gives back, whatever changes in the layers meanwhile.
 */
#ifndef KMVIEW_MODULES_VUFS_LIST_H
#define KMVIEW_MODULES_VUFS_LIST_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vufs_dent {
	uint64_t ino;
	unsigned char type; /* DT_* */
	char *name;
};

struct vufs_list {
	struct vufs_dent *ent;
	size_t n, cap;
	size_t *hash; /* open addressing: index + 1 of an entry, 0 free */
	size_t hcap;
	off_t pos; /* the index of the next entry getdents gives */
};

/*
 * Add @name unless it is there already (the first layer wins): 1 added,
 * 0 a duplicate, -1 ENOMEM.
 */
int vufs_list_add(struct vufs_list *l, const char *name, uint64_t ino, unsigned char type);
/* Whether @name is in the listing. */
int vufs_list_has(const struct vufs_list *l, const char *name);
/*
 * Fill @buf (@count bytes) with struct linux_dirent64 records from l->pos
 * on, advancing it: the bytes used, 0 at the end, -1 EINVAL if not even
 * one record fits.
 */
long vufs_list_fill(struct vufs_list *l, void *buf, size_t count);
void vufs_list_free(struct vufs_list *l);

#endif /* KMVIEW_MODULES_VUFS_LIST_H */

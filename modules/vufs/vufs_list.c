// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_list.c - the merged listing of a directory (see vufs_list.h).
 * Pure: the host unit test runs it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vufs_list.h"

/* struct linux_dirent64, which glibc's struct dirent64 matches on Linux */
struct vufs_dirent64 {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

static size_t vufs_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

static int vufs_list_rehash(struct vufs_list *l, size_t hcap)
{
	size_t *h = calloc(hcap, sizeof(*h));

	if (!h)
		return -1;
	for (size_t i = 0; i < l->n; i++) {
		size_t k = vufs_hash(l->ent[i].name) & (hcap - 1);

		while (h[k])
			k = (k + 1) & (hcap - 1);
		h[k] = i + 1;
	}
	free(l->hash);
	l->hash = h;
	l->hcap = hcap;
	return 0;
}

int vufs_list_has(const struct vufs_list *l, const char *name)
{
	if (!l->hcap)
		return 0;
	for (size_t k = vufs_hash(name) & (l->hcap - 1); l->hash[k]; k = (k + 1) & (l->hcap - 1))
		if (strcmp(l->ent[l->hash[k] - 1].name, name) == 0)
			return 1;
	return 0;
}

int vufs_list_add(struct vufs_list *l, const char *name, uint64_t ino, unsigned char type)
{
	size_t k;

	if (vufs_list_has(l, name))
		return 0;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		struct vufs_dent *e = realloc(l->ent, cap * sizeof(*e));

		if (!e)
			goto nomem;
		l->ent = e;
		l->cap = cap;
	}
	/* the table is kept at most half full */
	if ((l->n + 1) * 2 > l->hcap && vufs_list_rehash(l, l->hcap ? l->hcap * 2 : 32) < 0)
		goto nomem;
	l->ent[l->n].name = strdup(name);
	if (!l->ent[l->n].name)
		goto nomem;
	l->ent[l->n].ino = ino;
	l->ent[l->n].type = type;
	for (k = vufs_hash(name) & (l->hcap - 1); l->hash[k]; k = (k + 1) & (l->hcap - 1))
		;
	l->hash[k] = ++l->n;
	return 1;
nomem:
	errno = ENOMEM;
	return -1;
}

long vufs_list_fill(struct vufs_list *l, void *buf, size_t count)
{
	size_t used = 0;

	if (l->pos < 0)
		l->pos = 0;
	while ((size_t)l->pos < l->n) {
		const struct vufs_dent *e = &l->ent[l->pos];
		size_t len = strlen(e->name);
		size_t reclen = (offsetof(struct vufs_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
		struct vufs_dirent64 *d = (struct vufs_dirent64 *)((char *)buf + used);

		if (used + reclen > count) {
			if (used == 0) {
				errno = EINVAL;
				return -1;
			}
			break;
		}
		memset(d, 0, reclen);
		d->d_ino = e->ino;
		d->d_off = l->pos + 1;
		d->d_reclen = (unsigned short)reclen;
		d->d_type = e->type;
		memcpy(d->d_name, e->name, len + 1);
		used += reclen;
		l->pos++;
	}
	return (long)used;
}

void vufs_list_free(struct vufs_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->ent[i].name);
	free(l->ent);
	free(l->hash);
	memset(l, 0, sizeof(*l));
}

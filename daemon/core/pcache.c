// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pcache.c - the per-request cache of the modules' lstat (see pcache.h).
 *
 * A few entries per thread, in its own storage: a walk sees a handful of
 * paths, and a longer one only evicts its oldest (round robin). Paths
 * longer than an entry holds are not cached.
 */
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "core/modcall.h"
#include "core/pcache.h"

#define VU_PCACHE_SLOTS 16
#define VU_PCACHE_PATH 240

struct vu_pcache_slot {
	uint64_t epoch; /* the serving entry's; 0: an empty slot */
	long ret;
	bool follow;
	struct vu_stat st;
	char path[VU_PCACHE_PATH];
};

static __thread struct {
	bool on;
	unsigned int next; /* the slot the next answer goes to */
	struct vu_pcache_slot slot[VU_PCACHE_SLOTS];
	struct vu_pcache_stats stats;
} vu_pc;

void vu_pcache_clear(void)
{
	for (unsigned int i = 0; i < VU_PCACHE_SLOTS; i++)
		vu_pc.slot[i].epoch = 0;
	vu_pc.next = 0;
}

void vu_pcache_begin(void)
{
	vu_pcache_clear();
	vu_pc.on = true;
}

void vu_pcache_end(void)
{
	vu_pc.on = false;
	vu_pcache_clear();
}

void vu_pcache_get_stats(struct vu_pcache_stats *st)
{
	*st = vu_pc.stats;
}

/* The slot that answers an lstat of @path in the entry of @epoch, or NULL. */
static const struct vu_pcache_slot *vu_pcache_find(uint64_t epoch, const char *path, bool follow)
{
	for (unsigned int i = 0; i < VU_PCACHE_SLOTS; i++) {
		const struct vu_pcache_slot *s = &vu_pc.slot[i];

		if (s->epoch != epoch || strcmp(s->path, path) != 0)
			continue;
		if (s->follow == follow)
			return s;
		/*
		 * What is not a symlink is the same followed or not; and an
		 * lstat that failed could not reach the last component, which
		 * a followed one cannot either.
		 */
		if (follow && (s->ret != 0 || !S_ISLNK(s->st.st_mode)))
			return s;
	}
	return NULL;
}

long vu_pcache_lstat(struct vuht_entry_t *ht, const char *mpath, struct vu_stat *st, int flags)
{
	bool follow = !(flags & AT_SYMLINK_NOFOLLOW);
	size_t len = strlen(mpath);
	const struct vu_pcache_slot *hit;
	struct vu_pcache_slot *s;
	long r;

	vu_pc.stats.asked++;
	if (vu_pc.on && len < VU_PCACHE_PATH &&
	    (hit = vu_pcache_find(ht->epoch, mpath, follow)) != NULL) {
		vu_pc.stats.hits++;
		if (hit->ret == 0)
			*st = hit->st;
		return hit->ret;
	}
	r = vu_mcall(ht, lstat, int, VU_LSTAT_PROTO, (char *)mpath, st,
		     follow ? 0 : AT_SYMLINK_NOFOLLOW, -1, NULL);
	/* not a refusal to serve in the reader (modctx.h), which says nothing of the path */
	if (!vu_pc.on || len >= VU_PCACHE_PATH || vu_modctx_refused())
		return r;
	s = &vu_pc.slot[vu_pc.next];
	vu_pc.next = (vu_pc.next + 1) % VU_PCACHE_SLOTS;
	s->epoch = ht->epoch;
	s->ret = r;
	s->follow = follow;
	if (r == 0)
		s->st = *st;
	memcpy(s->path, mpath, len + 1);
	return r;
}

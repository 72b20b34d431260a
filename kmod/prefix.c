// SPDX-License-Identifier: GPL-2.0
/*
 * Path prefixes (the "ghost" table): where the daemon has virtual mounts,
 * real directories the kernel may redirect to (1.5), and real trees.
 *
 * The set is read by the probe under RCU and replaced whole on every
 * change (changes are rare: a mount, an umount), so lookups take no lock.
 * Entries are immutable and shared by successive sets; a set is an array
 * of them and a hash of their paths, so a lookup costs one probe per
 * component of the path, however many prefixes there are.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/rcupdate.h>
#include <linux/log2.h>

#include "internal.h"
#include "path.h"

struct kmview_prefix_ent {
	struct rcu_head rcu;
	u64 id;
	u32 flags;		/* KMVIEW_PREFIX_* */
	u32 len, src_len;
	u32 hash;
	const char *src;	/* in @path's allocation, after it */
	char path[];
};

struct kmview_prefix_set {
	struct rcu_head rcu;
	unsigned int n;
	unsigned int mask;		/* buckets - 1 */
	u32 *bucket;			/* index + 1 of the first entry, 0: none */
	u32 *next;			/* index + 1 of the next entry in the bucket */
	struct kmview_prefix_ent *ent[];
};

static struct kmview_prefix_set *kmview_prefix_set_build(struct kmview_prefix_ent **ent,
							 unsigned int n)
{
	unsigned int buckets = roundup_pow_of_two(max(2 * n, 4U));
	struct kmview_prefix_set *set;
	unsigned int i;
	size_t size;

	size = struct_size_t(struct kmview_prefix_set, ent, n) + (buckets + n) * sizeof(u32);
	set = kvzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!set)
		return NULL;
	set->n = n;
	set->mask = buckets - 1;
	set->bucket = (u32 *)&set->ent[n];
	set->next = set->bucket + buckets;
	for (i = 0; i < n; i++) {
		u32 b = ent[i]->hash & set->mask;

		set->ent[i] = ent[i];
		set->next[i] = set->bucket[b];
		set->bucket[b] = i + 1;
	}
	return set;
}

static void kmview_prefix_set_free_rcu(struct rcu_head *rcu)
{
	kvfree(container_of(rcu, struct kmview_prefix_set, rcu));
}

/* Publish @set (may be NULL) in place of @old; the caller holds cfg_lock. */
static void kmview_prefix_publish(struct kmview_view *view, struct kmview_prefix_set *old,
				  struct kmview_prefix_set *set)
{
	rcu_assign_pointer(view->prefixes, set);
	if (old)
		call_rcu(&old->rcu, kmview_prefix_set_free_rcu);
}

static struct kmview_prefix_ent *kmview_prefix_ent_new(const struct kmview_prefix *arg)
{
	struct kmview_prefix_ent *e;
	size_t size = arg->len + 1 + arg->src_len + 1;
	char *src;

	e = kzalloc(struct_size(e, path, size), GFP_KERNEL_ACCOUNT);
	if (!e)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(e->path, u64_to_user_ptr(arg->path), arg->len))
		goto fault;
	src = e->path + arg->len + 1;
	if (arg->src_len && copy_from_user(src, u64_to_user_ptr(arg->src), arg->src_len))
		goto fault;
	e->id = arg->id;
	e->flags = arg->flags;
	e->len = arg->len;
	e->src_len = arg->src_len;
	e->src = src;
	e->hash = kmview_path_hash(e->path, e->len);
	if (!kmview_path_is_normal(e->path, e->len) ||
	    (e->src_len && !kmview_path_is_normal(src, e->src_len))) {
		kfree(e);
		return ERR_PTR(-EINVAL);
	}
	return e;
fault:
	kfree(e);
	return ERR_PTR(-EFAULT);
}

static int kmview_prefix_check(const struct kmview_prefix *arg)
{
	bool redirect = arg->flags & KMVIEW_PREFIX_REDIRECT;

	if (arg->reserved || !arg->id || arg->len == 0 || arg->len >= KMVIEW_PATH_MAX)
		return -EINVAL;
	if (arg->flags & ~(KMVIEW_PREFIX_REDIRECT | KMVIEW_PREFIX_NATIVE) ||
	    arg->flags == (KMVIEW_PREFIX_REDIRECT | KMVIEW_PREFIX_NATIVE))
		return -EINVAL;
	if (redirect != (arg->src_len != 0) || (!redirect && arg->src) ||
	    arg->src_len >= KMVIEW_PATH_MAX)
		return -EINVAL;
	return 0;
}

int kmview_prefix_add(struct kmview_view *view, const struct kmview_prefix *arg)
{
	struct kmview_prefix_ent **ent = NULL, *e;
	struct kmview_prefix_set *old, *set;
	unsigned int i, n;
	int err;

	err = kmview_prefix_check(arg);
	if (err)
		return err;
	e = kmview_prefix_ent_new(arg);
	if (IS_ERR(e))
		return PTR_ERR(e);

	mutex_lock(&view->cfg_lock);
	old = rcu_dereference_protected(view->prefixes, lockdep_is_held(&view->cfg_lock));
	n = old ? old->n : 0;
	err = -ENOSPC;
	if (n >= KMVIEW_MAX_PREFIXES)
		goto unlock;
	err = -EEXIST;
	for (i = 0; i < n; i++)
		if (old->ent[i]->id == arg->id)
			goto unlock;
	err = -ENOMEM;
	ent = kvmalloc_array(n + 1, sizeof(*ent), GFP_KERNEL_ACCOUNT);
	if (!ent)
		goto unlock;
	for (i = 0; i < n; i++)
		ent[i] = old->ent[i];
	ent[n] = e;
	set = kmview_prefix_set_build(ent, n + 1);
	if (!set)
		goto unlock;
	kmview_prefix_publish(view, old, set);
	e = NULL;
	err = 0;
unlock:
	mutex_unlock(&view->cfg_lock);
	kvfree(ent);
	kfree(e);
	return err;
}

int kmview_prefix_del(struct kmview_view *view, u64 id)
{
	struct kmview_prefix_set *old, *set = NULL;
	struct kmview_prefix_ent **ent = NULL, *gone;
	unsigned int i, j, n = 0;
	int err = -ENOENT;

	mutex_lock(&view->cfg_lock);
	old = rcu_dereference_protected(view->prefixes, lockdep_is_held(&view->cfg_lock));
	for (i = 0; old && i < old->n; i++)
		if (old->ent[i]->id == id)
			break;
	if (!old || i == old->n)
		goto unlock;
	gone = old->ent[i];
	err = -ENOMEM;
	if (old->n > 1) {
		ent = kvmalloc_array(old->n - 1, sizeof(*ent), GFP_KERNEL_ACCOUNT);
		if (!ent)
			goto unlock;
		for (j = 0; j < old->n; j++)
			if (j != i)
				ent[n++] = old->ent[j];
		set = kmview_prefix_set_build(ent, n);
		if (!set)
			goto unlock;
	}
	kmview_prefix_publish(view, old, set);
	kfree_rcu(gone, rcu);
	err = 0;
unlock:
	mutex_unlock(&view->cfg_lock);
	kvfree(ent);
	return err;
}

/*
 * What the newest prefix the normalised absolute @path falls under says,
 * of those older than @below if it is not 0: KMVIEW_PREFIX_NONE if none.
 * For a redirect, @hit gets its id, the length of the prefix and, if
 * @hit->src is set, a copy of the real directory. Any context.
 */
int kmview_prefix_lookup(struct kmview_view *view, const char *path, size_t len,
			 u64 below, struct kmview_prefix_hit *hit)
{
	const struct kmview_prefix_ent *best = NULL;
	struct kmview_prefix_set *set;
	struct kmview_path_iter it;
	int kind = KMVIEW_PREFIX_NONE;
	size_t plen;
	u32 h;

	rcu_read_lock();
	set = rcu_dereference(view->prefixes);
	if (!set)
		goto out;
	kmview_path_iter_init(&it, path, len);
	while (kmview_path_next_prefix(&it, &plen, &h)) {
		u32 i;

		for (i = set->bucket[h & set->mask]; i; i = set->next[i - 1]) {
			const struct kmview_prefix_ent *e = set->ent[i - 1];

			if (e->hash == h && e->len == plen && !memcmp(e->path, path, plen) &&
			    (!below || e->id < below) && (!best || e->id > best->id))
				best = e;
		}
	}
	if (!best)
		goto out;
	if (best->flags & KMVIEW_PREFIX_NATIVE) {
		kind = KMVIEW_PREFIX_REAL;
	} else if (best->flags & KMVIEW_PREFIX_REDIRECT) {
		kind = KMVIEW_PREFIX_TO_REAL;
		hit->id = best->id;
		hit->len = best->len;
		hit->src_len = best->src_len;
		if (hit->src)
			memcpy(hit->src, best->src, best->src_len + 1);
	} else {
		kind = KMVIEW_PREFIX_VIRTUAL;
	}
out:
	rcu_read_unlock();
	return kind;
}

bool kmview_prefix_any(struct kmview_view *view)
{
	return rcu_access_pointer(view->prefixes) != NULL;
}

/* The view is being freed: nobody can look any more. */
void kmview_prefix_free(struct kmview_view *view)
{
	struct kmview_prefix_set *set = rcu_dereference_protected(view->prefixes, true);
	unsigned int i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		kfree(set->ent[i]);
	kvfree(set);
}

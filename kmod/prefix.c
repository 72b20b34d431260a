// SPDX-License-Identifier: GPL-2.0
/*
 * Path prefixes (the "ghost" table): where the daemon has virtual mounts.
 *
 * The set is read by the probe under RCU and replaced whole on every
 * change (changes are rare: a mount, an umount), so lookups take no lock.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/rcupdate.h>

#include "internal.h"
#include "path.h"

struct kmview_prefix_ent {
	u64 id;
	u32 len;
	char *path;
};

struct kmview_prefix_set {
	struct rcu_head rcu;
	unsigned int n;
	struct kmview_prefix_ent ent[];
};

static void kmview_prefix_set_free(struct kmview_prefix_set *set)
{
	unsigned int i;

	if (!set)
		return;
	for (i = 0; i < set->n; i++)
		kfree(set->ent[i].path);
	kfree(set);
}

static void kmview_prefix_set_free_rcu(struct rcu_head *rcu)
{
	kmview_prefix_set_free(container_of(rcu, struct kmview_prefix_set, rcu));
}

/* A copy of @old with room for @n entries; the paths are shared until committed. */
static struct kmview_prefix_set *kmview_prefix_set_alloc(unsigned int n)
{
	return kzalloc(struct_size_t(struct kmview_prefix_set, ent, n), GFP_KERNEL_ACCOUNT);
}

int kmview_prefix_add(struct kmview_view *view, const struct kmview_prefix *arg)
{
	struct kmview_prefix_set *old, *set;
	unsigned int i, n;
	char *path;
	int err;

	if (arg->flags || arg->reserved[0] || arg->reserved[1] || !arg->id ||
	    arg->len == 0 || arg->len >= KMVIEW_PATH_MAX)
		return -EINVAL;
	path = memdup_user_nul(u64_to_user_ptr(arg->path), arg->len);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!kmview_path_is_normal(path, arg->len)) {
		kfree(path);
		return -EINVAL;
	}

	mutex_lock(&view->cfg_lock);
	old = rcu_dereference_protected(view->prefixes, lockdep_is_held(&view->cfg_lock));
	n = old ? old->n : 0;
	err = -ENOSPC;
	if (n >= KMVIEW_MAX_PREFIXES)
		goto unlock;
	err = -EEXIST;
	for (i = 0; i < n; i++)
		if (old->ent[i].id == arg->id)
			goto unlock;
	err = -ENOMEM;
	set = kmview_prefix_set_alloc(n + 1);
	if (!set)
		goto unlock;
	for (i = 0; i < n; i++) {
		set->ent[i] = old->ent[i];
		set->ent[i].path = kstrdup(old->ent[i].path, GFP_KERNEL_ACCOUNT);
		if (!set->ent[i].path) {
			set->n = i;
			kmview_prefix_set_free(set);
			goto unlock;
		}
	}
	set->ent[n] = (struct kmview_prefix_ent){ .id = arg->id, .len = arg->len, .path = path };
	set->n = n + 1;
	path = NULL;
	rcu_assign_pointer(view->prefixes, set);
	if (old)
		call_rcu(&old->rcu, kmview_prefix_set_free_rcu);
	err = 0;
unlock:
	mutex_unlock(&view->cfg_lock);
	kfree(path);
	return err;
}

int kmview_prefix_del(struct kmview_view *view, u64 id)
{
	struct kmview_prefix_set *old, *set = NULL;
	unsigned int i, j;
	int err = -ENOENT;

	mutex_lock(&view->cfg_lock);
	old = rcu_dereference_protected(view->prefixes, lockdep_is_held(&view->cfg_lock));
	for (i = 0; old && i < old->n; i++)
		if (old->ent[i].id == id)
			break;
	if (!old || i == old->n)
		goto unlock;
	err = -ENOMEM;
	if (old->n > 1) {
		set = kmview_prefix_set_alloc(old->n - 1);
		if (!set)
			goto unlock;
		for (j = 0; j < old->n; j++) {
			struct kmview_prefix_ent *e = &set->ent[set->n];

			if (j == i)
				continue;
			*e = old->ent[j];
			e->path = kstrdup(old->ent[j].path, GFP_KERNEL_ACCOUNT);
			if (!e->path) {
				kmview_prefix_set_free(set);
				goto unlock;
			}
			set->n++;
		}
	}
	rcu_assign_pointer(view->prefixes, set);
	call_rcu(&old->rcu, kmview_prefix_set_free_rcu);
	err = 0;
unlock:
	mutex_unlock(&view->cfg_lock);
	return err;
}

/* Is the normalised absolute @path under a prefix? Any context. */
bool kmview_prefix_match(struct kmview_view *view, const char *path, size_t len)
{
	struct kmview_prefix_set *set;
	bool hit = false;
	unsigned int i;

	rcu_read_lock();
	set = rcu_dereference(view->prefixes);
	for (i = 0; set && i < set->n && !hit; i++)
		hit = kmview_path_under(set->ent[i].path, set->ent[i].len, path, len);
	rcu_read_unlock();
	return hit;
}

bool kmview_prefix_any(struct kmview_view *view)
{
	return rcu_access_pointer(view->prefixes) != NULL;
}

/* The view is being freed: nobody can look any more. */
void kmview_prefix_free(struct kmview_view *view)
{
	kmview_prefix_set_free(rcu_dereference_protected(view->prefixes, true));
}

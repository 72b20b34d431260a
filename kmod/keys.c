// SPDX-License-Identifier: GPL-2.0
/*
 * The keys of a view (KMVIEW_IOC_SET_KEYS): the socket families, ioctl
 * requests and device numbers that may be virtual.
 *
 * Like the prefixes, the set is read under RCU (the probe, the task_work)
 * and replaced whole by the daemon; a view that never set keys has none,
 * and then nothing here costs more than a NULL pointer test.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/rcupdate.h>
#include <linux/sort.h>
#include <linux/bsearch.h>
#include <linux/kdev_t.h>
#include <linux/stat.h>

#include "internal.h"

struct kmview_devkey {
	dev_t dev;
	bool blk;
	bool any_minor;
};

struct kmview_keyset {
	struct rcu_head rcu;
	u64 families;
	u32 flags;		/* KMVIEW_KEYS_ANY_* */
	bool devs;		/* some device may be virtual */
	unsigned int nr_ioctls, nr_devs;
	u32 *ioctls;		/* sorted, after devs[] in the same allocation */
	struct kmview_devkey devs_key[];
};

#define KMVIEW_KEYS_FLAGS (KMVIEW_KEYS_ANY_IOCTL | KMVIEW_KEYS_ANY_CHR | KMVIEW_KEYS_ANY_BLK)
#define KMVIEW_DEV_FLAGS (KMVIEW_DEV_BLK | KMVIEW_DEV_ANY_MINOR)

static int kmview_u32_cmp(const void *a, const void *b)
{
	u32 x = *(const u32 *)a, y = *(const u32 *)b;

	return x < y ? -1 : x > y;
}

static int kmview_keys_devs(struct kmview_keyset *set, const struct kmview_dev_key *k)
{
	unsigned int i;

	for (i = 0; i < set->nr_devs; i++) {
		if (k[i].reserved || (k[i].flags & ~KMVIEW_DEV_FLAGS) || k[i].major >= (1U << 12) ||
		    k[i].minor > MINORMASK ||
		    ((k[i].flags & KMVIEW_DEV_ANY_MINOR) && k[i].minor))
			return -EINVAL;
		set->devs_key[i].dev = MKDEV(k[i].major, k[i].minor);
		set->devs_key[i].blk = k[i].flags & KMVIEW_DEV_BLK;
		set->devs_key[i].any_minor = k[i].flags & KMVIEW_DEV_ANY_MINOR;
	}
	return 0;
}

int kmview_keys_set(struct kmview_view *view, const struct kmview_keys *arg)
{
	struct kmview_keyset *set, *old;
	struct kmview_dev_key *devs;
	size_t size;
	int err;

	if (memchr_inv(arg->reserved, 0, sizeof(arg->reserved)) ||
	    (arg->flags & ~KMVIEW_KEYS_FLAGS))
		return -EINVAL;
	if (arg->nr_ioctls > KMVIEW_MAX_KEYS || arg->nr_devs > KMVIEW_MAX_KEYS)
		return -E2BIG;
	size = struct_size_t(struct kmview_keyset, devs_key, arg->nr_devs) +
	       arg->nr_ioctls * sizeof(u32);
	set = kzalloc(size, GFP_KERNEL_ACCOUNT);
	if (!set)
		return -ENOMEM;
	set->families = arg->families;
	set->flags = arg->flags;
	set->nr_ioctls = arg->nr_ioctls;
	set->nr_devs = arg->nr_devs;
	set->ioctls = (u32 *)&set->devs_key[arg->nr_devs];
	err = -EFAULT;
	if (copy_from_user(set->ioctls, u64_to_user_ptr(arg->ioctls),
			   arg->nr_ioctls * sizeof(u32)))
		goto fail;
	sort(set->ioctls, set->nr_ioctls, sizeof(u32), kmview_u32_cmp, NULL);
	if (arg->nr_devs) {
		devs = memdup_user(u64_to_user_ptr(arg->devs), arg->nr_devs * sizeof(*devs));
		if (IS_ERR(devs)) {
			err = PTR_ERR(devs);
			goto fail;
		}
		err = kmview_keys_devs(set, devs);
		kfree(devs);
		if (err)
			goto fail;
	}
	set->devs = set->nr_devs || (set->flags & (KMVIEW_KEYS_ANY_CHR | KMVIEW_KEYS_ANY_BLK));

	mutex_lock(&view->cfg_lock);
	old = rcu_dereference_protected(view->keys, lockdep_is_held(&view->cfg_lock));
	rcu_assign_pointer(view->keys, set);
	mutex_unlock(&view->cfg_lock);
	if (old)
		kfree_rcu(old, rcu);
	return 0;
fail:
	kfree(set);
	return err;
}

/* Have keys been set? Then socket and socketpair follow @families. Under RCU. */
bool kmview_keys_active(struct kmview_view *view)
{
	return rcu_access_pointer(view->keys) != NULL;
}

/* May socket(@arg) be virtual? Any context. */
bool kmview_keys_family(struct kmview_view *view, unsigned long arg)
{
	u32 family = (u32)arg;	/* sys_socket's family is an int: the high bits go */
	struct kmview_keyset *set;
	bool hit;

	if (family >= 64)
		return false;
	rcu_read_lock();
	set = rcu_dereference(view->keys);
	hit = set && (set->families & BIT_ULL(family));
	rcu_read_unlock();
	return hit;
}

/* May ioctl @request on a real fd be virtual? Any context. */
bool kmview_keys_ioctl(struct kmview_view *view, unsigned long request)
{
	u32 req = (u32)request;	/* sys_ioctl's cmd is an unsigned int */
	struct kmview_keyset *set;
	bool hit = false;

	rcu_read_lock();
	set = rcu_dereference(view->keys);
	if (set)
		hit = (set->flags & KMVIEW_KEYS_ANY_IOCTL) ||
		      bsearch(&req, set->ioctls, set->nr_ioctls, sizeof(u32), kmview_u32_cmp);
	rcu_read_unlock();
	return hit;
}

/* Is any device key set (must path calls be resolved)? Any context. */
bool kmview_keys_any_dev(struct kmview_view *view)
{
	struct kmview_keyset *set;
	bool devs;

	rcu_read_lock();
	set = rcu_dereference(view->keys);
	devs = set && set->devs;
	rcu_read_unlock();
	return devs;
}

/* Is an inode of @mode and @rdev a device node a key names? Any context. */
bool kmview_keys_dev(struct kmview_view *view, umode_t mode, dev_t rdev)
{
	struct kmview_keyset *set;
	bool blk = S_ISBLK(mode);
	bool hit = false;
	unsigned int i;

	if (!S_ISCHR(mode) && !blk)
		return false;
	rcu_read_lock();
	set = rcu_dereference(view->keys);
	if (set)
		hit = set->flags & (blk ? KMVIEW_KEYS_ANY_BLK : KMVIEW_KEYS_ANY_CHR);
	for (i = 0; set && i < set->nr_devs && !hit; i++) {
		const struct kmview_devkey *k = &set->devs_key[i];

		hit = k->blk == blk &&
		      (k->any_minor ? MAJOR(k->dev) == MAJOR(rdev) : k->dev == rdev);
	}
	rcu_read_unlock();
	return hit;
}

/* The view is being freed: nobody can look any more. */
void kmview_keys_free(struct kmview_view *view)
{
	kfree(rcu_dereference_protected(view->keys, true));
}

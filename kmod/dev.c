// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kmview: the daemon's side of a view.
 *
 * open() creates a view owned by the opener; read() takes requests and
 * notes (ring.c), write() answers requests (reply.c), ioctl() negotiates
 * and configures, and lets the daemon's child join (attach). release()
 * kills the view with everything in it.
 *
 * Usage, from the daemon (see Documentation/uapi.md):
 *	fd = open("/dev/kmview", O_RDWR | O_CLOEXEC);
 *	ioctl(fd, KMVIEW_IOC_HELLO, &hello);
 *	if (fork() == 0) { ioctl(fd, KMVIEW_IOC_ATTACH); execvp(...); }
 *	while ((n = read(fd, buf, sizeof(buf))) > 0) ... write(fd, &reply, reply.len);
 */
#include <linux/module.h>
#include <linux/miscdevice.h>
#include <linux/fs.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/sched/task.h>

#include "internal.h"

static int kmview_open(struct inode *inode, struct file *file)
{
	struct kmview_view *view = kmview_view_create();

	if (!view)
		return -ENOMEM;
	file->private_data = view;
	return 0;
}

static int kmview_release(struct inode *inode, struct file *file)
{
	struct kmview_view *view = file->private_data;

	kmview_view_kill(view);
	kmview_view_put(view);
	return 0;
}

static ssize_t kmview_read(struct file *file, char __user *buf, size_t count, loff_t *ppos)
{
	struct kmview_view *view = file->private_data;

	if (!READ_ONCE(view->hello_done))
		return -EPROTO;
	return kmview_ring_read(view, buf, count, file->f_flags & O_NONBLOCK);
}

static ssize_t kmview_write(struct file *file, const char __user *buf, size_t count,
			    loff_t *ppos)
{
	struct kmview_view *view = file->private_data;

	if (!READ_ONCE(view->hello_done))
		return -EPROTO;
	return kmview_reply_write(view, buf, count);
}

static __poll_t kmview_poll(struct file *file, poll_table *wait)
{
	return kmview_ring_poll(file->private_data, file, wait);
}

static bool kmview_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

static long kmview_ioc_hello(struct kmview_view *view, void __user *uarg)
{
	struct kmview_hello h;

	if (copy_from_user(&h, uarg, sizeof(h)))
		return -EFAULT;
	if (!kmview_zero(h.reserved, sizeof(h.reserved)) || h.supported || h.read_min ||
	    h.reply_max || h.nr_syscalls)
		return -EINVAL;
	if (h.major != KMVIEW_API_MAJOR)
		return -EPROTO;
	if (h.features & ~KMVIEW_FEAT_ALL)
		return -EINVAL;
	mutex_lock(&view->cfg_lock);
	if (view->hello_done) {
		mutex_unlock(&view->cfg_lock);
		return -EBUSY;
	}
	spin_lock(&view->lock);
	view->features = h.features;
	spin_unlock(&view->lock);
	WRITE_ONCE(view->hello_done, true);
	mutex_unlock(&view->cfg_lock);

	h.major = KMVIEW_API_MAJOR;
	h.minor = KMVIEW_API_MINOR;
	h.supported = KMVIEW_FEAT_ALL;
	h.read_min = KMVIEW_READ_MIN;
	h.reply_max = KMVIEW_REPLY_MAX;
	h.nr_syscalls = KMVIEW_NR_SYSCALLS;
	return copy_to_user(uarg, &h, sizeof(h)) ? -EFAULT : 0;
}

static long kmview_ioc_set_filter(struct kmview_view *view, void __user *uarg)
{
	unsigned long bits[BITS_TO_LONGS(KMVIEW_NR_SYSCALLS)] = { 0 };
	struct kmview_filter f;
	unsigned int i;

	if (copy_from_user(&f, uarg, sizeof(f)))
		return -EFAULT;
	if (!kmview_zero(f.reserved, sizeof(f.reserved)) ||
	    (f.flags & ~KMVIEW_FILTER_ALL) || f.nr_bits > KMVIEW_NR_SYSCALLS)
		return -EINVAL;
	if (f.nr_bits && copy_from_user(bits, u64_to_user_ptr(f.bitmap),
					DIV_ROUND_UP(f.nr_bits, 64) * sizeof(u64)))
		return -EFAULT;
	/* bits past nr_bits came along with the last word: clear them */
	for (i = f.nr_bits; i < KMVIEW_NR_SYSCALLS; i++)
		__clear_bit(i, bits);
	mutex_lock(&view->cfg_lock);
	for (i = 0; i < ARRAY_SIZE(bits); i++)
		WRITE_ONCE(view->bitmap[i], bits[i]);
	WRITE_ONCE(view->filter_flags, f.flags);
	mutex_unlock(&view->cfg_lock);
	return 0;
}

/*
 * The member parked in request @unique, held parked: it stays in the
 * kernel until kmview_unpark(), as a ptraced task stays stopped while its
 * tracer peeks, even if another daemon thread answers meanwhile.
 */
static struct kmview_member *kmview_park(struct kmview_view *view, u64 unique)
{
	struct kmview_member *m = NULL;
	struct kmview_req *req;

	spin_lock(&view->lock);
	req = kmview_find_taken_locked(view, unique);
	if (req) {
		m = req->member;
		kmview_member_get(m);
		get_task_struct(m->task);	/* a killed member does not wait for us */
		atomic_inc(&m->mem_users);
	}
	spin_unlock(&view->lock);
	return m;
}

static void kmview_unpark(struct kmview_member *m)
{
	put_task_struct(m->task);
	if (atomic_dec_and_test(&m->mem_users))
		wake_up(&m->mem_wq);
	kmview_member_put(m);
}

static long kmview_ioc_mem(struct kmview_view *view, void __user *uarg)
{
	unsigned int gup = 0;
	struct kmview_member *m;
	struct kmview_mem mem;
	void *kbuf;
	long ret;

	if (copy_from_user(&mem, uarg, sizeof(mem)))
		return -EFAULT;
	if (!kmview_zero(mem.reserved, sizeof(mem.reserved)) ||
	    (mem.flags & ~KMVIEW_MEM_WRITE) || mem.len == 0 || mem.len > KMVIEW_REPLY_MAX)
		return -EINVAL;
	kbuf = kvmalloc(mem.len, GFP_KERNEL_ACCOUNT);
	if (!kbuf)
		return -ENOMEM;
	ret = -EFAULT;
	if ((mem.flags & KMVIEW_MEM_WRITE) && copy_from_user(kbuf, u64_to_user_ptr(mem.buf), mem.len))
		goto out;
	m = kmview_park(view, mem.unique);
	ret = -ENOENT;
	if (!m)
		goto out;
	ret = -EPERM;
	if (!kmview_policy_access(view, m->task))
		goto unpark;
	/* the member's own protections apply: no FOLL_FORCE */
	if (mem.flags & KMVIEW_MEM_WRITE)
		gup = FOLL_WRITE;
	ret = access_process_vm(m->task, mem.addr, kbuf, mem.len, gup);
unpark:
	kmview_unpark(m);
	if (ret > 0 && !(mem.flags & KMVIEW_MEM_WRITE) &&
	    copy_to_user(u64_to_user_ptr(mem.buf), kbuf, ret))
		ret = -EFAULT;
	if (ret == 0)
		ret = -EFAULT;
out:
	kvfree(kbuf);
	return ret;
}

static long kmview_ioc_vfd_poll(struct kmview_view *view, void __user *uarg)
{
	struct kmview_vfd_poll p;

	if (copy_from_user(&p, uarg, sizeof(p)))
		return -EFAULT;
	if (!kmview_zero(p.reserved, sizeof(p.reserved)) || !p.handle)
		return -EINVAL;
	return kmview_vfd_set_events(view, p.handle, (__force __poll_t)p.events);
}

static long kmview_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct kmview_view *view = file->private_data;
	void __user *uarg = (void __user *)arg;
	struct kmview_prefix prefix;
	struct kmview_vfd_path vpath;
	struct kmview_keys keys;
	u64 id;

	if (cmd == KMVIEW_IOC_HELLO)
		return kmview_ioc_hello(view, uarg);
	if (!READ_ONCE(view->hello_done))
		return _IOC_TYPE(cmd) == KMVIEW_IOC_MAGIC ? -EPROTO : -ENOTTY;

	switch (cmd) {
	case KMVIEW_IOC_SET_FILTER:
		return kmview_ioc_set_filter(view, uarg);
	case KMVIEW_IOC_ADD_PREFIX:
		if (copy_from_user(&prefix, uarg, sizeof(prefix)))
			return -EFAULT;
		return kmview_prefix_add(view, &prefix);
	case KMVIEW_IOC_DEL_PREFIX:
		if (copy_from_user(&id, uarg, sizeof(id)))
			return -EFAULT;
		return kmview_prefix_del(view, id);
	case KMVIEW_IOC_ATTACH:
		return arg ? -EINVAL : kmview_member_attach(view);
	case KMVIEW_IOC_MEM:
		return kmview_ioc_mem(view, uarg);
	case KMVIEW_IOC_VFD_POLL:
		return kmview_ioc_vfd_poll(view, uarg);
	case KMVIEW_IOC_SET_KEYS:
		if (copy_from_user(&keys, uarg, sizeof(keys)))
			return -EFAULT;
		return kmview_keys_set(view, &keys);
	case KMVIEW_IOC_VFD_PATH:
		if (copy_from_user(&vpath, uarg, sizeof(vpath)))
			return -EFAULT;
		return kmview_vfd_set_path(view, &vpath);
	default:
		return -ENOTTY;
	}
}

static const struct file_operations kmview_fops = {
	.owner = THIS_MODULE,
	.open = kmview_open,
	.release = kmview_release,
	.read = kmview_read,
	.write = kmview_write,
	.poll = kmview_poll,
	.unlocked_ioctl = kmview_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

/* Is @file a view (an open /dev/kmview)? Never handed to a member. */
bool kmview_is_view_file(const struct file *file)
{
	return file->f_op == &kmview_fops;
}

struct miscdevice kmview_miscdev = {
	.minor = KMVIEW_MINOR,
	.name = "kmview",
	.fops = &kmview_fops,
	.mode = 0666,
};

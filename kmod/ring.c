// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's read(): queued notes and requests out, as whole messages.
 *
 * Entries are serialised into a staging buffer under the view lock (no
 * fault can happen there) and copied out after it is dropped; then requests
 * move to the processing list, where a reply or a signal finds them. The
 * user buffer is faulted in first, and if the copy fails anyway the
 * entries go back to the head of the queue: a bad buffer loses nothing.
 */
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/pagemap.h>

#include "internal.h"

static size_t kmview_note_size(const struct kmview_note *note)
{
	switch (note->type) {
	case KMVIEW_MSG_SYSCALL:
		return container_of(note, struct kmview_req, note)->msg_len;
	case KMVIEW_MSG_RELEASE:
		return sizeof(struct kmview_msg) + sizeof(struct kmview_release);
	case KMVIEW_MSG_FORK:
		return sizeof(struct kmview_msg) + sizeof(struct kmview_fork);
	default:
		return sizeof(struct kmview_msg);
	}
}

/* Serialise one entry into @dst, in the reader's pid namespace; under view->lock. */
static void kmview_note_put(const struct kmview_note *note, char *dst, size_t size)
{
	struct kmview_msg *h = (struct kmview_msg *)dst;

	if (note->type == KMVIEW_MSG_SYSCALL) {
		memcpy(dst, container_of(note, struct kmview_req, note)->msg, size);
	} else {
		memset(dst, 0, size);
		h->len = size;
		h->type = note->type;
		h->unique = note->unique;
	}
	h->tid = pid_vnr(note->tid);
	h->tgid = pid_vnr(note->tgid);
	if (note->type == KMVIEW_MSG_RELEASE) {
		((struct kmview_release *)(h + 1))->handle = note->arg;
	} else if (note->type == KMVIEW_MSG_FORK) {
		struct kmview_fork *f = (struct kmview_fork *)(h + 1);

		f->child = pid_vnr(note->child);
		f->clone_flags = note->arg;
	}
}

/*
 * Serialise what fits in @count bytes of @stage and move it to @taken, in
 * queue order; under view->lock. Requests become TAKEN at once, so that a
 * signal from here on is passed to the daemon as an INTERRUPT.
 */
static size_t kmview_take_locked(struct kmview_view *view, char *stage, size_t count,
				 struct list_head *taken)
	__must_hold(&view->lock)
{
	lockdep_assert_held(&view->lock);
	struct kmview_note *note, *tmp;
	size_t used = 0;

	list_for_each_entry_safe(note, tmp, &view->pending, list) {
		size_t size = kmview_note_size(note);

		if (used + size > count)
			break;
		kmview_note_put(note, stage + used, size);
		used += size;
		list_move_tail(&note->list, taken);
		if (note->type == KMVIEW_MSG_SYSCALL)
			container_of(note, struct kmview_req, note)->state = KMVIEW_REQ_TAKEN;
	}
	return used;
}

/*
 * The copy to the daemon failed: everything goes back to the head of the
 * queue, in order, as if never read (uapi.md: a bad buffer loses nothing).
 * A member may have withdrawn its request meanwhile: it unlinked it.
 */
static void kmview_untake_locked(struct kmview_view *view, struct list_head *taken)
	__must_hold(&view->lock)
{
	struct kmview_note *note;

	list_for_each_entry(note, taken, list)
		if (note->type == KMVIEW_MSG_SYSCALL)
			container_of(note, struct kmview_req, note)->state = KMVIEW_REQ_QUEUED;
	list_splice(taken, &view->pending);
}

/*
 * The copy succeeded: requests await their replies, notes are done
 * (released by the caller once the lock is dropped, into @done).
 */
static void kmview_commit_locked(struct kmview_view *view, struct list_head *taken,
				 struct list_head *done)
	__must_hold(&view->lock)
{
	struct kmview_note *note, *tmp;

	list_for_each_entry_safe(note, tmp, taken, list) {
		if (note->type == KMVIEW_MSG_SYSCALL)
			kmview_req_take_locked(view, container_of(note, struct kmview_req, note));
		else if (note->release)
			list_move_tail(&note->list, done);
		else
			list_del_init(&note->list);	/* an INTERRUPT, inside its request */
	}
}

/* Wait until there is something to read: 1, or 0 at end of file, or -errno. */
static int kmview_wait_pending(struct kmview_view *view, bool nonblock)
{
	for (;;) {
		int ret;

		spin_lock(&view->lock);
		if (view->dead)
			ret = -ENODEV;
		else if (!list_empty(&view->pending))
			ret = 1;
		else if (kmview_view_eof_locked(view))
			ret = 0;
		else
			ret = -EAGAIN;
		spin_unlock(&view->lock);
		if (ret != -EAGAIN || nonblock)
			return ret;
		if (wait_event_interruptible_exclusive(view->waitq,
						       !list_empty(&view->pending) ||
						       READ_ONCE(view->dead) ||
						       kmview_view_eof_locked(view)))
			return -ERESTARTSYS;
	}
}

/* Bytes of the whole messages at the head of the queue that fit in @count. */
static size_t kmview_fit_locked(struct kmview_view *view, size_t count)
	__must_hold(&view->lock)
{
	struct kmview_note *note;
	size_t used = 0;

	list_for_each_entry(note, &view->pending, list) {
		size_t size = kmview_note_size(note);

		if (used + size > count)
			break;
		used += size;
	}
	return used;
}

ssize_t kmview_ring_read(struct kmview_view *view, char __user *buf, size_t count, bool nonblock)
{
	struct kmview_note *note, *tmp;
	LIST_HEAD(taken);
	LIST_HEAD(done);
	size_t want, used;
	char *stage;
	int ret;

	if (count < KMVIEW_READ_MIN)
		return -EINVAL;
	/* one read stages at most this much: the allocation and the walks under the lock are bounded */
	count = min_t(size_t, count, KMVIEW_READ_MAX);
again:
	ret = kmview_wait_pending(view, nonblock);
	if (ret <= 0)
		return ret;
	spin_lock(&view->lock);
	want = kmview_fit_locked(view, count);
	spin_unlock(&view->lock);
	if (!want)
		goto again;

	/*
	 * Fault the buffer in and allocate before anything is taken off the
	 * queue. The queue may change meanwhile: what is taken below is at
	 * most @want bytes. Should the copy still fail (the buffer unmapped
	 * by another thread), everything goes back.
	 */
	if (fault_in_writeable(buf, want))
		return -EFAULT;
	stage = kmalloc(want, GFP_KERNEL_ACCOUNT);
	if (!stage)
		return -ENOMEM;
	spin_lock(&view->lock);
	used = kmview_take_locked(view, stage, want, &taken);
	spin_unlock(&view->lock);

	ret = copy_to_user(buf, stage, used) ? -EFAULT : 0;
	kfree(stage);
	spin_lock(&view->lock);
	if (ret)
		kmview_untake_locked(view, &taken);
	else
		kmview_commit_locked(view, &taken, &done);
	spin_unlock(&view->lock);
	if (ret)	/* the wake-up this reader took is another reader's now */
		wake_up_interruptible(&view->waitq);

	list_for_each_entry_safe(note, tmp, &done, list) {
		list_del_init(&note->list);
		note->release(note);
	}
	if (ret)
		return ret;
	if (used)
		return used;
	goto again;	/* everything was withdrawn meanwhile */
}

__poll_t kmview_ring_poll(struct kmview_view *view, struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &view->waitq, wait);
	spin_lock(&view->lock);
	if (!list_empty(&view->pending))
		mask |= EPOLLIN | EPOLLRDNORM;
	else if (kmview_view_eof_locked(view))
		mask |= EPOLLHUP;
	if (view->dead)
		mask |= EPOLLERR;
	spin_unlock(&view->lock);
	return mask;
}

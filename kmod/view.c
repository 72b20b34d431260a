// SPDX-License-Identifier: GPL-2.0
/*
 * A view: what one daemon serves. It is created by opening /dev/kmview and
 * dies when the daemon closes it; the members then die with it.
 */
#include <linux/slab.h>
#include <linux/sched/signal.h>
#include <linux/cred.h>
#include <linux/pid.h>
#include <linux/poll.h>

#include "internal.h"

struct kmview_view *kmview_view_create(void)
{
	struct kmview_view *view = kzalloc(sizeof(*view), GFP_KERNEL);

	if (!view)
		return NULL;
	kref_init(&view->kref);
	spin_lock_init(&view->lock);
	init_waitqueue_head(&view->waitq);
	INIT_LIST_HEAD(&view->pending);
	INIT_LIST_HEAD(&view->processing);
	INIT_LIST_HEAD(&view->members);
	mutex_init(&view->cfg_lock);
	xa_init(&view->vfds);
	view->cred = get_current_cred();
	view->daemon_tgid = task_tgid_nr(current);
	atomic_inc(&kmview_nr_views);
	return view;
}

void kmview_view_get(struct kmview_view *view)
{
	kref_get(&view->kref);
}

/* May run in atomic context: the last member can go in an RCU callback. */
static void kmview_view_free(struct kref *kref)
{
	struct kmview_view *view = container_of(kref, struct kmview_view, kref);

	WARN_ON_ONCE(!list_empty(&view->pending) || !list_empty(&view->processing));
	kmview_prefix_free(view);
	xa_destroy(&view->vfds);
	put_cred(view->cred);
	kfree(view);
	atomic_dec(&kmview_nr_views);
}

void kmview_view_put(struct kmview_view *view)
{
	kref_put(&view->kref, kmview_view_free);
}

/* Queue a note for the daemon; the caller holds view->lock. */
void kmview_queue_note_locked(struct kmview_view *view, struct kmview_note *note)
{
	lockdep_assert_held(&view->lock);
	list_add_tail(&note->list, &view->pending);
	wake_up_interruptible_sync_poll(&view->waitq, EPOLLIN | EPOLLRDNORM);
}

/* The daemon reads end of file once the view has had members and has none. */
bool kmview_view_eof_locked(struct kmview_view *view)
{
	return view->populated && view->nr_members == 0 && list_empty(&view->pending);
}

static void kmview_release_note(struct kmview_note *note)
{
	if (note->release)
		note->release(note);
}

/*
 * The daemon is gone: kill every member, release every waiter, drop every
 * queued note. Members are not freed here: each goes at its own exit.
 */
void kmview_view_kill(struct kmview_view *view)
{
	struct kmview_note *note, *tmp;
	struct kmview_member *m;
	LIST_HEAD(drop);

	spin_lock(&view->lock);
	view->dead = true;
	list_for_each_entry(m, &view->members, vnode)
		kill_pid(m->tid, SIGKILL, 1);
	list_splice_init(&view->processing, &drop);
	list_splice_tail_init(&view->pending, &drop);
	list_for_each_entry_safe(note, tmp, &drop, list) {
		list_del_init(&note->list);
		if (note->type == KMVIEW_MSG_SYSCALL) {
			struct kmview_req *req = container_of(note, struct kmview_req, note);

			req->state = KMVIEW_REQ_DONE;
			wake_up(&req->wq);
		} else if (note->release) {
			/* dropped below, outside the lock */
			list_add_tail(&note->list, &view->pending);
		}
	}
	list_splice_init(&view->pending, &drop);
	spin_unlock(&view->lock);

	list_for_each_entry_safe(note, tmp, &drop, list) {
		list_del_init(&note->list);
		kmview_release_note(note);
	}
	wake_up_all(&view->waitq);
	kmview_vfd_wake_all(view);
}

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
#include <linux/fs_struct.h>

#include "internal.h"

struct kmview_view *kmview_view_create(void)
{
	struct kmview_view *view = kzalloc(sizeof(*view), GFP_KERNEL_ACCOUNT);

	if (!view)
		return NULL;
	if (kmview_probes_get()) {
		kfree(view);
		return NULL;
	}
	kref_init(&view->kref);
	spin_lock_init(&view->lock);
	init_waitqueue_head(&view->waitq);
	INIT_LIST_HEAD(&view->pending);
	INIT_LIST_HEAD(&view->processing);
	INIT_LIST_HEAD(&view->members);
	hash_init(view->taken);
	atomic_set(&view->nr_notes, 0);
	init_waitqueue_head(&view->space_wq);
	mutex_init(&view->cfg_lock);
	xa_init(&view->vfds);
	view->cred = get_current_cred();
	view->daemon_tgid = task_tgid_nr(current);
	get_fs_root(current->fs, &view->root);
	atomic_inc(&kmview_nr_views);
	return view;
}

void kmview_view_get(struct kmview_view *view)
{
	kref_get(&view->kref);
}

/* Process context: the last member goes from a workqueue (member.c). */
static void kmview_view_free(struct kref *kref)
{
	struct kmview_view *view = container_of(kref, struct kmview_view, kref);

	might_sleep();
	WARN_ON_ONCE(!list_empty(&view->pending) || !list_empty(&view->processing));
	kmview_prefix_free(view);
	kmview_keys_free(view);
	xa_destroy(&view->vfds);
	put_cred(view->cred);
	path_put(&view->root);
	kfree(view);
	atomic_dec(&kmview_nr_views);
	kmview_probes_put();
}

void kmview_view_put(struct kmview_view *view)
{
	kref_put(&view->kref, kmview_view_free);
}

/* Queue a note for the daemon; the caller holds view->lock. */
void kmview_queue_note_locked(struct kmview_view *view, struct kmview_note *note)
	__must_hold(&view->lock)
{
	lockdep_assert_held(&view->lock);
	list_add_tail(&note->list, &view->pending);
	wake_up_interruptible_sync_poll(&view->waitq, EPOLLIN | EPOLLRDNORM);
}

/* A FORK or EXIT note was read or dropped: a fork held back may go on. */
void kmview_view_note_done(struct kmview_view *view)
{
	if (atomic_dec_return(&view->nr_notes) < READ_ONCE(kmview_notes_max) &&
	    wq_has_sleeper(&view->space_wq))
		wake_up(&view->space_wq);
}

/* A note names its task with references of its own: it may outlive the member. */
void kmview_note_set_pids(struct kmview_note *note, struct pid *tid, struct pid *tgid)
{
	note->tid = get_pid(tid);
	note->tgid = get_pid(tgid);
}

void kmview_note_put_pids(struct kmview_note *note)
{
	put_pid(note->tid);
	put_pid(note->tgid);
	put_pid(note->child);
	note->tid = note->tgid = note->child = NULL;
}

/* The request @unique, read by the daemon and awaiting a reply, or NULL. */
struct kmview_req *kmview_find_taken_locked(struct kmview_view *view, u64 unique)
	__must_hold(&view->lock)
{
	struct kmview_req *req;

	lockdep_assert_held(&view->lock);
	hash_for_each_possible(view->taken, req, tnode, unique)
		if (req->note.unique == unique && req->state == KMVIEW_REQ_TAKEN)
			return req;
	return NULL;
}

/* @req was read by the daemon: it awaits a reply, found by its unique. */
void kmview_req_take_locked(struct kmview_view *view, struct kmview_req *req)
	__must_hold(&view->lock)
{
	lockdep_assert_held(&view->lock);
	req->state = KMVIEW_REQ_TAKEN;
	list_move_tail(&req->note.list, &view->processing);
	hash_add(view->taken, &req->tnode, req->note.unique);
}

/* @req leaves the processing list and the hash (answered, withdrawn, or the view died). */
void kmview_req_untake_locked(struct kmview_req *req)
{
	list_del_init(&req->note.list);
	if (hash_hashed(&req->tnode))
		hash_del(&req->tnode);
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
	LIST_HEAD(release);

	spin_lock(&view->lock);
	WRITE_ONCE(view->dead, true);
	/* by task, not by pid: an exec in a thread moves the pids (de_thread) */
	list_for_each_entry(m, &view->members, vnode)
		send_sig(SIGKILL, m->task, 1);
	list_splice_init(&view->processing, &drop);
	list_splice_tail_init(&view->pending, &drop);
	list_for_each_entry_safe(note, tmp, &drop, list) {
		if (note->type == KMVIEW_MSG_SYSCALL) {
			struct kmview_req *req = container_of(note, struct kmview_req, note);

			kmview_req_untake_locked(req);
			req->state = KMVIEW_REQ_DONE;
			wake_up(&req->wq);
		} else {
			list_del_init(&note->list);
			if (note->release)
				list_add_tail(&note->list, &release);	/* outside the lock */
		}
	}
	spin_unlock(&view->lock);

	list_for_each_entry_safe(note, tmp, &release, list) {
		list_del_init(&note->list);
		kmview_release_note(note);
	}
	wake_up_all(&view->waitq);
	wake_up_all(&view->space_wq);
	kmview_vfd_wake_all(view);
}

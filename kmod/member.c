// SPDX-License-Identifier: GPL-2.0
/*
 * Membership: which tasks belong to which view.
 *
 * A process joins only by attaching itself (KMVIEW_IOC_ATTACH); its
 * children and threads join at fork, before they first run, and leave at
 * exit. The probe finds a task's membership with one RCU hash lookup keyed
 * by the task_struct pointer; an entry is removed at exit, before the task
 * can be freed, so a pointer match is always the live task.
 */
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/mm.h>
#include <linux/cred.h>
#include <linux/poll.h>
#include <linux/module.h>

#include "internal.h"

#define KMVIEW_HASH_BITS 10
static DEFINE_HASHTABLE(kmview_members, KMVIEW_HASH_BITS);
static DEFINE_SPINLOCK(kmview_members_lock);
static struct kmem_cache *kmview_member_cache;

static struct workqueue_struct *kmview_free_wq;

int kmview_member_init(void)
{
	kmview_free_wq = alloc_workqueue("kmview_free", 0, 0);
	if (!kmview_free_wq)
		return -ENOMEM;
	kmview_member_cache = KMEM_CACHE(kmview_member, SLAB_ACCOUNT);
	if (!kmview_member_cache) {
		destroy_workqueue(kmview_free_wq);
		return -ENOMEM;
	}
	return 0;
}

void kmview_member_exit(void)
{
	/*
	 * Every member holds a module reference, but the last frees may still
	 * be in flight: their grace periods, then their works.
	 */
	rcu_barrier();
	destroy_workqueue(kmview_free_wq);
	kmem_cache_destroy(kmview_member_cache);
}

struct kmview_member *kmview_member_lookup(struct task_struct *task)
{
	struct kmview_member *m;

	hash_for_each_possible_rcu(kmview_members, m, hnode, (unsigned long)task)
		if (m->task == task)
			return m;
	return NULL;
}

void kmview_member_get(struct kmview_member *m)
{
	refcount_inc(&m->ref);
}

/*
 * After a grace period (the probe may still see @m) and in process context
 * (the view's last put frees what may sleep or take locks).
 */
static void kmview_member_free_work(struct work_struct *work)
{
	struct kmview_member *m = container_of(to_rcu_work(work), struct kmview_member, rwork);

	kmview_view_put(m->view);
	put_pid(m->tid);
	put_pid(m->tgid);
	kmem_cache_free(kmview_member_cache, m);
	/* the module stays until this work ends: kmview_member_exit() drains the queue */
	module_put(THIS_MODULE);
}

/* Any context: the last reference can go in a tracepoint. */
void kmview_member_put(struct kmview_member *m)
{
	if (refcount_dec_and_test(&m->ref))
		queue_rcu_work(kmview_free_wq, &m->rwork);
}

static void kmview_member_note_release(struct kmview_note *note)
{
	struct kmview_member *m = note->member;

	kmview_note_put_pids(note);
	kmview_view_note_done(m->view);
	kmview_member_put(m);
}

/* Queue a FORK or EXIT note of @m; it holds @m and its own pid references. */
static void kmview_member_note_locked(struct kmview_member *m, struct kmview_note *n, u16 type,
				      struct pid *tid, struct pid *tgid)
	__must_hold(&m->view->lock)
{
	kmview_member_get(m);
	atomic_inc(&m->view->nr_notes);
	n->type = type;
	kmview_note_set_pids(n, tid, tgid);
	n->member = m;
	n->release = kmview_member_note_release;
	kmview_queue_note_locked(m->view, n);
}

static struct kmview_member *kmview_member_alloc(struct kmview_view *view,
						 struct task_struct *task, gfp_t gfp)
{
	struct kmview_member *m = kmem_cache_zalloc(kmview_member_cache, gfp);

	if (!m)
		return NULL;
	__module_get(THIS_MODULE);
	refcount_set(&m->ref, 1);	/* the hash table's reference */
	INIT_RCU_WORK(&m->rwork, kmview_member_free_work);
	m->task = task;
	m->tid = get_pid(task_pid(task));
	m->tgid = get_pid(task_tgid(task));
	kmview_view_get(view);
	m->view = view;
	init_task_work(&m->work, kmview_request_work);
	init_waitqueue_head(&m->mem_wq);
	INIT_LIST_HEAD(&m->fork_note.list);
	INIT_LIST_HEAD(&m->exit_note.list);
	INIT_LIST_HEAD(&m->exec_fork_note.list);
	INIT_LIST_HEAD(&m->exec_exit_note.list);
	return m;
}

/* Publish @m; the caller holds view->lock. */
static void kmview_member_add_locked(struct kmview_member *m)
	__must_hold(&m->view->lock)
{
	struct kmview_view *view = m->view;

	lockdep_assert_held(&view->lock);
	list_add_tail(&m->vnode, &view->members);
	view->nr_members++;
	view->populated = true;
	atomic_inc(&kmview_nr_members);
	spin_lock(&kmview_members_lock);
	hash_add_rcu(kmview_members, &m->hnode, (unsigned long)m->task);
	spin_unlock(&kmview_members_lock);
}

/**
 * kmview_member_attach - the calling process joins @view
 * @view: the view whose fd the caller holds
 *
 * The caller must be one the daemon could ptrace (policy.c), share its
 * memory, fd table and fs_struct with nobody (a thread or a CLONE_FILES
 * sibling could run on unfiltered, or change what the filter saw), be no
 * member yet (no nesting) and not be the daemon. It gets no_new_privs:
 * setuid and file capabilities do not elevate.
 */
int kmview_member_attach(struct kmview_view *view)
{
	struct kmview_member *m;
	int err;

	if (task_tgid_nr(current) == view->daemon_tgid)
		return -EINVAL;
	if (!current->mm)
		return -EBUSY;
	err = kmview_policy_attach(view);
	if (err)
		return err;

	m = kmview_member_alloc(view, current, GFP_KERNEL_ACCOUNT);
	if (!m)
		return -ENOMEM;

	spin_lock(&view->lock);
	rcu_read_lock();
	if (view->dead)
		err = -ENODEV;
	else if (kmview_member_lookup(current))
		err = -EBUSY;
	rcu_read_unlock();
	if (!err) {
		task_set_no_new_privs(current);
		kmview_member_add_locked(m);
	}
	spin_unlock(&view->lock);
	if (err)
		kmview_member_put(m);
	return err;
}

/* What @child shares with @parent, as clone flags: the tracepoint does not say. */
static u64 kmview_shared(struct task_struct *parent, struct task_struct *child)
{
	u64 flags = 0;

	if (same_thread_group(parent, child))
		flags |= CLONE_THREAD;
	if (child->mm == parent->mm)
		flags |= CLONE_VM;
	if (child->fs == parent->fs)
		flags |= CLONE_FS;
	if (child->files == parent->files)
		flags |= CLONE_FILES;
	return flags;
}

/* sched_process_fork: the child of a member is a member before it runs. */
void kmview_on_fork(void *data, struct task_struct *parent, struct task_struct *child)
{
	struct kmview_member *pm, *m;
	struct kmview_view *view;

	if (!atomic_read(&kmview_nr_members))
		return;
	rcu_read_lock();
	pm = kmview_member_lookup(parent);
	if (!pm)
		goto out;
	view = pm->view;
	m = kmview_member_alloc(view, child, GFP_ATOMIC | __GFP_NOWARN | __GFP_ACCOUNT);
	if (!m) {
		/* a child outside the filter would escape the view */
		pr_warn_ratelimited("kmview: out of memory at fork, killing %d\n",
				    task_pid_nr(child));
		send_sig(SIGKILL, child, 1);
		goto out;
	}
	spin_lock(&view->lock);
	if (view->dead) {
		spin_unlock(&view->lock);
		send_sig(SIGKILL, child, 1);
		kmview_member_put(m);
		goto out;
	}
	m->cwd_virtual = READ_ONCE(pm->cwd_virtual);	/* the child has the same cwd */
	if (child->mm == parent->mm) {
		/*
		 * A thread maps its own scratch page, unless its process borrows
		 * an mm; a vfork child borrows its parent's, and while it runs
		 * the parent waits: it may use the parent thread's page.
		 */
		m->mm_borrowed = pm->mm_borrowed || !same_thread_group(parent, child);
		if (child->vfork_done)
			m->scratch = pm->scratch;
	} else {
		/* a fork copies the parent thread's page with the rest of its mm */
		m->scratch = pm->scratch;
	}
	kmview_member_add_locked(m);
	if (view->features & KMVIEW_FEAT_NOTIFY_FORK) {
		struct kmview_note *n = &m->fork_note;

		/* the parent may be reaped before the daemon reads: the note holds its pids */
		n->child = get_pid(m->tid);
		n->arg = kmview_shared(parent, child);
		kmview_member_note_locked(m, n, KMVIEW_MSG_FORK, pm->tid, pm->tgid);
	}
	spin_unlock(&view->lock);
out:
	rcu_read_unlock();
}

/*
 * The daemon says the cwd of @m (current) is virtual, or real again: so it
 * is for every member that shares current's fs_struct (CLONE_FS threads).
 * A member is in the list until its exit tracepoint, which comes before
 * exit_fs(), so its ->fs can be compared under the view lock.
 */
void kmview_member_set_cwd(struct kmview_member *m, bool cwd_virtual)
{
	struct kmview_view *view = m->view;
	struct kmview_member *other;

	spin_lock(&view->lock);
	list_for_each_entry(other, &view->members, vnode)
		if (other->task->fs == current->fs)
			WRITE_ONCE(other->cwd_virtual, cwd_virtual);
	spin_unlock(&view->lock);
}

/*
 * The task took the tid of its old leader, whose EXIT is queued already:
 * to the daemon it is a thread @old_tid made (FORK, sharing everything)
 * and then left (EXIT), so the state it keeps per tid moves to the new one.
 */
static void kmview_member_renamed_locked(struct kmview_member *m, struct pid *old_tid)
	__must_hold(&m->view->lock)
{
	struct kmview_view *view = m->view;

	if (view->features & KMVIEW_FEAT_NOTIFY_FORK) {
		struct kmview_note *n = &m->exec_fork_note;

		n->child = get_pid(m->tid);
		n->arg = CLONE_THREAD | CLONE_VM | CLONE_FS | CLONE_FILES;
		kmview_member_note_locked(m, n, KMVIEW_MSG_FORK, old_tid, m->tgid);
	}
	if (view->features & KMVIEW_FEAT_NOTIFY_EXIT)
		kmview_member_note_locked(m, &m->exec_exit_note, KMVIEW_MSG_EXIT, old_tid,
					  m->tgid);
}

/*
 * sched_process_exec: a thread other than the leader that execs takes the
 * leader's pid (de_thread), so the ids of its membership change. Only the
 * task itself writes them; others read them under the view lock. In a view
 * whose clocks are virtual the new program is not told of the vDSO (vdso.c).
 */
void kmview_on_exec(void *data, struct task_struct *task, pid_t old_pid,
		    struct linux_binprm *bprm)
{
	struct kmview_member *m;
	struct pid *old_tid, *old_tgid;

	if (!atomic_read(&kmview_nr_members))
		return;
	rcu_read_lock();
	m = kmview_member_lookup(task);
	if (m) {
		struct kmview_view *view = m->view;

		spin_lock(&view->lock);
		old_tid = m->tid;
		old_tgid = m->tgid;
		m->tid = get_pid(task_pid(task));
		m->tgid = get_pid(task_tgid(task));
		if (m->tid != old_tid && !view->dead)
			kmview_member_renamed_locked(m, old_tid);
		spin_unlock(&view->lock);
		put_pid(old_tid);
		put_pid(old_tgid);
		kmview_exec_reset(m);
		if (READ_ONCE(view->filter_flags) & KMVIEW_FILTER_NO_VDSO)
			kmview_exec_no_vdso(task);
	}
	rcu_read_unlock();
}

/* sched_process_exit: a member leaves its view. */
void kmview_on_exit(void *data, struct task_struct *task)
{
	struct kmview_member *m;
	struct kmview_view *view;

	if (!atomic_read(&kmview_nr_members))
		return;
	rcu_read_lock();
	m = kmview_member_lookup(task);
	if (!m) {
		rcu_read_unlock();
		return;
	}
	spin_lock(&kmview_members_lock);
	hash_del_rcu(&m->hnode);
	spin_unlock(&kmview_members_lock);
	atomic_dec(&kmview_nr_members);

	view = m->view;
	spin_lock(&view->lock);
	list_del(&m->vnode);
	view->nr_members--;
	if (!view->dead && (view->features & KMVIEW_FEAT_NOTIFY_EXIT))
		kmview_member_note_locked(m, &m->exit_note, KMVIEW_MSG_EXIT, m->tid, m->tgid);
	if (kmview_view_eof_locked(view))
		wake_up_interruptible_all(&view->waitq);	/* every reader sees EOF */
	spin_unlock(&view->lock);
	rcu_read_unlock();
	kmview_member_put(m);
}

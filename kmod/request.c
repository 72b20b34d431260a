// SPDX-License-Identifier: GPL-2.0
/*
 * The capture path, second half: the member's task_work.
 *
 * It runs in the member itself at return to user mode, may sleep and holds
 * no locks: it reads the path arguments, settles what the probe could not,
 * queues the request for the daemon, waits for the reply and applies it.
 *
 * Waits follow the kernel's rules. Until the daemon has read the request,
 * a signal withdraws it and the call restarts or fails with EINTR as a
 * native call would (-ERESTARTSYS). Once read, a signal is passed on to the
 * daemon (KMVIEW_MSG_INTERRUPT) and the wait goes on, killable.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/sched/signal.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/uaccess.h>
#include <linux/ptrace.h>
#include <linux/errno.h>

#include "internal.h"
#include "path.h"

#define KMVIEW_ALIGN8(x) ALIGN((x), 8)

/*
 * The member owns its request: the daemon's side reaches it only under the
 * view lock, and the member takes that lock to unlink it before this.
 */
static void kmview_req_free(struct kmview_req *req)
{
	kmview_note_put_pids(&req->note);
	if (req->reply != &req->inline_reply)
		kvfree(req->reply);
	atomic_dec(&kmview_nr_reqs);
	if (req->file)
		fput(req->file);
	if (req->vfd)
		kmview_vfd_drop(req->vfd);	/* answered, never installed */
	kfree(req);
}

/* The handle of fd if it is a placeholder of @view, else 0. */
static u64 kmview_fd_handle(struct kmview_view *view, unsigned long fd)
{
	struct file *file;
	u64 handle = 0;

	if (fd > INT_MAX)
		return 0;
	file = fget_raw(fd);
	if (!file)
		return 0;
	if (kmview_is_placeholder(view, file))
		handle = ((struct kmview_vfd *)file->private_data)->handle;
	fput(file);
	return handle;
}

/* Read path argument @uaddr into @buf (KMVIEW_PATH_MAX). Returns its length or -errno. */
static long kmview_read_path(char *buf, unsigned long uaddr)
{
	long len = strncpy_from_user(buf, (const char __user *)uaddr, KMVIEW_PATH_MAX);

	if (len < 0)
		return len;
	if (len == KMVIEW_PATH_MAX)
		return -ENAMETOOLONG;
	return len;
}

/*
 * Does path slot @i of the captured call name a device node a key of the
 * view names? Resolved as the call will resolve it: from the member's
 * root, cwd or dirfd, following a final symlink unless the call does not.
 * A path that does not resolve is not virtual: the native call fails.
 */
static bool kmview_path_is_key_dev(struct kmview_member *m, const struct kmview_sysarg *sa,
				   unsigned int i)
{
	unsigned int flags = kmview_arch_path_follows(m->nr, i, m->args) ? LOOKUP_FOLLOW : 0;
	int dfd = AT_FDCWD;
	struct inode *inode;
	struct path path;
	bool hit;

	if (sa->dirfd[i] != KMVIEW_NO_ARG)
		dfd = (int)m->args[sa->fd[sa->dirfd[i]]];
	if (user_path_at(dfd, (const char __user *)m->args[sa->path[i]], flags, &path))
		return false;
	inode = d_backing_inode(path.dentry);
	hit = kmview_keys_dev(m->view, inode->i_mode, inode->i_rdev);
	path_put(&path);
	return hit;
}

/*
 * Build the message for the captured call. Returns NULL with *err set if
 * the call must fail (unreadable path) or, with *err == 0, if it is not
 * virtual after all: then *done says whether it was already sent to run
 * natively on the real paths of a redirect (redirect.c), or must be.
 */
static struct kmview_req *kmview_req_build(struct kmview_member *m, struct pt_regs *regs,
					   int *err, bool *done)
{
	const struct kmview_sysarg *sa = kmview_sysarg(m->nr);
	struct kmview_view *view = m->view;
	struct kmview_syscall body = { .nr = m->nr };
	char *paths[KMVIEW_SLOTS] = { NULL, NULL };
	struct kmview_redirect rd = { };
	bool forward = !m->slow_path;
	bool redirect = false, native_path = false;
	struct kmview_req *req = NULL;
	size_t size;
	char *p;
	int i;

	*err = 0;
	*done = false;
	memcpy(body.args, m->args, sizeof(body.args));
	for (i = 0; i < KMVIEW_SLOTS; i++) {
		body.fd_arg[i] = sa->fd[i];
		body.path_arg[i] = sa->path[i];
		if (sa->fd[i] != KMVIEW_NO_ARG) {
			body.handle[i] = kmview_fd_handle(view, m->args[sa->fd[i]]);
			if (body.handle[i])
				forward = true;
		}
	}
	for (i = 0; i < KMVIEW_SLOTS; i++) {
		long len;

		if (sa->path[i] == KMVIEW_NO_ARG || !m->args[sa->path[i]])
			continue;
		paths[i] = kmalloc(KMVIEW_PATH_MAX, GFP_KERNEL_ACCOUNT);
		if (!paths[i]) {
			*err = -ENOMEM;
			goto out;
		}
		len = kmview_read_path(paths[i], m->args[sa->path[i]]);
		if (len < 0) {
			*err = len;
			goto out;
		}
		body.path_len[i] = len + 1;
		if (!forward && len > 0) {
			bool real_dirfd = sa->dirfd[i] != KMVIEW_NO_ARG &&
				(int)m->args[sa->fd[sa->dirfd[i]]] != AT_FDCWD;

			if (paths[i][0] != '/' && real_dirfd) {
				native_path = true;
				continue;
			}
			if (paths[i][0] != '/' && READ_ONCE(m->cwd_virtual)) {
				forward = true;
				continue;
			}
			switch (kmview_redirect_classify(m, i, paths[i], len, &rd)) {
			case KMVIEW_REDIRECT:
				redirect = true;
				break;
			case KMVIEW_NATIVE:
				native_path = true;
				break;
			default:
				forward = true;
				break;
			}
		}
	}
	/* a redirect applies only when every path of the call is under it */
	if (!forward && redirect) {
		if (!native_path && kmview_redirect_apply(m, regs, &rd)) {
			*done = true;
			goto out;
		}
		forward = true;
	}
	/* under no prefix: a device node of a key is virtual all the same */
	for (i = 0; i < KMVIEW_SLOTS && !forward && kmview_keys_any_dev(view); i++)
		if (body.path_len[i] > 1)
			forward = kmview_path_is_key_dev(m, sa, i);
	if (!forward)
		goto out;

	size = sizeof(struct kmview_msg) + sizeof(body);
	for (i = 0; i < KMVIEW_SLOTS; i++)
		size += KMVIEW_ALIGN8(body.path_len[i]);
	/* one allocation: the request and, behind it, its message */
	req = kzalloc(sizeof(*req) + size, GFP_KERNEL_ACCOUNT);
	if (!req) {
		*err = -ENOMEM;
		goto out;
	}
	req->msg = (struct kmview_msg *)(req + 1);
	atomic_inc(&kmview_nr_reqs);
	init_waitqueue_head(&req->wq);
	req->member = m;
	req->msg_len = size;
	req->note.type = KMVIEW_MSG_SYSCALL;
	kmview_note_set_pids(&req->note, m->tid, m->tgid);
	INIT_LIST_HEAD(&req->note.list);
	INIT_LIST_HEAD(&req->intr_note.list);
	req->msg->len = size;
	req->msg->type = KMVIEW_MSG_SYSCALL;
	p = (char *)(req->msg + 1);
	memcpy(p, &body, sizeof(body));
	p += sizeof(body);
	for (i = 0; i < KMVIEW_SLOTS; i++) {
		if (!body.path_len[i])
			continue;
		memcpy(p, paths[i], body.path_len[i]);
		p += KMVIEW_ALIGN8(body.path_len[i]);
	}
out:
	kmview_redirect_release(&rd);
	for (i = 0; i < KMVIEW_SLOTS; i++)
		kfree(paths[i]);
	return req;
}

/* Take @req off the view's lists and its hash; the caller holds view->lock. */
static void kmview_req_unlink_locked(struct kmview_req *req)
{
	kmview_req_untake_locked(req);
	list_del_init(&req->intr_note.list);
}

/*
 * Queue @req and wait for its reply. Returns 0 when the reply is there,
 * -ERESTARTSYS if a signal withdrew the request before the daemon read it,
 * -EIO if the view died, or -EINTR if the task is being killed.
 */
static int kmview_req_wait(struct kmview_view *view, struct kmview_req *req)
{
	int ret;

	spin_lock(&view->lock);
	if (view->dead) {
		spin_unlock(&view->lock);
		return -EIO;
	}
	req->note.unique = req->msg->unique = ++view->next_unique;
	req->state = KMVIEW_REQ_QUEUED;
	kmview_queue_note_locked(view, &req->note);
	spin_unlock(&view->lock);

	ret = wait_event_interruptible(req->wq, READ_ONCE(req->state) == KMVIEW_REQ_DONE);
	if (ret) {
		spin_lock(&view->lock);
		if (req->state == KMVIEW_REQ_QUEUED) {
			kmview_req_unlink_locked(req);
			req->state = KMVIEW_REQ_GONE;
			spin_unlock(&view->lock);
			return -ERESTARTSYS;
		}
		if (req->state == KMVIEW_REQ_TAKEN && !view->dead) {
			req->interrupted = true;
			req->intr_note.type = KMVIEW_MSG_INTERRUPT;
			req->intr_note.unique = req->note.unique;
			req->intr_note.tid = req->note.tid;
			req->intr_note.tgid = req->note.tgid;
			kmview_queue_note_locked(view, &req->intr_note);
		}
		spin_unlock(&view->lock);
		ret = wait_event_killable(req->wq, READ_ONCE(req->state) == KMVIEW_REQ_DONE);
	}

	spin_lock(&view->lock);
	kmview_req_unlink_locked(req);
	if (ret)
		req->state = KMVIEW_REQ_GONE;
	ret = ret ? -EINTR : (req->reply ? 0 : -EIO);
	spin_unlock(&view->lock);
	/*
	 * No new KMVIEW_IOC_MEM can find the request now; one under way keeps
	 * the member parked, as a tracee stays stopped under PTRACE_PEEKDATA.
	 * A fatal signal ends the wait: the task then runs no user code.
	 */
	if (!ret && wait_event_killable(req->member->mem_wq, !atomic_read(&req->member->mem_users)))
		ret = -EINTR;
	return ret;
}

/*
 * A fork while the daemon has notes_max notes unread: wait until it
 * reads (or dies), then run the fork natively. A signal restarts the fork
 * after its handler, as the kernel's own fork does (-ERESTARTNOINTR).
 */
static void kmview_throttle(struct kmview_member *m, struct pt_regs *regs)
{
	struct kmview_view *view = m->view;

	if (wait_event_interruptible(view->space_wq,
				     atomic_read(&view->nr_notes) < READ_ONCE(kmview_notes_max) ||
				     READ_ONCE(view->dead))) {
		kmview_return(regs, -ERESTARTNOINTR);
		kmview_arch_set_nr(regs, m->nr);
		return;
	}
	/* entered again and filtered as any call: the daemon may want clone */
	kmview_arch_restart(regs, m->nr);
}

/* task_work callback: serve the call the probe skipped. */
void kmview_request_work(struct callback_head *cb)
{
	struct kmview_member *m = container_of(cb, struct kmview_member, work);
	struct pt_regs *regs = task_pt_regs(current);
	struct kmview_req *req;
	bool done;
	int err;

	m->work_pending = false;
	if (current->flags & PF_EXITING)
		goto out;
	switch (m->local) {
	case KMVIEW_LOCAL_THROTTLE:
		m->local = KMVIEW_LOCAL_NONE;
		kmview_throttle(m, regs);
		goto out;
	case KMVIEW_LOCAL_UNMAP:
		m->local = KMVIEW_LOCAL_NONE;
		kmview_scratch_unmap(m, regs);
		goto out;
	}

	req = kmview_req_build(m, regs, &err, &done);
	if (!req) {
		if (err)
			kmview_return(regs, err);
		else if (!done)
			kmview_restart_native(m, regs);
		goto out;
	}
	err = kmview_req_wait(m->view, req);
	switch (err) {
	case 0:
		kmview_apply_reply(m, regs, req);
		break;
	case -ERESTARTSYS:
		/* as if the call had been interrupted natively; -1 cannot restart */
		kmview_return(regs, m->nr == -1 ? -EINTR : -ERESTARTSYS);
		if (m->nr != -1)
			kmview_arch_set_nr(regs, m->nr);
		break;
	default:
		kmview_return(regs, err);
		break;
	}
	kmview_req_free(req);
out:
	kmview_member_put(m);
}

// SPDX-License-Identifier: GPL-2.0
/*
 * The daemon's write(): one reply per write, copied once, validated, then
 * handed to the member that waits for it. Anything the member will need
 * from the daemon's context (a file of the daemon, a reserved placeholder)
 * is taken here, so that a bad reply fails the write and not the member.
 */
#include <linux/slab.h>
#include <linux/file.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "reply_check.h"

ssize_t kmview_reply_write(struct kmview_view *view, const char __user *buf, size_t count)
{
	struct kmview_reply *r, small;
	struct kmview_req *req;
	struct file *file = NULL;
	struct kmview_vfd *vfd = NULL;
	ssize_t err;

	if (count < sizeof(*r) || count > KMVIEW_REPLY_MAX)
		return -EINVAL;
	/* most replies are a header alone: no allocation, copied into the request */
	r = count == sizeof(small) ? &small : kvmalloc(count, GFP_KERNEL_ACCOUNT);
	if (!r)
		return -ENOMEM;
	if (copy_from_user(r, buf, count)) {
		err = -EFAULT;
		goto fail;
	}
	err = kmview_reply_check(r, count);
	if (err)
		goto fail;

	if (r->kind == KMVIEW_REPLY_FILE || r->kind == KMVIEW_REPLY_MMAP) {
		file = fget(r->fd);
		err = -EBADF;
		if (!file)
			goto fail;
		/* a member holding a view could answer its own calls */
		err = -EINVAL;
		if (kmview_is_view_file(file))
			goto fail;
	} else if (r->kind == KMVIEW_REPLY_VFD) {
		vfd = kmview_vfd_reserve(view, r->handle);
		if (IS_ERR(vfd)) {
			err = PTR_ERR(vfd);
			vfd = NULL;
			goto fail;
		}
	}

	spin_lock(&view->lock);
	req = kmview_find_taken_locked(view, r->unique);
	if (!req) {
		spin_unlock(&view->lock);
		err = -ENOENT;
		goto fail;
	}
	if (r->kind == KMVIEW_REPLY_MMAP &&
	    !kmview_arch_is_mmap(((struct kmview_syscall *)(req->msg + 1))->nr)) {
		spin_unlock(&view->lock);
		err = -EINVAL;
		goto fail;
	}
	kmview_req_untake_locked(req);
	if (r == &small) {
		req->inline_reply = small;
		r = &req->inline_reply;
	}
	req->reply = r;
	req->reply_len = count;
	req->file = file;
	req->vfd = vfd;
	req->state = KMVIEW_REQ_DONE;
	/* under the lock: the member takes it before it lets go of req */
	__wake_up_sync(&req->wq, TASK_NORMAL);
	spin_unlock(&view->lock);
	return count;

fail:
	if (file)
		fput(file);
	if (vfd)
		kmview_vfd_unreserve(vfd);
	if (r != &small)
		kvfree(r);
	return err;
}

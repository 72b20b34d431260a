// SPDX-License-Identifier: GPL-2.0
/*
 * Placeholder files: what a member holds for a virtual file.
 *
 * A placeholder is an anonymous-inode file carrying the daemon's handle.
 * Because it is a real file, dup, fork, SCM_RIGHTS and close-on-exec work
 * natively; the probe recognises it by its file operations and forwards
 * the calls made on it. Its poll returns the readiness the daemon pushed
 * with KMVIEW_IOC_VFD_POLL (magicpoll), so poll, select and epoll work on
 * mixed real and virtual fds without an upcall. Its last close tells the
 * daemon (KMVIEW_MSG_RELEASE). Its own read, write, mmap and ioctl are
 * never reached in a view: a call on it is served by the daemon or refused;
 * outside a view they fail (EINVAL, ENODEV, ENOTTY). Its fdinfo names its
 * handle and its view's daemon, so the daemon can tell which of its files
 * any fd of a member is (every placeholder is "[kmview]" in /proc/PID/fd).
 */
#include <linux/slab.h>
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/fcntl.h>
#include <linux/poll.h>
#include <linux/anon_inodes.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>

#include "internal.h"
#include "path.h"

static void kmview_vfd_free(struct kmview_vfd *vfd)
{
	kmview_view_put(vfd->view);
	kfree(vfd->vpath);
	kfree(vfd);
	atomic_dec(&kmview_nr_vfds);
}

static void kmview_vfd_note_release(struct kmview_note *note)
{
	kmview_vfd_free(container_of(note, struct kmview_vfd, note));
}

/* Claim @handle for a placeholder about to be installed (daemon context). */
struct kmview_vfd *kmview_vfd_reserve(struct kmview_view *view, u64 handle)
{
	struct kmview_vfd *vfd = kzalloc(sizeof(*vfd), GFP_KERNEL_ACCOUNT);
	int err;

	if (!vfd)
		return ERR_PTR(-ENOMEM);
	vfd->handle = handle;
	init_waitqueue_head(&vfd->wq);
	INIT_LIST_HEAD(&vfd->note.list);
	err = xa_insert(&view->vfds, handle, vfd, GFP_KERNEL_ACCOUNT);
	if (err) {
		kfree(vfd);
		return ERR_PTR(err == -EBUSY ? -EEXIST : err);
	}
	kmview_view_get(view);
	vfd->view = view;
	atomic_inc(&kmview_nr_vfds);
	return vfd;
}

/* A reservation whose reply was refused: the daemon knows, no release is due. */
void kmview_vfd_unreserve(struct kmview_vfd *vfd)
{
	xa_erase(&vfd->view->vfds, vfd->handle);
	kmview_vfd_free(vfd);
}

/*
 * The daemon's handle is closed for good: the last close of the
 * placeholder, or a placeholder the daemon answered with but the member
 * could not install (out of fds, killed). Tell the daemon.
 */
void kmview_vfd_drop(struct kmview_vfd *vfd)
{
	struct kmview_view *view = vfd->view;

	xa_erase(&view->vfds, vfd->handle);
	spin_lock(&view->lock);
	if (!view->dead) {
		vfd->note.type = KMVIEW_MSG_RELEASE;
		vfd->note.arg = vfd->handle;
		vfd->note.release = kmview_vfd_note_release;
		kmview_queue_note_locked(view, &vfd->note);
		vfd = NULL;	/* freed once the daemon has read the note */
	}
	spin_unlock(&view->lock);
	if (vfd)
		kmview_vfd_free(vfd);
}

static int kmview_vfd_release(struct inode *inode, struct file *file)
{
	kmview_vfd_drop(file->private_data);
	return 0;
}

static __poll_t kmview_vfd_poll(struct file *file, poll_table *wait)
{
	struct kmview_vfd *vfd = file->private_data;

	poll_wait(file, &vfd->wq, wait);
	if (READ_ONCE(vfd->view->dead))
		return EPOLLERR | EPOLLHUP;
	return READ_ONCE(vfd->events);
}

static long kmview_vfd_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -ENOTTY;
}

/*
 * The daemon's tgid as the reader's /proc sees it: 0 if the view is dead
 * or the daemon is not in that pid namespace. Nothing the daemon cannot
 * see already: the members run with its credentials.
 */
static void kmview_vfd_show_fdinfo(struct seq_file *m, struct file *file)
{
	struct kmview_vfd *vfd = file->private_data;
	struct kmview_view *view = vfd->view;
	pid_t daemon = 0;

	if (!READ_ONCE(view->dead)) {
		rcu_read_lock();
		daemon = pid_nr_ns(find_pid_ns(view->daemon_tgid, &init_pid_ns),
				   proc_pid_ns(file_inode(m->file)->i_sb));
		rcu_read_unlock();
	}
	seq_printf(m, "kmview-handle:\t%llu\nkmview-daemon:\t%d\n", vfd->handle, daemon);
}

const struct file_operations kmview_vfd_fops = {
	.owner = THIS_MODULE,
	.show_fdinfo = kmview_vfd_show_fdinfo,
	.release = kmview_vfd_release,
	.poll = kmview_vfd_poll,
	.unlocked_ioctl = kmview_vfd_ioctl,
};

/* Is @file a placeholder of @view? The caller holds a reference to @file. */
bool kmview_is_placeholder(struct kmview_view *view, struct file *file)
{
	return file && file->f_op == &kmview_vfd_fops &&
	       ((struct kmview_vfd *)file->private_data)->view == view;
}

/* Install the reserved placeholder as a new fd of the current task. */
int kmview_vfd_install(struct kmview_vfd *vfd, u32 open_flags)
{
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(open_flags & O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = anon_inode_getfile("[kmview]", &kmview_vfd_fops, vfd,
				  open_flags & (O_ACCMODE | O_NONBLOCK));
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		return PTR_ERR(file);
	}
	fd_install(fd, file);
	return fd;
}

int kmview_vfd_set_events(struct kmview_view *view, u64 handle, __poll_t events)
{
	struct kmview_vfd *vfd;
	int err = -ENOENT;

	xa_lock(&view->vfds);
	vfd = xa_load(&view->vfds, handle);
	if (vfd) {
		WRITE_ONCE(vfd->events, events);
		wake_up_poll(&vfd->wq, events);
		err = 0;
	}
	xa_unlock(&view->vfds);
	return err;
}

int kmview_vfd_set_path(struct kmview_view *view, const struct kmview_vfd_path *arg)
{
	struct kmview_vfd *vfd;
	char *path;
	int err = -ENOENT;

	if (arg->flags || !arg->handle || !arg->len || arg->len >= KMVIEW_PATH_MAX ||
	    arg->dev > U32_MAX)
		return -EINVAL;
	path = memdup_user_nul(u64_to_user_ptr(arg->path), arg->len);
	if (IS_ERR(path))
		return PTR_ERR(path);
	if (!kmview_path_is_normal(path, arg->len)) {
		kfree(path);
		return -EINVAL;
	}
	xa_lock(&view->vfds);
	vfd = xa_load(&view->vfds, arg->handle);
	if (vfd && vfd->vpath) {
		err = -EBUSY;
	} else if (vfd) {
		vfd->vpath_len = arg->len;
		vfd->vdev = arg->dev;
		vfd->vino = arg->ino;
		/* a member reads the path with acquire: the fields above come first */
		smp_store_release(&vfd->vpath, path);
		path = NULL;
		err = 0;
	}
	xa_unlock(&view->vfds);
	kfree(path);
	return err;
}

void kmview_vfd_wake_all(struct kmview_view *view)
{
	struct kmview_vfd *vfd;
	unsigned long index;

	xa_lock(&view->vfds);
	xa_for_each(&view->vfds, index, vfd)
		wake_up_poll(&vfd->wq, EPOLLERR | EPOLLHUP);
	xa_unlock(&view->vfds);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufuse_op.h - calling a file system operation from a method: the
 * mount's lock (one operation at a time, as libfuse's fuse_loop), the
 * caller's context (fuse_get_context), ENOTCONN after fuse_exit, and the
 * operation's -errno turned into the method's -1 and errno.
 */
#ifndef KMVIEW_VUFUSE_OP_H
#define KMVIEW_VUFUSE_OP_H

#include <errno.h>
#include <sys/mount.h>

#include <vumodule.h>

#include "vufuse.h"

/*
 * The context's umask is the caller's only for the calls that create
 * (mkdir, mknod, open with O_CREAT), as the kernel's FUSE sends it: asking
 * it costs a read of /proc, and the hypervisor has applied it already.
 */
#define VUFUSE_OP_UMASK(f, with_umask, expr)                            \
	({                                                              \
		struct fuse_context c_, *o_;                            \
		long r_;                                                \
		pthread_mutex_lock(&(f)->lock);                         \
		if ((f)->exited) {                                      \
			r_ = -ENOTCONN;                                 \
		} else {                                                \
			vufuse_ctx_push((f), &c_, &o_);                 \
			if (with_umask)                                 \
				c_.umask = vu_mod_getumask();           \
			r_ = (expr);                                    \
			vufuse_ctx_pop(o_);                             \
		}                                                       \
		pthread_mutex_unlock(&(f)->lock);                       \
		r_;                                                     \
	})
#define VUFUSE_OP(f, expr) VUFUSE_OP_UMASK(f, false, expr)

/* An operation's result as a method's: -errno becomes -1 and errno. */
static inline long vufuse_ret(long r)
{
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* The mount of the request being served. */
static inline struct fuse *vufuse_mount_of_request(void)
{
	return vu_get_ht_private_data();
}

static inline bool vufuse_ro(const struct fuse *f)
{
	return f->mountflags & MS_RDONLY;
}

/* The fuse_file_info an operation gets for @file: none for a directory, as in FUSE. */
static inline struct fuse_file_info *vufuse_fi(struct vufuse_file *file)
{
	return file && !file->dir ? &file->fi : NULL;
}

/* getattr with the uid=, gid=, umask= of fuse_new applied (0 or -errno); mount lock held. */
int vufuse_getattr(struct fuse *f, const char *path, struct stat *st, struct fuse_file_info *fi);

#endif /* KMVIEW_VUFUSE_OP_H */

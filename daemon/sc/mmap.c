// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/mmap.c - mmap of a placeholder.
 *
 * If the module says its fd methods are the system calls on its fd
 * (VU_MODULE_FDPASS) and its own fd is a real file of the daemon (unreal,
 * vufs: the daemon's fstat of it names the file the module's lstat names),
 * the kernel maps that file (KMVIEW_REPLY_MMAP). Otherwise a private
 * mapping (or a read-only shared one) maps a memfd copy of the content,
 * read through the module; a writable shared mapping is refused with
 * ENODEV.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "base/log.h"
#include "sc/handlers.h"
#include "core/vfd.h"

void vu_sc_mmap(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int prot = (int)msg->args[2], flags = (int)msg->args[3];
	struct vu_vfd *f;
	long ret;
	int memfd;

	if (!msg->vfd[0]) {
		vu_call_native(call);
		return;
	}
	f = vu_vfd_get(msg->vfd[0]);
	if (!f) {
		vu_call_return(call, -EBADF);
		return;
	}
	if (vu_ht_maps_files(f->ht) &&
	    vu_sfd_is_real_file(f->ht, vu_vfd_mpath(f), f->sfd, f->fdprivate)) {
		/* the module's fd is the real file: the kernel maps it */
		call->reply.kind = VU_REPLY_MMAP;
		memcpy(call->reply.args, msg->args, sizeof(call->reply.args));
		call->reply.args[4] = 0;
		call->reply.fd = f->sfd;
		return;
	}
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE)) {
		vu_log(LOG_NOTICE, "tid %d: shared writable mmap of virtual file %s is not served: ENODEV",
		       msg->tid, f->path);
		vu_call_return(call, -ENODEV);
		return;
	}
	memfd = memfd_create("kmview-mmap", MFD_CLOEXEC);
	if (memfd < 0) {
		vu_call_return(call, -errno);
		return;
	}
	ret = vu_vfd_copy_content(f->ht, f->sfd, f->fdprivate, memfd);
	if (ret < 0) {
		close(memfd);
		vu_call_return(call, ret);
		return;
	}
	call->tmpfd = memfd;
	call->has_tmpfd = 1;
	call->reply.kind = VU_REPLY_MMAP;
	memcpy(call->reply.args, msg->args, sizeof(call->reply.args));
	call->reply.args[4] = 0;
	/* a read-only shared mapping of a copy is as good as a private one */
	call->reply.fd = memfd;
}

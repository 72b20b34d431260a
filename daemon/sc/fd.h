/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/fd.h - what the fd calls on placeholders share (sc/fd.c, sc/iov.c,
 * sc/obj.c): the placeholder a call names, and the module's read and
 * write at the file position or at an offset.
 */
#ifndef KMVIEW_DAEMON_SC_FD_H
#define KMVIEW_DAEMON_SC_FD_H

#include <stddef.h>
#include <sys/types.h>

#include "core/call.h"
#include "core/vfd.h"

/* Bytes moved by one read or write call at most: a short count beyond. */
#define VU_IO_MAX (256 * 1024)

/*
 * The placeholder of fd slot 0 of @call, or NULL once the reply is
 * chosen: native for a real fd, EBADF for a handle the daemon never gave.
 */
struct vu_vfd *vu_sc_vfd(struct vu_call *call);

/*
 * The module's read of @len bytes of @f into @buf: pread64 at *@off with
 * preadv2's @flags, or read at the file position if @off is NULL.
 * Returns the bytes read or -errno.
 */
long vu_file_read(struct vu_vfd *f, void *buf, size_t len, const off_t *off, int flags);
/* The same for write and pwrite64. */
long vu_file_write(struct vu_vfd *f, const void *buf, size_t len, const off_t *off, int flags);

#endif /* KMVIEW_DAEMON_SC_FD_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * prw.h - the file position of modules without one (VU_USE_PRW): the
 * hypervisor keeps each open file's offset and size, and read, write and
 * lseek become pread64, pwrite64 and a confirmation by the module's lseek.
 */
#ifndef KMVIEW_DAEMON_PRW_H
#define KMVIEW_DAEMON_PRW_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "core/vfd.h"

/* Does the module of @f want the hypervisor to keep its offsets? */
bool vu_prw(const struct vu_vfd *f);
/* read, write at the file's offset, which moves on: a count or -errno. */
long vu_prw_read(struct vu_vfd *f, void *buf, size_t len);
long vu_prw_write(struct vu_vfd *f, const void *buf, size_t len);
/* lseek: the new offset or -errno (EINVAL for SEEK_DATA, SEEK_HOLE and a negative result). */
long vu_prw_lseek(struct vu_vfd *f, off_t offset, int whence);

#endif /* KMVIEW_DAEMON_PRW_H */

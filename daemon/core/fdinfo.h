/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdinfo.h - which virtual file a member's fd is, for any fd of it (not
 * only the fds a request names, whose handles the kernel sends): the
 * placeholder's /proc/TID/fdinfo/FD says its handle and the daemon of its
 * view (kmod/vfd.c, Documentation/uapi.md).
 */
#ifndef KMVIEW_DAEMON_FDINFO_H
#define KMVIEW_DAEMON_FDINFO_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* fdinfo is a few short lines: more than this is not a placeholder's */
#define VU_FDINFO_MAX 4096

/*
 * The handle in @text (@len bytes, an fdinfo file) if it is a placeholder
 * of the view whose daemon is @daemon (a tgid in our pid namespace): 0 and
 * *@handle, else -EBADF. Strict: each kmview line exactly once, decimal,
 * in range, nothing after the number.
 */
int vu_fdinfo_parse(const char *text, size_t len, pid_t daemon, uint64_t *handle);
/* The handle of fd @fd of member @tid if it is a placeholder of our view: 0, or -EBADF. */
int vu_fdinfo_handle(pid_t tid, int fd, uint64_t *handle);

#endif /* KMVIEW_DAEMON_FDINFO_H */

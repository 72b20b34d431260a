/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fdlink.h - the fd links of a member (/proc/self/fd/N and its other
 * names) for its virtual files.
 *
 * The kernel's link of a placeholder names its anonymous inode, so what
 * goes through it (glibc's fchmodat(AT_SYMLINK_NOFOLLOW) and lchmod are
 * chmod("/proc/self/fd/N") of an O_PATH fd; fexecve, "reopen" tricks,
 * readlink to learn a file's name) failed or lied on virtual files. For
 * the walk of a path (core/vpath.c) and for readlink (sc/path.c), the
 * link of fd N that is a placeholder of this view with a path reads as
 * that path in the view, as the kernel's link names a real file's path:
 *   /proc/self/fd/N, /proc/thread-self/fd/N, /proc/PID/fd/N (PID a
 *   process or thread, in the daemon's pid namespace), /dev/fd/N.
 * Sockets keep the kernel's link. The kernel forwards the calls on the
 * first two prefixes and /dev/fd while anything is mounted (filter.c,
 * vu_fdlink_paths); a /proc/PID/fd path is seen only when the call
 * reaches the daemon for another reason (a virtual cwd, a chroot).
 */
#ifndef KMVIEW_DAEMON_FDLINK_H
#define KMVIEW_DAEMON_FDLINK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The prefixes the filter registers while a mount exists, NULL-terminated. */
extern const char *const vu_fdlink_paths[];
#define VU_FDLINK_NPATHS 3
/* Kernel prefix ids of vu_fdlink_paths[i]: VU_FDLINK_PREFIX_ID - i (never an epoch). */
#define VU_FDLINK_PREFIX_ID (UINT64_MAX - 16)

/*
 * Is @path (absolute, normal) a fd link? 1 with the task whose fd table
 * it names (@tid for self and thread-self) in *@pid and the fd in *@fd;
 * 0 if not.
 */
int vu_fdlink_parse(const char *path, pid_t tid, pid_t *pid, int *fd);

/*
 * For the request this thread serves: if @path is the fd link of a
 * placeholder of this view that has a path, 1 and that path in @target
 * (@size bytes, NUL-terminated); 0 if not; -ENAMETOOLONG.
 */
int vu_fdlink_target(const char *path, char *target, size_t size);

#endif /* KMVIEW_DAEMON_FDLINK_H */

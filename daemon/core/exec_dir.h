/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec_dir.h - the daemon's private directory for the copies of virtual
 * programs that members exec (sc/exec.c).
 *
 * The kernel runs the copy by its path, so whoever can change what is at
 * that path chooses what a member runs. The directory is therefore made
 * with mkdtemp (a fresh name, mode 0700, never one that was there) in the
 * first of $XDG_RUNTIME_DIR, $TMPDIR and /tmp whose every component is
 * out of other users' hands: owned by the daemon's user or root, and not
 * writable by group or others unless sticky (as /tmp). The result is
 * checked again (a directory, the daemon's, 0700) before it is used.
 */
#ifndef KMVIEW_DAEMON_EXEC_DIR_H
#define KMVIEW_DAEMON_EXEC_DIR_H

#include <stdbool.h>

/* The directory, made at the first call: its path, or NULL with errno set. */
const char *vu_exec_dir(void);
/* The directory if it was made already, else NULL. */
const char *vu_exec_dir_known(void);
/* Could a directory made in @dir be swapped by another user? false if so. */
bool vu_exec_parent_ok(const char *dir);
/* Is @path (absolute) in the directory? Exec copies are real even in a chroot. */
bool vu_exec_dir_contains(const char *path);
/* Remove the directory with what is in it and forget it (at exit; tests). */
void vu_exec_dir_remove(void);

#endif /* KMVIEW_DAEMON_EXEC_DIR_H */

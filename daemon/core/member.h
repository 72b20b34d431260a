/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * member.h - what the hypervisor remembers about each member thread.
 *
 * Its local debug tags (vudebug -- command), which follow the thread into
 * the processes and threads it creates (VU_MSG_FORK), and its virtual
 * cwd, shared as the kernel shares a cwd (CLONE_FS). Both are forgotten
 * when it exits (VU_MSG_EXIT). Only members with some state have an entry.
 */
#ifndef KMVIEW_DAEMON_MEMBER_H
#define KMVIEW_DAEMON_MEMBER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct vuht_entry_t;

uint64_t vu_member_tags(pid_t tid);
/* -ENOMEM if a new entry cannot be allocated. */
int vu_member_set_tags(pid_t tid, uint64_t tags);
/* What @child inherits; @clone_flags: CLONE_FS shares the cwd. -ENOMEM. */
int vu_member_fork(pid_t parent, pid_t child, uint64_t clone_flags);
void vu_member_exit(pid_t tid);
/*
 * The virtual cwd of @tid: 1 and @buf filled, 0 if the cwd is real,
 * -ENAMETOOLONG.
 */
int vu_member_getcwd(pid_t tid, char *buf, size_t size);
/*
 * The cwd of @tid and of the members sharing it is now @path, virtual in
 * the mount @ht (its use taken over), or real if @path is NULL. -ENOMEM.
 */
int vu_member_chdir(pid_t tid, const char *path, struct vuht_entry_t *ht);
/*
 * The root of @tid, if it is in a chroot: 1 and @buf filled, 0 if not,
 * -ENAMETOOLONG.
 */
int vu_member_getroot(pid_t tid, char *buf, size_t size);
/*
 * @tid and the members sharing its fs are now in a chroot at @root (a path
 * of the view); the daemon takes the cwd over, @cwd if it had not yet.
 * -ENOMEM.
 */
int vu_member_chroot(pid_t tid, const char *root, const char *cwd);
/* How many fs (groups of members) are in a chroot. */
size_t vu_member_chroots(void);
/* Members with an entry (tests, leak checks). */
size_t vu_member_count(void);
void vu_member_clear(void);

#endif /* KMVIEW_DAEMON_MEMBER_H */

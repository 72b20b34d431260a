/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * member.h - what the hypervisor remembers about each member thread.
 *
 * For now that is its local debug tags (vudebug -- command): they follow
 * the thread into the processes and threads it creates (VU_MSG_FORK) and
 * are forgotten when it exits (VU_MSG_EXIT). Only members with some state
 * have an entry.
 */
#ifndef KMVIEW_DAEMON_MEMBER_H
#define KMVIEW_DAEMON_MEMBER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

uint64_t vu_member_tags(pid_t tid);
/* -ENOMEM if a new entry cannot be allocated. */
int vu_member_set_tags(pid_t tid, uint64_t tags);
void vu_member_fork(pid_t parent, pid_t child);
void vu_member_exit(pid_t tid);
/* Members with an entry (tests, leak checks). */
size_t vu_member_count(void);
void vu_member_clear(void);

#endif /* KMVIEW_DAEMON_MEMBER_H */

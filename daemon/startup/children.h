/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * children.h - reap the daemon's children and keep the command's status.
 *
 * The daemon is a child subreaper: members whose parents die become its
 * children, and it reaps them as they exit so no zombie outlives the view.
 */
#ifndef KMVIEW_DAEMON_CHILDREN_H
#define KMVIEW_DAEMON_CHILDREN_H

#include <sys/types.h>

/* Start reaping (SIGCHLD); command is the first member, whose status counts. */
int kmv_children_start(pid_t command);
/* Wait for the command to be reaped; returns kmv_exit_code() of its status. */
int kmv_children_wait(void);
/* exit status of a process as a shell reports it: 128 + signal if killed. */
int kmv_exit_code(int wstatus);

#endif /* KMVIEW_DAEMON_CHILDREN_H */

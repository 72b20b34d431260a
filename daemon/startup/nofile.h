/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nofile.h - the daemon's limit of open files.
 *
 * Every directory and every file a module does not pass through holds a
 * daemon fd for as long as a member has it open, for all the members of
 * the view together: the usual soft limit (1024) is far too low. The
 * daemon raises its soft RLIMIT_NOFILE to the hard limit; the command it
 * starts gets the original soft limit back, so a member sees the limits
 * it would have had outside the view (select(2) users rely on 1024).
 */
#ifndef KMVIEW_DAEMON_NOFILE_H
#define KMVIEW_DAEMON_NOFILE_H

#include <sys/resource.h>

/* Raise the soft limit to the hard one; the limits before in @saved. 0 or -errno. */
int vu_nofile_raise(struct rlimit *saved);
/* Put back the soft limit of @saved (in the first member). 0 or -errno. */
int vu_nofile_restore(const struct rlimit *saved);

#endif /* KMVIEW_DAEMON_NOFILE_H */

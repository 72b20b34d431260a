/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * exec_ids.h - MOD_INH_EXEC for an execve the daemon serves.
 */
#ifndef KMVIEW_DAEMON_EXEC_IDS_H
#define KMVIEW_DAEMON_EXEC_IDS_H

#include "core/call.h"

/*
 * If @call is an execve or execveat the kernel will now run (its reply is
 * not an error), tell the upcalls MOD_INH_EXEC, with the ids of the file's
 * set-user-ID and set-group-ID bits (-1 for none) as VUOS does. On the
 * member's own thread, after the handler.
 */
void vu_exec_inherit(struct vu_call *call);

#endif /* KMVIEW_DAEMON_EXEC_IDS_H */

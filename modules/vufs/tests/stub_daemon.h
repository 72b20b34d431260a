/* SPDX-License-Identifier: GPL-2.0-or-later */
/* stub_daemon.h - the stubbed daemon of the host test of vufs's methods. */
#ifndef KMVIEW_VUFS_STUB_DAEMON_H
#define KMVIEW_VUFS_STUB_DAEMON_H

#include <vumodule.h>

extern uid_t stub_caller_uid;
extern gid_t stub_caller_gid;
/* The private data of the last mount, and choosing the mount the next calls serve. */
void *stub_current(void);
void stub_use(void *private_data);

#endif

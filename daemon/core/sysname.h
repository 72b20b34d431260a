/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sysname.h - system calls by name, for messages and for vu_arch_table.
 */
#ifndef KMVIEW_DAEMON_SYSNAME_H
#define KMVIEW_DAEMON_SYSNAME_H

#include <stddef.h>

#include "core/call.h"

/* The name of syscall @nr ("openat"), or "syscall N" written in @buf. */
const char *vu_syscall_name(long nr, char *buf, size_t len);
/* Refuse with ENOSYS and say why in the log: a virtual object, no server. */
void vu_syscall_refuse(struct vu_call *call, const char *what);

#endif /* KMVIEW_DAEMON_SYSNAME_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sysname.c - the names of the system calls of this architecture, from
 * the C library's <sys/syscall.h> (the build generates the table).
 */
#include <errno.h>
#include <stdio.h>

#include "base/log.h"
#include "core/sysname.h"

static const char *const vu_sysnames[] = {
#include "sysnames.inc"
};

#define VU_NSYSNAMES ((long)(sizeof(vu_sysnames) / sizeof(vu_sysnames[0])))

const char *vu_syscall_name(long nr, char *buf, size_t len)
{
	if (nr >= 0 && nr < VU_NSYSNAMES && vu_sysnames[nr])
		return vu_sysnames[nr];
	snprintf(buf, len, "syscall %ld", nr);
	return buf;
}

void vu_syscall_refuse(struct vu_call *call, const char *what)
{
	char buf[32];

	vu_log(LOG_NOTICE, "tid %d: %s on %s is not served: ENOSYS", call->msg->tid,
	       vu_syscall_name(call->msg->nr, buf, sizeof(buf)), what);
	vu_call_return(call, -ENOSYS);
}

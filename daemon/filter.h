/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * filter.h - keep the kernel's filter in step with the responsibility
 * table: which system calls may reach the daemon, and under which path
 * prefixes paths may be virtual.
 */
#ifndef KMVIEW_DAEMON_FILTER_H
#define KMVIEW_DAEMON_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"

/*
 * Push the filter if the table or the open virtual files changed what it
 * must be. Every difference is tried; returns the first error (logged).
 */
int vu_filter_sync(struct vu_backend *be);
/* kmview -R: no prefix is a redirect, every call under a bind reaches its module. */
void vu_filter_no_redirects(void);
/* Forget what was pushed (tests, a new backend). */
void vu_filter_reset(void);

#endif /* KMVIEW_DAEMON_FILTER_H */

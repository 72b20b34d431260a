/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * log.h - where the hypervisor's messages go.
 *
 * Levels are syslog's (LOG_EMERG 0 ... LOG_DEBUG 7). A message is written
 * to the console (stderr, or the -o file) if its level is at most the
 * console level (-l, default LOG_WARNING), and to syslog if at most the
 * syslog level (-s, off by default). Tagged debug messages (vu_debug) are
 * shown when their tag is on (debug_tags.h), in the tag's colour.
 */
#ifndef KMVIEW_DAEMON_LOG_H
#define KMVIEW_DAEMON_LOG_H

#include <stdio.h>
#include <syslog.h>

#include "base/debug_tags.h"

#define VU_LOG_DEFAULT LOG_WARNING
#define VU_LOG_OFF (-1)

void vu_log_set_level(int level);
void vu_log_set_syslog(int level);
/* Send console output to path (appended, created 0600); -errno on failure. */
int vu_log_set_file(const char *path);
/* Send console output to an open stream, NULL for stderr (tests). */
void vu_log_set_stream(FILE *f);

void vu_log(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void vu_debug_print(int tag, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Costs one test when the tag is off. */
#define vu_debug(tag, ...)                                 \
	do {                                               \
		if (vu_debug_on(tag))                      \
			vu_debug_print(tag, __VA_ARGS__);  \
	} while (0)

#endif /* KMVIEW_DAEMON_LOG_H */

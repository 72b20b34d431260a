// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * log.c - console, log file and syslog output of the hypervisor.
 *
 * Each message is formatted first and written with one call, so lines
 * from different threads never interleave.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <unistd.h>

#include "base/debug_color.h"
#include "base/log.h"

static _Atomic int vu_console_level = VU_LOG_DEFAULT;
static _Atomic int vu_syslog_level = VU_LOG_OFF;
static FILE *vu_log_stream;
static FILE *vu_log_owned; /* opened by vu_log_set_file(), ours to close */

void vu_log_set_level(int level)
{
	vu_console_level = level;
}

void vu_log_set_syslog(int level)
{
	if (level >= 0)
		openlog("kmview", LOG_PID, LOG_DAEMON);
	vu_syslog_level = level;
}

int vu_log_set_file(const char *path)
{
	/* Close-on-exec: members must not inherit the hypervisor's log. */
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	FILE *f;

	if (fd < 0)
		return -errno;
	f = fdopen(fd, "a");
	if (!f) {
		int e = errno;

		close(fd);
		return -e;
	}
	setvbuf(f, NULL, _IOLBF, 0);
	vu_log_set_stream(f);
	vu_log_owned = f;
	return 0;
}

void vu_log_set_stream(FILE *f)
{
	if (vu_log_owned && vu_log_owned != f) {
		fclose(vu_log_owned);
		vu_log_owned = NULL;
	}
	vu_log_stream = f;
}

static FILE *vu_out(void)
{
	return vu_log_stream ? vu_log_stream : stderr;
}

static const char *vu_level_prefix(int level)
{
	if (level <= LOG_ERR)
		return "error: ";
	if (level == LOG_WARNING)
		return "warning: ";
	return "";
}

void vu_log(int level, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (level > vu_console_level && level > vu_syslog_level)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (level <= vu_console_level)
		fprintf(vu_out(), "kmview: %s%s\n", vu_level_prefix(level), msg);
	if (level <= vu_syslog_level)
		syslog(level, "%s", msg);
}

void vu_debug_print(int tag, const char *fmt, ...)
{
	char msg[1024];
	char esc[VU_COLOR_ESC_MAX];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	vu_color_escape(vu_color_get(tag), esc, sizeof(esc));
	fprintf(vu_out(), "%skmview [%c] %s%s\n", esc, tag, msg, esc[0] ? VU_COLOR_RESET : "");
	if (vu_syslog_level >= LOG_DEBUG)
		syslog(LOG_DEBUG, "[%c] %s", tag, msg);
}

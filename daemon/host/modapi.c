// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modapi.c - what modules ask of the hypervisor besides the table and the
 * request they serve (core/modctx.c): how they print.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/debug_tags.h"
#include "base/log.h"

int vprintk(const char *fmt, va_list ap)
{
	int level = LOG_INFO;
	char buf[1024];
	int n;

	/* KERN_ERR is "\0013": the level digit follows the start-of-header byte */
	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n > 0 && buf[strlen(buf) - 1] == '\n')
		buf[strlen(buf) - 1] = '\0';
	vu_log(level, "%s", buf);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void _debug_set_name(int index, const char *s)
{
	vu_debug_set_name(vu_tag_char(index), s);
}

void debug_get_name(char tag, char *buf, size_t bufsize)
{
	vu_debug_get_name(tag, buf, bufsize);
}

int _printkdebug_on(int index)
{
	return vu_debug_on(vu_tag_char(index));
}

int _printkdebug(int index, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && buf[strlen(buf) - 1] == '\n')
		buf[strlen(buf) - 1] = '\0';
	vu_debug_print(vu_tag_char(index), "%s", buf);
	return n;
}

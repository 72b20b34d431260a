// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modapi.c - what modules ask of the hypervisor besides the table: which
 * request they serve, and how they print.
 *
 * The state is per thread: a module's method runs in the thread that
 * serves the request, and a module's own threads start with none (they
 * set an entry with vu_mod_setht if they need one).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "debug_tags.h"
#include "log.h"
#include "modapi.h"

static __thread struct vuht_entry_t *vu_cur_ht;
static __thread pid_t vu_cur_tid;

void vu_mod_set_tid(pid_t tid)
{
	vu_cur_tid = tid;
}

struct vuht_entry_t *vu_mod_getht(void)
{
	return vu_cur_ht;
}

struct vuht_entry_t *vu_mod_setht(struct vuht_entry_t *ht)
{
	struct vuht_entry_t *old = vu_cur_ht;

	vu_cur_ht = ht;
	return old;
}

unsigned int vu_mod_gettid(void)
{
	return (unsigned int)vu_cur_tid;
}

mode_t vu_umask_of(pid_t tid)
{
	char path[64], line[128];
	mode_t mask = 022;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return mask;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Umask:", 6) == 0) {
			mask = (mode_t)strtoul(line + 6, NULL, 8) & 0777;
			break;
		}
	fclose(f);
	return mask;
}

mode_t vu_mod_getumask(void)
{
	return vu_cur_tid > 0 ? vu_umask_of(vu_cur_tid) : 022;
}

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

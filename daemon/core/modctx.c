// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modctx.c - the request a serving thread is calling a module for.
 *
 * The state is per thread: a module's method runs in the thread that
 * serves the request, and a module's own threads start with none (they
 * set an entry with vu_mod_setht if they need one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/modctx.h"

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


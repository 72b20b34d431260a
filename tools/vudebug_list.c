// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudebug_list.c - format the tag listing of "vudebug ?".
 */
#include <stdbool.h>
#include <string.h>
#include <vulib.h>

#include "vudebug_list.h"

void vudebug_list(FILE *out, const char *which, const char *global, const char *local,
		  vudebug_name_fn name)
{
	for (int c = '!'; c < 127; c++) {
		char tagname[64];
		bool on, lon;

		if (!strchr(DEBUG_ALLTAGS, c))
			continue;
		on = strchr(global, c) != NULL;
		lon = strchr(local, c) != NULL;
		name(c, tagname, sizeof(tagname));
		if (which ? !strchr(which, c) : !(on || lon || tagname[0]))
			continue;
		fprintf(out, "%c %c%s%s\n", c, on ? '+' : '-', lon ? "(+)" : "   ", tagname);
	}
}

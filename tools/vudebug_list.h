/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vudebug_list.h - the "?" listing of vudebug: one line per tag,
 *   <tag> <+ or -><(+) if local, else 3 spaces><name>
 * e.g. "p +   PATH", in ASCII order as VUOS prints it.
 */
#ifndef KMVIEW_TOOLS_VUDEBUG_LIST_H
#define KMVIEW_TOOLS_VUDEBUG_LIST_H

#include <stddef.h>
#include <stdio.h>

typedef void (*vudebug_name_fn)(int tag, char *buf, size_t len);

/*
 * which: the tags to list, or NULL for those enabled (globally or locally)
 * or named. global, local: the enabled tags.
 */
void vudebug_list(FILE *out, const char *which, const char *global, const char *local,
		  vudebug_name_fn name);

#endif /* KMVIEW_TOOLS_VUDEBUG_LIST_H */

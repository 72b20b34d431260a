// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vuname_print.c - format vuname's line; no system calls here.
 */
#include <stdio.h>
#include <string.h>

#include "vuname_print.h"

static const char vuname_unknown[] = "unknown";

static const char *vuname_value(const struct vu_info *info, bool in_view, int field)
{
	switch (field) {
	case VUNAME_SYSNAME:
		return info->uname.sysname;
	case VUNAME_NODENAME:
		return info->uname.nodename;
	case VUNAME_RELEASE:
		return info->uname.release;
	case VUNAME_VERSION:
		return info->uname.version;
	case VUNAME_MACHINE:
		return info->uname.machine;
	case VUNAME_OS:
		return in_view ? VUNAME_OS_INVIEW : VUNAME_OS_HOST;
	case VUNAME_SERVERID:
		return in_view ? info->vu_serverid : NULL;
	case VUNAME_VIEWNAME:
		return in_view ? info->vu_name : NULL;
	default:
		return vuname_unknown; /* -p, -i: Linux does not say */
	}
}

void vuname_format(const struct vuname_args *a, const struct vu_info *info, bool in_view,
		   char *out, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	out[0] = '\0';
	if (a->prompt) {
		if (!in_view)
			snprintf(out, len, "%s\n", info->uname.nodename);
		else if (info->vu_name[0])
			snprintf(out, len, "%s\n", info->vu_name);
		else
			snprintf(out, len, "%s[%s]\n", info->uname.nodename, info->vu_serverid);
		return;
	}
	unsigned int fields = a->fields ? a->fields : 1U << VUNAME_SYSNAME;

	if (a->all)
		fields = ~0U;
	for (int i = 0; i < VUNAME_NFIELDS && n < len; i++) {
		const char *v;

		if (!(fields & (1U << i)))
			continue;
		v = vuname_value(info, in_view, i);
		/* -a leaves out what is unknown or unset, as uname -a does. */
		if (!v || (a->all && (v == vuname_unknown || !*v)))
			continue;
		n += (size_t)snprintf(out + n, len - n, "%s%s", n ? " " : "", v);
	}
	if (n < len)
		snprintf(out + n, len - n, "\n");
}

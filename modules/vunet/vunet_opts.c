// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunet_opts.c - vunet's own mount options, out of the submodule's: a
 * submodule (VUOS's ones too) sees only the options that are its own.
 */
#include <string.h>

#include "vunet_opts.h"

static bool vunet_opt_is(const char *opt, size_t len, const char *name)
{
	return strlen(name) == len && strncmp(opt, name, len) == 0;
}

int vunet_opts_parse(const char *data, struct vunet_opts *o, char *rest, size_t restlen)
{
	size_t used = 0;

	memset(o, 0, sizeof(*o));
	if (restlen == 0)
		return -1;
	rest[0] = '\0';
	while (data && *data) {
		const char *end = strchr(data, ',');
		size_t len = end ? (size_t)(end - data) : strlen(data);

		if (vunet_opt_is(data, len, "default")) {
			o->view_default = true;
		} else if (vunet_opt_is(data, len, "nopassthrough")) {
			o->nopassthrough = true;
		} else if (len && !vunet_opt_is(data, len, "permanent")) {
			size_t need = len + (used ? 1 : 0);

			if (used + need >= restlen)
				return -1;
			if (used)
				rest[used++] = ',';
			memcpy(rest + used, data, len);
			used += len;
			rest[used] = '\0';
		}
		data = end ? end + 1 : NULL;
	}
	return 0;
}

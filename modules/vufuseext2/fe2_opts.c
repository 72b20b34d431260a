// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuseext2: its own mount options. As in VUOS (and fuse-ext2), the file
 * system is read-only unless "rw+" is given; a plain "rw" (vufuse passes it
 * when there are no options) leaves it read-only.
 */
#include <string.h>
#include "fe2.h"

int fe2_opt_word(struct fe2_opts *o, const char *word)
{
	if (strcmp(word, "rw+") == 0) {
		o->rw = true;
		return 1;
	}
	if (strcmp(word, "rw") == 0) {
		o->plain_rw = true;
		return 1;
	}
	if (strcmp(word, "ro") == 0) {
		o->ro = true;
		return 0; /* FUSE mounts it read-only as well */
	}
	if (strcmp(word, "allow_other") == 0) {
		o->allow_other = true;
		return 0;
	}
	if (strcmp(word, "debug") == 0 || strcmp(word, "-d") == 0)
		o->debug = true;
	return 0;
}

bool fe2_opts_rw(const struct fe2_opts *o)
{
	return o->rw && !o->ro;
}

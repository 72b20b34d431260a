// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudebug - switch the hypervisor's debug messages on and off.
 *
 * With "-- command" the tags are local: they are set for vudebug's own
 * process, which then becomes the command (exec keeps it the same member),
 * and the hypervisor passes them on to its children.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vulib.h>

#include "vudebug_args.h"
#include "vudebug_list.h"

#define VUDEBUG_ALL (DEBUG_ALLTAGS + 1) /* every tag: skip the space */

static void vudebug_name(int tag, char *buf, size_t len)
{
	if (vu_get_debugtagname(tag, buf, len) < 0 && len)
		buf[0] = '\0';
}

static int vudebug_error(const char *what)
{
	fprintf(stderr, "vudebug: %s: %s\n", what, strerror(errno));
	return 1;
}

static int vudebug_get(char *global, char *local)
{
	if (vu_get_debugtags(global, DEBUG_NTAGS, 0) < 0 ||
	    vu_get_debugtags(local, DEBUG_NTAGS, 1) < 0)
		return vudebug_error("cannot get the debug tags");
	return 0;
}

static int vudebug_apply(const struct vudebug_action *act, int local)
{
	const char *tags = act->tags[0] ? act->tags : VUDEBUG_ALL;
	char global_tags[DEBUG_NTAGS], local_tags[DEBUG_NTAGS];

	switch (act->op) {
	case '+':
		if (vu_add_debugtags(tags, local) < 0)
			return vudebug_error("cannot enable tags");
		break;
	case '-':
		if (vu_del_debugtags(tags, local) < 0)
			return vudebug_error("cannot disable tags");
		break;
	case '?':
		if (vudebug_get(global_tags, local_tags))
			return 1;
		vudebug_list(stdout, act->tags[0] ? act->tags : NULL, global_tags, local_tags,
			     vudebug_name);
		break;
	}
	if (act->color) {
		char spec[DEBUG_NTAGS + 256];

		snprintf(spec, sizeof(spec), "%s:%s", tags, act->color);
		if (vu_set_debugcolor(spec) < 0)
			return vudebug_error("cannot set the colour");
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct vudebug_args a;

	if (vudebug_parse(&a, argc, argv, stderr) < 0) {
		fprintf(stderr, "Try 'vudebug --help' for more information.\n");
		return 1;
	}
	if (a.help) {
		vudebug_usage(stdout);
		return 0;
	}
	if (vu_check() < 0) {
		if (errno == ENOSYS)
			fprintf(stderr, "vudebug: not running in a kmview view\n");
		else
			vudebug_error("cannot reach the hypervisor");
		return 1;
	}
	if (a.nactions == 0 && !a.command) {
		char global_tags[DEBUG_NTAGS], local_tags[DEBUG_NTAGS];

		if (vudebug_get(global_tags, local_tags))
			return 1;
		if (global_tags[0])
			printf("%s\n", global_tags);
		if (local_tags[0])
			printf("(%s)\n", local_tags);
		return 0;
	}
	for (int i = 0; i < a.nactions; i++)
		if (vudebug_apply(&a.actions[i], a.command != NULL))
			return 1;
	if (a.command) {
		fflush(stdout);
		execvp(a.command[0], a.command);
		int e = errno;

		fprintf(stderr, "vudebug: cannot run %s: %s\n", a.command[0], strerror(e));
		return e == ENOENT ? 127 : 126;
	}
	return 0;
}

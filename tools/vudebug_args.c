// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudebug_args.c - parse vudebug's debug arguments.
 *
 * Tags and colours are checked here, before anything is changed, so a
 * typo in the third argument does not leave the first two applied.
 */
#include <string.h>

#include "vudebug_args.h"

static const char vudebug_colors[] = "nwrgbcmyNWRGBCMY+-_*#";

void vudebug_usage(FILE *f)
{
	fprintf(f,
		"Usage: vudebug [DEBARG]... [-- command [args]]\n"
		"       vudebug --help\n"
		"Enable, disable or list the debug messages of the view's hypervisor.\n"
		"\n"
		"  +[TAGS][:COLORS]  enable TAGS (every tag if none), optionally coloured\n"
		"  -[TAGS]           disable TAGS (every tag if none)\n"
		"  ?[TAGS]           list TAGS (the enabled and named ones if none)\n"
		"  TAGS:COLORS       set the colour of TAGS only\n"
		"  -- command args   the changes apply to command and its children only\n"
		"\n"
		"  TAGS: letters, digits and _; lower case: hypervisor, upper case: modules\n"
		"  COLORS: nwrgbcmy foreground (black white red green blue cyan magenta\n"
		"          yellow), NWRGBCMY background, + bright - dim _ underlined\n"
		"          * blinking # reverse\n"
		"With no argument, print the enabled tags, then the local ones in ().\n");
}

static bool vudebug_is_tag(int c)
{
	return c != ' ' && c != '\0' && strchr(DEBUG_ALLTAGS, c);
}

static int vudebug_one(struct vudebug_action *act, const char *arg, FILE *err)
{
	const char *tags = arg;
	const char *colon;
	size_t ntags;

	memset(act, 0, sizeof(*act));
	if (*arg == '+' || *arg == '-' || *arg == '?')
		act->op = *tags++;
	colon = strchr(tags, ':');
	ntags = colon ? (size_t)(colon - tags) : strlen(tags);
	if (colon && act->op != '+' && act->op != 0) {
		fprintf(err, "vudebug: %s: only + and TAGS:COLORS take a colour\n", arg);
		return -1;
	}
	if (!colon && act->op == 0) {
		fprintf(err, "vudebug: %s: expected +, -, ? or TAGS:COLORS\n", arg);
		return -1;
	}
	for (size_t i = 0; i < ntags; i++) {
		if (!vudebug_is_tag((unsigned char)tags[i])) {
			fprintf(err, "vudebug: %s: '%c' is not a tag (letters, digits and _)\n", arg,
				tags[i]);
			return -1;
		}
	}
	if (ntags >= sizeof(act->tags)) {
		fprintf(err, "vudebug: %s: too many tags\n", arg);
		return -1;
	}
	memcpy(act->tags, tags, ntags);
	if (colon) {
		act->color = colon + 1;
		if (strspn(act->color, vudebug_colors) != strlen(act->color)) {
			fprintf(err, "vudebug: %s: colours are made of %s\n", arg, vudebug_colors);
			return -1;
		}
	}
	return 0;
}

int vudebug_parse(struct vudebug_args *a, int argc, char **argv, FILE *err)
{
	memset(a, 0, sizeof(*a));
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			if (i + 1 == argc) {
				fprintf(err, "vudebug: no command after --\n");
				return -1;
			}
			a->command = argv + i + 1;
			break;
		}
		if (strcmp(argv[i], "--help") == 0) {
			a->help = true;
			return 0;
		}
		if (a->nactions == VUDEBUG_MAX_ACTIONS) {
			fprintf(err, "vudebug: too many arguments\n");
			return -1;
		}
		if (vudebug_one(&a->actions[a->nactions++], argv[i], err) < 0)
			return -1;
	}
	return 0;
}

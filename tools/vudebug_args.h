/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vudebug_args.h - the command line of vudebug(1):
 *   vudebug [+tags[:colour]] [-tags] [?tags] [tags:colour] [-- command args]
 */
#ifndef KMVIEW_TOOLS_VUDEBUG_ARGS_H
#define KMVIEW_TOOLS_VUDEBUG_ARGS_H

#include <stdbool.h>
#include <stdio.h>
#include <vulib.h>

#define VUDEBUG_MAX_ACTIONS 64

struct vudebug_action {
	char op;                   /* '+' add, '-' delete, '?' list, 0 colour only */
	char tags[DEBUG_NTAGS];    /* "" means every tag */
	const char *color;         /* colour spec after ':', or NULL */
};

struct vudebug_args {
	struct vudebug_action actions[VUDEBUG_MAX_ACTIONS];
	int nactions;
	bool help;
	char **command; /* after "--": the tags are local to it; NULL if none */
};

/* 0, or -1 after writing why to err. */
int vudebug_parse(struct vudebug_args *a, int argc, char **argv, FILE *err);
void vudebug_usage(FILE *f);

#endif /* KMVIEW_TOOLS_VUDEBUG_ARGS_H */

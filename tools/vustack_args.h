/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vustack_args.h - the command line of vustack(1), and the names of the
 * address families it takes.
 */
#ifndef KMVIEW_TOOLS_VUSTACK_ARGS_H
#define KMVIEW_TOOLS_VUSTACK_ARGS_H

#include <stdbool.h>
#include <stdio.h>

/*
 * The highest family number vustack takes: the C library's PF_MAX - 1
 * plus room for newer families, as VUOS's vustack (which allows 56).
 */
#define VUSTACK_MAX_FAMILY 56

struct vustack_args {
	bool help;      /* -h */
	bool verbose;   /* -v */
	bool supported; /* -s: add the families the stack supports */
	/* The families to select: family[n] for n in 1..VUSTACK_MAX_FAMILY. */
	bool family[VUSTACK_MAX_FAMILY + 1];
	bool all_named;    /* -f all */
	bool all;          /* no -f and no -s, or -f all: every family at once */
	const char *stack; /* the mount point of the stack */
	char **cmd;        /* the command and its arguments, NULL-terminated */
};

/* 0, or -1 after writing why to err. */
int vustack_parse(struct vustack_args *a, int argc, char **argv, FILE *err);
/* -f's argument: names, numbers and aliases separated by commas. */
int vustack_parse_families(struct vustack_args *a, const char *list, FILE *err);
/* A family's name ("inet"), NULL if it has none. */
const char *vustack_family_name(int family);
/* A family's number from its name or alias-free spelling, -1 if unknown. */
int vustack_family_number(const char *name);
/* The help; with families, the list of family names and the aliases too. */
void vustack_usage(FILE *f, bool families);

#endif /* KMVIEW_TOOLS_VUSTACK_ARGS_H */

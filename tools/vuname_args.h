/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vuname_args.h - the command line of vuname(1).
 */
#ifndef KMVIEW_TOOLS_VUNAME_ARGS_H
#define KMVIEW_TOOLS_VUNAME_ARGS_H

#include <stdbool.h>
#include <stdio.h>

/* The printable fields, in the order -a prints them. */
enum vuname_field {
	VUNAME_SYSNAME,  /* -s */
	VUNAME_NODENAME, /* -n */
	VUNAME_RELEASE,  /* -r */
	VUNAME_VERSION,  /* -v */
	VUNAME_MACHINE,  /* -m */
	VUNAME_PROCESSOR, /* -p */
	VUNAME_PLATFORM, /* -i */
	VUNAME_OS,       /* -o */
	VUNAME_SERVERID, /* -U, only in a view */
	VUNAME_VIEWNAME, /* -V, only in a view */
	VUNAME_NFIELDS
};

struct vuname_args {
	unsigned int fields; /* 1 << enum vuname_field */
	bool all;            /* -a */
	bool prompt;         /* -P */
	bool nouname;        /* -x: fail outside a view instead of acting as uname */
	bool quiet;          /* -q */
	bool help;
	bool version;
	const char *setname; /* the one operand: the new view name */
};

/* 0, or -1 after writing why to err (unless -q came first). */
int vuname_parse(struct vuname_args *a, int argc, char **argv, FILE *err);
void vuname_usage(FILE *f);

#endif /* KMVIEW_TOOLS_VUNAME_ARGS_H */

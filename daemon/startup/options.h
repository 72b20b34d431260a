/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * options.h - the command line of kmview, as umvu(1)'s.
 */
#ifndef KMVIEW_DAEMON_OPTIONS_H
#define KMVIEW_DAEMON_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define KMV_MAX_COLORSPECS 64

struct kmv_options {
	const char *vu_name;   /* -V */
	const char *rcfile;    /* -f */
	bool norc;             /* -N */
	bool nonesting;        /* -x */
	bool noredirect;       /* -R */
	uint64_t debugtags;    /* -d, every one given */
	const char *colorspecs[KMV_MAX_COLORSPECS]; /* -D, in order */
	int ncolorspecs;
	int loglevel;          /* -l */
	int sysloglevel;       /* -s, -1 if off */
	const char *logfile;   /* -o */
	bool help;             /* -h */
	char **command;        /* NULL-terminated, empty only with help */
};

/*
 * Parse argv. Returns 0, or -1 after writing why to err. Stops at the first
 * non-option, which starts the command. The strings stay in argv.
 */
int kmv_options_parse(struct kmv_options *opt, int argc, char **argv, FILE *err);
void kmv_options_usage(FILE *f);

#endif /* KMVIEW_DAEMON_OPTIONS_H */

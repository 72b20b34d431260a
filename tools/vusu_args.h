/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vusu_args.h - vusu's command line and the shell's argv it leads to.
 */
#ifndef KMVIEW_VUSU_ARGS_H
#define KMVIEW_VUSU_ARGS_H

#include <stdbool.h>

struct vusu_args {
	const char *user;    /* "root" when none is given */
	const char *command; /* -c */
	const char *shell;   /* -s */
	bool login;          /* -, -l, --login */
	bool keep_env;       /* -m, -p, --preserve-environment */
	bool help;
};

/* 0, or -1 with a message for the user in @err (usage errors). */
int vusu_parse(int argc, char *const argv[], struct vusu_args *a, char *err, int errlen);

/*
 * The shell to run: -s, else (unless the environment is kept) the
 * user's from passwd, else $SHELL, else /bin/sh; an empty passwd field
 * means /bin/sh, as su says.
 */
const char *vusu_shell(const struct vusu_args *a, const char *pw_shell, const char *env_shell);

/*
 * The shell's argv in @argv (room for 4): its name ("-sh" for a login
 * shell), and "-c COMMAND" if there is one.
 */
void vusu_argv(const struct vusu_args *a, const char *shell, char *arg0, int arg0len,
	       const char *argv[4]);

#endif

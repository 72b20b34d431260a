// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vusu_args.c - vusu's options, as VUOS's vusu and su(1) take them:
 *   vusu [-] [-l] [-c COMMAND] [-m|-p] [-s SHELL] [USER]
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "vusu_args.h"

int vusu_parse(int argc, char *const argv[], struct vusu_args *a, char *err, int errlen)
{
	static const struct option longopts[] = {
		{ "command", required_argument, NULL, 'c' },
		{ "login", no_argument, NULL, 'l' },
		{ "shell", required_argument, NULL, 's' },
		{ "preserve-environment", no_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0; /* a fresh scan: the tests parse several lines */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "c:ls:mph", longopts, NULL)) != -1) {
		switch (c) {
		case 'c':
			a->command = optarg;
			break;
		case 'l':
			a->login = true;
			break;
		case 's':
			a->shell = optarg;
			break;
		case 'm':
		case 'p':
			a->keep_env = true;
			break;
		case 'h':
			a->help = true;
			return 0;
		default:
			if (optopt)
				snprintf(err, (size_t)errlen, "option -%c: %s", optopt,
					 strchr("cs", optopt) ? "needs an argument" : "unknown");
			else
				snprintf(err, (size_t)errlen, "unknown option %s", argv[optind - 1]);
			return -1;
		}
	}
	if (optind < argc && strcmp(argv[optind], "-") == 0) {
		a->login = true;
		optind++;
	}
	if (optind < argc)
		a->user = argv[optind++];
	if (optind < argc) {
		snprintf(err, (size_t)errlen, "one user only: what is '%s'?", argv[optind]);
		return -1;
	}
	if (!a->user)
		a->user = "root";
	if (a->login) /* as su(1): a login shell gets a fresh environment */
		a->keep_env = false;
	return 0;
}

const char *vusu_shell(const struct vusu_args *a, const char *pw_shell, const char *env_shell)
{
	if (a->shell)
		return a->shell;
	if (a->keep_env && env_shell && *env_shell)
		return env_shell;
	if (pw_shell && *pw_shell)
		return pw_shell;
	return "/bin/sh";
}

void vusu_argv(const struct vusu_args *a, const char *shell, char *arg0, int arg0len,
	       const char *argv[4])
{
	const char *base = strrchr(shell, '/');
	int n = 0;

	base = base ? base + 1 : shell;
	snprintf(arg0, (size_t)arg0len, "%s%s", a->login ? "-" : "", base);
	argv[n++] = arg0;
	if (a->command) {
		argv[n++] = "-c";
		argv[n++] = a->command;
	}
	argv[n] = NULL;
}

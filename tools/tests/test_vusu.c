// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vusu.c - vusu's command line, the shell it picks and its argv, and
 * the environment it gives (su(1)'s rules), with login.defs from a file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vusu_args.h"
#include "vusu_env.h"

static int parse(struct vusu_args *a, char *err, const char *line)
{
	char buf[256], *argv[16];
	int argc = 0;

	snprintf(buf, sizeof(buf), "%s", line);
	for (char *t = strtok(buf, " "); t && argc < 15; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	err[0] = '\0';
	/* the strings of @a point into buf: copy what the checks read */
	int ret = vusu_parse(argc, argv, a, err, 128);
	static char user[64], cmd[64], shell[64];

	snprintf(user, sizeof(user), "%s", a->user ? a->user : "");
	snprintf(cmd, sizeof(cmd), "%s", a->command ? a->command : "");
	snprintf(shell, sizeof(shell), "%s", a->shell ? a->shell : "");
	a->user = user;
	a->command = a->command ? cmd : NULL;
	a->shell = a->shell ? shell : NULL;
	return ret;
}

int main(void)
{
	struct vusu_args a;
	char err[128], arg0[64];
	const char *argv[4];
	FILE *defs;

	ok(parse(&a, err, "vusu") == 0 && strcmp(a.user, "root") == 0 && !a.login,
	   "no user: root, no login");
	ok(parse(&a, err, "vusu - bob") == 0 && a.login && strcmp(a.user, "bob") == 0,
	   "vusu - bob: a login as bob");
	ok(parse(&a, err, "vusu -l -c id") == 0 && a.login && strcmp(a.command, "id") == 0,
	   "-l -c id");
	ok(parse(&a, err, "vusu bob -c id") == 0 && strcmp(a.user, "bob") == 0 &&
		   strcmp(a.command, "id") == 0,
	   "options after the user, as su takes them");
	ok(parse(&a, err, "vusu -m -s /bin/dash") == 0 && a.keep_env &&
		   strcmp(a.shell, "/bin/dash") == 0,
	   "-m -s SHELL");
	ok(parse(&a, err, "vusu -p -l") == 0 && !a.keep_env, "-p is ignored by a login, as in su");
	ok(parse(&a, err, "vusu -x") < 0 && strstr(err, "-x"), "an unknown option: %s", err);
	ok(parse(&a, err, "vusu -c") < 0 && strstr(err, "argument"), "-c with nothing: %s", err);
	ok(parse(&a, err, "vusu a b") < 0 && strstr(err, "'b'"), "two users: %s", err);
	ok(parse(&a, err, "vusu --help") == 0 && a.help, "--help");

	parse(&a, err, "vusu");
	is_str(vusu_shell(&a, "/bin/bash", "/bin/zsh"), "/bin/bash", "the user's shell");
	is_str(vusu_shell(&a, "", "/bin/zsh"), "/bin/sh", "an empty passwd shell: /bin/sh");
	parse(&a, err, "vusu -m");
	is_str(vusu_shell(&a, "/bin/bash", "/bin/zsh"), "/bin/zsh", "-m keeps $SHELL");
	parse(&a, err, "vusu -s /bin/dash -m");
	is_str(vusu_shell(&a, "/bin/bash", "/bin/zsh"), "/bin/dash", "-s wins");

	parse(&a, err, "vusu - -c ls");
	vusu_argv(&a, "/bin/bash", arg0, sizeof(arg0), argv);
	ok(strcmp(argv[0], "-bash") == 0 && strcmp(argv[1], "-c") == 0 &&
		   strcmp(argv[2], "ls") == 0 && argv[3] == NULL,
	   "a login shell: -bash -c ls");
	parse(&a, err, "vusu");
	vusu_argv(&a, "/bin/sh", arg0, sizeof(arg0), argv);
	ok(strcmp(argv[0], "sh") == 0 && argv[1] == NULL, "a plain shell: sh");

	defs = tmpfile();
	fputs("# a comment ENV_PATH no\nENV_SUPATHX bad\n  ENV_SUPATH\tPATH=/s:/b  \n"
	      "ENV_PATH PATH=/u\n",
	      defs);
	rewind(defs);
	char *v = vusu_logindefs(defs, "ENV_SUPATH");
	is_str(v ? v : "(none)", "PATH=/s:/b", "login.defs: ENV_SUPATH, blanks trimmed");
	free(v);
	rewind(defs);
	setenv("TERM", "vt100", 1);
	setenv("SECRET", "x", 1);
	ok(vusu_setenv(1, 0, "root", "/root", "/bin/sh", defs) == 0, "a login's environment");
	ok(!getenv("SECRET") && strcmp(getenv("TERM"), "vt100") == 0, "... TERM kept, the rest gone");
	is_str(getenv("PATH"), "/s:/b", "... PATH from ENV_SUPATH");
	is_str(getenv("USER"), "root", "... USER");
	setenv("USER", "me", 1);
	ok(vusu_setenv(0, 0, "root", "/root", "/bin/sh", NULL) == 0 &&
		   strcmp(getenv("USER"), "me") == 0 && strcmp(getenv("HOME"), "/root") == 0,
	   "su to root without a login keeps USER, sets HOME");
	ok(vusu_setenv(0, 1000, "bob", "/home/bob", "/bin/sh", NULL) == 0 &&
		   strcmp(getenv("USER"), "bob") == 0 && strcmp(getenv("LOGNAME"), "bob") == 0,
	   "to another user: USER and LOGNAME");
	fclose(defs);
	return tap_done();
}

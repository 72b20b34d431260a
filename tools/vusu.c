// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vusu - su in a view: become another user of the view's /etc/passwd
 * (which may itself be virtual) by its virtual ids, with no password:
 * unrealuidgid keeps the ids, and the view's owner may become anyone.
 * Outside a view it is su(1), as VUOS's vusu.
 */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <vulib.h>

#include "vusu_args.h"
#include "vusu_env.h"

static void usage(FILE *f)
{
	fprintf(f, "Usage: vusu [-] [-l] [-c COMMAND] [-m|-p] [-s SHELL] [USER]\n"
		   "Run a shell as USER (root by default) in this view.\n");
}

static int fail(const char *what, const char *user)
{
	fprintf(stderr, "vusu: %s %s: %s%s\n", what, user, strerror(errno),
		errno == EPERM ? " (is unrealuidgid loaded? vu_insmod unrealuidgid)" : "");
	return 1;
}

/* The user's groups, from the view's /etc/group. */
static int set_groups(const struct passwd *pw)
{
	int n = 32;
	gid_t *g = NULL;

	for (;;) {
		int want = n;
		gid_t *ng = realloc(g, (size_t)n * sizeof(*g));

		if (!ng) {
			free(g);
			return -1;
		}
		g = ng;
		if (getgrouplist(pw->pw_name, pw->pw_gid, g, &want) >= 0) {
			n = want;
			break;
		}
		n = want > n ? want : n * 2;
	}
	n = setgroups((size_t)n, g);
	free(g);
	return n;
}

int main(int argc, char *argv[])
{
	struct vusu_args a;
	const char *shell, *sargv[4];
	char err[256], arg0[256];
	struct passwd *pw;
	FILE *defs;

	if (vu_check() < 0) {
		execvp("su", argv);
		fprintf(stderr, "vusu: not in a view, and su: %s\n", strerror(errno));
		return 1;
	}
	if (vusu_parse(argc, argv, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "vusu: %s\n", err);
		usage(stderr);
		return 2;
	}
	if (a.help) {
		usage(stdout);
		return 0;
	}
	errno = 0;
	pw = getpwnam(a.user);
	if (!pw) {
		fprintf(stderr, "vusu: user %s does not exist%s%s\n", a.user, errno ? ": " : "",
			errno ? strerror(errno) : "");
		return 1;
	}
	if (set_groups(pw) < 0)
		return fail("cannot set the groups of", a.user);
	if (setresgid(pw->pw_gid, pw->pw_gid, pw->pw_gid) < 0)
		return fail("cannot take the group of", a.user);
	if (setresuid(pw->pw_uid, pw->pw_uid, pw->pw_uid) < 0)
		return fail("cannot become", a.user);
	shell = vusu_shell(&a, pw->pw_shell, getenv("SHELL"));
	if (!a.keep_env) {
		defs = a.login ? fopen("/etc/login.defs", "re") : NULL;
		if (vusu_setenv(a.login, pw->pw_uid, pw->pw_name, pw->pw_dir, shell, defs) < 0)
			fprintf(stderr, "vusu: cannot set the environment: %s\n", strerror(errno));
		if (defs)
			fclose(defs);
	}
	if (a.login && chdir(pw->pw_dir) < 0)
		fprintf(stderr, "vusu: cannot change to %s: %s\n", pw->pw_dir, strerror(errno));
	vusu_argv(&a, shell, arg0, sizeof(arg0), sargv);
	execv(shell, (char *const *)sargv);
	fprintf(stderr, "vusu: cannot run %s: %s\n", shell, strerror(errno));
	return errno == ENOENT ? 127 : 126;
}

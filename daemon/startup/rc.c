// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * rc.c - run /etc/vurc and ~/.vurc (or the -f file) inside the view.
 *
 * This runs in the first member, after it joined the view and before it
 * executes the command, so the rc files can already use vuctl (vuname,
 * vudebug) and, once modules exist, load them. A failing rc file is
 * reported and the command still runs: the user asked for the command.
 */
#include <errno.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/types.h>
#include <sys/wait.h>

#include "startup/rc.h"

void kmv_rc_list(struct kmv_rc_list *rc, const char *rcfile, bool norc, const char *home)
{
	memset(rc, 0, sizeof(*rc));
	if (norc)
		return;
	if (rcfile) {
		rc->explicit = true;
		snprintf(rc->path[rc->n++], PATH_MAX, "%s", rcfile);
		return;
	}
	snprintf(rc->path[rc->n++], PATH_MAX, "%s", KMV_SYSTEM_RC);
	if (home && *home &&
	    snprintf(rc->path[rc->n], PATH_MAX, "%s/%s", home, KMV_USER_RC) < PATH_MAX)
		rc->n++;
}

const char *kmv_rc_home(void)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home && *home)
		return home;
	pw = getpwuid(getuid());
	return pw ? pw->pw_dir : NULL;
}

static void kmv_rc_one(const char *path, bool explicit)
{
	int status;
	pid_t pid;

	if (access(path, F_OK) < 0) {
		if (explicit || errno != ENOENT)
			fprintf(stderr, "kmview: rc file %s: %s\n", path, strerror(errno));
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "kmview: cannot run rc file %s: %s\n", path, strerror(errno));
		return;
	}
	if (pid == 0) {
		execl("/bin/sh", "sh", path, (char *)NULL);
		fprintf(stderr, "kmview: cannot run /bin/sh: %s\n", strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR)
			return;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
		fprintf(stderr, "kmview: rc file %s exited with status %d\n", path,
			WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		fprintf(stderr, "kmview: rc file %s killed by signal %d\n", path, WTERMSIG(status));
}

void kmv_rc_run(const struct kmv_rc_list *rc)
{
	for (int i = 0; i < rc->n; i++)
		kmv_rc_one(rc->path[i], rc->explicit);
}

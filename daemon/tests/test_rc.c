// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_rc.c - which rc files run, that they run in order with /bin/sh,
 * and how a command's status becomes kmview's exit status.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "startup/children.h"
#include "startup/rc.h"
#include "tap.h"

static int status_of(void (*body)(void))
{
	int st = 0;
	pid_t pid = fork();

	if (pid == 0) {
		body();
		_exit(99);
	}
	waitpid(pid, &st, 0);
	return st;
}

static void exit3(void)
{
	_exit(3);
}

static void die_term(void)
{
	signal(SIGTERM, SIG_DFL);
	raise(SIGTERM);
}

int main(void)
{
	struct kmv_rc_list rc;
	char dir[] = "/tmp/kmview-rc-XXXXXX";
	char path[2][128], out[128];
	char line[64] = "";

	kmv_rc_list(&rc, NULL, false, "/home/u");
	is_long(rc.n, 2, "default: two files");
	is_str(rc.path[0], "/etc/vurc", "the system one first");
	is_str(rc.path[1], "/home/u/.vurc", "then the user's");
	ok(!rc.explicit, "missing files are not worth a word");
	kmv_rc_list(&rc, NULL, false, NULL);
	is_long(rc.n, 1, "no home: only /etc/vurc");
	kmv_rc_list(&rc, NULL, false, "");
	is_long(rc.n, 1, "empty home: only /etc/vurc");
	kmv_rc_list(&rc, "/x/rc", false, "/home/u");
	is_long(rc.n, 1, "-f: one file");
	is_str(rc.path[0], "/x/rc", "the given one");
	ok(rc.explicit, "and it is expected to exist");
	kmv_rc_list(&rc, "/x/rc", true, "/home/u");
	is_long(rc.n, 0, "-N wins over -f");
	kmv_rc_list(&rc, NULL, true, "/home/u");
	is_long(rc.n, 0, "-N: nothing");

	ok(mkdtemp(dir) != NULL, "temp dir");
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(path[0], sizeof(path[0]), "%s/one", dir);
	snprintf(path[1], sizeof(path[1]), "%s/two", dir);
	FILE *f = fopen(path[0], "w");

	fprintf(f, "printf 1 >> %s\nexit 4\n", out); /* not executable: sh reads it */
	fclose(f);
	f = fopen(path[1], "w");
	fprintf(f, "printf 2 >> %s\n", out);
	fclose(f);
	memset(&rc, 0, sizeof(rc));
	rc.n = 2;
	snprintf(rc.path[0], PATH_MAX, "%s", path[0]);
	snprintf(rc.path[1], PATH_MAX, "%s", path[1]);
	kmv_rc_run(&rc);
	f = fopen(out, "r");
	ok(f && fgets(line, sizeof(line), f), "the rc files ran");
	if (f)
		fclose(f);
	is_str(line, "12", "in order, the second despite the first failing");

	snprintf(rc.path[0], PATH_MAX, "%s/missing", dir);
	rc.n = 1;
	kmv_rc_run(&rc);
	ok(1, "a missing file is skipped");

	unlink(out);
	unlink(path[0]);
	unlink(path[1]);
	rmdir(dir);

	is_long(kmv_exit_code(status_of(exit3)), 3, "exit 3 gives 3");
	is_long(kmv_exit_code(status_of(die_term)), 128 + SIGTERM, "SIGTERM gives 143");
	return tap_done();
}

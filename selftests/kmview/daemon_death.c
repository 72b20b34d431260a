// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * When the daemon dies, its view dies with it: every member is killed,
 * whether it waits in a virtual call or not, no task is left in D state,
 * and the module's references drop back so that it can be unloaded.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

#define NMEMBERS 4

static int report_fd;

static int member_family(void *arg)
{
	pid_t me;
	int i;

	for (i = 1; i < NMEMBERS; i++)
		if (fork() == 0)
			break;
	if (i == NMEMBERS)
		i = 0;
	me = getpid();
	if (write(report_fd, &me, sizeof(me)) != sizeof(me))
		return 1;
	if (i == NMEMBERS - 1)
		pause();	/* one member is not in a call at all */
	testd_call(TESTD_HOLD_FOREVER, 0, 0, 0);
	return 2;
}

/* Count tasks in uninterruptible sleep on the whole system. */
static int count_d_state(void)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	int n = 0;

	while (d && (de = readdir(d))) {
		char path[300], buf[512], *p;
		FILE *f;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/stat", de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f)) {
			p = strrchr(buf, ')');
			if (p && p[2] == 'D') {
				fprintf(stderr, "D state: %s", buf);
				n++;
			}
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	return n;
}

static long module_refcnt(void)
{
	FILE *f = fopen("/sys/module/kmview/refcnt", "r");
	long n = -1;

	if (f) {
		if (fscanf(f, "%ld", &n) != 1)
			n = -1;
		fclose(f);
	}
	return n;
}

TEST(killing_the_daemon_kills_every_member)
{
	static const int nrs[] = { SYS_getppid };
	pid_t daemon, pids[NMEMBERS];
	int p[2], i, status, tries, reaped;

	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	ASSERT_EQ(0, pipe(p));
	daemon = fork();
	if (daemon == 0) {
		struct testd t;

		close(p[0]);
		report_fd = p[1];
		if (testd_open(&t, 0) || testd_filter(&t, nrs, 1, 0))
			_exit(1);
		testd_spawn(&t, member_family, NULL);
		close(p[1]);
		testd_serve(&t);
		_exit(0);
	}
	close(p[1]);
	for (i = 0; i < NMEMBERS; i++)
		ASSERT_EQ(sizeof(pid_t), read(p[0], &pids[i], sizeof(pid_t)));
	usleep(300000);	/* let the calls reach the daemon */

	ASSERT_EQ(0, kill(daemon, SIGKILL));
	ASSERT_EQ(daemon, waitpid(daemon, &status, 0));
	ASSERT_TRUE(WIFSIGNALED(status));
	/* the members are reparented to us as their parents die: each must die of SIGKILL */
	for (reaped = 0, tries = 0; reaped < NMEMBERS && tries < 500; tries++) {
		pid_t pid = waitpid(-1, &status, WNOHANG);

		if (pid <= 0) {
			usleep(10000);
			continue;
		}
		for (i = 0; i < NMEMBERS; i++)
			if (pids[i] == pid)
				break;
		ASSERT_LT(i, NMEMBERS) TH_LOG("unexpected child %d", pid);
		ASSERT_TRUE(WIFSIGNALED(status));
		ASSERT_EQ(SIGKILL, WTERMSIG(status));
		reaped++;
	}
	ASSERT_EQ(NMEMBERS, reaped);
	ASSERT_EQ(0, count_d_state());
	/* nothing holds the module any more (RCU frees members a bit later) */
	for (tries = 0; tries < 50 && module_refcnt() != 0; tries++)
		usleep(100000);
	ASSERT_EQ(0, module_refcnt());
}

TEST(closing_the_view_before_any_member_is_clean)
{
	struct testd t;

	ASSERT_EQ(0, testd_open(&t, KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT));
	testd_close(&t);
	ASSERT_EQ(0, module_refcnt());
}

TEST_HARNESS_MAIN

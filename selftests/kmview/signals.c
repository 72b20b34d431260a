// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Signals during a virtual call follow the kernel's rules: a handler with
 * SA_RESTART restarts the call, one without makes it fail with EINTR, a
 * signal with no handler (stop/continue) restarts it, and a fatal signal
 * kills the member at once. This holds both while the request waits in the
 * queue and once the daemon holds it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

static const int getppid_only[] = { SYS_getppid };
static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	handled++;
}

static void arm(int flags)
{
	struct sigaction sa;
	struct itimerval it = { .it_value = { 0, 200000 } };

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = flags;
	sigaction(SIGALRM, &sa, NULL);
	handled = 0;
	setitimer(ITIMER_REAL, &it, NULL);
}

static int member_eintr(void *arg)
{
	arm(0);
	errno = 0;
	CHECK(testd_call(TESTD_HOLD, 0, 0, 0) == -1 && errno == EINTR);
	CHECK(handled == 1);
	return 0;
}

TEST(held_call_fails_with_eintr_without_sa_restart)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_eintr, NULL));
	ASSERT_EQ(1, t.interrupts);
}

static int member_restart(void *arg)
{
	arm(SA_RESTART);
	/* the first attempt is held and interrupted, the restarted one answers 42 */
	CHECK(testd_call(TESTD_HOLD_ONCE, 0, 0, 0) == 42);
	CHECK(handled == 1);
	return 0;
}

TEST(held_call_restarts_with_sa_restart)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_restart, NULL));
	ASSERT_EQ(2, t.requests);
}

static int member_queued_eintr(void *arg)
{
	/* the daemon stops reading for 1.5 s: the request waits in the queue */
	CHECK(testd_call(TESTD_PAUSE, 1500, 0, 0) == 0);
	arm(0);
	errno = 0;
	CHECK(testd_call(TESTD_RETURN, 5, 0, 0) == -1 && errno == EINTR);
	CHECK(handled == 1);
	return 0;
}

TEST(queued_call_is_withdrawn_by_a_signal)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_queued_eintr, NULL));
	/* the withdrawn request never reached the daemon */
	ASSERT_EQ(1, t.requests);
	ASSERT_EQ(0, t.interrupts);
}

static int member_queued_restart(void *arg)
{
	CHECK(testd_call(TESTD_PAUSE, 1500, 0, 0) == 0);
	arm(SA_RESTART);
	CHECK(testd_call(TESTD_RETURN, 5, 0, 0) == 5);
	CHECK(handled == 1);
	return 0;
}

TEST(queued_call_restarts_after_a_handler_with_sa_restart)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_queued_restart, NULL));
	ASSERT_EQ(2, t.requests);
}

static int member_fatal(void *arg)
{
	testd_call(TESTD_HOLD_FOREVER, 0, 0, 0);
	return 3;	/* never reached */
}

TEST(fatal_signal_kills_a_member_in_a_held_call)
{
	struct testd t;
	pid_t child;
	int status;

	ASSERT_EQ(0, testd_open(&t, 0));
	ASSERT_EQ(0, testd_filter(&t, getppid_only, 1, 0));
	child = testd_spawn(&t, member_fatal, NULL);
	ASSERT_GT(child, 0);
	if (fork() == 0) {
		usleep(300000);
		kill(child, SIGKILL);
		_exit(0);
	}
	status = testd_serve(&t);
	testd_close(&t);
	wait(NULL);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
}

static int member_stop_cont(void *arg)
{
	pid_t self = getpid();

	if (fork() == 0) {
		usleep(200000);
		kill(self, SIGSTOP);
		usleep(200000);
		kill(self, SIGCONT);
		_exit(0);
	}
	/* held, interrupted by SIGSTOP (no handler): restarts, answered 42 */
	CHECK(testd_call(TESTD_HOLD_ONCE, 0, 0, 0) == 42);
	wait(NULL);
	return 0;
}

TEST(stop_and_continue_restart_a_held_call)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_stop_cont, NULL));
}

static int member_storm(void *arg)
{
	struct itimerval it = { 0 };
	struct timespec t0, t1;
	struct sigaction sa;
	long us;
	int i;

	/*
	 * A signal every 500 us, or every three round trips where one takes
	 * longer (a debug kernel under TCG): with a period shorter than a
	 * call, every call would be interrupted and restarted for ever, as
	 * a real slow call would be.
	 */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (i = 0; i < 100; i++)
		CHECK(testd_call(TESTD_RETURN, i, 0, 0) == i);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	us = ((t1.tv_sec - t0.tv_sec) * 1000000 + (t1.tv_nsec - t0.tv_nsec) / 1000) / 100;
	it.it_interval.tv_usec = us * 3 > 500 ? (us * 3 < 999999 ? us * 3 : 999999) : 500;
	it.it_value = it.it_interval;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sa.sa_flags = SA_RESTART;
	sigaction(SIGALRM, &sa, NULL);
	handled = 0;
	setitimer(ITIMER_REAL, &it, NULL);
	/* every call must come back right, however the signals fall */
	for (i = 0; i < 2000; i++)
		CHECK(testd_call(TESTD_RETURN, i, 0, 0) == i);
	it = (struct itimerval){ 0 };
	setitimer(ITIMER_REAL, &it, NULL);
	CHECK(handled > 0);
	return 0;
}

TEST(a_storm_of_signals_during_calls_loses_and_breaks_nothing)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_storm, NULL));
	ASSERT_GE(t.requests, 2100);
	TH_LOG("%lu requests, %lu interrupts", t.requests, t.interrupts);
}

TEST_HARNESS_MAIN

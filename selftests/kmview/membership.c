// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Who may join a view, and who is in it: only a single-threaded process
 * holding the view's fd, with the daemon's credentials, not yet a member,
 * and never the daemon itself. Children and threads inherit membership;
 * processes outside are untouched; the daemon reads end of file when the
 * last member is gone.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

static const int getppid_only[] = { SYS_getppid };

static void *thread_call(void *arg)
{
	return (void *)testd_call(TESTD_RETURN, 99, 0, 0);
}

static int member_inherit(void *arg)
{
	pthread_t th;
	void *ret;
	int status;
	pid_t child;

	CHECK(pthread_create(&th, NULL, thread_call, NULL) == 0);
	CHECK(pthread_join(th, &ret) == 0 && (long)ret == 99);
	child = fork();
	if (child == 0)
		_exit(testd_call(TESTD_RETURN, 7, 0, 0) == 7 ? 0 : 1);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && !WEXITSTATUS(status));
	child = vfork();
	if (child == 0)
		_exit(testd_call(TESTD_RETURN, 8, 0, 0) == 8 ? 0 : 1);
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && !WEXITSTATUS(status));
	return 0;
}

TEST(threads_and_children_are_members)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_inherit, NULL));
	ASSERT_EQ(3, t.requests);
}

TEST(fork_and_exit_are_announced_before_requests)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;
	int status;

	ASSERT_EQ(0, testd_open(&t, KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT));
	ASSERT_EQ(KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT, t.hello.features);
	ASSERT_EQ(0, testd_filter(&t, nrs, 1, 0));
	testd_spawn(&t, member_inherit, NULL);
	status = testd_serve(&t);
	testd_close(&t);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* a thread, a fork child and a vfork child, in this order */
	ASSERT_EQ(3, t.nforked);
	ASSERT_EQ(CLONE_THREAD | CLONE_VM | CLONE_FS | CLONE_FILES, t.fork_flags[0]);
	ASSERT_EQ(0, t.fork_flags[1]);
	ASSERT_EQ(CLONE_VM, t.fork_flags[2]);
	/* the three and the first member */
	ASSERT_EQ(4, t.nexited);
	ASSERT_EQ(0, t.unannounced);
}

TEST(a_process_outside_the_view_is_not_captured)
{
	struct testd t;
	pid_t child;
	int status;

	ASSERT_EQ(0, testd_open(&t, 0));
	ASSERT_EQ(0, testd_filter(&t, getppid_only, 1, 0));
	/* the view is live, but this process is not in it */
	ASSERT_EQ(getppid(), testd_call(TESTD_RETURN, 5, 0, 0));
	child = fork();
	if (child == 0)
		_exit(testd_call(TESTD_RETURN, 5, 0, 0) == getppid() ? 0 : 1);
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	testd_close(&t);
}

static void *sleeper(void *arg)
{
	pause();
	return NULL;
}

TEST(attach_is_refused_to_the_daemon_threads_and_members)
{
	struct testd t;
	pthread_t th;
	pid_t child;
	int status;

	ASSERT_EQ(0, testd_open(&t, 0));
	/* the daemon itself */
	ASSERT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_ATTACH, 0));
	ASSERT_EQ(EINVAL, errno);
	child = fork();
	if (child == 0) {
		/* a multi-threaded process */
		pthread_create(&th, NULL, sleeper, NULL);
		if (ioctl(t.fd, KMVIEW_IOC_ATTACH, 0) != -1 || errno != EBUSY)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	child = fork();
	if (child == 0) {
		/* twice: no nesting, no hopping between views */
		if (ioctl(t.fd, KMVIEW_IOC_ATTACH, 0))
			_exit(1);
		if (ioctl(t.fd, KMVIEW_IOC_ATTACH, 0) != -1 || errno != EBUSY)
			_exit(2);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	/* a bad argument */
	ASSERT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_ATTACH, 1));
	ASSERT_EQ(EINVAL, errno);
	testd_close(&t);
}

TEST(attach_is_refused_with_other_credentials)
{
	struct testd t;
	pid_t child;
	int status;

	if (geteuid() != 0)
		SKIP(return, "needs root to change credentials");
	ASSERT_EQ(0, testd_open(&t, 0));
	child = fork();
	if (child == 0) {
		if (setresuid(65534, 65534, 65534))
			_exit(3);
		if (ioctl(t.fd, KMVIEW_IOC_ATTACH, 0) != -1 || errno != EPERM)
			_exit(1);
		_exit(0);
	}
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	testd_close(&t);
}

TEST(calls_before_hello_are_refused)
{
	char buf[KMVIEW_READ_MIN];
	int fd = open(KMVIEW_DEVICE, O_RDWR);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(-1, read(fd, buf, sizeof(buf)));
	ASSERT_EQ(EPROTO, errno);
	ASSERT_EQ(-1, ioctl(fd, KMVIEW_IOC_ATTACH, 0));
	ASSERT_EQ(EPROTO, errno);
	close(fd);
}

static int member_exit_now(void *arg)
{
	return 17;
}

TEST(daemon_reads_eof_when_the_view_empties)
{
	struct testd t;

	ASSERT_EQ(17, run_in_view(&t, getppid_only, 1, member_exit_now, NULL));
}

TEST_HARNESS_MAIN

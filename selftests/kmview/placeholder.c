// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Placeholder fds behave like real fds: dup, fork, poll, epoll and select
 * work natively on them, readiness comes from the daemon (magicpoll), fd
 * calls on them are forwarded while the same calls on real fds are not,
 * and the daemon learns of the last close.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

static int member_poll(void *arg)
{
	struct pollfd pfd;
	struct epoll_event ev = { .events = EPOLLIN }, out;
	fd_set rfds;
	struct timeval tv = { 0, 0 };
	int fd, efd, p[2];

	fd = testd_call(TESTD_VFD, 5, O_RDWR, 0);
	CHECK(fd >= 0);
	CHECK(pipe(p) == 0);

	/* not ready yet: a mix of a real and a virtual fd */
	struct pollfd two[2] = { { .fd = fd, .events = POLLIN }, { .fd = p[0], .events = POLLIN } };
	CHECK(poll(two, 2, 0) == 0);
	efd = epoll_create1(0);
	CHECK(efd >= 0 && epoll_ctl(efd, EPOLL_CTL_ADD, fd, &ev) == 0);
	CHECK(epoll_wait(efd, &out, 1, 0) == 0);

	/* the daemon says readable */
	CHECK(testd_call(TESTD_POLL, 5, POLLIN, 0) == 0);
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 0) == 1 && (pfd.revents & POLLIN));
	CHECK(epoll_wait(efd, &out, 1, 0) == 1 && (out.events & EPOLLIN));
	FD_ZERO(&rfds);
	FD_SET(fd, &rfds);
	CHECK(select(fd + 1, &rfds, NULL, NULL, &tv) == 1 && FD_ISSET(fd, &rfds));

	/* and not readable again */
	CHECK(testd_call(TESTD_POLL, 5, 0, 0) == 0);
	CHECK(poll(&pfd, 1, 0) == 0);
	/* an unknown handle is refused */
	errno = 0;
	CHECK(testd_call(TESTD_POLL, 999, POLLIN, 0) == -1 && errno == ENOENT);
	close(efd);
	return 0;
}

TEST(poll_epoll_select_see_daemon_readiness)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 1, member_poll, NULL));
}

static int member_blocking_poll(void *arg)
{
	struct pollfd pfd;
	int fd = testd_call(TESTD_VFD, 6, O_RDWR, 0);
	pid_t child;
	int status;

	CHECK(fd >= 0);
	child = fork();
	if (child == 0) {
		/* another member makes the placeholder ready while the parent sleeps in poll */
		usleep(200000);
		_exit(testd_call(TESTD_POLL, 6, POLLIN, 0) == 0 ? 0 : 1);
	}
	pfd = (struct pollfd){ .fd = fd, .events = POLLIN };
	CHECK(poll(&pfd, 1, 10000) == 1 && (pfd.revents & POLLIN));
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status) && !WEXITSTATUS(status));
	return 0;
}

TEST(poll_wakes_when_the_daemon_pushes_readiness)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 1, member_blocking_poll, NULL));
}

static int member_dup_fork(void *arg)
{
	int fd, fd2, fd3, status;
	pid_t child;

	fd = testd_call(TESTD_VFD, 9, O_RDWR, 0);
	CHECK(fd >= 0);
	fd2 = dup(fd);
	fd3 = fcntl(fd, F_DUPFD_CLOEXEC, 100);
	CHECK(fd2 >= 0 && fd3 >= 100);
	child = fork();
	if (child == 0) {
		/* the child shares the placeholder: the last close is not ours */
		close(fd);
		close(fd2);
		close(fd3);
		_exit(0);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFEXITED(status));
	close(fd);
	close(fd2);
	CHECK(testd_call(TESTD_RELEASED, 9, 0, 0) == 0);
	close(fd3);
	CHECK(testd_call(TESTD_RELEASED, 9, 0, 0) == 1);
	return 0;
}

TEST(release_comes_at_the_last_close_after_dup_and_fork)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 1, member_dup_fork, NULL));
}

/* read on a placeholder is forwarded: answer with a copy-out. */
static int policy_read(struct testd *t, const struct kmview_msg *m,
		       const struct kmview_syscall *sc, const char *paths[2])
{
	struct {
		struct kmview_reply r;
		struct kmview_copy c;
		char data[8];
	} rep = {
		.r = { .unique = m->unique, .len = sizeof(rep), .kind = KMVIEW_REPLY_RETURN,
		       .ncopy = 1, .retval = 6 },
		.c = { .addr = sc->args[1], .len = 6 },
		.data = "vfd:42",
	};

	if (sc->nr != SYS_read)
		return -1;
	if (sc->handle[0] != 42 || sc->args[2] < 6)
		return testd_reply_return(t, m->unique, -EBADF);
	return testd_reply(t, &rep.r);
}

static int member_read(void *arg)
{
	char buf[32];
	int fd, p[2];

	fd = testd_call(TESTD_VFD, 42, O_RDONLY, 0);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf)) == 6 && !memcmp(buf, "vfd:42", 6));
	/* a real fd with the same syscall stays in the kernel */
	CHECK(pipe(p) == 0 && write(p[1], "real", 4) == 4);
	CHECK(read(p[0], buf, sizeof(buf)) == 4 && !memcmp(buf, "real", 4));
	CHECK(testd_call(TESTD_COUNT, 0, 0, 0) == 3);	/* vfd, read, count */
	return 0;
}

TEST(fd_calls_are_forwarded_only_for_placeholders)
{
	static const int nrs[] = { SYS_getppid, SYS_read };
	static const struct view_setup setup = { .policy = policy_read };
	struct testd t;

	ASSERT_EQ(0, run_in_view_with(&t, nrs, 2, &setup, member_read, NULL));
}

static int member_outside_read(void *arg)
{
	char buf[8];
	int fd = testd_call(TESTD_VFD, 43, O_RDWR, 0);

	CHECK(fd >= 0);
	/* read is not in this view's bitmap: the placeholder itself refuses */
	errno = 0;
	CHECK(read(fd, buf, sizeof(buf)) == -1 && errno == EINVAL);
	errno = 0;
	CHECK(ioctl(fd, 0x1234, 0) == -1 && errno == ENOTTY);
	return 0;
}

TEST(unfiltered_calls_on_a_placeholder_fail_cleanly)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 1, member_outside_read, NULL));
}

TEST_HARNESS_MAIN

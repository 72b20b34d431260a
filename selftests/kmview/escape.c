// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * No way around the filter: 32-bit (int 0x80) and x32 system calls and
 * io_uring (setup, and enter and register on a ring inherited from before
 * the view) are refused in a view with ENOSYS, and a setuid program gains
 * nothing (members run with no_new_privs).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <linux/io_uring.h>

#include "kselftest_harness.h"
#include "view_util.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif

static long int80_getpid(void)
{
	long ret = 20;	/* __NR_getpid on i386 */

	asm volatile ("int $0x80" : "+a"(ret) : : "memory");
	return ret;
}

static long x32_getpid(void)
{
	return syscall(__X32_SYSCALL_BIT | SYS_getpid);
}

static long uring_setup(void)
{
	struct io_uring_params p = { 0 };

	return syscall(SYS_io_uring_setup, 4, &p);
}

static int member_escape(void *arg)
{
	CHECK(int80_getpid() == -ENOSYS);
	errno = 0;
	CHECK(x32_getpid() == -1 && errno == ENOSYS);
	errno = 0;
	CHECK(uring_setup() == -1 && errno == ENOSYS);
	errno = 0;
	CHECK(syscall(SYS_io_uring_enter, 0, 0, 0, 0, NULL, 0) == -1 && errno == ENOSYS);
	errno = 0;
	CHECK(syscall(SYS_io_uring_register, 0, 0, NULL, 0) == -1 && errno == ENOSYS);
	CHECK(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1);
	/* ordinary calls still work */
	CHECK(getpid() > 0);
	return 0;
}

TEST(compat_x32_and_io_uring_are_refused_in_a_view)
{
	struct testd t;

	/* even with an empty bitmap */
	ASSERT_EQ(0, run_in_view(&t, NULL, 0, member_escape, NULL));
	ASSERT_EQ(0, t.requests);
}

TEST(the_same_calls_work_outside_a_view)
{
	long fd;

	ASSERT_EQ(getpid(), int80_getpid());
	fd = uring_setup();
	if (fd >= 0)
		close(fd);
	else
		ASSERT_NE(ENOSYS, errno);
	ASSERT_EQ(0, prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0));
}

TEST_HARNESS_MAIN

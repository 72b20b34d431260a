// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Every reply kind, driven by testd: return a value, return an error,
 * copy data into the member, run natively, run natively with rewritten
 * arguments and with a rewritten path, install a placeholder, install a
 * file the daemon opened, and read and write the member's memory.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

static const int getppid_only[] = { SYS_getppid };

static int member_return(void *arg)
{
	CHECK(testd_call(TESTD_RETURN, 4242, 0, 0) == 4242);
	CHECK(testd_call(TESTD_RETURN, 0, 0, 0) == 0);
	return 0;
}

TEST(return_value_reaches_the_member)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_return, NULL));
	ASSERT_EQ(2, t.requests);
}

static int member_error(void *arg)
{
	errno = 0;
	CHECK(testd_call(TESTD_ERROR, ENOENT, 0, 0) == -1 && errno == ENOENT);
	CHECK(testd_call(TESTD_ERROR, EPERM, 0, 0) == -1 && errno == EPERM);
	return 0;
}

TEST(error_reaches_the_member_as_errno)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_error, NULL));
}

static int member_native(void *arg)
{
	pid_t parent = *(pid_t *)arg;

	CHECK(testd_call(TESTD_NATIVE, 0, 0, 0) == parent);
	/* and again: a native restart must not leave the next call uncaptured */
	CHECK(testd_call(TESTD_RETURN, 7, 0, 0) == 7);
	CHECK(testd_call(TESTD_NATIVE, 0, 0, 0) == parent);
	return 0;
}

TEST(native_reply_runs_the_real_call)
{
	struct testd t;
	pid_t self = getpid();

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_native, &self));
	ASSERT_EQ(3, t.requests);
}

static int member_copyout(void *arg)
{
	char buf[5000];
	int i;

	memset(buf, 0, sizeof(buf));
	CHECK(testd_call(TESTD_COPYOUT, (long)buf, 4999, 0) == 4999);
	for (i = 0; i < 4999; i++)
		CHECK(buf[i] == 'A' + i % 26);
	CHECK(buf[4999] == 0);
	/* an address the member cannot write: EFAULT, nothing else breaks */
	errno = 0;
	CHECK(testd_call(TESTD_COPYOUT, 16, 10, 0) == -1 && errno == EFAULT);
	CHECK(testd_call(TESTD_RETURN, 1, 0, 0) == 1);
	return 0;
}

TEST(copyout_writes_member_memory)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_copyout, NULL));
}

static int member_mem(void *arg)
{
	char s[] = "hello, view";

	CHECK(testd_call(TESTD_MEM, (long)s, 0, 0) == (long)strlen(s));
	CHECK(strcmp(s, "HELLO, VIEW") == 0);
	return 0;
}

TEST(daemon_reads_and_writes_parked_member_memory)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_mem, NULL));
}

static int member_file(void *arg)
{
	char buf[64];
	int fd;
	ssize_t n;

	fd = testd_call(TESTD_FILE, (long)"/proc/version", O_RDONLY, 0);
	CHECK(fd >= 0);
	n = read(fd, buf, sizeof(buf) - 1);
	CHECK(n > 5);
	buf[n] = 0;
	CHECK(strncmp(buf, "Linux", 5) == 0);
	CHECK(fcntl(fd, F_GETFD) == 0);
	close(fd);
	fd = testd_call(TESTD_FILE, (long)"/proc/version", O_RDONLY | O_CLOEXEC, 0);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	close(fd);
	errno = 0;
	CHECK(testd_call(TESTD_FILE, (long)"/nonexistent", O_RDONLY, 0) == -1 && errno == ENOENT);
	return 0;
}

TEST(file_reply_installs_the_daemons_file)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_file, NULL));
}

static int member_vfd(void *arg)
{
	struct stat st;
	int fd = testd_call(TESTD_VFD, 77, O_RDWR, 0);

	CHECK(fd >= 0);
	CHECK(fstat(fd, &st) == 0);	/* fstat is not filtered here: native on the placeholder */
	CHECK(fcntl(fd, F_GETFD) == 0);
	/* a handle in use is refused: the daemon's write fails, it answers EEXIST */
	errno = 0;
	CHECK(testd_call(TESTD_VFD, 77, O_RDWR, 0) == -1 && errno == EEXIST);
	close(fd);
	CHECK(testd_call(TESTD_RELEASED, 77, 0, 0) == 1);
	fd = testd_call(TESTD_VFD, 78, O_RDONLY | O_CLOEXEC, 0);
	CHECK(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC);
	return 0;
}

static int member_vfd_emfile(void *arg)
{
	struct rlimit rl = { 16, 16 };
	int i;

	CHECK(setrlimit(RLIMIT_NOFILE, &rl) == 0);
	for (i = 0; i < 16; i++)
		if (open("/dev/null", O_RDONLY) < 0)
			break;
	/* the daemon answered with a placeholder the member has no fd for */
	errno = 0;
	CHECK(testd_call(TESTD_VFD, 79, O_RDWR, 0) == -1 && errno == EMFILE);
	for (i = 3; i < 16; i++)
		close(i);
	CHECK(testd_call(TESTD_RELEASED, 79, 0, 0) == 1);
	return 0;
}

TEST(vfd_the_member_cannot_install_is_released)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_vfd_emfile, NULL));
}

TEST(vfd_reply_installs_a_placeholder)
{
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, getppid_only, 1, member_vfd, NULL));
}

/* REWRITE without a path: kill(pid, SIGUSR1) becomes kill(pid, 0). */
static int policy_kill(struct testd *t, const struct kmview_msg *m,
		       const struct kmview_syscall *sc, const char *paths[2])
{
	struct kmview_reply r = { .unique = m->unique, .len = sizeof(r),
				  .kind = KMVIEW_REPLY_REWRITE, .argmask = 1U << 1 };

	if (sc->nr != SYS_kill)
		return -1;
	r.args[1] = 0;
	return testd_reply(t, &r);
}

static int member_rewrite(void *arg)
{
	signal(SIGUSR1, SIG_DFL);
	CHECK(kill(getpid(), SIGUSR1) == 0);
	return 0;	/* still alive: the signal became a check */
}

TEST(rewrite_reply_changes_arguments)
{
	static const int nrs[] = { SYS_kill };
	static const struct view_setup setup = { .policy = policy_kill };
	struct testd t;

	ASSERT_EQ(0, run_in_view_with(&t, nrs, 1, &setup, member_rewrite, NULL));
	ASSERT_EQ(1, t.requests);
}

static int member_strip(void *arg)
{
	char a[256], b[256];
	ssize_t na, nb;
	int fd;

	fd = open("/kmview-vroot/proc/version", O_RDONLY);
	CHECK(fd >= 0);
	na = read(fd, a, sizeof(a));
	close(fd);
	fd = open("/proc/version", O_RDONLY);
	CHECK(fd >= 0);
	nb = read(fd, b, sizeof(b));
	close(fd);
	CHECK(na > 0 && na == nb && !memcmp(a, b, na));
	/* a relative path resolved from a cwd, and ".." folded by the filter */
	CHECK(chdir("/proc") == 0);
	CHECK(access("../kmview-vroot/proc/version", R_OK) == 0);
	errno = 0;
	CHECK(access("/kmview-vroot/nonexistent", F_OK) == -1 && errno == ENOENT);
	return 0;
}

TEST(rewrite_reply_with_a_new_path)
{
	static const int nrs[] = { SYS_openat, SYS_access, SYS_faccessat, SYS_faccessat2 };
	static const struct view_setup setup = { .strip_prefix = "/kmview-vroot" };
	struct testd t;

	ASSERT_EQ(0, run_in_view_with(&t, nrs, 4, &setup, member_strip, NULL));
	/* the opens of real paths were settled in the kernel */
	ASSERT_EQ(3, t.requests);
}

/* mmap of a placeholder maps a real file the daemon chose. */
static char mmap_file[] = "/tmp/kmview-mmap-XXXXXX";

static int policy_mmap(struct testd *t, const struct kmview_msg *m,
		       const struct kmview_syscall *sc, const char *paths[2])
{
	struct kmview_reply r = { .unique = m->unique, .len = sizeof(r),
				  .kind = KMVIEW_REPLY_MMAP };
	int i, ret;

	if (sc->nr != SYS_mmap && sc->nr != SYS_getppid)
		return -1;
	if (sc->nr == SYS_getppid && sc->args[0] != 99)
		return -1;
	/* MMAP answers only mmap: tried on getppid it is refused */
	r.fd = open(mmap_file, O_RDWR | O_CLOEXEC);
	if (r.fd < 0)
		return testd_reply_return(t, m->unique, -errno);
	for (i = 0; i < 6; i++)
		r.args[i] = i == 4 ? 0 : sc->args[i];
	ret = testd_reply(t, &r);
	if (ret)
		ret = testd_reply_return(t, m->unique, -errno);
	close(r.fd);
	return ret;
}

static int member_mmap(void *arg)
{
	char buf[32];
	char *p;
	int fd;

	fd = testd_call(TESTD_VFD, 90, O_RDWR, 0);
	CHECK(fd >= 0);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK(p != MAP_FAILED && !memcmp(p, "kmview mmap", 11));
	CHECK(munmap(p, 4096) == 0);
	/* shared and writable: the daemon gave the backing file itself */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	CHECK(p != MAP_FAILED);
	memcpy(p, "KMVIEW", 6);
	CHECK(msync(p, 4096, MS_SYNC) == 0 && munmap(p, 4096) == 0);
	fd = open(mmap_file, O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 11) == 11 && !memcmp(buf, "KMVIEW mmap", 11));
	close(fd);
	/* an offset that is not page aligned: EINVAL, as mmap(2) says */
	fd = testd_call(TESTD_VFD, 91, O_RDWR, 0);
	errno = 0;
	CHECK(mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 100) == MAP_FAILED && errno == EINVAL);
	/* and an MMAP reply to something else than mmap is refused by the kernel */
	errno = 0;
	CHECK(testd_call(99, 0, 0, 0) == -1 && errno == EINVAL);
	return 0;
}

TEST(mmap_reply_maps_the_daemons_file)
{
	static const int nrs[] = { SYS_getppid, SYS_mmap };
	static const struct view_setup setup = { .policy = policy_mmap };
	struct testd t;
	int fd = mkstemp(mmap_file);

	ASSERT_GE(fd, 0);
	ASSERT_EQ(0, ftruncate(fd, 4096));
	ASSERT_EQ(11, write(fd, "kmview mmap", 11));
	close(fd);
	ASSERT_EQ(0, run_in_view_with(&t, nrs, 2, &setup, member_mmap, NULL));
	unlink(mmap_file);
}

/*
 * A virtual cwd: chdir under /kmview-v is served and makes the cwd virtual;
 * then relative paths are forwarded (answered EXDEV here, to tell them from
 * native calls) for the member, its CLONE_FS threads and its children,
 * until a chdir elsewhere makes it real again.
 */
static int policy_cwd(struct testd *t, const struct kmview_msg *m,
		      const struct kmview_syscall *sc, const char *paths[2])
{
	struct kmview_reply r = { .unique = m->unique, .len = sizeof(r) };
	const char *p = paths[0] ? paths[0] : paths[1];

	if (sc->nr == SYS_chdir) {
		if (!strncmp(p, "/kmview-v", 9)) {
			r.kind = KMVIEW_REPLY_RETURN;
			r.flags = KMVIEW_REPLY_F_CWD_VIRTUAL;
		} else {
			r.kind = KMVIEW_REPLY_NATIVE;
			r.flags = KMVIEW_REPLY_F_CWD_REAL;
		}
		return testd_reply(t, &r);
	}
	if (sc->nr == SYS_getcwd)
		return testd_reply_return(t, m->unique, -EXDEV);
	if (p && p[0] != '/')
		return testd_reply_return(t, m->unique, -EXDEV);
	return -1;
}

static pthread_barrier_t cwd_barrier;

static void *cwd_thread(void *arg)
{
	long virtual;

	pthread_barrier_wait(&cwd_barrier);	/* the main thread moves to a virtual cwd */
	virtual = access("rel", F_OK) == -1 && errno == EXDEV;
	pthread_barrier_wait(&cwd_barrier);
	return (void *)virtual;
}

static int member_cwd(void *arg)
{
	char buf[64];
	pthread_t th;
	void *ret;
	int status;

	CHECK(pthread_barrier_init(&cwd_barrier, NULL, 2) == 0);
	CHECK(pthread_create(&th, NULL, cwd_thread, NULL) == 0);
	errno = 0;
	CHECK(access("kmview-rel-nonexistent", F_OK) == -1 && errno == ENOENT);
	CHECK(getcwd(buf, sizeof(buf)) != NULL);	/* getcwd: native while the cwd is real */
	CHECK(chdir("/kmview-v/dir") == 0);
	errno = 0;
	CHECK(access("rel", F_OK) == -1 && errno == EXDEV);
	errno = 0;
	CHECK(getcwd(buf, sizeof(buf)) == NULL && errno == EXDEV);	/* and served while virtual */
	CHECK(access("/proc/version", R_OK) == 0);	/* absolute and real: native */
	pthread_barrier_wait(&cwd_barrier);
	pthread_barrier_wait(&cwd_barrier);
	CHECK(pthread_join(th, &ret) == 0 && ret == (void *)1);
	if (fork() == 0)
		_exit(access("rel", F_OK) == -1 && errno == EXDEV ? 0 : 1);
	CHECK(wait(&status) > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	CHECK(chdir("/proc") == 0);
	CHECK(getcwd(buf, sizeof(buf)) && !strcmp(buf, "/proc"));
	CHECK(access("version", R_OK) == 0);	/* native again, relative to /proc */
	return 0;
}

TEST(virtual_cwd_forwards_relative_paths_until_a_real_chdir)
{
	static const int nrs[] = { SYS_chdir, SYS_access, SYS_faccessat, SYS_faccessat2,
				   SYS_getcwd };
	static const struct view_setup setup = { .policy = policy_cwd, .strip_prefix = "/kmview-v" };
	struct testd t;

	ASSERT_EQ(0, run_in_view_with(&t, nrs, 5, &setup, member_cwd, NULL));
}

TEST_HARNESS_MAIN

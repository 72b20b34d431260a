// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * KMVIEW_IOC_SET_KEYS: the socket families, ioctl requests and device
 * numbers the kernel forwards, and only those; and KMVIEW_FILTER_ALL_EXECS
 * (1.3), every execve and execveat whatever its path. The daemon here answers
 * every forwarded call but getppid with EMEDIUMTYPE, which no call in
 * these tests gives natively: a member tells a forwarded call from a
 * native one by its errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>

#include "kselftest_harness.h"
#include "view_util.h"

#define FORWARDED(expr) ((expr) == -1 && errno == EMEDIUMTYPE)

static int policy_medium(struct testd *t, const struct kmview_msg *m,
			 const struct kmview_syscall *sc, const char *paths[2])
{
	if (sc->nr == SYS_getppid)
		return 1;	/* testd's own protocol */
	return testd_reply_return(t, m->unique, -EMEDIUMTYPE);
}

static int set_keys(struct testd *t, uint64_t families, const uint32_t *ioctls,
		    unsigned int nioctls, const struct kmview_dev_key *devs, unsigned int ndevs,
		    uint32_t flags)
{
	struct kmview_keys k = { .families = families, .ioctls = (uintptr_t)ioctls,
				 .devs = (uintptr_t)devs, .nr_ioctls = nioctls,
				 .nr_devs = ndevs, .flags = flags };

	return ioctl(t->fd, KMVIEW_IOC_SET_KEYS, &k);
}

/* fn(arg) in a view filtering @nrs whose keys are @k (none if NULL). */
static int run_keyed(struct testd *t, const int *nrs, unsigned int n, const struct kmview_keys *k,
		     const char *prefix, int (*fn)(void *), void *arg)
{
	int status;

	if (testd_open(t, 0) || testd_filter(t, nrs, n, 0))
		return -1;
	if (k && ioctl(t->fd, KMVIEW_IOC_SET_KEYS, k))
		return -2;
	if (prefix && testd_add_prefix(t, prefix, 1))
		return -3;
	t->policy = policy_medium;
	if (testd_spawn(t, fn, arg) < 0)
		return -1;
	status = testd_serve(t);
	testd_close(t);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(hello_reports_keys)
{
	struct testd t;

	ASSERT_EQ(0, testd_open(&t, 0));
	EXPECT_TRUE(t.hello.supported & KMVIEW_FEAT_KEYS);
	EXPECT_TRUE(t.hello.supported & KMVIEW_FEAT_ALL_EXECS);
	EXPECT_TRUE(t.hello.supported & KMVIEW_FEAT_NO_VDSO);
	EXPECT_EQ(KMVIEW_API_MINOR, t.hello.minor);
	testd_close(&t);
}

/* ---- socket families ---- */

static const int socket_nrs[] = { SYS_socket, SYS_socketpair };

static int member_families(void *arg)
{
	int sv[2], s;

	CHECK(FORWARDED(socket(AF_INET, SOCK_DGRAM, 0)));
	CHECK(FORWARDED(socketpair(AF_INET, SOCK_STREAM, 0, sv)));
	/* the kernel reads an int: bits above 32 must not hide AF_INET */
	CHECK(FORWARDED(syscall(SYS_socket, (1UL << 32) | AF_INET, SOCK_DGRAM, 0)));
	CHECK(FORWARDED(syscall(SYS_socketpair, (1UL << 32) | AF_INET, SOCK_STREAM, 0, sv)));
	s = socket(AF_UNIX, SOCK_STREAM, 0);
	CHECK(s >= 0);
	close(s);
	CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
	close(sv[0]);
	close(sv[1]);
	/* past the 64 bits: native, and the kernel refuses it */
	CHECK(socket(100, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	return 0;
}

TEST(socket_is_forwarded_for_a_family_of_the_set_only)
{
	struct kmview_keys k = { .families = 1ULL << AF_INET };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, socket_nrs, 2, &k, NULL, member_families, NULL));
	EXPECT_EQ(4, t.requests);
}

static int member_all_sockets(void *arg)
{
	CHECK(FORWARDED(socket(AF_UNIX, SOCK_STREAM, 0)));
	return 0;
}

TEST(without_keys_every_socket_in_the_bitmap_is_forwarded)
{
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, socket_nrs, 2, NULL, NULL, member_all_sockets, NULL));
}

/* ---- ioctl requests ---- */

static const int ioctl_nrs[] = { SYS_ioctl, SYS_getppid };

static int member_ioctls(void *arg)
{
	int p[2], n, one = 1, vfd;
	struct termios tio;

	CHECK(pipe(p) == 0);
	CHECK(FORWARDED(ioctl(p[0], FIONREAD, &n)));
	/* the kernel reads an unsigned int: bits above 32 must not hide FIONREAD */
	CHECK(FORWARDED(syscall(SYS_ioctl, p[0], (1UL << 32) | FIONREAD, &n)));
	CHECK(ioctl(p[0], FIONBIO, &one) == 0);
	CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
	/* on a placeholder every request is forwarded, as before */
	vfd = testd_call(TESTD_VFD, 7, O_RDWR, 0);
	CHECK(vfd >= 0);
	CHECK(FORWARDED(ioctl(vfd, TCGETS, &tio)));
	close(vfd);
	return 0;
}

TEST(ioctl_on_a_real_fd_is_forwarded_for_a_listed_request_only)
{
	static const uint32_t reqs[] = { TCSETS, FIONREAD, 0xdeadbeef };
	struct kmview_keys k = { .ioctls = (uintptr_t)reqs, .nr_ioctls = 3 };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, ioctl_nrs, 2, &k, NULL, member_ioctls, NULL));
}

static int member_any_ioctl(void *arg)
{
	int p[2], one = 1;

	CHECK(pipe(p) == 0);
	CHECK(FORWARDED(ioctl(p[0], FIONBIO, &one)));
	return 0;
}

TEST(any_ioctl_forwards_every_request)
{
	struct kmview_keys k = { .flags = KMVIEW_KEYS_ANY_IOCTL };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, ioctl_nrs, 2, &k, NULL, member_any_ioctl, NULL));
}

static int member_no_ioctl(void *arg)
{
	int p[2], n;

	CHECK(pipe(p) == 0);
	CHECK(ioctl(p[0], FIONREAD, &n) == 0 && n == 0);
	return 0;
}

TEST(without_keys_ioctl_on_a_real_fd_stays_native)
{
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, ioctl_nrs, 2, NULL, NULL, member_no_ioctl, NULL));
}

/* ---- device numbers ---- */

static const int path_nrs[] = { SYS_stat, SYS_lstat, SYS_open, SYS_openat, SYS_newfstatat,
				SYS_statx, SYS_readlink, SYS_unlink, SYS_read, SYS_execve };

/* cat @path (or head -c 4 of it) in a child of the member: its exit status. */
static int run_cat(const char *prog, const char *path)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		int out[2];

		/* what head prints goes to a pipe, not to the test's output */
		if (pipe(out) || dup2(out[1], 1) < 0)
			_exit(126);
		if (strcmp(prog, "head") == 0)
			execlp("head", "head", "-c", "4", path, (char *)NULL);
		else
			execlp(prog, prog, path, (char *)NULL);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int member_dev_null(void *arg)
{
	struct stat st;
	char buf[4];
	int fd, dirfd;

	CHECK(FORWARDED(stat("/dev/null", &st)));
	CHECK(FORWARDED(open("/dev/null", O_RDONLY)));
	CHECK(FORWARDED(openat(AT_FDCWD, "/dev/./null", O_WRONLY)));
	CHECK(stat("/dev/zero", &st) == 0 && S_ISCHR(st.st_mode));
	fd = open("/dev/zero", O_RDONLY);
	CHECK(fd >= 0 && read(fd, buf, 4) == 4 && buf[0] == 0);
	close(fd);
	CHECK(stat("/etc/passwd", &st) == 0);
	CHECK(stat("/no/such/file", &st) == -1 && errno == ENOENT);
	/* relative to a real dirfd, and to the cwd */
	dirfd = open("/dev", O_RDONLY | O_DIRECTORY);
	CHECK(dirfd >= 0);
	CHECK(FORWARDED(fstatat(dirfd, "null", &st, 0)));
	CHECK(fstatat(dirfd, "zero", &st, 0) == 0);
	close(dirfd);
	CHECK(chdir("/dev") == 0);
	CHECK(FORWARDED(stat("null", &st)));
	CHECK(stat("./zero", &st) == 0);
	/* real programs: cat's open of /dev/null fails, head of /dev/zero works */
	CHECK(run_cat("cat", "/dev/null") == 1);
	CHECK(run_cat("head", "/dev/zero") == 0);
	return 0;
}

static const struct kmview_dev_key null_key = { .major = 1, .minor = 3 };

TEST(a_device_key_forwards_its_node_only)
{
	struct kmview_keys k = { .devs = (uintptr_t)&null_key, .nr_devs = 1 };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, NULL, member_dev_null, NULL));
}

TEST(a_device_key_forwards_its_node_with_prefixes_registered)
{
	struct kmview_keys k = { .devs = (uintptr_t)&null_key, .nr_devs = 1 };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, "/kmview-no-such-mount", member_dev_null,
			       NULL));
}

static int member_symlink(void *arg)
{
	char dir[] = "/tmp/kmview-keys-XXXXXX", link[64], target[64];
	struct statx stx;
	struct stat st;
	ssize_t n;

	CHECK(mkdtemp(dir) != NULL);
	snprintf(link, sizeof(link), "%s/nul", dir);
	CHECK(symlink("/dev/null", link) == 0);
	/* followed: the device */
	CHECK(FORWARDED(stat(link, &st)));
	CHECK(FORWARDED(open(link, O_RDONLY)));
	CHECK(FORWARDED(fstatat(AT_FDCWD, link, &st, 0)));
	/* not followed: the link itself, natively */
	CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
	CHECK(fstatat(AT_FDCWD, link, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode));
	CHECK(statx(AT_FDCWD, link, AT_SYMLINK_NOFOLLOW, STATX_TYPE, &stx) == 0 &&
	      S_ISLNK(stx.stx_mode));
	CHECK(FORWARDED(statx(AT_FDCWD, link, 0, STATX_TYPE, &stx)));
	CHECK(open(link, O_RDONLY | O_NOFOLLOW) == -1 && errno == ELOOP);
	n = readlink(link, target, sizeof(target) - 1);
	CHECK(n == 9 && memcmp(target, "/dev/null", 9) == 0);
	CHECK(unlink(link) == 0);
	CHECK(rmdir(dir) == 0);
	return 0;
}

TEST(a_symlink_to_a_device_is_forwarded_where_followed)
{
	struct kmview_keys k = { .devs = (uintptr_t)&null_key, .nr_devs = 1 };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, NULL, member_symlink, NULL));
}

static int member_kinds(void *arg)
{
	uint32_t flags = *(uint32_t *)arg;
	struct stat st;
	int zero = stat("/dev/zero", &st), null = stat("/dev/null", &st);

	if (flags & KMVIEW_DEV_BLK) {	/* 1:3 as a block device: no char node matches */
		CHECK(zero == 0 && null == 0);
	} else {			/* any minor of major 1: both */
		CHECK(zero == -1 && errno == EMEDIUMTYPE && null == -1);
	}
	CHECK(stat("/etc/passwd", &st) == 0);
	return 0;
}

TEST(device_keys_tell_char_from_block_and_match_any_minor)
{
	struct kmview_dev_key blk = { .major = 1, .minor = 3, .flags = KMVIEW_DEV_BLK };
	struct kmview_dev_key any = { .major = 1, .flags = KMVIEW_DEV_ANY_MINOR };
	struct kmview_keys k = { .devs = (uintptr_t)&blk, .nr_devs = 1 };
	uint32_t flags = KMVIEW_DEV_BLK;
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, NULL, member_kinds, &flags));
	k.devs = (uintptr_t)&any;
	flags = 0;
	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, NULL, member_kinds, &flags));
}

static int member_any_chr(void *arg)
{
	struct stat st;

	CHECK(FORWARDED(stat("/dev/zero", &st)));
	CHECK(FORWARDED(stat("/dev/tty", &st)));
	CHECK(stat("/etc/passwd", &st) == 0);
	CHECK(stat("/dev", &st) == 0);
	return 0;
}

TEST(any_chr_forwards_every_character_device)
{
	struct kmview_keys k = { .flags = KMVIEW_KEYS_ANY_CHR };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, NULL, member_any_chr, NULL));
}

static int member_no_devs(void *arg)
{
	struct stat st;

	CHECK(stat("/dev/null", &st) == 0);
	return 0;
}

TEST(without_device_keys_device_nodes_stay_native)
{
	struct kmview_keys k = { .families = 1ULL << AF_INET };
	struct testd t;

	ASSERT_EQ(0, run_keyed(&t, path_nrs, 10, &k, NULL, member_no_devs, NULL));
	EXPECT_EQ(0, t.requests);
}

/* ---- malformed keys change nothing ---- */

TEST(malformed_keys_are_refused_and_change_nothing)
{
	struct kmview_dev_key devs[KMVIEW_MAX_KEYS + 1];
	uint32_t reqs[KMVIEW_MAX_KEYS + 1];
	struct kmview_keys k;
	struct testd t;
	int status;

	memset(devs, 0, sizeof(devs));
	memset(reqs, 0, sizeof(reqs));
	ASSERT_EQ(0, testd_open(&t, 0));
	ASSERT_EQ(0, testd_filter(&t, socket_nrs, 2, 0));
	ASSERT_EQ(0, set_keys(&t, 1ULL << AF_INET, NULL, 0, NULL, 0, 0));

	EXPECT_EQ(0, set_keys(&t, 1ULL << AF_INET, reqs, KMVIEW_MAX_KEYS, devs, KMVIEW_MAX_KEYS,
			      0));
	EXPECT_EQ(0, set_keys(&t, 1ULL << AF_INET, NULL, 0, NULL, 0, 0));
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, reqs, KMVIEW_MAX_KEYS + 1, NULL, 0, 0));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, devs, KMVIEW_MAX_KEYS + 1, 0));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, NULL, 0, 1U << 7));
	EXPECT_EQ(EINVAL, errno);
	memset(&k, 0, sizeof(k));
	k.families = ~0ULL;
	k.reserved[2] = 1;
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_SET_KEYS, &k));
	EXPECT_EQ(EINVAL, errno);
	devs[0] = (struct kmview_dev_key){ .major = 1, .minor = 3, .reserved = 1 };
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, devs, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	devs[0] = (struct kmview_dev_key){ .major = 4096 };
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, devs, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	devs[0] = (struct kmview_dev_key){ .major = 1, .minor = 1U << 20 };
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, devs, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	devs[0] = (struct kmview_dev_key){ .major = 1, .minor = 3, .flags = KMVIEW_DEV_ANY_MINOR };
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, devs, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	devs[0] = (struct kmview_dev_key){ .major = 1, .minor = 3, .flags = 1U << 5 };
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, devs, 1, 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, (uint32_t *)8, 1, NULL, 0, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, set_keys(&t, ~0ULL, NULL, 0, (struct kmview_dev_key *)8, 1, 0));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_EQ(-1, ioctl(t.fd, KMVIEW_IOC_SET_KEYS, (void *)8));
	EXPECT_EQ(EFAULT, errno);

	/* the keys are still AF_INET alone */
	t.policy = policy_medium;
	ASSERT_LT(0, testd_spawn(&t, member_families, NULL));
	status = testd_serve(&t);
	testd_close(&t);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---- keys replaced while members call ---- */

struct race {
	volatile int done;	/* the member's loops are over */
	volatile int final;	/* the daemon set its last keys */
};

static struct race *race;

static void *member_race_thread(void *arg)
{
	long forwarded = 0, native = 0, i;

	for (i = 0; i < 20000 && (forwarded < 50 || native < 50); i++) {
		int s = socket(AF_INET, SOCK_DGRAM, 0);

		if (s >= 0) {
			native++;
			close(s);
		} else if (errno == EMEDIUMTYPE) {
			forwarded++;
		} else {
			return (void *)-1L;
		}
	}
	return (void *)(forwarded > 0 && native > 0 ? 0L : -2L);
}

static int member_race(void *arg)
{
	pthread_t th[4];
	void *ret;
	int i, bad = 0;

	for (i = 0; i < 4; i++)
		CHECK(pthread_create(&th[i], NULL, member_race_thread, NULL) == 0);
	for (i = 0; i < 4; i++) {
		CHECK(pthread_join(th[i], &ret) == 0);
		if (ret)
			fprintf(stderr, "member: thread %d: %ld\n", i, (long)ret);
		bad |= ret != NULL;
	}
	race->done = 1;
	while (!race->final)
		usleep(1000);
	CHECK(!bad);
	CHECK(FORWARDED(socket(AF_INET, SOCK_DGRAM, 0)));
	return 0;
}

static void *replacer(void *arg)
{
	struct testd *t = arg;
	static uint32_t reqs[KMVIEW_MAX_KEYS];
	static struct kmview_dev_key devs[KMVIEW_MAX_KEYS];
	unsigned int i;

	for (i = 0; i < KMVIEW_MAX_KEYS; i++) {
		reqs[i] = KMVIEW_MAX_KEYS - i;
		devs[i] = (struct kmview_dev_key){ .major = 200, .minor = i };
	}
	for (i = 0; !race->done; i++) {
		/* every set a new allocation: the old one goes after a grace period */
		if (set_keys(t, i % 2 ? 1ULL << AF_INET : 0, reqs, i % KMVIEW_MAX_KEYS, devs,
			     i % 7, 0))
			return (void *)-1L;
		if (i % 64 == 0)
			usleep(100);
	}
	if (set_keys(t, 1ULL << AF_INET, NULL, 0, NULL, 0, 0))
		return (void *)-1L;
	race->final = 1;
	return NULL;
}

TEST(keys_replaced_while_members_call)
{
	pthread_t th;
	struct testd t;
	void *ret;
	int status;

	race = mmap(NULL, sizeof(*race), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		    0);
	ASSERT_TRUE(race != MAP_FAILED);
	ASSERT_EQ(0, testd_open(&t, 0));
	ASSERT_EQ(0, testd_filter(&t, socket_nrs, 2, 0));
	ASSERT_EQ(0, set_keys(&t, 0, NULL, 0, NULL, 0, 0));
	t.policy = policy_medium;
	ASSERT_LT(0, testd_spawn(&t, member_race, NULL));
	ASSERT_EQ(0, pthread_create(&th, NULL, replacer, &t));
	status = testd_serve(&t);
	ASSERT_EQ(0, pthread_join(th, &ret));
	testd_close(&t);
	EXPECT_TRUE(ret == NULL);
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

/* ---- every exec (KMVIEW_FILTER_ALL_EXECS) ---- */

static const int exec_nrs[] = { SYS_execve, SYS_execveat, SYS_openat, SYS_getppid };

/* fn(arg) in a view filtering exec_nrs with filter @flags, under @prefix if any. */
static int run_execs(struct testd *t, uint32_t flags, const char *prefix, int (*fn)(void *))
{
	int status;

	if (testd_open(t, 0) || testd_filter(t, exec_nrs, 4, flags))
		return -1;
	if (prefix && testd_add_prefix(t, prefix, 1))
		return -3;
	t->policy = policy_medium;
	if (testd_spawn(t, fn, NULL) < 0)
		return -1;
	status = testd_serve(t);
	testd_close(t);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static char *const true_argv[] = { "true", NULL };

static int member_all_execs(void *arg)
{
	CHECK(FORWARDED(execve("/bin/true", true_argv, environ)));
	CHECK(FORWARDED(syscall(SYS_execveat, AT_FDCWD, "/bin/true", true_argv, environ, 0)));
	CHECK(FORWARDED(execve("bin/true", true_argv, environ)));	/* relative too */
	/* other path calls in the bitmap stay filtered by prefix */
	CHECK(open("/nonexistent-kmview", O_RDONLY) == -1 && errno == ENOENT);
	CHECK(FORWARDED(open("/kmview-pfx/x", O_RDONLY)));
	return 0;
}

TEST(all_execs_forwards_exec_of_a_real_path)
{
	struct testd t;

	ASSERT_EQ(0, run_execs(&t, KMVIEW_FILTER_ALL_EXECS, "/kmview-pfx", member_all_execs));
	EXPECT_EQ(4, t.requests);
}

static int member_execs_by_prefix(void *arg)
{
	/* a real path under no prefix: native (and it does not exist) */
	CHECK(execve("/nonexistent-kmview/true", true_argv, environ) == -1 && errno == ENOENT);
	CHECK(syscall(SYS_execveat, AT_FDCWD, "/nonexistent-kmview/true", true_argv, environ, 0) ==
	      -1 && errno == ENOENT);
	CHECK(FORWARDED(execve("/kmview-pfx/true", true_argv, environ)));
	return 0;
}

TEST(without_all_execs_exec_is_forwarded_under_a_prefix_only)
{
	struct testd t;

	ASSERT_EQ(0, run_execs(&t, 0, "/kmview-pfx", member_execs_by_prefix));
	EXPECT_EQ(1, t.requests);
}

TEST(unknown_filter_flags_are_refused)
{
	struct testd t;

	ASSERT_EQ(0, testd_open(&t, 0));
	EXPECT_EQ(0, testd_filter(&t, exec_nrs, 4, KMVIEW_FILTER_ALL));
	/* the bit after the last one defined */
	EXPECT_EQ(-1, testd_filter(&t, exec_nrs, 4, KMVIEW_FILTER_NO_VDSO << 1));
	EXPECT_EQ(EINVAL, errno);
	testd_close(&t);
}

TEST_HARNESS_MAIN

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The kernel module's lifetimes and policy under stress: races between a
 * placeholder's close and the probe, notes that outlive the tasks they
 * name, exec from a thread, a rewritten call restarted after a signal,
 * ptrace-grade rules for attach and for the daemon's access to members,
 * a bound on unread notes, and tracers inside a view. Each test fails (or
 * makes KASAN or slub_debug report) without the fix it stands for.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/user.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "view_util.h"

/* Shared between the test, its daemon and its members (set up before any fork). */
struct shared {
	pid_t pids[4];
	long val[4];
};

static struct shared *shared_map(void)
{
	void *p = mmap(NULL, sizeof(struct shared), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

/* ---- 1. a placeholder closed and its slot reused while the probe looks at it ---- */

#define RACE_SLOT 100
static volatile int race_stop;

static void *race_reader(void *arg)
{
	char c;
	long n = 0;

	while (!race_stop) {
		/* forwarded while the slot holds a placeholder, native otherwise */
		if (read(RACE_SLOT, &c, 1) < 0 && errno != EBADF && errno != EINVAL)
			return (void *)-1;
		n++;
	}
	return (void *)n;
}

static int member_close_race(void *arg)
{
	pthread_t th;
	void *ret;
	int i, fd;

	CHECK(pthread_create(&th, NULL, race_reader, NULL) == 0);
	for (i = 0; i < 300; i++) {
		fd = testd_call(TESTD_VFD, 1000 + i, O_RDONLY, 0);
		CHECK(fd >= 0);
		CHECK(dup2(fd, RACE_SLOT) == RACE_SLOT);
		close(fd);
		CHECK(close(RACE_SLOT) == 0);
		/* the same slot, now a real file: the probe must not read a freed placeholder */
		fd = open("/dev/null", O_RDONLY);
		CHECK(fd >= 0 && dup2(fd, RACE_SLOT) == RACE_SLOT);
		close(fd);
		close(RACE_SLOT);
	}
	race_stop = 1;
	CHECK(pthread_join(th, &ret) == 0 && (long)ret > 0);
	return 0;
}

TEST(closing_a_placeholder_under_a_reading_thread_is_safe)
{
	static const int nrs[] = { SYS_getppid, SYS_read };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 2, member_close_race, NULL));
}

/* ---- 2. a FORK note read after its parent was reaped ---- */

static struct shared *sh;

static int member_reaped_parent(void *arg)
{
	int status;
	pid_t mid;

	mid = fork();
	if (mid == 0) {
		pid_t grandchild;

		/* the daemon has read our FORK note, and stops reading */
		if (testd_call(TESTD_PAUSE, 1500, 0, 0) != 0)
			_exit(1);
		grandchild = fork();
		if (grandchild == 0) {
			usleep(100000);
			_exit(0);
		}
		sh->pids[0] = getpid();
		sh->pids[1] = grandchild;
		_exit(0);	/* the parent named in the grandchild's FORK note goes */
	}
	CHECK(waitpid(mid, &status, 0) == mid);	/* ... and is reaped before the read */
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	return 0;
}

TEST(a_fork_note_names_its_parent_after_the_parent_is_reaped)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;
	unsigned int i;
	int status;

	sh = shared_map();
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, testd_open(&t, KMVIEW_FEAT_NOTIFY_FORK));
	ASSERT_EQ(0, testd_filter(&t, nrs, 1, 0));
	testd_spawn(&t, member_reaped_parent, NULL);
	status = testd_serve(&t);
	testd_close(&t);
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	for (i = 0; i < t.nforked; i++)
		if (t.forked[i] == sh->pids[1])
			break;
	ASSERT_LT(i, t.nforked);
	ASSERT_EQ(sh->pids[0], t.fork_parent[i]);
}

/* ---- 5. exec by a thread that is not the leader ---- */

static void *exec_thread(void *arg)
{
	execl("/bin/sleep", "sleep", "60", (char *)NULL);
	return NULL;
}

static int member_thread_exec(void *arg)
{
	pthread_t th;

	sh->pids[0] = getpid();
	CHECK(pthread_create(&th, NULL, exec_thread, NULL) == 0);
	pause();
	return 1;
}

static int comm_is(pid_t pid, const char *want)
{
	char path[64], buf[64] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return !strcmp(buf, want);
}

TEST(a_process_whose_thread_execed_dies_with_the_daemon)
{
	static const int nrs[] = { SYS_getppid };
	pid_t daemon, pid;
	int status, tries;

	sh = shared_map();
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, prctl(PR_SET_CHILD_SUBREAPER, 1));
	daemon = fork();
	if (daemon == 0) {
		struct testd t;

		if (testd_open(&t, 0) || testd_filter(&t, nrs, 1, 0))
			_exit(1);
		testd_spawn(&t, member_thread_exec, NULL);
		testd_serve(&t);
		_exit(0);
	}
	for (tries = 0; tries < 500 && !(sh->pids[0] && comm_is(sh->pids[0], "sleep")); tries++)
		usleep(10000);
	pid = sh->pids[0];
	ASSERT_TRUE(comm_is(pid, "sleep"));
	ASSERT_EQ(0, kill(daemon, SIGKILL));
	ASSERT_EQ(daemon, waitpid(daemon, &status, 0));
	for (tries = 0; tries < 300; tries++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			break;
		usleep(10000);
	}
	ASSERT_LT(tries, 300) TH_LOG("pid %d survived its daemon", pid);
	ASSERT_TRUE(WIFSIGNALED(status));
	ASSERT_EQ(SIGKILL, WTERMSIG(status));
}

static void *exec_true_thread(void *arg)
{
	sh->pids[1] = gettid();
	execl("/bin/true", "true", (char *)NULL);
	return NULL;
}

static int member_thread_exec_true(void *arg)
{
	pthread_t th;

	sh->pids[0] = getpid();
	if (pthread_create(&th, NULL, exec_true_thread, NULL))
		return 1;
	pause();
	return 1;
}

TEST(a_thread_that_execs_is_announced_under_its_new_tid)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;
	unsigned int i;

	sh = shared_map();
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, testd_open(&t, KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT));
	ASSERT_EQ(0, testd_filter(&t, nrs, 1, 0));
	testd_spawn(&t, member_thread_exec_true, NULL);
	testd_serve(&t);
	testd_close(&t);
	/* the thread took the process's pid: to the daemon, a thread of the old tid */
	for (i = 0; i < t.nforked; i++)
		if (t.fork_parent[i] == sh->pids[1] && t.forked[i] == sh->pids[0])
			break;
	ASSERT_LT(i, t.nforked);
	ASSERT_EQ(CLONE_THREAD | CLONE_VM | CLONE_FS | CLONE_FILES, t.fork_flags[i]);
	/* exits: the old leader, the thread's old tid, and the process at the end */
	ASSERT_EQ(3, t.nexited);
}

/* Requests served to fn run in a view where openat of /strip/X is rewritten to X, or -1. */
static long run_stripped(int (*fn)(void *))
{
	static const int nrs[] = { SYS_getppid, SYS_openat };
	const struct view_setup setup = { .strip_prefix = "/strip" };
	struct testd t;

	if (run_in_view_with(&t, nrs, 2, &setup, fn, NULL))
		return -1;
	return t.requests;
}

/* ---- 6. a rewritten call that blocks, is interrupted and restarts ---- */

static char fifo[64];

static void big_handler(int sig)
{
	volatile char pad[16384];

	/* the signal frame and this handler use the stack below the interrupted call */
	memset((char *)pad, 'x', sizeof(pad));
}

static int member_restart_rewritten(void *arg)
{
	struct sigaction sa = { .sa_handler = big_handler, .sa_flags = SA_RESTART };
	char path[128], buf[8] = "";
	pid_t writer;
	int fd, status;

	CHECK(sigaction(SIGALRM, &sa, NULL) == 0);
	writer = fork();
	if (writer == 0) {
		usleep(1500000);
		fd = open(fifo, O_WRONLY);
		_exit(fd >= 0 && write(fd, "ok", 2) == 2 ? 0 : 1);
	}
	alarm(1);
	/* rewritten to the fifo itself; it blocks until the writer comes, after the signal */
	snprintf(path, sizeof(path), "/strip%s", fifo);
	fd = open(path, O_RDONLY);
	CHECK(fd >= 0);
	CHECK(read(fd, buf, sizeof(buf)) == 2 && !memcmp(buf, "ok", 2));
	close(fd);
	CHECK(waitpid(writer, &status, 0) == writer && WIFEXITED(status) && !WEXITSTATUS(status));
	return 0;
}

TEST(a_rewritten_call_restarted_after_a_handler_is_served_again)
{
	long requests;

	snprintf(fifo, sizeof(fifo), "/tmp/kmview-fifo-%d", getpid());
	unlink(fifo);
	ASSERT_EQ(0, mkfifo(fifo, 0600));
	requests = run_stripped(member_restart_rewritten);
	unlink(fifo);
	/* the open was served twice: once before the signal, once at its restart */
	ASSERT_LE(2, requests);
}

/* openat(AT_FDCWD, path, O_RDONLY) by hand: what the registers hold afterwards. */
static long raw_openat(const char *path, unsigned long *rsi_after)
{
	register long r10 __asm__("r10") = 0;
	long ret = SYS_openat;
	unsigned long rdi = (unsigned long)AT_FDCWD, rsi = (unsigned long)path, rdx = O_RDONLY;

	__asm__ volatile("syscall"
			 : "+a"(ret), "+D"(rdi), "+S"(rsi), "+d"(rdx), "+r"(r10)
			 :
			 : "rcx", "r11", "memory");
	*rsi_after = rsi;
	return ret;
}

static int member_registers(void *arg)
{
	static const char path[] = "/strip/dev/null";
	unsigned long rsi;
	long fd = raw_openat(path, &rsi);

	CHECK(fd >= 0);
	close(fd);
	/* the syscall ABI: argument registers come back as the caller set them */
	CHECK(rsi == (unsigned long)path);
	return 0;
}

TEST(a_rewritten_call_leaves_the_callers_registers_alone)
{
	ASSERT_EQ(1, run_stripped(member_registers));
}

/* A rewritten path needs no room on the caller's stack: a handler on a one-page sigaltstack. */
static char long_file[4200], long_view_path[4200];
static int altstack_fd;

static void altstack_handler(int sig)
{
	altstack_fd = open(long_view_path, O_RDONLY);	/* nothing big on this small stack */
	if (altstack_fd < 0)
		altstack_fd = -errno;
}

static int member_altstack(void *arg)
{
	struct sigaction sa = { .sa_handler = altstack_handler, .sa_flags = SA_ONSTACK };
	char *base, name[251];
	stack_t ss;
	size_t len;
	int i, fd;

	/* a directory path of about 3900 bytes, made natively */
	len = snprintf(long_file, sizeof(long_file), "/tmp/kmview-long-%d", getpid());
	CHECK(mkdir(long_file, 0700) == 0);
	memset(name, 'd', 250);
	name[250] = 0;
	for (i = 0; i < 15; i++) {
		len += snprintf(long_file + len, sizeof(long_file) - len, "/%s", name);
		CHECK(mkdir(long_file, 0700) == 0);
	}
	strcat(long_file, "/f");
	fd = open(long_file, O_CREAT | O_WRONLY, 0600);
	CHECK(fd >= 0);
	close(fd);
	CHECK(strlen(long_file) + 7 < 4096);
	strcpy(long_view_path, "/strip");
	strcat(long_view_path, long_file);
	/* one page of stack above a guard page */
	base = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(base != MAP_FAILED && mprotect(base, 4096, PROT_NONE) == 0);
	ss.ss_sp = base + 4096;
	ss.ss_size = 4096;
	ss.ss_flags = 0;
	CHECK(sigaltstack(&ss, NULL) == 0);
	CHECK(sigaction(SIGUSR1, &sa, NULL) == 0);
	raise(SIGUSR1);
	CHECK(altstack_fd >= 0);
	close(altstack_fd);
	return 0;
}

TEST(a_rewritten_path_needs_no_room_on_a_small_stack)
{
	ASSERT_EQ(1, run_stripped(member_altstack));
}

/* ---- 4. ptrace-grade policy ---- */

static int member_not_dumpable(void *arg)
{
	char buf[16] = "hello";

	CHECK(prctl(PR_SET_DUMPABLE, 0) == 0);
	/* the daemon may neither read nor write this member's memory... */
	CHECK(testd_call(TESTD_MEM, (long)buf, 0, 0) == -1);
	CHECK(!strcmp(buf, "hello"));
	errno = 0;
	CHECK(testd_call(TESTD_COPYOUT, (long)buf, 4, 0) == -1 && errno == EPERM);
	CHECK(!strcmp(buf, "hello"));
	/* ...but calls that touch no memory are still served */
	CHECK(testd_call(TESTD_RETURN, 5, 0, 0) == 5);
	CHECK(prctl(PR_SET_DUMPABLE, 1) == 0);
	CHECK(testd_call(TESTD_MEM, (long)buf, 0, 0) == 5 && !strcmp(buf, "HELLO"));
	/* a user namespace of its own, owned by the daemon's user: still the daemon's */
	CHECK(unshare(CLONE_NEWUSER) == 0);
	CHECK(testd_call(TESTD_COPYOUT, (long)buf, 4, 0) == 4 && !memcmp(buf, "ABCD", 4));
	return 0;
}

TEST(a_member_that_is_not_dumpable_keeps_its_memory)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 1, member_not_dumpable, NULL));
}

static int view_fd;

static int attach_child(void *arg)
{
	_exit(ioctl(view_fd, KMVIEW_IOC_ATTACH, 0UL) ? errno : 0);
}

/* errno of an attach by a child made by clone(@flags) */
static int attach_from_clone(int fd, int flags)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	int status;
	pid_t pid;

	view_fd = fd;
	pid = clone(attach_child, stack + sizeof(stack), flags | SIGCHLD, NULL);
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int open_view(void)
{
	struct kmview_hello h = { .major = KMVIEW_API_MAJOR, .minor = KMVIEW_API_MINOR };
	int fd = open(KMVIEW_DEVICE, O_RDWR | O_CLOEXEC);

	if (fd >= 0 && ioctl(fd, KMVIEW_IOC_HELLO, &h)) {
		close(fd);
		return -1;
	}
	return fd;
}

TEST(attach_is_refused_to_a_process_sharing_its_fd_table_or_fs)
{
	int fd = open_view();

	ASSERT_LE(0, fd);
	ASSERT_EQ(EBUSY, attach_from_clone(fd, CLONE_FILES));
	ASSERT_EQ(EBUSY, attach_from_clone(fd, CLONE_FS));
	close(fd);
}

static int attach_undumpable(void *arg)
{
	prctl(PR_SET_DUMPABLE, 0);
	_exit(ioctl(view_fd, KMVIEW_IOC_ATTACH, 0UL) ? errno : 0);
}

TEST(attach_is_refused_to_a_process_that_is_not_dumpable)
{
	static char stack[64 * 1024] __attribute__((aligned(16)));
	int fd = open_view(), status;
	pid_t pid;

	ASSERT_LE(0, fd);
	view_fd = fd;
	pid = clone(attach_undumpable, stack + sizeof(stack), SIGCHLD, NULL);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(EPERM, WEXITSTATUS(status));
	close(fd);
}

/* ---- 3. a daemon that stops reading holds forks back, and loses nothing ---- */

#define NOTES_MAX_PARAM "/sys/module/kmview/parameters/notes_max"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

#define NFORKS 40

static int member_fork_flood(void *arg)
{
	double t0;
	int i, status;

	t0 = now();
	CHECK(testd_call(TESTD_PAUSE, 2000, 0, 0) == 0);
	for (i = 0; i < NFORKS; i++) {
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	}
	/* 40 forks make 80 notes: past 16 unread, forks waited for the daemon */
	sh->val[0] = (long)((now() - t0) * 1000);
	return 0;
}

static int write_param(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), ok;

	if (fd < 0)
		return -1;
	ok = write(fd, val, strlen(val)) == (ssize_t)strlen(val);
	close(fd);
	return ok ? 0 : -1;
}

TEST(unread_notes_are_bounded_and_none_is_lost)
{
	static const int nrs[] = { SYS_getppid };
	struct testd t;
	int status;

	if (write_param(NOTES_MAX_PARAM, "16"))
		SKIP(return, "cannot set %s (needs root)", NOTES_MAX_PARAM);
	sh = shared_map();
	ASSERT_NE(NULL, sh);
	ASSERT_EQ(0, testd_open(&t, KMVIEW_FEAT_NOTIFY_FORK | KMVIEW_FEAT_NOTIFY_EXIT));
	ASSERT_EQ(0, testd_filter(&t, nrs, 1, 0));
	testd_spawn(&t, member_fork_flood, NULL);
	status = testd_serve(&t);
	testd_close(&t);
	write_param(NOTES_MAX_PARAM, "4096");
	ASSERT_TRUE(WIFEXITED(status));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_LE(1900, sh->val[0]) TH_LOG("forks went on while the daemon slept");
	ASSERT_EQ(NFORKS, t.nforks);
	ASSERT_EQ(NFORKS + 1, t.nexited);
}

/* ---- 8. a tracer in a view skips a call: it is not the management call -1 ---- */

static int member_tracer_skips(void *arg)
{
	struct user_regs_struct regs;
	int status, stops = 0;
	pid_t child = fork();

	if (child == 0) {
		ptrace(PTRACE_TRACEME, 0, NULL, NULL);
		raise(SIGSTOP);
		_exit(syscall(SYS_getppid) == 4242 ? 0 : 1);
	}
	CHECK(waitpid(child, &status, 0) == child && WIFSTOPPED(status));
	CHECK(ptrace(PTRACE_SETOPTIONS, child, NULL, (void *)PTRACE_O_TRACESYSGOOD) == 0);
	for (;;) {
		CHECK(ptrace(PTRACE_SYSCALL, child, NULL, NULL) == 0);
		CHECK(waitpid(child, &status, 0) == child);
		if (WIFEXITED(status))
			break;
		if (!WIFSTOPPED(status) || WSTOPSIG(status) != (SIGTRAP | 0x80))
			continue;
		CHECK(ptrace(PTRACE_GETREGS, child, NULL, &regs) == 0);
		if (stops == 0 && regs.orig_rax == SYS_getppid) {
			regs.orig_rax = -1;	/* skip it, as strace -e inject= does */
			CHECK(ptrace(PTRACE_SETREGS, child, NULL, &regs) == 0);
			stops = 1;
		} else if (stops == 1) {
			regs.rax = 4242;	/* its exit stop: the value the tracer injects */
			CHECK(ptrace(PTRACE_SETREGS, child, NULL, &regs) == 0);
			stops = 2;
		}
	}
	CHECK(stops == 2);
	CHECK(WEXITSTATUS(status) == 0);
	return 0;
}

TEST(a_call_a_tracer_skips_is_not_a_management_call)
{
	static const int nrs[] = { SYS_getcwd };
	struct testd t;

	ASSERT_EQ(0, run_in_view(&t, nrs, 1, member_tracer_skips, NULL));
	ASSERT_EQ(0, t.requests);
}

TEST_HARNESS_MAIN

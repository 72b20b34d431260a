// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmview benchmark: the per-call cost of getppid
 *   - natively, with no view open,
 *   - natively, by a process outside a view while a view is active,
 *   - in a view, not forwarded (the filter lets it through),
 *   - in a view, forwarded to a daemon and answered (one round trip),
 * and, as the baselines of any round trip, a pipe ping-pong between two
 * processes and a seccomp user-notification round trip (a supervisor
 * thread answers the member's getppid with a value). Each figure is the
 * median of several rounds of a tight loop, every path measured once per
 * round, so that all are measured side by side in one run. It prints one
 * "ID ns-per-call" line per path, for bench.sh's table (bench_table.awk).
 *
 *	bench [-n calls] [-r runs] [-u]
 *
 * -u: kmview.ko is not loaded: measure only native getppid (gp.unloaded).
 */
#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench_util.h"
#include "testd.h"

static long calls = 20000;
static int runs = 5;

/* ns per call of getppid with @cmd in the first argument */
static double loop_getppid(long n, long cmd)
{
	double start = now_ns();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid, cmd, 0, 0, 0);
	return (now_ns() - start) / n;
}

static double pipe_pingpong(long n)
{
	int ab[2], ba[2];
	double t, start;
	char c = 0;
	pid_t pid;
	long i;

	if (pipe(ab) || pipe(ba))
		return -1;
	pid = fork();
	if (pid == 0) {
		close(ab[1]);
		close(ba[0]);
		while (read(ab[0], &c, 1) == 1)
			if (write(ba[1], &c, 1) != 1)
				break;
		_exit(0);
	}
	start = now_ns();
	for (i = 0; i < n; i++)
		if (write(ab[1], &c, 1) != 1 || read(ba[0], &c, 1) != 1)
			return -1;
	t = (now_ns() - start) / n;
	close(ab[1]);
	waitpid(pid, NULL, 0);
	close(ab[0]);
	close(ba[0]);
	close(ba[1]);
	return t;
}

/* The member side: measure and send the results back through a pipe. */
static int result_fd;

static int member_bench(void *arg)
{
	double r = loop_getppid(calls, 0);	/* not in the bitmap: native */

	return write(result_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
}

static int member_forwarded(void *arg)
{
	double r = loop_getppid(calls / 10, TESTD_RETURN);	/* answered by testd */

	return write(result_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
}

/* Run fn in a fresh view filtering @nrs; read one double back. */
static double in_view(const int *nrs, unsigned int n, int (*fn)(void *))
{
	struct testd t;
	double r = -1;
	int p[2];

	if (pipe(p))
		return -1;
	result_fd = p[1];
	if (testd_open(&t, 0) || testd_filter(&t, nrs, n, 0)) {
		perror("bench: cannot open a view (is kmview.ko loaded?)");
		exit(1);
	}
	testd_spawn(&t, fn, NULL);
	close(p[1]);
	testd_serve(&t);
	testd_close(&t);
	if (read(p[0], &r, sizeof(r)) != sizeof(r))
		r = -1;
	close(p[0]);
	return r;
}

static int member_sleep(void *arg)
{
	pause();
	return 0;
}

static double outside_active_view(void)
{
	struct testd t;
	double r;

	if (testd_open(&t, 0))
		return -1;
	/* a view with a member, but this process is not in it */
	testd_spawn(&t, member_sleep, NULL);
	usleep(10000);
	r = loop_getppid(calls, 0);
	testd_close(&t);	/* the daemon is gone: the member is killed */
	waitpid(t.member, NULL, 0);
	return r;
}

/*
 * The seccomp baseline: the main thread of a child process installs a
 * filter that turns its getppid into a user notification; a supervisor
 * thread started before (so not filtered) answers each with 42. The
 * listener reaches the supervisor through a pipe.
 */
static void *seccomp_supervisor(void *arg)
{
	struct seccomp_notif req;
	struct seccomp_notif_resp resp;
	int fd;

	if (read(*(int *)arg, &fd, sizeof(fd)) != sizeof(fd))
		return NULL;
	for (;;) {
		memset(&req, 0, sizeof(req));
		if (ioctl(fd, SECCOMP_IOCTL_NOTIF_RECV, &req) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		memset(&resp, 0, sizeof(resp));
		resp.id = req.id;
		resp.val = 42;
		ioctl(fd, SECCOMP_IOCTL_NOTIF_SEND, &resp);
	}
}

static int seccomp_member(long n)
{
	struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(code) / sizeof(code[0]), .filter = code };
	pthread_t sup;
	int p[2], fd;
	double r;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || pipe(p) ||
	    pthread_create(&sup, NULL, seccomp_supervisor, &p[0]))
		return 1;
	fd = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
	if (fd < 0) {
		perror("bench: seccomp user notification");
		return 1;
	}
	if (write(p[1], &fd, sizeof(fd)) != sizeof(fd))
		return 1;
	r = loop_getppid(n, 0);
	if (syscall(SYS_getppid) != 42)	/* it was the supervisor that answered */
		r = -1;
	return write(result_fd, &r, sizeof(r)) == sizeof(r) ? 0 : 1;
}

static double seccomp_roundtrip(long n)
{
	double r = -1;
	int p[2], st;
	pid_t pid;

	if (pipe(p))
		return -1;
	result_fd = p[1];
	pid = fork();
	if (pid == 0)
		_exit(seccomp_member(n));
	close(p[1]);
	if (read(p[0], &r, sizeof(r)) != sizeof(r))
		r = -1;
	close(p[0]);
	waitpid(pid, &st, 0);
	return r;
}

enum path { GP_NATIVE, GP_OUTSIDE, GP_INVIEW, GP_FORWARDED, GP_PIPE, GP_SECCOMP, GP_PATHS };

static const char *const path_id[GP_PATHS] = {
	"gp.native", "gp.outside", "gp.inview", "gp.fwd", "gp.pipe", "gp.seccomp",
};

int main(int argc, char **argv)
{
	static const int getppid_nr[] = { SYS_getppid };
	double t[GP_PATHS][32], m;
	int opt, r, k, unloaded = 0;

	while ((opt = getopt(argc, argv, "n:r:u")) != -1) {
		switch (opt) {
		case 'n':
			calls = atol(optarg);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'u':
			unloaded = 1;
			break;
		default:
			fprintf(stderr, "usage: bench [-n calls] [-r runs] [-u]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 32 || calls < 10)
		return 2;

	loop_getppid(calls, 0);	/* warm up */
	if (unloaded) {
		for (r = 0; r < runs; r++)
			t[0][r] = loop_getppid(calls, 0);
		printf("gp.unloaded %.0f\n", median(t[0], runs));
		return 0;
	}
	/* rounds of every path in turn, so that a slow moment hits them all alike */
	for (r = 0; r < runs; r++) {
		t[GP_NATIVE][r] = loop_getppid(calls, 0);
		t[GP_OUTSIDE][r] = outside_active_view();
		t[GP_INVIEW][r] = in_view(NULL, 0, member_bench);
		t[GP_FORWARDED][r] = in_view(getppid_nr, 1, member_forwarded);
		t[GP_PIPE][r] = pipe_pingpong(calls / 10);
		t[GP_SECCOMP][r] = seccomp_roundtrip(calls / 10);
	}
	for (k = 0; k < GP_PATHS; k++) {
		m = median(t[k], runs);
		if (m <= 0) {
			fprintf(stderr, "bench: %s failed\n", path_id[k]);
			return 1;
		}
		printf("%s %.0f\n", path_id[k], m);
	}
	return 0;
}

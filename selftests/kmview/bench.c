// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * kmview benchmark: the per-call cost of getppid
 *   - natively, with no view open,
 *   - natively, by a process outside a view while a view is active,
 *   - in a view, not forwarded (the filter lets it through),
 *   - in a view, forwarded to a daemon and answered (one round trip),
 * and, as the baseline of any round trip, a pipe ping-pong between two
 * processes. Each figure is the median of several rounds of a tight loop,
 * every path measured once per round, so that all are measured side by
 * side in one run; they are printed with their ratio to native.
 *
 *	bench [-n calls] [-r runs]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "testd.h"

static long calls = 20000;
static int runs = 5;

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* ns per call of getppid with @cmd in the first argument */
static double loop_getppid(long n, long cmd)
{
	double start = now_ns();
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid, cmd, 0, 0, 0);
	return (now_ns() - start) / n;
}

static double median(double *t, int n)
{
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
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

int main(int argc, char **argv)
{
	static const int getppid_nr[] = { SYS_getppid };
	double t[5][32], m[5];
	int opt, r, k;

	while ((opt = getopt(argc, argv, "n:r:")) != -1) {
		switch (opt) {
		case 'n':
			calls = atol(optarg);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			fprintf(stderr, "usage: bench [-n calls] [-r runs]\n");
			return 2;
		}
	}
	if (runs < 1 || runs > 32 || calls < 10)
		return 2;

	loop_getppid(calls, 0);	/* warm up */
	/* rounds of every path in turn, so that a slow moment hits them all alike */
	for (r = 0; r < runs; r++) {
		t[0][r] = loop_getppid(calls, 0);
		t[1][r] = outside_active_view();
		t[2][r] = in_view(NULL, 0, member_bench);
		t[3][r] = in_view(getppid_nr, 1, member_forwarded);
		t[4][r] = pipe_pingpong(calls / 10);
	}
	for (k = 0; k < 5; k++) {
		m[k] = median(t[k], runs);
		if (m[k] <= 0)
			return 1;
	}

	printf("# kmview bench: getppid, median of %d rounds of %ld calls (forwarded and pipe: %ld)\n",
	       runs, calls, calls / 10);
	printf("%-44s %12s %10s\n", "path", "ns/call", "x native");
	printf("%-44s %12.0f %10.2f\n", "native, no view open", m[0], 1.0);
	printf("%-44s %12.0f %10.2f\n", "native, outside an active view", m[1], m[1] / m[0]);
	printf("%-44s %12.0f %10.2f\n", "in a view, not forwarded", m[2], m[2] / m[0]);
	printf("%-44s %12.0f %10.2f\n", "in a view, forwarded round trip", m[3], m[3] / m[0]);
	printf("%-44s %12.0f %10.2f\n", "pipe ping-pong between two processes", m[4], m[4] / m[0]);
	return 0;
}

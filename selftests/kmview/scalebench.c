// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * scalebench: how a per-call cost grows with the number of members, of
 * mounts, of directory entries and of open virtual files, for the curves
 * of `make bench` (bench_scale.sh runs it in a view). Every figure is the
 * median of three rounds; each is printed as "ID@N ns-per-call", the ids
 * that bench_table.awk and bench_plot.sh read.
 *
 *	scalebench members ID CALLS OP N...
 *		N processes (this one's children: members of its view) run
 *		CALLS/N calls each at once; OP is getppid or stat:PATH. Prints
 *		wall time / CALLS: on one CPU a flat curve is the ideal.
 *	scalebench mounts ID SRC MNTDIR REAL BOUND CALLS N...
 *		vufs binds of SRC on MNTDIR/0, MNTDIR/1... up to each N, then
 *		the cost of stat(REAL) (a real path) and of stat(BOUND) (a
 *		path through one of the binds):
 *		ID.real@N and ID.bind@N. A mount that fails prints
 *		"ID.limit COUNT errno-name" and stops there.
 *	scalebench list ID DIR
 *		one readdir walk of DIR: ns per entry.
 *	scalebench mkfiles DIR N
 *		create N empty files DIR/f0... (faster than a shell loop).
 *	scalebench vfiles ID FILE CALLS N...
 *		open FILE up to N times, then the cost of an fstat on the last
 *		descriptor opened.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "bench_util.h"

#define ROUNDS 3

static int die(const char *what)
{
	perror(what);
	exit(1);
}

/* One call of OP ("getppid" or "stat:PATH"); 0 on success. */
static int call_op(const char *op)
{
	struct stat st;

	if (strcmp(op, "getppid") == 0)
		return syscall(SYS_getppid) < 0;
	return stat(op + 5, &st);
}

static void check_op(const char *op)
{
	if (strcmp(op, "getppid") && strncmp(op, "stat:", 5)) {
		fprintf(stderr, "scalebench: OP is getppid or stat:PATH, not %s\n", op);
		exit(2);
	}
	if (call_op(op))
		die(op);
}

/* N children wait on a pipe, then run @each calls; the time is the wall's */
static double members_round(const char *op, long n, long each)
{
	int go[2], ready[2], st, bad = 0;
	double start;
	char c;
	long i;

	if (pipe(go) || pipe(ready))
		die("pipe");
	for (i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			long k;

			close(go[1]);
			close(ready[0]);
			close(ready[1]);	/* the parent sees EOF once all are here */
			if (read(go[0], &c, 1) != 0)
				_exit(1);
			for (k = 0; k < each; k++)
				if (call_op(op))
					_exit(1);
			_exit(0);
		}
	}
	close(ready[1]);
	close(go[0]);
	if (read(ready[0], &c, 1) != 0)
		die("members: ready");
	close(ready[0]);
	start = now_ns();
	close(go[1]);
	while (wait(&st) > 0)
		bad |= !WIFEXITED(st) || WEXITSTATUS(st);
	if (bad) {
		fprintf(stderr, "scalebench: a member failed %s\n", op);
		exit(1);
	}
	return (now_ns() - start) / (n * each);
}

static int members(const char *id, long calls, const char *op, char **ns, int nn)
{
	double t[ROUNDS];
	int i, r;

	check_op(op);
	for (i = 0; i < nn; i++) {
		long n = atol(ns[i]);

		if (n < 1 || calls < n)
			return 2;
		for (r = 0; r < ROUNDS; r++)
			t[r] = members_round(op, n, calls / n);
		printf("%s@%ld %.0f\n", id, n, median(t, ROUNDS));
		fflush(stdout);
	}
	return 0;
}

static double stat_loop(const char *path, long calls)
{
	double t[ROUNDS], start;
	struct stat st;
	long k;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		start = now_ns();
		for (k = 0; k < calls; k++)
			if (stat(path, &st))
				die(path);
		t[r] = (now_ns() - start) / calls;
	}
	return median(t, ROUNDS);
}

static int mounts(const char *id, const char *src, const char *dir, const char *real,
		  const char *bound, long calls, char **ns, int nn)
{
	char path[PATH_MAX];
	long mounted = 0;
	int i, ret = 0;

	for (i = 0; i < nn; i++) {
		long n = atol(ns[i]);

		for (; mounted < n; mounted++) {
			snprintf(path, sizeof(path), "%s/%ld", dir, mounted);
			if (mkdir(path, 0755) && errno != EEXIST)
				die(path);
			if (mount(src, path, "vufs", 0, NULL) < 0) {
				printf("%s.limit %ld %s\n", id, mounted, strerrorname_np(errno));
				goto out;
			}
		}
		printf("%s.real@%ld %.0f\n", id, n, stat_loop(real, calls));
		printf("%s.bind@%ld %.0f\n", id, n, stat_loop(bound, calls));
		fflush(stdout);
	}
out:
	while (mounted-- > 0) {
		snprintf(path, sizeof(path), "%s/%ld", dir, mounted);
		if (umount(path) < 0) {
			perror(path);
			ret = 1;
		}
	}
	return ret;
}

static int list(const char *id, const char *dir)
{
	double t[ROUNDS], start;
	long n = 0;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		DIR *d = opendir(dir);

		if (!d)
			die(dir);
		n = 0;
		start = now_ns();
		while (readdir(d))
			n++;
		t[r] = (now_ns() - start) / n;
		closedir(d);
	}
	printf("%s %.1f\n", id, median(t, ROUNDS));
	return 0;
}

static int mkfiles(const char *dir, long n)
{
	char path[PATH_MAX];
	long i;

	for (i = 0; i < n; i++) {
		int fd;

		snprintf(path, sizeof(path), "%s/f%ld", dir, i);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			die(path);
		close(fd);
	}
	return 0;
}

static int vfiles(const char *id, const char *file, long calls, char **ns, int nn)
{
	double t[ROUNDS], start;
	long opened = 0, k;
	struct stat st;
	int i, r, fd = -1;

	for (i = 0; i < nn; i++) {
		long n = atol(ns[i]);

		for (; opened < n; opened++) {
			fd = open(file, O_RDONLY);
			if (fd < 0) {
				printf("%s.limit %ld %s\n", id, opened, strerrorname_np(errno));
				return 0;
			}
		}
		for (r = 0; r < ROUNDS; r++) {
			start = now_ns();
			for (k = 0; k < calls; k++)
				if (fstat(fd, &st))
					die("fstat");
			t[r] = (now_ns() - start) / calls;
		}
		printf("%s@%ld %.0f\n", id, n, median(t, ROUNDS));
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : "";

	if (strcmp(cmd, "members") == 0 && argc >= 6)
		return members(argv[2], atol(argv[3]), argv[4], argv + 5, argc - 5);
	if (strcmp(cmd, "mounts") == 0 && argc >= 9)
		return mounts(argv[2], argv[3], argv[4], argv[5], argv[6], atol(argv[7]),
			      argv + 8, argc - 8);
	if (strcmp(cmd, "list") == 0 && argc == 4)
		return list(argv[2], argv[3]);
	if (strcmp(cmd, "mkfiles") == 0 && argc == 4)
		return mkfiles(argv[2], atol(argv[3]));
	if (strcmp(cmd, "vfiles") == 0 && argc >= 6)
		return vfiles(argv[2], argv[3], atol(argv[4]), argv + 5, argc - 5);
	fprintf(stderr, "usage: scalebench members ID CALLS OP N... | mounts ID SRC MNTDIR REAL BOUND CALLS N...\n"
			"       | list ID DIR | mkfiles DIR N | vfiles ID FILE CALLS N...\n");
	return 2;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * pool_flock FILE intr|restart - for pool.sh: take LOCK_EX on FILE (which
 * another process holds), with a SIGALRM handler arriving after 1 s.
 *
 *   intr:    the handler has no SA_RESTART: flock must fail with EINTR
 *            soon after the signal (exit 0), not wait for the holder.
 *   restart: the handler has SA_RESTART: flock must go on waiting after
 *            the handler ran and succeed once the holder unlocks.
 *
 * Prints what happened on one line; exit 0 when it is what must happen.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t handled;

static void on_alarm(int sig)
{
	(void)sig;
	handled = 1;
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int main(int argc, char **argv)
{
	struct sigaction sa;
	int restart, fd, ret, e;
	long t0, ms;

	if (argc != 3 || (strcmp(argv[2], "intr") && strcmp(argv[2], "restart"))) {
		fprintf(stderr, "usage: pool_flock FILE intr|restart\n");
		return 2;
	}
	restart = strcmp(argv[2], "restart") == 0;
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = restart ? SA_RESTART : 0;
	sigaction(SIGALRM, &sa, NULL);
	t0 = now_ms();
	alarm(1);
	ret = flock(fd, LOCK_EX);
	e = errno;
	ms = now_ms() - t0;
	if (!restart) {
		printf("flock: %s after %ld ms, handler %s\n", ret ? strerror(e) : "locked", ms,
		       handled ? "ran" : "did not run");
		return ret == -1 && e == EINTR && handled && ms < 2500 ? 0 : 1;
	}
	printf("flock: %s after %ld ms, handler %s\n", ret ? strerror(e) : "locked", ms,
	       handled ? "ran" : "did not run");
	return ret == 0 && handled && ms >= 1500 ? 0 : 1;
}

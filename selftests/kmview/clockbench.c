// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * clockbench - the cost of clock_gettime(CLOCK_MONOTONIC) as a program sees
 * it, for `make bench` (bench.sh): through the C library (the vDSO where
 * the program was told of it, else a system call), or with -s by
 * syscall(2). Prints "ID NS", the median ns per call of -r runs of -n
 * calls. The timing clock is CLOCK_MONOTONIC too: in a view with a
 * vumisctime mount at frequency 1 it is the real one.
 *
 *   clockbench [-s] [-n calls] [-r runs] ID
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "bench_util.h"

int main(int argc, char **argv)
{
	int n = 200000, runs = 5, sys = 0, c;
	struct timespec ts;
	double t[64];

	while ((c = getopt(argc, argv, "sn:r:")) != -1) {
		switch (c) {
		case 's':
			sys = 1;
			break;
		case 'n':
			n = atoi(optarg);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1 || n <= 0 || runs <= 0 || runs > 64)
		goto usage;
	for (int r = 0; r < runs; r++) {
		double t0 = now_ns();

		for (int i = 0; i < n; i++) {
			if (sys)
				syscall(SYS_clock_gettime, CLOCK_MONOTONIC, &ts);
			else
				clock_gettime(CLOCK_MONOTONIC, &ts);
		}
		t[r] = (now_ns() - t0) / n;
	}
	printf("%s %.0f\n", argv[optind], median(t, runs));
	return 0;
usage:
	fprintf(stderr, "usage: clockbench [-s] [-n calls] [-r runs] ID\n");
	return 2;
}

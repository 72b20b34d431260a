/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The clock and the median of the bench programs (bench, fsbench, scalebench). */
#ifndef KMVIEW_BENCH_UTIL_H
#define KMVIEW_BENCH_UTIL_H

#include <stdlib.h>
#include <time.h>

static inline double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* the median of @n figures (sorts them) */
static inline double median(double *t, int n)
{
	qsort(t, n, sizeof(t[0]), cmp_double);
	return t[n / 2];
}

#endif /* KMVIEW_BENCH_UTIL_H */

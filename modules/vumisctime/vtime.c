// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vtime.c - vumisctime's arithmetic and parsing (see vtime.h).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "vtime.h"

int vt_line_of(clockid_t clk)
{
	switch (clk) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
	case CLOCK_REALTIME_ALARM:
	case CLOCK_TAI:
		return VT_WALL;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_COARSE:
		return VT_MONO;
	case CLOCK_MONOTONIC_RAW:
		return VT_RAW;
	case CLOCK_BOOTTIME:
	case CLOCK_BOOTTIME_ALARM:
		return VT_BOOT;
	default:
		return -1;
	}
}

long double vt_ts2ld(const struct timespec *ts)
{
	return (long double)ts->tv_sec + (long double)ts->tv_nsec / 1e9L;
}

void vt_ld2ts(long double t, struct timespec *ts)
{
	long double s = floorl(t);
	long long ns = llroundl((t - s) * 1e9L);

	if (ns >= 1000000000LL) {
		s += 1;
		ns -= 1000000000LL;
	}
	ts->tv_sec = (time_t)s;
	ts->tv_nsec = (long)ns;
}

void vt_init(struct vtime *v, const long double now[VT_NLINES])
{
	memset(v, 0, sizeof(*v));
	v->freq = 1;
	for (int l = 0; l < VT_NLINES; l++)
		v->anchor[l] = v->virt[l] = now[l];
}

long double vt_virtual(const struct vtime *v, int l, long double t)
{
	if (l == VT_WALL)
		return (t - v->base) * v->freq + v->base + v->offset;
	return (t - v->anchor[l]) * v->freq + v->virt[l];
}

long double vt_real(const struct vtime *v, int l, long double T)
{
	if (l == VT_WALL)
		return (T - v->base - v->offset) / v->freq + v->base;
	return (T - v->virt[l]) / v->freq + v->anchor[l];
}

long double vt_span_real(const struct vtime *v, long double d)
{
	return d / v->freq;
}

long double vt_span_virtual(const struct vtime *v, long double d)
{
	return d * v->freq;
}

void vt_set_freq(struct vtime *v, long double f, const long double now[VT_NLINES])
{
	/* VUOS: the wall clock's base is now, the offset keeps T where it was */
	long double T = vt_virtual(v, VT_WALL, now[VT_WALL]);

	for (int l = 0; l < VT_NLINES; l++) {
		if (l == VT_WALL)
			continue;
		v->virt[l] = vt_virtual(v, l, now[l]);
		v->anchor[l] = now[l];
	}
	v->base = now[VT_WALL];
	v->offset = T - now[VT_WALL];
	v->freq = f;
}

void vt_set_wall(struct vtime *v, long double T, long double t)
{
	v->offset += T - vt_virtual(v, VT_WALL, t);
}

int vt_parse(const char *buf, size_t len, long double *out)
{
	char tmp[128];
	char *end;
	long double x;
	size_t i = 0;

	/* spaces, then one line end at most, after the number */
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	if (len > 0 && buf[len - 1] == '\n')
		len--;
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\t'))
		len--;
	while (i < len && (buf[i] == ' ' || buf[i] == '\t'))
		i++;
	if (i == len || len - i >= sizeof(tmp))
		return -EINVAL;
	memcpy(tmp, buf + i, len - i);
	tmp[len - i] = '\0';
	/* decimal only: no hexadecimal floats, no "nan", "inf" */
	for (char *p = tmp; *p; p++)
		if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
			return -EINVAL;
	errno = 0;
	x = strtold(tmp, &end);
	if (end == tmp || *end != '\0')
		return -EINVAL;
	if (errno == ERANGE || !isfinite(x))
		return -ERANGE;
	*out = x;
	return 0;
}

int vt_parse_freq(const char *buf, size_t len, long double *out)
{
	long double f;
	int ret = vt_parse(buf, len, &f);

	if (ret < 0)
		return ret;
	if (!(f > 0) || f > VT_FREQ_MAX)
		return -EINVAL;
	*out = f;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vtime.c - vumisctime's arithmetic (VUOS's formula for the wall
 * clock, the continuous monotonic lines, the rebase at a change of
 * frequency, sleeps back to real time) and the parsing of its files.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "vtime.h"
#include "tap.h"

#define NEAR(a, b) (fabsl((a) - (b)) < 1e-6L)

static void test_lines(void)
{
	ok(vt_line_of(CLOCK_REALTIME) == VT_WALL && vt_line_of(CLOCK_REALTIME_COARSE) == VT_WALL &&
		   vt_line_of(CLOCK_TAI) == VT_WALL && vt_line_of(CLOCK_REALTIME_ALARM) == VT_WALL,
	   "the wall clocks");
	ok(vt_line_of(CLOCK_MONOTONIC) == VT_MONO && vt_line_of(CLOCK_MONOTONIC_COARSE) == VT_MONO,
	   "the monotonic clocks");
	ok(vt_line_of(CLOCK_MONOTONIC_RAW) == VT_RAW, "the raw one");
	ok(vt_line_of(CLOCK_BOOTTIME) == VT_BOOT && vt_line_of(CLOCK_BOOTTIME_ALARM) == VT_BOOT,
	   "the boot clocks");
	ok(vt_line_of(CLOCK_PROCESS_CPUTIME_ID) < 0 && vt_line_of(CLOCK_THREAD_CPUTIME_ID) < 0 &&
		   vt_line_of(-6) < 0 && vt_line_of(42) < 0,
	   "the CPU-time clocks, a pid's clock and unknown ids are not virtual");
}

static void test_ts(void)
{
	struct timespec ts = { 1700000000, 123456789 };
	long double t = vt_ts2ld(&ts);
	struct timespec back;

	vt_ld2ts(t, &back);
	ok(back.tv_sec == ts.tv_sec && back.tv_nsec == ts.tv_nsec,
	   "a timespec of today survives the long double to the nanosecond");
	vt_ld2ts(1.9999999999L, &back);
	ok(back.tv_sec == 2 && back.tv_nsec == 0, "rounding up carries into the seconds");
	vt_ld2ts(-0.25L, &back);
	ok(back.tv_sec == -1 && back.tv_nsec == 750000000, "a negative time: floor seconds");
}

static void test_wall(void)
{
	long double now[VT_NLINES] = { 1000, 50, 40, 60 };
	struct vtime v;

	vt_init(&v, now);
	ok(v.freq == 1 && v.base == 0 && v.offset == 0, "at the mount: frequency 1, base 0, offset 0");
	ok(NEAR(vt_virtual(&v, VT_WALL, 1234.5L), 1234.5L), "the identity");
	ok(NEAR(vt_virtual(&v, VT_MONO, 77), 77) && NEAR(vt_virtual(&v, VT_BOOT, 61), 61),
	   "the monotonic lines are the identity too");
	/* VUOS's formula, written by hand */
	v.base = 100;
	v.freq = 2;
	v.offset = 10;
	ok(NEAR(vt_virtual(&v, VT_WALL, 150), (150 - 100) * 2 + 100 + 10),
	   "T = (t - base) * frequency + base + offset");
	ok(NEAR(vt_real(&v, VT_WALL, vt_virtual(&v, VT_WALL, 150)), 150), "vt_real inverts it");
	v.offset = 86400;
	v.freq = 1;
	v.base = 0;
	ok(NEAR(vt_virtual(&v, VT_WALL, 1000), 87400), "an offset of a day");
	ok(NEAR(vt_virtual(&v, VT_MONO, 70), 70), "which does not move a monotonic clock");
	vt_set_wall(&v, 5000, 1000);
	ok(NEAR(vt_virtual(&v, VT_WALL, 1000), 5000) && NEAR(vt_virtual(&v, VT_WALL, 1001), 5001),
	   "clock_settime: the wall clock reads what was set, and goes on");
}

static void test_freq(void)
{
	long double now[VT_NLINES] = { 1000, 50, 40, 60 };
	struct vtime v;
	long double T0, M0;

	vt_init(&v, now);
	v.offset = 3600;
	/* ten real seconds later, frequency 10 */
	for (int l = 0; l < VT_NLINES; l++)
		now[l] += 10;
	T0 = vt_virtual(&v, VT_WALL, now[VT_WALL]);
	M0 = vt_virtual(&v, VT_MONO, now[VT_MONO]);
	vt_set_freq(&v, 10, now);
	ok(v.freq == 10 && NEAR(v.base, 1010), "the base is the real now (VUOS)");
	ok(NEAR(vt_virtual(&v, VT_WALL, now[VT_WALL]), T0), "the wall clock does not jump");
	ok(NEAR(vt_virtual(&v, VT_MONO, now[VT_MONO]), M0), "nor the monotonic one");
	ok(NEAR(vt_virtual(&v, VT_WALL, now[VT_WALL] + 1), T0 + 10) &&
		   NEAR(vt_virtual(&v, VT_MONO, now[VT_MONO] + 1), M0 + 10) &&
		   NEAR(vt_virtual(&v, VT_RAW, now[VT_RAW] + 1), now[VT_RAW] + 10) &&
		   NEAR(vt_virtual(&v, VT_BOOT, now[VT_BOOT] + 1), now[VT_BOOT] + 10),
	   "one real second later every clock has gone ten");
	/* back to 0.5, two real seconds later */
	for (int l = 0; l < VT_NLINES; l++)
		now[l] += 2;
	vt_set_freq(&v, 0.5L, now);
	ok(NEAR(vt_virtual(&v, VT_WALL, now[VT_WALL]), T0 + 20) &&
		   NEAR(vt_virtual(&v, VT_MONO, now[VT_MONO]), M0 + 20),
	   "a second change keeps the time reached");
	ok(NEAR(vt_virtual(&v, VT_MONO, now[VT_MONO] + 4), M0 + 22), "then half as fast");
	ok(NEAR(vt_real(&v, VT_MONO, M0 + 22), now[VT_MONO] + 4),
	   "an absolute sleep to M0 + 22 ends four real seconds on");
	ok(NEAR(vt_span_real(&v, 3), 6) && NEAR(vt_span_virtual(&v, 6), 3),
	   "a relative sleep of 3 lasts 6 real seconds, and what is left goes back");
}

static long double parsed(const char *s, int *ret)
{
	long double x = -12345;

	*ret = vt_parse(s, strlen(s), &x);
	return x;
}

static void test_parse(void)
{
	int ret;
	long double x;

	ok(NEAR(parsed("2\n", &ret), 2) && ret == 0, "\"2\\n\" (echo)");
	ok(NEAR(parsed("0.5", &ret), 0.5L) && ret == 0, "\"0.5\"");
	ok(NEAR(parsed("  -3  \n", &ret), -3) && ret == 0, "spaces around, a negative value");
	ok(NEAR(parsed("86400.25\r\n", &ret), 86400.25L) && ret == 0, "a CRLF line end");
	ok(NEAR(parsed("1e3", &ret), 1000) && ret == 0, "an exponent");
	parsed("abc\n", &ret);
	is_long(ret, -EINVAL, "\"abc\": EINVAL");
	parsed("", &ret);
	is_long(ret, -EINVAL, "nothing: EINVAL");
	parsed("\n", &ret);
	is_long(ret, -EINVAL, "an empty line: EINVAL");
	parsed("2x", &ret);
	is_long(ret, -EINVAL, "trailing garbage: EINVAL");
	parsed("2\n3\n", &ret);
	is_long(ret, -EINVAL, "two lines: EINVAL");
	parsed("nan", &ret);
	is_long(ret, -EINVAL, "nan: EINVAL");
	parsed("inf", &ret);
	is_long(ret, -EINVAL, "inf: EINVAL");
	parsed("0x10", &ret);
	is_long(ret, -EINVAL, "hexadecimal: EINVAL");
	parsed("1e99999", &ret);
	is_long(ret, -ERANGE, "out of range: ERANGE");
	x = 7;
	is_long(vt_parse_freq("0", 1, &x), -EINVAL, "frequency 0: EINVAL");
	is_long(vt_parse_freq("-2", 2, &x), -EINVAL, "a negative frequency: EINVAL");
	is_long(vt_parse_freq("1e10", 4, &x), -EINVAL, "a frequency above 1e9: EINVAL");
	ok(x == 7, "and the value is untouched");
	is_long(vt_parse_freq("0.5\n", 4, &x), 0, "frequency 0.5");
	ok(NEAR(x, 0.5L), "is 0.5");
}

int main(void)
{
	test_lines();
	test_ts();
	test_wall();
	test_freq();
	test_parse();
	return tap_done();
}

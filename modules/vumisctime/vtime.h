/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vtime.h - vumisctime's arithmetic: the virtual clocks of a view from the
 * real ones, and back (for sleeps), with no system call of its own (the
 * caller reads the real clocks), so that it is unit tested on the host.
 *
 * Times are seconds in long double (64-bit mantissa: nanoseconds for the
 * next few centuries). Each real clock belongs to a line:
 *
 *   VT_WALL  CLOCK_REALTIME, its _COARSE and _ALARM forms (CLOCK_TAI: see
 *            vumisctime.c): T = (t - base) * frequency + base + offset,
 *            VUOS's formula, with its three files;
 *   VT_MONO  CLOCK_MONOTONIC and _COARSE,
 *   VT_RAW   CLOCK_MONOTONIC_RAW,
 *   VT_BOOT  CLOCK_BOOTTIME and _ALARM: T = (t - anchor) * frequency + virt,
 *            anchor and virt the real and virtual time of the last change
 *            of frequency (the identity at the mount). base and offset move
 *            the wall clock only: a monotonic clock never goes back.
 *
 * A change of frequency rebases every line at the real now (VUOS for the
 * wall clock: base = now, offset so that T stays), so time goes on
 * without a jump, at the new pace.
 */
#ifndef VTIME_H
#define VTIME_H

#include <stddef.h>
#include <time.h>

enum vt_line { VT_WALL, VT_MONO, VT_RAW, VT_BOOT, VT_NLINES };

struct vtime {
	long double freq;
	long double base, offset;	     /* VT_WALL */
	long double anchor[VT_NLINES];	     /* the others */
	long double virt[VT_NLINES];
};

/* The line of clock @clk; -1 if it is not virtual (the CPU-time clocks, ids unknown). */
int vt_line_of(clockid_t clk);

long double vt_ts2ld(const struct timespec *ts);
/* @t to a timespec: floor seconds, nanoseconds in [0, 1e9) rounded to the nearest. */
void vt_ld2ts(long double t, struct timespec *ts);

/* frequency 1, base and offset 0, each other line the identity at @now (real, per line). */
void vt_init(struct vtime *v, const long double now[VT_NLINES]);
/* The virtual time of line @l when its real clock reads @t. */
long double vt_virtual(const struct vtime *v, int l, long double t);
/* The real time of line @l when its virtual clock will read @T (the inverse). */
long double vt_real(const struct vtime *v, int l, long double T);
/* A relative span: virtual @d lasts @d / frequency real seconds, and back. */
long double vt_span_real(const struct vtime *v, long double d);
long double vt_span_virtual(const struct vtime *v, long double d);
/* The new frequency @f (valid: vt_parse_freq), rebasing every line at @now. */
void vt_set_freq(struct vtime *v, long double f, const long double now[VT_NLINES]);
/* clock_settime of the wall clock: it reads @T now (@t real): offset moves. */
void vt_set_wall(struct vtime *v, long double T, long double t);

/*
 * Parse the value written to a file: a decimal number ("2", "0.5", "-3",
 * "86400.25", "1e3"), spaces and one line end around it; what is left over,
 * nothing, "nan" or "inf" is -EINVAL (-ERANGE out of range). vt_parse_freq
 * also wants it above 0 and at most VT_FREQ_MAX.
 */
#define VT_FREQ_MAX 1e9L
int vt_parse(const char *buf, size_t len, long double *out);
int vt_parse_freq(const char *buf, size_t len, long double *out);

#endif /* VTIME_H */

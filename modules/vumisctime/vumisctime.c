// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vumisctime.c - vumisc submodule: the pace and the origin of time in a view.
 *
 *   vu_insmod vumisc
 *   vumount -t vumisctime none /mnt
 *   echo 2 > /mnt/frequency        time goes twice as fast
 *   echo 86400 > /mnt/offset       the wall clock is a day ahead
 *
 * T = (t - base) * frequency + base + offset for the wall clock, as in
 * VUOS; the monotonic clocks follow the frequency from the mount on,
 * continuously (vtime.h). Clocks served: CLOCK_REALTIME, _COARSE, _ALARM,
 * CLOCK_TAI, CLOCK_MONOTONIC, _COARSE, _RAW, CLOCK_BOOTTIME, _ALARM (so
 * gettimeofday and time too); the CPU-time clocks and clock_getres are
 * the kernel's. clock_settime of CLOCK_REALTIME (and settimeofday) sets
 * the view's wall clock (the offset moves); the others are the kernel's
 * (EINVAL, EPERM). Sleeps on those clocks (nanosleep, clock_nanosleep)
 * last the virtual time they ask for: a relative one req / frequency real
 * seconds, an absolute one until the virtual clock reaches it, at the
 * frequency in force when it began; so do the timeouts of poll, ppoll,
 * select, pselect6, epoll_wait and epoll_pwait, and alarm (clock_timeout).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <vumisc.h>
#include <vumodule.h>

#include "vtime.h"

VUMISC_PROTOTYPES(vumisctime)
VUMISC_KMVIEW_PROTOTYPES(vumisctime)

struct vumisctime {
	pthread_mutex_t lock;
	struct vtime v;
};

static struct vumisc_info infotree[] = {
	{ "/", { .st_mode = S_IFDIR | 0755 }, "" },
	{ "/base", { .st_mode = S_IFREG | 0644 }, "b" },
	{ "/frequency", { .st_mode = S_IFREG | 0644 }, "f" },
	{ "/offset", { .st_mode = S_IFREG | 0644 }, "o" },
	{ NULL, { .st_mode = 0 }, NULL },
};

static long double now_of(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return vt_ts2ld(&ts);
}

static void real_now(long double now[VT_NLINES])
{
	now[VT_WALL] = now_of(CLOCK_REALTIME);
	now[VT_MONO] = now_of(CLOCK_MONOTONIC);
	now[VT_RAW] = now_of(CLOCK_MONOTONIC_RAW);
	now[VT_BOOT] = now_of(CLOCK_BOOTTIME);
}

/* TAI runs at a constant distance (the leap seconds) from the real wall clock. */
static long double tai_delta(void)
{
	return now_of(CLOCK_TAI) - now_of(CLOCK_REALTIME);
}

static int infocontents(int tag, FILE *f, int openflags, void *pseudoprivate)
{
	struct vumisctime *vt = vumisc_get_private_data();
	const char *which = pseudoprivate;
	char buf[128];
	long double x, now[VT_NLINES];
	size_t n;
	int ret;

	if (!vt || !which || !f)
		return 0;
	if (tag == PSEUDOFILE_LOAD_CONTENTS) {
		pthread_mutex_lock(&vt->lock);
		switch (which[0]) {
		case 'f':
			fprintf(f, "%.12Lg\n", vt->v.freq);
			break;
		case 'o':
			fprintf(f, "%.9Lf\n", vt->v.offset);
			break;
		case 'b':
			fprintf(f, "%.9Lf\n", vt->v.base);
			break;
		}
		pthread_mutex_unlock(&vt->lock);
		return 0;
	}
	if (tag != PSEUDOFILE_STORE_CLOSE)
		return 0;
	n = fread(buf, 1, sizeof(buf), f);
	if (n == sizeof(buf))
		return errno = EINVAL, -1;
	ret = which[0] == 'f' ? vt_parse_freq(buf, n, &x) : vt_parse(buf, n, &x);
	if (ret < 0)
		return errno = -ret, -1;
	pthread_mutex_lock(&vt->lock);
	switch (which[0]) {
	case 'f':
		real_now(now);
		vt_set_freq(&vt->v, x, now);
		break;
	case 'o':
		vt->v.offset = x;
		break;
	case 'b':
		vt->v.base = x;
		break;
	}
	pthread_mutex_unlock(&vt->lock);
	return 0;
}

int vumisctime_clock_gettime(clockid_t clk_id, struct timespec *tp)
{
	struct vumisctime *vt = vumisc_get_private_data();
	int l = vt_line_of(clk_id);
	long double t, d = 0, T;

	if (l < 0 || !vt)
		return errno = ENOTSUP, -1;
	if (!tp)
		return 0; /* the confirm function's question: the clock is ours */
	if (clk_id == CLOCK_TAI) {
		d = tai_delta();
		t = now_of(CLOCK_REALTIME);
	} else {
		t = now_of(clk_id);
	}
	pthread_mutex_lock(&vt->lock);
	T = vt_virtual(&vt->v, l, t) + d;
	pthread_mutex_unlock(&vt->lock);
	vt_ld2ts(T, tp);
	return 0;
}

int vumisctime_clock_settime(clockid_t clk_id, const struct timespec *tp)
{
	struct vumisctime *vt = vumisc_get_private_data();

	if (clk_id != CLOCK_REALTIME || !vt)
		return errno = ENOTSUP, -1; /* the kernel answers (EINVAL, EPERM) */
	if (!tp)
		return 0;
	if (tp->tv_nsec < 0 || tp->tv_nsec >= 1000000000L || tp->tv_sec < 0)
		return errno = EINVAL, -1;
	long double t = now_of(CLOCK_REALTIME);

	pthread_mutex_lock(&vt->lock);
	vt_set_wall(&vt->v, vt_ts2ld(tp), t);
	pthread_mutex_unlock(&vt->lock);
	return 0;
}

int vumisctime_clock_nanosleep(clockid_t clk_id, int flags, const struct timespec *req,
			       struct timespec *rem)
{
	struct vumisctime *vt = vumisc_get_private_data();
	int l = vt_line_of(clk_id);
	struct timespec real, left = { 0, 0 };
	long double d = 0, t;
	int err;

	if (l < 0 || !vt)
		return errno = ENOTSUP, -1;
	if (!req)
		return 0;
	if (flags & TIMER_ABSTIME) {
		if (clk_id == CLOCK_TAI)
			d = tai_delta();
		pthread_mutex_lock(&vt->lock);
		t = vt_real(&vt->v, l, vt_ts2ld(req) - d) + d;
		pthread_mutex_unlock(&vt->lock);
		vt_ld2ts(t < 0 ? 0 : t, &real);
	} else {
		pthread_mutex_lock(&vt->lock);
		t = vt_span_real(&vt->v, vt_ts2ld(req));
		pthread_mutex_unlock(&vt->lock);
		vt_ld2ts(t, &real);
	}
	err = clock_nanosleep(clk_id, flags & TIMER_ABSTIME, &real, &left);
	if (err == 0)
		return 0;
	if (err == EINTR && rem && !(flags & TIMER_ABSTIME)) {
		pthread_mutex_lock(&vt->lock);
		t = vt_span_virtual(&vt->v, vt_ts2ld(&left));
		pthread_mutex_unlock(&vt->lock);
		vt_ld2ts(t, rem);
	}
	return errno = err, -1;
}

int vumisctime_clock_timeout(clockid_t clk_id, struct timespec *timeout)
{
	struct vumisctime *vt = vumisc_get_private_data();
	long double t;

	if (vt_line_of(clk_id) < 0 || !vt)
		return errno = ENOTSUP, -1;
	if (!timeout)
		return 0;
	pthread_mutex_lock(&vt->lock);
	t = vt_span_real(&vt->v, vt_ts2ld(timeout));
	pthread_mutex_unlock(&vt->lock);
	vt_ld2ts(t, timeout);
	return 0;
}

static void *vumisctime_init(const char *source)
{
	struct vumisctime *vt = calloc(1, sizeof(*vt));
	long double now[VT_NLINES];

	if (!vt)
		return NULL;
	pthread_mutex_init(&vt->lock, NULL);
	real_now(now);
	vt_init(&vt->v, now);
	return vt;
}

static int vumisctime_fini(void *private)
{
	struct vumisctime *vt = private;

	if (vt) {
		pthread_mutex_destroy(&vt->lock);
		free(vt);
	}
	return 0;
}

struct vumisc_operations_t vumisc_ops = {
	.infotree = infotree,
	.infocontents = infocontents,
	.init = vumisctime_init,
	.fini = vumisctime_fini,
};

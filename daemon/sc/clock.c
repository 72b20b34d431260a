// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/clock.c - the clock and time calls of a module that owns them.
 *
 * As in VUOS (vu_wrap_time.c): clock_gettime serves gettimeofday and
 * time too, asked for CLOCK_REALTIME; clock_settime serves settimeofday.
 * The time zone argument of gettimeofday and settimeofday is ignored
 * (obsolete; VUOS ignores it too), and a NULL timeval is EFAULT, as in
 * VUOS. The result is copied to the member only if the method succeeds.
 *
 * The C library reads these clocks in the vDSO, without a system call:
 * while a module owns them, programs exec'd in the view are not told of
 * the vDSO (filter.c, KMVIEW_FILTER_NO_VDSO), so their reads reach it.
 * The sleeps are here too (vu_sc_nanosleep); the timeouts of poll and
 * select are in sc/timeout.c.
 */
#include <errno.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/scnum.h"

static long vu_clock_get(struct vuht_entry_t *ht, clockid_t clk, struct timespec *ts)
{
	return vu_mcall(ht, clock_gettime, int, (clockid_t, struct timespec *), clk, ts);
}

/* clock_gettime(clk, tp), gettimeofday(tv, tz), time(tloc). */
void vu_sc_gettime(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	struct timespec ts = { 0, 0 };
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, VU_M_clock_gettime))
		goto out;
	if (!vu_scnum_writable(call, msg->nr == __NR_clock_gettime ? msg->args[1] : msg->args[0])) {
		/* the reply's copy would fail (EPERM): the real clock rather than none */
		vu_call_native(call);
		goto out;
	}
	switch (msg->nr) {
	case __NR_clock_gettime:
		ret = -EFAULT;
		if (msg->args[1] == 0)
			break;
		ret = vu_clock_get(ht, (clockid_t)msg->args[0], &ts);
		if (ret == 0)
			ret = vu_call_copy_out(call, msg->args[1], &ts, sizeof(ts));
		break;
	case __NR_gettimeofday: {
		struct timeval tv;

		ret = -EFAULT;
		if (msg->args[0] == 0)
			break;
		ret = vu_clock_get(ht, CLOCK_REALTIME, &ts);
		if (ret < 0)
			break;
		tv.tv_sec = ts.tv_sec;
		tv.tv_usec = ts.tv_nsec / 1000;
		ret = vu_call_copy_out(call, msg->args[0], &tv, sizeof(tv));
		break;
	}
	default: /* time */
		ret = vu_clock_get(ht, CLOCK_REALTIME, &ts);
		if (ret < 0)
			break;
		ret = ts.tv_sec;
		if (msg->args[0]) {
			time_t now = ts.tv_sec;
			long c = vu_call_copy_out(call, msg->args[0], &now, sizeof(now));

			ret = c < 0 ? c : ret;
		}
	}
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

/* clock_settime(clk, tp), settimeofday(tv, tz). */
void vu_sc_settime(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	clockid_t clk = CLOCK_REALTIME;
	struct timespec ts;
	long ret = -EFAULT;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, VU_M_clock_settime))
		goto out;
	if (msg->nr == __NR_clock_settime) {
		clk = (clockid_t)msg->args[0];
		if (msg->args[1])
			ret = vu_peek(call->be, msg, msg->args[1], &ts, sizeof(ts));
	} else if (msg->args[0]) {
		struct timeval tv = { 0, 0 };

		ret = vu_peek(call->be, msg, msg->args[0], &tv, sizeof(tv));
		if (ret == 0 && (tv.tv_usec < 0 || tv.tv_usec >= 1000000))
			ret = -EINVAL; /* as the kernel's settimeofday */
		ts.tv_sec = tv.tv_sec;
		ts.tv_nsec = tv.tv_usec * 1000;
	}
	if (ret == 0)
		ret = vu_mcall(ht, clock_settime, int, (clockid_t, const struct timespec *), clk,
			       &ts);
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

/* clock_getres(clk, res): res may be NULL (the kernel's rule), the module still says. */
void vu_sc_clock_getres(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	struct timespec ts = { 0, 0 };
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!vu_scnum_has(call, ht, VU_M_clock_getres))
		goto out;
	ret = vu_mcall(ht, clock_getres, int, (clockid_t, struct timespec *),
		       (clockid_t)msg->args[0], &ts);
	if (ret == 0 && msg->args[1])
		ret = vu_call_copy_out(call, msg->args[1], &ts, sizeof(ts));
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

/*
 * nanosleep(req, rem), clock_nanosleep(clk, flags, req, rem): the module's
 * clock_nanosleep(clk, flags, req, rem) sleeps in the worker serving the
 * call (nanosleep is clock_nanosleep of CLOCK_MONOTONIC, relative, as in
 * the kernel). A signal to the member interrupts it (serve.c: the worker
 * gets VU_POOL_SIGNAL): the module returns -1 and EINTR, with what is
 * left of a relative sleep in *rem, copied to the member's rem. The
 * kernel's restart rules then apply: a restarted sleep starts over with
 * the whole @req. A module that won the call without the method (a
 * wildcard claim made for other calls) leaves the sleep to the kernel.
 * clock_nanosleep returns the error (not -1 and errno): the kernel's ABI
 * does so for both, the C library's wrappers do the rest.
 */
void vu_sc_nanosleep(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	bool clk_call = msg->nr == __NR_clock_nanosleep;
	clockid_t clk = clk_call ? (clockid_t)msg->args[0] : CLOCK_MONOTONIC;
	int flags = clk_call ? (int)msg->args[1] : 0;
	uint64_t req_addr = clk_call ? msg->args[2] : msg->args[0];
	uint64_t rem_addr = clk_call ? msg->args[3] : msg->args[1];
	struct vuht_entry_t *ht = vu_scnum_pick(call);
	struct timespec req, rem = { 0, 0 };
	long ret;

	if (!ht) {
		vu_call_native(call);
		return;
	}
	if (!ht->service->method[VU_M_clock_nanosleep]) {
		vu_call_native(call);
		goto out;
	}
	if (!vu_scnum_writable(call, req_addr)) {
		/* a member the daemon may not touch (not dumpable): the kernel's sleep */
		vu_call_native(call);
		goto out;
	}
	ret = vu_peek(call->be, msg, req_addr, &req, sizeof(req));
	if (ret == 0 && (req.tv_sec < 0 || req.tv_nsec < 0 || req.tv_nsec >= 1000000000L))
		ret = -EINVAL;
	if (ret == 0 && (flags & ~TIMER_ABSTIME))
		ret = -EINVAL;
	if (ret == 0)
		ret = vu_mcall(ht, clock_nanosleep, int,
			       (clockid_t, int, const struct timespec *, struct timespec *), clk,
			       flags, &req, &rem);
	/*
	 * rem is written only for an interrupted relative sleep, as the
	 * kernel does; now (the copies of a reply are for calls that succeed)
	 */
	if (ret == -EINTR && rem_addr && !(flags & TIMER_ABSTIME)) {
		long c = vu_poke(call->be, msg, rem_addr, &rem, sizeof(rem));

		ret = c < 0 ? c : ret;
	}
	vu_call_return(call, ret);
out:
	vuht_drop(ht);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/timeout.c - the timeouts of poll, ppoll, select, pselect6,
 * epoll_wait and epoll_pwait, and alarm, for a module that owns them
 * (kmview's method clock_timeout: vumisctime, whose time runs at another
 * pace).
 *
 * The module's clock_timeout(CLOCK_MONOTONIC, &ts) turns a timeout of the
 * view's time into the real span it lasts (the kernel measures these
 * timeouts on CLOCK_MONOTONIC); then the call runs natively with it, so
 * the files it waits for are the kernel's business as ever:
 *  - poll, epoll_wait, epoll_pwait: the int milliseconds argument is
 *    rewritten (rounded up: never earlier than asked); alarm's seconds
 *    too (at least 1: 0 would cancel it). What alarm returns, the seconds
 *    left of the previous alarm, is in real time;
 *  - select, pselect6, ppoll: the timeval or timespec is rewritten in the
 *    member's memory. The kernel writes what is left there when these
 *    calls return (select's documented behaviour; glibc's ppoll and
 *    pselect pass a copy of their own), so nothing the program relies on
 *    changes, except that what is left is in real time.
 * No timeout (a negative one, a NULL pointer) or a zero one runs as is.
 * The member must be one whose memory the daemon may touch (ptrace's
 * rule, Documentation/design.md): a rewrite of a member that is not
 * (PR_SET_DUMPABLE 0: ssh-agent) would make its call fail with EPERM, so
 * its timeouts are left real (vu_scnum_writable: the memory the call
 * names is read first; the select family's timeout is read anyway). A module that won without the method (a
 * wildcard claim) leaves the call to the kernel.
 */
#include <errno.h>
#include <limits.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "core/member_mem.h"
#include "core/modcall.h"
#include "sc/scnum.h"

/* The real span of @ts of the view's time: 0, or -1 if the module leaves it. */
static long vu_timeout_real(struct vuht_entry_t *ht, struct timespec *ts)
{
	return vu_mcall(ht, clock_timeout, int, (clockid_t, struct timespec *), CLOCK_MONOTONIC,
			ts);
}

/* Milliseconds, rounded up, at most INT_MAX. */
static int vu_ts2ms(const struct timespec *ts)
{
	long long ms = (long long)ts->tv_sec * 1000 + (ts->tv_nsec + 999999) / 1000000;

	return ms > INT_MAX ? INT_MAX : (int)ms;
}

/* poll(fds, n, ms), epoll_wait(ep, ev, n, ms), epoll_pwait(ep, ev, n, ms, mask, size). */
static void vu_timeout_ms(struct vu_call *call, struct vuht_entry_t *ht, int argi)
{
	int ms = (int)call->msg->args[argi];
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	if (ms <= 0 || vu_timeout_real(ht, &ts) < 0)
		return;
	int real = vu_ts2ms(&ts);

	if (real == 0)
		real = 1; /* 0 would not wait at all */
	if (real == ms)
		return;
	call->reply.kind = VU_REPLY_REWRITE;
	call->reply.args[argi] = (uint64_t)(unsigned int)real;
	call->reply.argmask = 1U << argi;
}

/* alarm(seconds). */
static void vu_timeout_alarm(struct vu_call *call, struct vuht_entry_t *ht)
{
	unsigned int sec = (unsigned int)call->msg->args[0];
	struct timespec ts = { sec, 0 };

	if (sec == 0 || vu_timeout_real(ht, &ts) < 0)
		return;
	unsigned long long real = (unsigned long long)ts.tv_sec + (ts.tv_nsec > 0);

	if (real == 0)
		real = 1;
	if (real > UINT_MAX)
		real = UINT_MAX;
	if (real == sec)
		return;
	call->reply.kind = VU_REPLY_REWRITE;
	call->reply.args[0] = real;
	call->reply.argmask = 1U;
}

/* select(n, r, w, e, struct timeval *). */
static void vu_timeout_timeval(struct vu_call *call, struct vuht_entry_t *ht, uint64_t addr)
{
	struct timeval tv;
	struct timespec ts;

	if (!addr || vu_peek(call->be, call->msg, addr, &tv, sizeof(tv)) < 0)
		return;
	if (tv.tv_sec < 0 || tv.tv_usec < 0 || tv.tv_usec >= 1000000 ||
	    (tv.tv_sec == 0 && tv.tv_usec == 0))
		return; /* the kernel's answer (EINVAL), or no wait */
	ts.tv_sec = tv.tv_sec;
	ts.tv_nsec = tv.tv_usec * 1000;
	if (vu_timeout_real(ht, &ts) < 0)
		return;
	tv.tv_sec = ts.tv_sec;
	tv.tv_usec = (ts.tv_nsec + 999) / 1000;
	if (tv.tv_usec >= 1000000) {
		tv.tv_sec++;
		tv.tv_usec -= 1000000;
	}
	if (tv.tv_sec == 0 && tv.tv_usec == 0)
		tv.tv_usec = 1;
	vu_poke(call->be, call->msg, addr, &tv, sizeof(tv));
}

/* pselect6(..., struct timespec *, sigmask), ppoll(fds, n, struct timespec *, mask, size). */
static void vu_timeout_timespec(struct vu_call *call, struct vuht_entry_t *ht, uint64_t addr)
{
	struct timespec ts;

	if (!addr || vu_peek(call->be, call->msg, addr, &ts, sizeof(ts)) < 0)
		return;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= 1000000000L ||
	    (ts.tv_sec == 0 && ts.tv_nsec == 0))
		return;
	if (vu_timeout_real(ht, &ts) < 0)
		return;
	if (ts.tv_sec == 0 && ts.tv_nsec == 0)
		ts.tv_nsec = 1;
	vu_poke(call->be, call->msg, addr, &ts, sizeof(ts));
}

void vu_sc_timeout(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	struct vuht_entry_t *ht = vu_scnum_pick(call);

	vu_call_native(call);
	if (!ht)
		return;
	if (!ht->service->method[VU_M_clock_timeout])
		goto out;
	switch (msg->nr) {
	case __NR_poll:
		if (vu_scnum_writable(call, msg->args[1] ? msg->args[0] : 0))
			vu_timeout_ms(call, ht, 2);
		break;
	case __NR_epoll_wait:
	case __NR_epoll_pwait:
		if (vu_scnum_writable(call, msg->args[1]))
			vu_timeout_ms(call, ht, 3);
		break;
	case __NR_alarm:
		if (vu_scnum_writable(call, 0))
			vu_timeout_alarm(call, ht);
		break;
	case __NR_select:
		vu_timeout_timeval(call, ht, msg->args[4]);
		break;
	case __NR_pselect6:
		vu_timeout_timespec(call, ht, msg->args[4]);
		break;
	case __NR_ppoll:
		vu_timeout_timespec(call, ht, msg->args[2]);
		break;
	}
out:
	vuht_drop(ht);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * mthread.h - a thread of the daemon for each member, for modules that
 * keep per-process state in __thread variables (VUOS has one tracer
 * thread per traced task; host/inherit.h is what runs on it).
 *
 * serve.c uses them while an upcall is registered: each member's requests
 * run, in order, on its own thread, made at the member's first need. The
 * thread's first act is ops->start with the value its parent's thread
 * computed at the FORK (ops->clone, run there, in order with the parent's
 * requests), or NULL for a member that had no thread when it forked; its
 * last is ops->end, at the member's EXIT, after what was queued. Without
 * a registered upcall an idle thread retires after the idle time (ops->end
 * too), and the member is served by the pool again.
 *
 * The reader calls submit, fork, exit and withdraw, one at a time.
 */
#ifndef KMVIEW_DAEMON_MTHREAD_H
#define KMVIEW_DAEMON_MTHREAD_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

struct vu_mthread_ops {
	void (*run)(void *item);              /* serve a submitted item */
	void *(*clone)(uint64_t clone_flags); /* on the parent's thread: the child's start value */
	void (*start)(void *value);           /* first on a member's thread */
	void (*end)(void);                    /* last on a member's thread */
	bool (*wanted)(void);                 /* false: idle threads may retire */
};

/*
 * Before any other call: the hooks, the most threads alive at once
 * (@max), their idle time, and the signal their mask leaves open
 * (besides the synchronous ones) so they can be interrupted.
 */
void vu_mthread_setup(const struct vu_mthread_ops *ops, unsigned int max, unsigned int idle_ms,
		      int signal);
/*
 * Queue @item for @tid's thread, made now if it has none. 0, or -EAGAIN
 * if the thread cannot be made (the limit, or pthread_create failed:
 * logged), -ENOMEM; then @item is not queued.
 */
int vu_mthread_submit(pid_t tid, void *item);
/*
 * @parent forked @child: the parent's thread (made if needed) runs
 * ops->clone after what it has queued, and @child's thread starts with
 * that value. If the parent's thread cannot be made, the child starts with
 * NULL. 0 or -ENOMEM.
 */
int vu_mthread_fork(pid_t parent, pid_t child, uint64_t clone_flags);
/* @tid exited: its thread runs ops->end after its queue, then ends. No thread: nothing. */
void vu_mthread_exit(pid_t tid);
/* Take back a queued item of @tid that @match accepts (not started yet), or NULL. */
void *vu_mthread_withdraw(pid_t tid, bool (*match)(void *item, void *arg), void *arg);
/* Threads alive now (an exited member's until its end returns). */
unsigned int vu_mthread_count(void);
/* Members with a thread, or one due (tests). */
bool vu_mthread_has(pid_t tid);
/*
 * The view is over: every thread serves what it has queued, runs ops->end
 * and ends; wait for them, at most @timeout_ms (0: for ever). The number
 * left behind (still in a call).
 */
unsigned int vu_mthread_stop(unsigned int timeout_ms);

#endif /* KMVIEW_DAEMON_MTHREAD_H */

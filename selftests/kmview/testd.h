/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A small view daemon for the selftests: it opens a view, runs a function
 * in a member process and serves the member's requests with a policy the
 * test chooses. The default policy speaks the "getppid protocol" below, so
 * that a member can ask for every kind of reply with one syscall:
 *
 *	syscall(__NR_getppid, TESTD_CMD, arg1, arg2, arg3)
 *
 * getppid ignores its arguments natively, so a member can tell a served
 * call from a native one.
 */
#ifndef KMVIEW_TESTD_H
#define KMVIEW_TESTD_H

#include <stdint.h>
#include <sys/types.h>
#include <linux/kmview.h>

enum testd_cmd {
	TESTD_NATIVE = 1,	/* reply NATIVE: the real getppid runs */
	TESTD_RETURN,		/* return arg1 */
	TESTD_ERROR,		/* return -arg1 */
	TESTD_COPYOUT,		/* copy arg2 bytes of 'A'+i%26 to arg1, return arg2 */
	TESTD_VFD,		/* install a placeholder with handle arg1 (flags arg2), return fd */
	TESTD_FILE,		/* open the path at arg1 (flags arg2) in the daemon, hand the file over */
	TESTD_HOLD,		/* hold the request until interrupted, then return -EINTR */
	TESTD_HOLD_ONCE,	/* hold the first such call of a tid until interrupted, then return 42 */
	TESTD_HOLD_FOREVER,	/* never reply */
	TESTD_MEM,		/* read the string at arg1 with KMVIEW_IOC_MEM, write it back upper-cased */
	TESTD_POLL,		/* set the readiness of handle arg1 to arg2, return the ioctl's result */
	TESTD_RELEASED,		/* return 1 if handle arg1 has been released, else 0 */
	TESTD_PAUSE,		/* reply 0, then stop reading for arg1 milliseconds */
	TESTD_COUNT,		/* return the number of requests served so far */
};

#define TESTD_MAX_HANDLES 64

struct testd {
	int fd;
	struct kmview_hello hello;
	pid_t member;
	unsigned long requests;
	unsigned long interrupts;
	uint64_t released[TESTD_MAX_HANDLES];
	unsigned int nreleased;
	/* with KMVIEW_FEAT_NOTIFY_FORK/EXIT: tasks announced, and requests from others */
	pid_t forked[TESTD_MAX_HANDLES], fork_parent[TESTD_MAX_HANDLES];
	unsigned int nforked, nforks, nexited, unannounced;
	uint64_t fork_flags[TESTD_MAX_HANDLES];
	/* a prefix under which path calls are rewritten natively, prefix stripped */
	const char *strip_prefix;
	/* optional policy for calls other than getppid; return 0 if it replied */
	int (*policy)(struct testd *t, const struct kmview_msg *m,
		      const struct kmview_syscall *sc, const char *paths[2]);
};

int testd_open(struct testd *t, uint64_t features);
int testd_filter(struct testd *t, const int *nrs, unsigned int n, uint32_t flags);
int testd_add_prefix(struct testd *t, const char *path, uint64_t id);
/* Fork a member that runs fn(arg) in the view; its exit code is fn's. */
pid_t testd_spawn(struct testd *t, int (*fn)(void *), void *arg);
/* Serve until the view is empty; return the member's wait status. */
int testd_serve(struct testd *t);
int testd_reply(struct testd *t, const struct kmview_reply *r);
int testd_reply_return(struct testd *t, uint64_t unique, int64_t val);
void testd_close(struct testd *t);

/* A getppid-protocol call from a member. */
long testd_call(long cmd, long a1, long a2, long a3);

#endif /* KMVIEW_TESTD_H */

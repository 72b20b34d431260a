/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Helpers shared by the selftests: run a member function in a view served
 * by testd, and CHECK() for code that runs in the member (the harness's
 * ASSERT macros belong to the test process, not to its children).
 */
#ifndef KMVIEW_VIEW_UTIL_H
#define KMVIEW_VIEW_UTIL_H

#include <stdio.h>
#include <sys/wait.h>
#include "testd.h"

#define CHECK(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "member: %s:%d: CHECK(%s) failed\n",	\
			__FILE__, __LINE__, #cond);			\
		return 1;						\
	}								\
} while (0)

/* What a test adds to testd's default policy. */
struct view_setup {
	int (*policy)(struct testd *t, const struct kmview_msg *m,
		      const struct kmview_syscall *sc, const char *paths[2]);
	const char *strip_prefix;	/* registered as prefix 1 */
};

/*
 * Exit status of fn(arg) run as a member of a testd view filtering @nrs
 * with @setup (may be NULL), or -1 if it did not exit normally.
 */
static inline int run_in_view_with(struct testd *t, const int *nrs, unsigned int n,
				   const struct view_setup *setup, int (*fn)(void *), void *arg)
{
	int status;

	if (testd_open(t, 0) || testd_filter(t, nrs, n, 0)) {
		perror("run_in_view: open");
		return -1;
	}
	if (setup) {
		t->policy = setup->policy;
		t->strip_prefix = setup->strip_prefix;
		if (setup->strip_prefix && testd_add_prefix(t, setup->strip_prefix, 1)) {
			perror("run_in_view: prefix");
			return -1;
		}
	}
	if (testd_spawn(t, fn, arg) < 0)
		return -1;
	status = testd_serve(t);
	testd_close(t);
	if (!WIFEXITED(status)) {
		fprintf(stderr, "member died with status %#x\n", status);
		return -1;
	}
	return WEXITSTATUS(status);
}

static inline int run_in_view(struct testd *t, const int *nrs, unsigned int n,
			      int (*fn)(void *), void *arg)
{
	return run_in_view_with(t, nrs, n, NULL, fn, arg);
}

#endif /* KMVIEW_VIEW_UTIL_H */

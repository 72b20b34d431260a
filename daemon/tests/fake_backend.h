/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_backend.h - a capture backend for unit tests.
 *
 * It delivers the messages a test queued, then reports the view empty. It
 * records every reply and every write to member memory, and it checks the
 * rules the kernel enforces: one reply per system call, none for other
 * messages, memory access only while the request is held. Several requests
 * may be held at once (the pool serves them in parallel): it is thread
 * safe, and in live mode (fake_live) next() waits for fake_push until
 * fake_close, so a test can drive vu_serve running in another thread.
 */
#ifndef KMVIEW_TESTS_FAKE_BACKEND_H
#define KMVIEW_TESTS_FAKE_BACKEND_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <linux/kmview.h>

#include "backend/backend.h"

#define FAKE_MAX_MSGS 512
#define FAKE_MAX_REGIONS 12
#define FAKE_MAX_WRITES 64
/* retval of fake_call() when the reply was NATIVE. */
#define FAKE_NATIVE (-100000L)
#define FAKE_NO_REPLY (-100001L)
#define FAKE_TWO_REPLIES (-100002L)

struct fake_region {
	uint64_t addr;
	size_t len;
	uint8_t *mem;
};

struct fake_backend {
	struct vu_backend be;
	struct vu_msg queue[FAKE_MAX_MSGS];
	size_t nqueue, qpos;
	uint64_t next_unique;
	pthread_mutex_t lock;
	pthread_cond_t cv; /* a message was pushed, a reply came, or closed */
	bool live, closed;
	/* The requests delivered and not answered yet. */
	uint64_t held[FAKE_MAX_MSGS];
	size_t nheld;
	/* Replies, in order. */
	struct {
		uint64_t unique;
		struct vu_reply rep;
		/*
		 * FILE: the file the member would get, as the kernel takes its
		 * own reference (a duplicate: the test closes it), else -1.
		 */
		int file;
	} replies[FAKE_MAX_MSGS];
	char paths[FAKE_MAX_MSGS][256]; /* the path of REWRITE replies[i], copied */
	size_t nreplies;
	int reply_error;    /* reply() fails with -reply_error once, if set */
	int protocol_errors; /* rule violations seen */
	struct fake_region regions[FAKE_MAX_REGIONS];
	size_t nregions;
	struct {
		uint64_t addr;
		size_t len;
	} writes[FAKE_MAX_WRITES];
	size_t nwrites;
	/* The kernel filter as the daemon set it. */
	uint64_t bitmap[16];
	unsigned int nfilters; /* set_filter calls */
	bool strict_paths;
	bool all_execs; /* VU_FILTER_ALL_EXECS */
	bool no_vdso;   /* VU_FILTER_NO_VDSO */
	/* The last readiness pushed (vfd_poll). */
	uint64_t ready_handle;
	uint32_t ready_events;
	int poll_error; /* vfd_poll() fails with -poll_error once, if set */
	struct {
		uint64_t id;
		char path[64];
		unsigned int flags; /* VU_PREFIX_* */
		char src[64];       /* of a VU_PREFIX_REDIRECT */
	} prefixes[KMVIEW_MAX_PREFIXES]; /* with the mount table files' */
	size_t nprefixes;
	size_t nmtab_prefixes; /* the mount table files' and fd links' (procmounts.h, fdlink.h), kept apart */
	/* The keys as the daemon set them (set_keys), with VU_BE_KEYS. */
	struct vu_keys keys;
	unsigned int nkeys; /* set_keys calls */
};

void fake_init(struct fake_backend *f, unsigned int features);
/* Make len bytes at mem visible to members at address addr. */
void fake_map(struct fake_backend *f, uint64_t addr, void *mem, size_t len);
/* Queue a message; SYSCALL messages get a fresh unique. Returns the unique. */
uint64_t fake_push(struct fake_backend *f, struct vu_msg m);
uint64_t fake_push_syscall(struct fake_backend *f, pid_t tid, long nr, uint64_t a0, uint64_t a1,
			   uint64_t a2, uint64_t a3);
/* Serve everything queued (replies and writes of earlier runs are dropped). */
int fake_run(struct fake_backend *f);
/* As if the kernel had delivered request @unique (tests of member memory). */
void fake_hold(struct fake_backend *f, uint64_t unique);
/*
 * Live mode: reset the replies, then next() blocks until a push or
 * fake_close (after which it returns 0 once the queue is empty).
 */
void fake_live(struct fake_backend *f);
void fake_close(struct fake_backend *f);
/* Wait up to @ms for the reply to @unique: fake_result(), or FAKE_NO_REPLY. */
long fake_wait(struct fake_backend *f, uint64_t unique, int ms);
/* The retval of the reply to unique, FAKE_NATIVE, FAKE_NO_REPLY or FAKE_TWO_REPLIES. */
long fake_result(const struct fake_backend *f, uint64_t unique);
/* Push one system call, serve it, return fake_result(). */
long fake_call(struct fake_backend *f, pid_t tid, long nr, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3);

/* A SYSCALL message of @tid: call @nr, @path in path slot 0 (argument 0) unless NULL, no fd. */
struct vu_msg fake_msg(pid_t tid, long nr, const char *path);
/* Queue @m, serve everything queued, return fake_result() of @m. */
long fake_serve(struct fake_backend *f, struct vu_msg m);
/*
 * open(@path, @flags) by @tid, served: the handle of the placeholder the
 * daemon answered with, or 0 (then *@err, unless NULL, is fake_result()).
 */
uint64_t fake_open_vfd(struct fake_backend *f, pid_t tid, const char *path, int flags, long *err);
/* A member for the tests: a child that waits with umask @umask_of_it (kill it at the end). */
pid_t fake_member(mode_t umask_of_it);
/* mount(source, target, fstype, 0, data): the addresses of strings mapped with fake_map. */
long fake_mount(struct fake_backend *f, pid_t tid, uint64_t source, uint64_t target, uint64_t fstype,
		uint64_t data);

#endif /* KMVIEW_TESTS_FAKE_BACKEND_H */

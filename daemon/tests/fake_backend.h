/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fake_backend.h - a capture backend for unit tests.
 *
 * It delivers the messages a test queued, then reports the view empty. It
 * records every reply and every write to member memory, and it checks the
 * rules the kernel enforces: one reply per system call, none for other
 * messages, memory access only while the request is held.
 */
#ifndef KMVIEW_TESTS_FAKE_BACKEND_H
#define KMVIEW_TESTS_FAKE_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"

#define FAKE_MAX_MSGS 64
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
	/* The request delivered and not answered yet, 0 if none. */
	uint64_t held;
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
	/* The last readiness pushed (vfd_poll). */
	uint64_t ready_handle;
	uint32_t ready_events;
	struct {
		uint64_t id;
		char path[256];
	} prefixes[16];
	size_t nprefixes;
	size_t nmtab_prefixes; /* the mount table files' (procmounts.h), kept apart */
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
/* The retval of the reply to unique, FAKE_NATIVE, FAKE_NO_REPLY or FAKE_TWO_REPLIES. */
long fake_result(const struct fake_backend *f, uint64_t unique);
/* Push one system call, serve it, return fake_result(). */
long fake_call(struct fake_backend *f, pid_t tid, long nr, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3);

#endif /* KMVIEW_TESTS_FAKE_BACKEND_H */

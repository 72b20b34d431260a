/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serve.h - the hypervisor's message loop.
 */
#ifndef KMVIEW_DAEMON_SERVE_H
#define KMVIEW_DAEMON_SERVE_H

#include <stdbool.h>

#include "backend/backend.h"

/*
 * Serve until the view is empty: 0, or -errno if the backend failed. The
 * calling thread reads the messages; worker threads serve the requests
 * (serve.c). Returns once every worker is gone.
 */
int vu_serve(struct vu_backend *be);
/* Handle one message in the calling thread: reply to it if it is a system call. */
void vu_serve_msg(struct vu_backend *be, const struct vu_msg *msg);

#define VU_POOL_MIN 64              /* the default limit of worker threads is never below */
#define VU_POOL_IDLE_MS_DEFAULT 10000 /* an idle worker retires after this */
#define VU_POOL_KICK_MS 20          /* a cancelled call is re-signalled this often */
#define VU_POOL_DRAIN_S 5           /* after a backend error, wait this long for workers */

/* The limit of workers and the idle time (0: the default) of the next vu_serve. */
void vu_pool_config(unsigned int max, unsigned int idle_ms);
/* The default limit: half of RLIMIT_NPROC, or of threads-max, at least VU_POOL_MIN. */
unsigned int vu_pool_default_max(void);
/* Whether the reader serves the calls that only look (default true; tests compare). */
void vu_pool_set_reader_serves(bool on);
/* The signal that interrupts a worker's module call (a real-time one). */
int vu_pool_signal(void);

struct vu_pool_stats {
	unsigned int workers; /* alive now */
	unsigned int busy;    /* serving a request now */
	unsigned int queued;  /* requests waiting for a worker */
	unsigned int peak;    /* most workers alive at once, ever */
	unsigned long served; /* requests answered by workers */
	unsigned long in_reader; /* requests answered by the reader itself */
	unsigned long handed; /* tried in the reader, then handed to a worker (a method may wait) */
	unsigned long closed; /* module closes of released files run by workers */
	unsigned long cancelled; /* requests interrupted or of exited members */
	unsigned long cap_reached; /* times the pool was at its limit */
};

void vu_pool_get_stats(struct vu_pool_stats *st);

#endif /* KMVIEW_DAEMON_SERVE_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse_conn.h - one FUSE connection: the open /dev/fuse of a server and
 * the requests of its mount's clients. No dependency on the hypervisor
 * (unit tested on the host with threads as server and clients).
 *
 * A client's fuse_conn_call() queues a request and waits for its reply;
 * the server's fuse_conn_dev_read() takes the oldest queued request and
 * fuse_conn_dev_write() hands a reply to its waiter. Every wait is a
 * sem_wait or a nanosleep, so a signal (the hypervisor's cancellation)
 * makes it fail with EINTR: nothing waits for ever on a dead server.
 */
#ifndef KMVIEW_FUSE_CONN_H
#define KMVIEW_FUSE_CONN_H

#include <pthread.h>
#include <semaphore.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <linux/fuse.h>

/* At most this many requests wait for the server to read them. */
#define FUSE_CONN_QUEUE_MAX 256

enum fuse_conn_state {
	FUSE_CONN_NEW, /* /dev/fuse open, not mounted: reads fail EPERM */
	FUSE_CONN_INIT, /* mounted, FUSE_INIT not answered yet: clients wait */
	FUSE_CONN_RUNNING,
	FUSE_CONN_DOWN, /* unmounted: the server reads what is queued, then ENODEV */
	FUSE_CONN_DEAD, /* /dev/fuse closed: every call ENOTCONN */
};

struct fuse_req;

/* What a request's header says of its caller. */
struct fuse_caller {
	uint32_t uid, gid, pid;
};

struct fuse_conn {
	pthread_mutex_t lock;
	int refs;
	enum fuse_conn_state state;
	int init_error; /* INIT answered with an error or a version we cannot speak */
	uint64_t next_unique;
	/* queued, not read by the server yet (FIFO), and read, waiting for a reply */
	struct fuse_req *qhead, *qtail, *sent;
	sem_t readable; /* posted once per queued request (and on the way down) */
	sem_t space; /* FUSE_CONN_QUEUE_MAX minus the queued requests that count */
	/* negotiated at INIT */
	uint32_t minor, flags, max_write;
	bool no_access, no_create, no_flush, no_fsync, no_xattr, no_interrupt;
	/* hypervisor side, owned by the module (the mount's entry) */
	void *ht;
	pthread_mutex_t htlock; /* recursive: a cleanup may run inside vuht_del */
	unsigned long mountflags;
	unsigned int max_read;
	uint64_t dev; /* st_dev of the mount's files */
};

struct fuse_conn *fuse_conn_new(void);
void fuse_conn_get(struct fuse_conn *c);
void fuse_conn_put(struct fuse_conn *c);

/*
 * fuse_conn_start() - the mount is there: queue FUSE_INIT (from @who)
 * ahead of everything. Returns 0, or -EINVAL if @c was mounted already.
 */
int fuse_conn_start(struct fuse_conn *c, const struct fuse_caller *who);

/*
 * fuse_conn_call() - one request and its reply. @in: the arguments after
 * the header (@nin pieces), @out: room for the reply's payload
 * (@outsize), *@outlen its length. Returns 0 or -errno: the server's
 * error, ENOTCONN (no server), ECONNREFUSED (INIT failed), EINTR (a
 * signal: the request is dropped, or abandoned to the server, told with
 * FUSE_INTERRUPT), EIO (a reply larger than @outsize).
 */
int fuse_conn_call(struct fuse_conn *c, uint32_t opcode, uint64_t nodeid,
		   const struct fuse_caller *who, const struct iovec *in, int nin, void *out,
		   size_t outsize, size_t *outlen);

/* A request with no reply (FORGET, BATCH_FORGET): queued, never waited for. */
void fuse_conn_send(struct fuse_conn *c, uint32_t opcode, uint64_t nodeid,
		    const struct fuse_caller *who, const struct iovec *in, int nin);

/* The server's read and write of /dev/fuse: a count or -errno. */
ssize_t fuse_conn_dev_read(struct fuse_conn *c, void *buf, size_t count);
ssize_t fuse_conn_dev_write(struct fuse_conn *c, const void *buf, size_t count);

/*
 * fuse_conn_unmount() - the mount is gone: send FUSE_DESTROY if INIT was
 * answered, then the server's reads get ENODEV once the queue is empty.
 */
void fuse_conn_unmount(struct fuse_conn *c);

/* fuse_conn_release() - /dev/fuse was closed: every call fails ENOTCONN. */
void fuse_conn_release(struct fuse_conn *c);

enum fuse_conn_state fuse_conn_get_state(struct fuse_conn *c);

#endif

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fuse_conn.c - the connection between a FUSE server and its
 * clients, with threads for both: INIT first, replies to their waiters,
 * the kernel's checks of a reply, the queue's bound, signals (EINTR,
 * FUSE_INTERRUPT), unmount (DESTROY, then ENODEV to every reader) and
 * the server's death (ENOTCONN to every caller).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fuse_conn.h"
#include "fuse_proto.h"
#include "tap.h"

static char rbuf[FUSE_MIN_READ_BUFFER];
static const struct fuse_caller who = { 1000, 1000, 42 };

struct client {
	pthread_t t;
	struct fuse_conn *c;
	uint32_t opcode;
	int result;
	char out[160];
	size_t outlen;
	volatile int finished;
};

static void *client_main(void *arg)
{
	struct client *cl = arg;
	char in[] = "name";
	struct iovec iov = { in, sizeof(in) };

	cl->result = fuse_conn_call(cl->c, cl->opcode, 1, &who, &iov, 1, cl->out,
				    sizeof(cl->out), &cl->outlen);
	cl->finished = 1;
	return NULL;
}

static void client_start(struct client *cl, struct fuse_conn *c, uint32_t opcode)
{
	memset(cl, 0, sizeof(*cl));
	cl->c = c;
	cl->opcode = opcode;
	pthread_create(&cl->t, NULL, client_main, cl);
}

static void msleep(int ms)
{
	struct timespec ts = { 0, ms * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

/* As the hypervisor does: signal until the call returns (one may land before it waits). */
static void interrupt(struct client *cl)
{
	while (!cl->finished) {
		pthread_kill(cl->t, SIGUSR1);
		msleep(5);
	}
	pthread_join(cl->t, NULL);
}

static int queued(struct fuse_conn *c)
{
	int n = 0;

	pthread_mutex_lock(&c->lock);
	for (struct fuse_req *r = c->qhead; r; r = *(struct fuse_req **)r)
		n++;
	pthread_mutex_unlock(&c->lock);
	return n;
}

static ssize_t reply(struct fuse_conn *c, uint64_t unique, int error, const void *p, size_t len)
{
	char b[256];
	struct fuse_out_header oh = { .len = (uint32_t)(sizeof(oh) + len), .error = error,
				      .unique = unique };

	memcpy(b, &oh, sizeof(oh));
	if (len)
		memcpy(b + sizeof(oh), p, len);
	return fuse_conn_dev_write(c, b, sizeof(oh) + len);
}

static struct fuse_in_header *hdr(void)
{
	return (struct fuse_in_header *)rbuf;
}

struct reader {
	pthread_t t;
	struct fuse_conn *c;
	ssize_t result;
	uint32_t opcode;
	volatile int finished;
};

static void *reader_main(void *arg)
{
	static char b[FUSE_MIN_READ_BUFFER];
	struct reader *rd = arg;

	rd->result = fuse_conn_dev_read(rd->c, b, sizeof(b));
	rd->opcode = rd->result > 0 ? ((struct fuse_in_header *)b)->opcode : 0;
	rd->finished = 1;
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* A connection mounted and past INIT (answered as libfuse3 does). */
static struct fuse_conn *running(void)
{
	struct fuse_conn *c = fuse_conn_new();
	struct fuse_init_out io = { .major = 7, .minor = 38, .max_write = 131072 };

	fuse_conn_start(c, &who);
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	reply(c, hdr()->unique, 0, &io, sizeof(io));
	return c;
}

int main(void)
{
	struct sigaction sa;
	struct fuse_conn *c;
	struct fuse_init_out io;
	struct client cl, many[FUSE_CONN_QUEUE_MAX + 1];
	uint64_t unique;
	ssize_t n;
	int i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART, as the hypervisor's */
	sigaction(SIGUSR1, &sa, NULL);

	/* INIT */
	c = fuse_conn_new();
	is_long(fuse_conn_dev_read(c, rbuf, sizeof(rbuf)), -EPERM, "read before mount: EPERM");
	is_long(fuse_conn_start(c, &who), 0, "mount");
	is_long(fuse_conn_start(c, &who), -EINVAL, "a second mount of one fd: EINVAL");
	is_long(fuse_conn_dev_read(c, rbuf, 4096), -EINVAL, "a read buffer below 8 KiB: EINVAL");
	client_start(&cl, c, FUSE_LOOKUP);
	msleep(30);
	n = fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	is_long(n, sizeof(struct fuse_in_header) + sizeof(struct fuse_init_in), "INIT is read first");
	is_long(hdr()->opcode, FUSE_INIT, "its opcode");
	is_long(hdr()->len, n, "its length");
	is_long(hdr()->unique & 1, 0, "uniques are even");
	is_long(((struct fuse_init_in *)(hdr() + 1))->minor, FUSE_PROTO_MINOR, "our minor");
	ok(!cl.finished, "a client waits for INIT's answer");
	is_long(queued(c), 0, "and is not readable before it");
	memset(&io, 0, sizeof(io));
	io.major = 7;
	io.minor = 19;
	io.max_write = 65536;
	is_long(reply(c, hdr()->unique, 0, &io, FUSE_COMPAT_22_INIT_OUT_SIZE),
		sizeof(struct fuse_out_header) + FUSE_COMPAT_22_INIT_OUT_SIZE,
		"libfuse2's INIT answer is taken");
	is_long(fuse_conn_get_state(c), FUSE_CONN_RUNNING, "the connection runs");
	is_long(c->minor, FUSE_PROTO_MINOR, "at the smaller minor, ours");
	is_long(c->max_write, 65536, "max_write");

	/* a request and its reply */
	n = fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	is_long(hdr()->opcode, FUSE_LOOKUP, "then the client's request");
	is_long(n, sizeof(struct fuse_in_header) + 5, "header and argument");
	is_str((char *)(hdr() + 1), "name", "the argument");
	ok(hdr()->uid == 1000 && hdr()->pid == 42 && hdr()->nodeid == 1, "the caller and node");
	unique = hdr()->unique;
	is_long(reply(c, unique + 2, 0, "x", 1), -ENOENT, "a reply to nobody: ENOENT");
	is_long(reply(c, unique, 1, NULL, 0), -EINVAL, "a positive error: EINVAL");
	is_long(reply(c, unique, -600, NULL, 0), -EINVAL, "an error below -512: EINVAL");
	is_long(reply(c, unique, -ENOENT, "x", 1), -EINVAL, "an error with a payload: EINVAL");
	{
		char b[sizeof(struct fuse_out_header)] = { 0 };

		((struct fuse_out_header *)b)->len = 99;
		((struct fuse_out_header *)b)->unique = unique;
		is_long(fuse_conn_dev_write(c, b, sizeof(b)), -EINVAL,
			"a length that is not the write's: EINVAL");
		((struct fuse_out_header *)b)->len = sizeof(b);
		((struct fuse_out_header *)b)->unique = 0;
		is_long(fuse_conn_dev_write(c, b, sizeof(b)), -ENOSYS,
			"a notification: ENOSYS (not implemented)");
	}
	ok(!cl.finished, "bad replies leave the client waiting");
	is_long(reply(c, unique, 0, "hello", 5), sizeof(struct fuse_out_header) + 5, "the reply");
	pthread_join(cl.t, NULL);
	is_long(cl.result, 0, "reaches its client");
	ok(cl.outlen == 5 && memcmp(cl.out, "hello", 5) == 0, "with its payload");

	client_start(&cl, c, FUSE_GETATTR);
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	reply(c, hdr()->unique, -ENOENT, NULL, 0);
	pthread_join(cl.t, NULL);
	is_long(cl.result, -ENOENT, "an error reaches its client");
	client_start(&cl, c, FUSE_READ);
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	{
		char big[200] = { 0 };

		is_long(reply(c, hdr()->unique, 0, big, sizeof(big)), -EINVAL,
			"a reply larger than asked: EINVAL");
	}
	pthread_join(cl.t, NULL);
	is_long(cl.result, -EIO, "and EIO for its client");

	/* signals */
	client_start(&cl, c, FUSE_GETATTR);
	msleep(30);
	is_long(queued(c), 1, "queued");
	interrupt(&cl);
	is_long(cl.result, -EINTR, "a signal before the server reads it: EINTR");
	is_long(queued(c), 0, "and the request is gone");
	client_start(&cl, c, FUSE_LOOKUP);
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	unique = hdr()->unique;
	interrupt(&cl);
	is_long(cl.result, -EINTR, "a signal after: EINTR");
	n = fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	ok(n > 0 && hdr()->opcode == FUSE_INTERRUPT, "the server is sent FUSE_INTERRUPT");
	is_long(hdr()->unique, unique | 1, "with the request's unique and bit 0");
	is_long(((struct fuse_interrupt_in *)(hdr() + 1))->unique, unique, "naming it");
	is_long(reply(c, unique | 1, -EAGAIN, NULL, 0), sizeof(struct fuse_out_header),
		"its answer is taken");
	{
		struct fuse_entry_out eo = { .nodeid = 77 };

		is_long(reply(c, unique, 0, &eo, sizeof(eo)),
			sizeof(struct fuse_out_header) + sizeof(eo),
			"the late reply is taken and dropped");
	}
	n = fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	ok(n > 0 && hdr()->opcode == FUSE_FORGET && hdr()->nodeid == 77,
	   "an abandoned lookup's node is forgotten");

	/* the bound */
	for (i = 0; i <= FUSE_CONN_QUEUE_MAX; i++)
		client_start(&many[i], c, FUSE_GETATTR);
	for (i = 0; i < 200 && queued(c) < FUSE_CONN_QUEUE_MAX; i++)
		msleep(10);
	msleep(50);
	is_long(queued(c), FUSE_CONN_QUEUE_MAX, "the queue holds FUSE_CONN_QUEUE_MAX requests");
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	for (i = 0; i < 200 && queued(c) < FUSE_CONN_QUEUE_MAX; i++)
		msleep(10);
	is_long(queued(c), FUSE_CONN_QUEUE_MAX, "a read lets the next caller in");

	/* the server's death */
	fuse_conn_release(c);
	for (i = 0; i <= FUSE_CONN_QUEUE_MAX; i++)
		pthread_join(many[i].t, NULL);
	for (i = 0; i <= FUSE_CONN_QUEUE_MAX && many[i].result == -ENOTCONN; i++)
		;
	is_long(i, FUSE_CONN_QUEUE_MAX + 1, "the server's death: every caller gets ENOTCONN");
	client_start(&cl, c, FUSE_GETATTR);
	pthread_join(cl.t, NULL);
	is_long(cl.result, -ENOTCONN, "and every later call");
	is_long(fuse_conn_dev_read(c, rbuf, sizeof(rbuf)), -ENODEV, "a read: ENODEV");
	fuse_conn_put(c);

	/* unmount */
	c = running();
	client_start(&cl, c, FUSE_GETATTR);
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	fuse_conn_unmount(c);
	pthread_join(cl.t, NULL);
	is_long(cl.result, -ENOTCONN, "unmount: a pending call fails ENOTCONN");
	n = fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	ok(n > 0 && hdr()->opcode == FUSE_DESTROY, "the server reads DESTROY");
	is_long(reply(c, hdr()->unique, 0, NULL, 0), sizeof(struct fuse_out_header),
		"its answer is taken");
	is_long(fuse_conn_dev_read(c, rbuf, sizeof(rbuf)), -ENODEV, "then ENODEV");
	is_long(fuse_conn_dev_read(c, rbuf, sizeof(rbuf)), -ENODEV, "for every reader");
	client_start(&cl, c, FUSE_GETATTR);
	pthread_join(cl.t, NULL);
	is_long(cl.result, -ENOTCONN, "a call after unmount: ENOTCONN");
	fuse_conn_release(c);
	fuse_conn_put(c);

	/* a blocked reader wakes at unmount */
	c = running();
	{
		struct reader rd = { .c = c };

		pthread_create(&rd.t, NULL, reader_main, &rd);
		msleep(30);
		ok(!rd.finished, "a reader waits for a request");
		fuse_conn_unmount(c);
		pthread_join(rd.t, NULL);
		is_long(rd.opcode, FUSE_DESTROY, "unmount wakes it with DESTROY");
		pthread_create(&rd.t, NULL, reader_main, &rd);
		pthread_join(rd.t, NULL);
		is_long(rd.result, -ENODEV, "then ENODEV");
	}
	fuse_conn_release(c);
	fuse_conn_put(c);

	/* INIT refused */
	c = fuse_conn_new();
	fuse_conn_start(c, &who);
	fuse_conn_dev_read(c, rbuf, sizeof(rbuf));
	memset(&io, 0, sizeof(io));
	io.major = 7;
	io.minor = 8;
	reply(c, hdr()->unique, 0, &io, sizeof(io));
	client_start(&cl, c, FUSE_GETATTR);
	pthread_join(cl.t, NULL);
	is_long(cl.result, -ECONNREFUSED, "a server of 7.8: ECONNREFUSED");
	fuse_conn_release(c);
	fuse_conn_put(c);

	/* a server that never answers INIT: the caller's signal frees it */
	c = fuse_conn_new();
	fuse_conn_start(c, &who);
	client_start(&cl, c, FUSE_GETATTR);
	msleep(20);
	interrupt(&cl);
	is_long(cl.result, -EINTR, "waiting for INIT: a signal says EINTR");
	fuse_conn_release(c);
	fuse_conn_put(c);

	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

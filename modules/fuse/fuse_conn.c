// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_conn.c - the queue between a FUSE server and its clients
 * (fuse_conn.h), with the kernel's rules (fs/fuse/dev.c): uniques are
 * even (bit 0 marks an interrupt), a reply is one write of exactly its
 * header's length, an error is 0 or a negative errno above -512, a read
 * buffer holds at least FUSE_MIN_READ_BUFFER bytes, a reply to a unique
 * nobody waits for is ENOENT.
 *
 * A request is the caller's until it is queued; then whoever takes it
 * off the lists under the lock owns it: the reader for a request with no
 * reply, the writer for one its caller abandoned, else the caller.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fuse_conn.h"
#include "fuse_proto.h"

#define FUSE_INT_BIT 1ULL

enum req_state { REQ_QUEUED, REQ_SENT, REQ_DONE };

struct fuse_req {
	struct fuse_req *next, *prev;
	struct fuse_in_header h;
	enum req_state state;
	bool noreply, abandoned, counted, init;
	int error;
	sem_t done;
	void *out;
	size_t outsize, outlen;
	/* the header's arguments follow, then room for the reply */
	char data[];
};

struct fuse_conn *fuse_conn_new(void)
{
	struct fuse_conn *c = calloc(1, sizeof(*c));
	pthread_mutexattr_t ra;

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_mutexattr_init(&ra);
	pthread_mutexattr_settype(&ra, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&c->htlock, &ra);
	pthread_mutexattr_destroy(&ra);
	sem_init(&c->readable, 0, 0);
	sem_init(&c->space, 0, FUSE_CONN_QUEUE_MAX);
	c->refs = 1;
	c->next_unique = 2;
	c->state = FUSE_CONN_NEW;
	return c;
}

void fuse_conn_get(struct fuse_conn *c)
{
	pthread_mutex_lock(&c->lock);
	c->refs++;
	pthread_mutex_unlock(&c->lock);
}

static void req_free(struct fuse_req *r)
{
	sem_destroy(&r->done);
	free(r);
}

void fuse_conn_put(struct fuse_conn *c)
{
	int left;

	pthread_mutex_lock(&c->lock);
	left = --c->refs;
	pthread_mutex_unlock(&c->lock);
	if (left)
		return;
	/* nobody reads or calls any more: what is left is ours */
	while (c->qhead) {
		struct fuse_req *r = c->qhead;

		c->qhead = r->next;
		req_free(r);
	}
	while (c->sent) {
		struct fuse_req *r = c->sent;

		c->sent = r->next;
		req_free(r);
	}
	sem_destroy(&c->readable);
	sem_destroy(&c->space);
	pthread_mutex_destroy(&c->htlock);
	pthread_mutex_destroy(&c->lock);
	free(c);
}

enum fuse_conn_state fuse_conn_get_state(struct fuse_conn *c)
{
	enum fuse_conn_state s;

	pthread_mutex_lock(&c->lock);
	s = c->state;
	pthread_mutex_unlock(&c->lock);
	return s;
}

static struct fuse_req *req_new(uint32_t opcode, uint64_t nodeid, const struct fuse_caller *who,
				const struct iovec *in, int nin, size_t outsize)
{
	size_t inlen = 0, off = 0;
	struct fuse_req *r;
	int i;

	for (i = 0; i < nin; i++)
		inlen += in[i].iov_len;
	r = malloc(sizeof(*r) + inlen + outsize);
	if (!r)
		return NULL;
	memset(r, 0, sizeof(*r));
	sem_init(&r->done, 0, 0);
	r->h.len = (uint32_t)(sizeof(r->h) + inlen);
	r->h.opcode = opcode;
	r->h.nodeid = nodeid;
	if (who) {
		r->h.uid = who->uid;
		r->h.gid = who->gid;
		r->h.pid = who->pid;
	}
	for (i = 0; i < nin; i++) {
		memcpy(r->data + off, in[i].iov_base, in[i].iov_len);
		off += in[i].iov_len;
	}
	r->out = r->data + inlen;
	r->outsize = outsize;
	return r;
}

/* Queue @r (lock held); @front: ahead of everything (INIT). */
static void enqueue(struct fuse_conn *c, struct fuse_req *r, bool front)
{
	r->h.unique = c->next_unique;
	c->next_unique += 2;
	r->state = REQ_QUEUED;
	r->next = NULL;
	r->prev = NULL;
	if (front) {
		r->next = c->qhead;
		if (c->qhead)
			c->qhead->prev = r;
		else
			c->qtail = r;
		c->qhead = r;
	} else {
		r->prev = c->qtail;
		if (c->qtail)
			c->qtail->next = r;
		else
			c->qhead = r;
		c->qtail = r;
	}
	sem_post(&c->readable);
}

static void unqueue(struct fuse_conn *c, struct fuse_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		c->qhead = r->next;
	if (r->next)
		r->next->prev = r->prev;
	else
		c->qtail = r->prev;
	r->next = r->prev = NULL;
	if (r->counted)
		sem_post(&c->space);
	r->counted = false;
}

static void unsend(struct fuse_conn *c, struct fuse_req *r)
{
	if (r->prev)
		r->prev->next = r->next;
	else
		c->sent = r->next;
	if (r->next)
		r->next->prev = r->prev;
	r->next = r->prev = NULL;
}

/* @r is answered with @error (lock held): its owner is told, or it goes. */
static void finish(struct fuse_req *r, int error)
{
	r->error = error;
	r->state = REQ_DONE;
	if (r->noreply || r->abandoned)
		req_free(r);
	else
		sem_post(&r->done);
}

/* Fail everything queued and sent with @error (lock held). */
static void fail_all(struct fuse_conn *c, int error)
{
	while (c->qhead) {
		struct fuse_req *r = c->qhead;

		unqueue(c, r);
		finish(r, error);
	}
	while (c->sent) {
		struct fuse_req *r = c->sent;

		unsend(c, r);
		finish(r, error);
	}
}

int fuse_conn_start(struct fuse_conn *c, const struct fuse_caller *who)
{
	struct fuse_init_in in;
	struct iovec iov = { &in, sizeof(in) };
	struct fuse_req *r;

	fuse_proto_init_in(&in);
	r = req_new(FUSE_INIT, 0, who, &iov, 1, sizeof(struct fuse_init_out));
	if (!r)
		return -ENOMEM;
	r->init = true;
	r->abandoned = true; /* nobody waits: the reply is handled by the writer */
	pthread_mutex_lock(&c->lock);
	if (c->state != FUSE_CONN_NEW) {
		pthread_mutex_unlock(&c->lock);
		req_free(r);
		return -EINVAL;
	}
	c->state = FUSE_CONN_INIT;
	enqueue(c, r, true);
	pthread_mutex_unlock(&c->lock);
	return 0;
}

/* The error a call gets in state @s, 0 when it may go on (lock held). */
static int state_error(struct fuse_conn *c)
{
	if (c->init_error)
		return -ECONNREFUSED;
	switch (c->state) {
	case FUSE_CONN_RUNNING:
		return 0;
	case FUSE_CONN_NEW:
	case FUSE_CONN_INIT:
		return -EAGAIN;
	default:
		return -ENOTCONN;
	}
}

/* Wait for INIT's answer, as the kernel's requests do (fc->blocked). */
static int wait_running(struct fuse_conn *c)
{
	const struct timespec tick = { 0, 5 * 1000 * 1000 };
	int err;

	for (;;) {
		pthread_mutex_lock(&c->lock);
		err = state_error(c);
		pthread_mutex_unlock(&c->lock);
		if (err != -EAGAIN)
			return err;
		if (nanosleep(&tick, NULL) < 0 && errno == EINTR)
			return -EINTR;
	}
}

int fuse_conn_call(struct fuse_conn *c, uint32_t opcode, uint64_t nodeid,
		   const struct fuse_caller *who, const struct iovec *in, int nin, void *out,
		   size_t outsize, size_t *outlen)
{
	struct fuse_req *r;
	int err = wait_running(c);

	if (err)
		return err;
	r = req_new(opcode, nodeid, who, in, nin, outsize);
	if (!r)
		return -ENOMEM;
	/* the bound: a caller waits for room, interruptibly */
	while (sem_wait(&c->space) < 0) {
		if (errno == EINTR) {
			req_free(r);
			return -EINTR;
		}
	}
	pthread_mutex_lock(&c->lock);
	err = state_error(c);
	if (err) {
		pthread_mutex_unlock(&c->lock);
		sem_post(&c->space);
		req_free(r);
		return err;
	}
	r->counted = true;
	enqueue(c, r, false);
	pthread_mutex_unlock(&c->lock);

	while (sem_wait(&r->done) < 0) {
		struct fuse_req *intr = NULL;
		struct fuse_interrupt_in ii;
		struct iovec iov = { &ii, sizeof(ii) };

		if (errno != EINTR)
			continue;
		pthread_mutex_lock(&c->lock);
		if (r->state == REQ_DONE) {
			/* answered meanwhile: the post is there to take */
			pthread_mutex_unlock(&c->lock);
			continue;
		}
		if (r->state == REQ_QUEUED) {
			unqueue(c, r);
			pthread_mutex_unlock(&c->lock);
			req_free(r);
			return -EINTR;
		}
		/* the server has it: it answers to nobody, and is told so */
		r->abandoned = true;
		if (!c->no_interrupt) {
			memset(&ii, 0, sizeof(ii));
			ii.unique = r->h.unique;
			intr = req_new(FUSE_INTERRUPT, 0, who, &iov, 1, 0);
		}
		if (intr) {
			intr->noreply = true;
			enqueue(c, intr, true);
			/* the kernel's interrupt unique is the request's, bit 0 set */
			intr->h.unique = r->h.unique | FUSE_INT_BIT;
			c->next_unique -= 2;
		}
		pthread_mutex_unlock(&c->lock);
		return -EINTR;
	}
	err = r->error;
	if (err == 0) {
		if (out && r->outlen)
			memcpy(out, r->out, r->outlen);
		if (outlen)
			*outlen = r->outlen;
	}
	req_free(r);
	return err;
}

void fuse_conn_send(struct fuse_conn *c, uint32_t opcode, uint64_t nodeid,
		    const struct fuse_caller *who, const struct iovec *in, int nin)
{
	struct fuse_req *r = req_new(opcode, nodeid, who, in, nin, 0);

	if (!r)
		return;
	r->noreply = true;
	pthread_mutex_lock(&c->lock);
	if (c->state != FUSE_CONN_RUNNING) {
		pthread_mutex_unlock(&c->lock);
		req_free(r);
		return;
	}
	enqueue(c, r, false);
	pthread_mutex_unlock(&c->lock);
}

ssize_t fuse_conn_dev_read(struct fuse_conn *c, void *buf, size_t count)
{
	struct fuse_req *r;
	size_t len;

	pthread_mutex_lock(&c->lock);
	if (c->state == FUSE_CONN_NEW) {
		pthread_mutex_unlock(&c->lock);
		return -EPERM;
	}
	pthread_mutex_unlock(&c->lock);
	if (count < FUSE_MIN_READ_BUFFER)
		return -EINVAL;
	for (;;) {
		if (sem_wait(&c->readable) < 0) {
			if (errno == EINTR)
				return -EINTR;
			continue;
		}
		pthread_mutex_lock(&c->lock);
		r = c->qhead;
		if (!r) {
			if (c->state >= FUSE_CONN_DOWN) {
				/* every reader of a multithreaded server gets ENODEV */
				sem_post(&c->readable);
				pthread_mutex_unlock(&c->lock);
				return -ENODEV;
			}
			/* the post of a request its caller took back */
			pthread_mutex_unlock(&c->lock);
			continue;
		}
		unqueue(c, r);
		if (r->h.len > count) {
			/* as the kernel: the request fails, the read goes on */
			finish(r, -EIO);
			pthread_mutex_unlock(&c->lock);
			continue;
		}
		len = r->h.len;
		memcpy(buf, &r->h, sizeof(r->h));
		memcpy((char *)buf + sizeof(r->h), r->data, len - sizeof(r->h));
		if (r->noreply) {
			req_free(r);
		} else {
			r->state = REQ_SENT;
			r->prev = NULL;
			r->next = c->sent;
			if (c->sent)
				c->sent->prev = r;
			c->sent = r;
		}
		pthread_mutex_unlock(&c->lock);
		return (ssize_t)len;
	}
}

static struct fuse_req *find_sent(struct fuse_conn *c, uint64_t unique)
{
	struct fuse_req *r;

	for (r = c->sent; r; r = r->next)
		if (r->h.unique == unique)
			return r;
	return NULL;
}

/* INIT's answer (lock held): the connection runs, or is refused. */
static void init_reply(struct fuse_conn *c, struct fuse_req *r, const void *p, size_t len,
		       int error)
{
	struct fuse_proto_init neg;

	if (error || fuse_proto_init_reply(p, len, &neg) < 0) {
		c->init_error = error ? error : -EPROTO;
		return;
	}
	c->minor = neg.minor;
	c->flags = neg.flags;
	c->max_write = neg.max_write;
	if (c->state == FUSE_CONN_INIT)
		c->state = FUSE_CONN_RUNNING;
	(void)r;
}

/* An abandoned lookup that succeeded took a reference: give it back. */
static bool takes_lookup(uint32_t opcode)
{
	return opcode == FUSE_LOOKUP || opcode == FUSE_CREATE || opcode == FUSE_MKNOD ||
	       opcode == FUSE_MKDIR || opcode == FUSE_SYMLINK || opcode == FUSE_LINK;
}

ssize_t fuse_conn_dev_write(struct fuse_conn *c, const void *buf, size_t count)
{
	struct fuse_out_header oh;
	struct fuse_req *r;
	size_t plen;

	if (count < sizeof(oh))
		return -EINVAL;
	memcpy(&oh, buf, sizeof(oh));
	if (oh.len != count)
		return -EINVAL;
	if (oh.unique == 0)
		return -ENOSYS; /* a notification: not implemented */
	if (oh.error > 0 || oh.error <= -512)
		return -EINVAL;
	plen = count - sizeof(oh);
	if (oh.error && plen)
		return -EINVAL;
	pthread_mutex_lock(&c->lock);
	if (oh.unique & FUSE_INT_BIT) {
		/* an interrupt's answer: ENOSYS says never again; EAGAIN is not retried */
		if (oh.error == -ENOSYS)
			c->no_interrupt = true;
		pthread_mutex_unlock(&c->lock);
		return (ssize_t)count;
	}
	r = find_sent(c, oh.unique);
	if (!r) {
		pthread_mutex_unlock(&c->lock);
		return -ENOENT;
	}
	unsend(c, r);
	if (r->init) {
		init_reply(c, r, (const char *)buf + sizeof(oh), plen, oh.error);
		req_free(r);
		pthread_mutex_unlock(&c->lock);
		return (ssize_t)count;
	}
	if (plen > r->outsize) {
		finish(r, -EIO);
		pthread_mutex_unlock(&c->lock);
		return -EINVAL;
	}
	memcpy(r->out, (const char *)buf + sizeof(oh), plen);
	r->outlen = plen;
	if (r->abandoned && oh.error == 0 && takes_lookup(r->h.opcode) &&
	    plen >= sizeof(struct fuse_entry_out) && c->state == FUSE_CONN_RUNNING) {
		struct fuse_entry_out eo;
		struct fuse_forget_in fi = { .nlookup = 1 };
		struct iovec iov = { &fi, sizeof(fi) };
		struct fuse_req *f;

		memcpy(&eo, r->out, sizeof(eo));
		f = eo.nodeid ? req_new(FUSE_FORGET, eo.nodeid, NULL, &iov, 1, 0) : NULL;
		if (f) {
			f->noreply = true;
			enqueue(c, f, false);
		}
	}
	finish(r, oh.error);
	pthread_mutex_unlock(&c->lock);
	return (ssize_t)count;
}

void fuse_conn_unmount(struct fuse_conn *c)
{
	struct fuse_req *r = req_new(FUSE_DESTROY, 0, NULL, NULL, 0, 0);

	pthread_mutex_lock(&c->lock);
	if (c->state >= FUSE_CONN_DOWN) {
		pthread_mutex_unlock(&c->lock);
		if (r)
			req_free(r);
		return;
	}
	/* nobody calls any more; a server that never answered INIT gets no DESTROY */
	fail_all(c, -ENOTCONN);
	if (r && c->state == FUSE_CONN_RUNNING) {
		r->abandoned = true;
		enqueue(c, r, false);
		r = NULL;
	}
	c->state = FUSE_CONN_DOWN;
	sem_post(&c->readable);
	pthread_mutex_unlock(&c->lock);
	if (r)
		req_free(r);
}

void fuse_conn_release(struct fuse_conn *c)
{
	pthread_mutex_lock(&c->lock);
	c->state = FUSE_CONN_DEAD;
	fail_all(c, -ENOTCONN);
	sem_post(&c->readable);
	pthread_mutex_unlock(&c->lock);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_inherit.c - the upcall registry (host/inherit.c) and the threads
 * per member (core/mthread.c), with hooks of the test's own.
 *
 * Registry: CLONE gets the clone flags as VUOS passes them and its value
 * reaches that upcall's START on another thread; an upcall registered
 * after the CLONE gets START with NULL, and so does one registered after
 * a thread's START, before that thread's next call or CLONE; a value of an upcall
 * deregistered meanwhile is dropped; EXEC carries the ids; TERMINATE
 * reaches only the upcalls told START on that thread.
 * Threads: each member's items run in order on one thread of its own;
 * the parent's CLONE runs on the parent's thread, after what the parent
 * had queued, and the child's first item waits for it; EXIT runs end on
 * the member's thread after its queue; a child that exits before any
 * request still gets start and end; a queued item can be withdrawn; past
 * the limit submit fails with EAGAIN; without upcalls idle threads retire;
 * stop ends them all. fdinfo: the strict parse of the placeholder's lines.
 * serve.c: no upcall, the pool; with one, a member's own thread, FORK's
 * CLONE on the parent's and EXIT's TERMINATE on the child's.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <sys/syscall.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <vumodule.h>

#include "core/fdinfo.h"
#include "fake_backend.h"
#include "serve.h"
#include "core/mthread.h"
#include "host/inherit.h"
#include "tap.h"

/* ---- the registry ---- */

struct call {
	char who;
	mod_inheritance_state_t state;
	void *ioarg;
	syscall_arg_t flags;              /* CLONE */
	struct mod_inheritance_exec_arg ids; /* EXEC */
	int thread;                       /* the test's number of the calling thread */
};

static struct call calls[64];
static int ncalls;
static __thread int thread_no;
static pthread_mutex_t calls_lock = PTHREAD_MUTEX_INITIALIZER;

static void *record(char who, mod_inheritance_state_t state, void *ioarg, void *arg)
{
	pthread_mutex_lock(&calls_lock);
	struct call *c = &calls[ncalls < 64 ? ncalls++ : 63];

	memset(c, 0, sizeof(*c));
	c->who = who;
	c->state = state;
	c->ioarg = ioarg;
	c->thread = thread_no;
	if (state == MOD_INH_CLONE)
		c->flags = *(syscall_arg_t *)arg;
	if (state == MOD_INH_EXEC)
		c->ids = *(struct mod_inheritance_exec_arg *)arg;
	pthread_mutex_unlock(&calls_lock);
	return state == MOD_INH_CLONE ? (void *)(uintptr_t)(who == 'A' ? 0xa1 : 0xb1) : NULL;
}

static void *up_a(mod_inheritance_state_t s, void *io, void *arg)
{
	return record('A', s, io, arg);
}

static void *up_b(mod_inheritance_state_t s, void *io, void *arg)
{
	return record('B', s, io, arg);
}

/* The calls of @who in state @s since @from: how many, the last in *@last. */
static int count(int from, char who, mod_inheritance_state_t s, struct call *last)
{
	int n = 0;

	for (int i = from; i < ncalls; i++)
		if (calls[i].who == who && calls[i].state == s) {
			n++;
			if (last)
				*last = calls[i];
		}
	return n;
}

static void *values;

static void *thread_start(void *arg)
{
	thread_no = 2;
	vu_inherit_start(arg);
	return NULL;
}

static void run_on_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;

	pthread_create(&t, NULL, fn, arg);
	pthread_join(t, NULL);
}

static void *thread_start_terminate(void *arg)
{
	thread_no = 3;
	vu_inherit_start(arg);
	mod_inheritance_upcall_register(up_b); /* after this thread's START */
	vu_inherit_terminate();
	mod_inheritance_upcall_deregister(up_b);
	return NULL;
}

static void test_registry(void)
{
	struct call c;
	int mark;

	thread_no = 1;
	ok(!vu_inherit_active(), "no upcall: not active");
	mod_inheritance_upcall_register(up_a);
	ok(vu_inherit_active() && vu_inherit_count() == 1, "registered: active");
	vu_inherit_start(NULL);
	is_long(count(0, 'A', MOD_INH_START, &c), 1, "START on a thread with no value");
	ok(c.ioarg == NULL && c.thread == 1, "... NULL, on that thread");

	mark = ncalls;
	values = vu_inherit_clone(0x11);
	is_long(count(mark, 'A', MOD_INH_CLONE, &c), 1, "CLONE called once");
	is_long(c.flags, 0x11, "... with the clone flags, as VUOS passes them");
	mod_inheritance_upcall_register(up_b);
	run_on_thread(thread_start, values);
	is_long(count(mark, 'A', MOD_INH_START, &c), 1, "the child's START");
	ok(c.ioarg == (void *)0xa1 && c.thread == 2, "... gets CLONE's value, on its own thread");
	is_long(count(mark, 'B', MOD_INH_START, &c), 1,
		"an upcall registered after the CLONE is told START too");
	ok(c.ioarg == NULL && c.thread == 2, "... with NULL");

	mark = ncalls;
	vu_inherit_catch_up();
	is_long(count(mark, 'B', MOD_INH_START, &c), 1,
		"a thread started before an upcall tells it START before its next call");
	ok(c.ioarg == NULL && c.thread == 1, "... with NULL, on that thread");
	vu_inherit_catch_up();
	is_long(count(mark, 'B', MOD_INH_START, NULL), 1, "... once");
	is_long(count(mark, 'A', MOD_INH_START, NULL), 0, "... and not again to the others");

	mark = ncalls;
	vu_inherit_exec(0, (gid_t)-1);
	is_long(count(mark, 'A', MOD_INH_EXEC, &c), 1, "EXEC to A");
	ok(c.ids.exec_uid == 0 && c.ids.exec_gid == (gid_t)-1, "... with the set-id ids");
	is_long(count(mark, 'B', MOD_INH_EXEC, NULL), 1, "EXEC to B");

	mark = ncalls;
	values = vu_inherit_clone(0);
	mod_inheritance_upcall_deregister(up_a);
	run_on_thread(thread_start, values);
	is_long(count(mark, 'A', MOD_INH_START, NULL), 0,
		"an upcall deregistered between CLONE and START: its value is dropped");
	is_long(count(mark, 'B', MOD_INH_START, &c), 1, "... the others get theirs");
	ok(c.ioarg == (void *)0xb1, "... B's own value");

	mark = ncalls;
	mod_inheritance_upcall_deregister(up_b);
	mod_inheritance_upcall_register(up_a);
	run_on_thread(thread_start_terminate, NULL);
	is_long(count(mark, 'A', MOD_INH_TERMINATE, &c), 1, "TERMINATE to the upcall told START");
	ok(c.thread == 3, "... on that thread");
	is_long(count(mark, 'B', MOD_INH_TERMINATE, NULL), 0,
		"... not to one registered after the thread's START");
	/* thread 1 started before this registration of B: START comes before its CLONE */
	mark = ncalls;
	mod_inheritance_upcall_register(up_b);
	free(vu_inherit_clone(0));
	int bstart = -1, bclone = -1;

	for (int i = mark; i < ncalls; i++)
		if (calls[i].who == 'B' && calls[i].state == MOD_INH_START && bstart < 0)
			bstart = i;
		else if (calls[i].who == 'B' && calls[i].state == MOD_INH_CLONE && bclone < 0)
			bclone = i;
	ok(bstart >= 0 && bclone > bstart && calls[bstart].ioarg == NULL &&
		   calls[bstart].thread == 1,
	   "CLONE from a thread an upcall has not heard START from: START (NULL) first");
	is_long(count(mark, 'B', MOD_INH_CLONE, NULL), 1, "... then its CLONE");
	mod_inheritance_upcall_deregister(up_b);
	mod_inheritance_upcall_deregister(up_a);
	mod_inheritance_upcall_deregister(up_a); /* not registered: nothing */
	ok(!vu_inherit_active() && vu_inherit_count() == 0, "all deregistered: not active");
}

/* ---- the threads ---- */

struct item {
	int id;
	pthread_t ran_on;
	void *state_seen;
	volatile int done;
	volatile int *gate; /* wait while *gate == 0 */
};

struct clone_val {
	pthread_t on;
	uint64_t flags;
};

static __thread void *t_state;
static int n_starts, n_ends;
static bool t_wanted = true;
static pthread_mutex_t t_lock = PTHREAD_MUTEX_INITIALIZER;

static void t_run(void *arg)
{
	struct item *it = arg;

	while (it->gate && !*it->gate)
		usleep(1000);
	it->ran_on = pthread_self();
	it->state_seen = t_state;
	__atomic_store_n(&it->done, 1, __ATOMIC_SEQ_CST);
}

static void *t_clone(uint64_t flags)
{
	struct clone_val *v = malloc(sizeof(*v));

	v->on = pthread_self();
	v->flags = flags;
	return v;
}

static void t_start(void *value)
{
	t_state = value;

	pthread_mutex_lock(&t_lock);
	n_starts++;
	pthread_mutex_unlock(&t_lock);
}

static void t_end(void)
{
	free(t_state);
	t_state = NULL;
	pthread_mutex_lock(&t_lock);
	n_ends++;
	pthread_mutex_unlock(&t_lock);
}

static bool t_want(void)
{
	return __atomic_load_n(&t_wanted, __ATOMIC_SEQ_CST);
}

static const struct vu_mthread_ops t_ops = {
	.run = t_run, .clone = t_clone, .start = t_start, .end = t_end, .wanted = t_want,
};

static bool item_is(void *item, void *arg)
{
	return ((struct item *)item)->id == *(int *)arg;
}

static bool wait_done(struct item *it, int ms)
{
	for (int i = 0; i < ms && !__atomic_load_n(&it->done, __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	return it->done;
}

static int ends(void)
{
	pthread_mutex_lock(&t_lock);
	int n = n_ends;

	pthread_mutex_unlock(&t_lock);
	return n;
}

static bool wait_ends(int want, int ms)
{
	for (int i = 0; i < ms && ends() < want; i++)
		usleep(1000);
	return ends() >= want;
}

static void test_threads(void)
{
	struct item a = { .id = 1 }, a2 = { .id = 2 }, b = { .id = 3 }, c = { .id = 4 };
	struct item d = { .id = 5 }, e = { .id = 6 }, busy = { .id = 7 };

	volatile int gate = 0;

	vu_mthread_setup(&t_ops, 4, 100, SIGRTMIN + 2);
	is_long(vu_mthread_submit(100, &a), 0, "a member's first request: its thread is made");
	ok(wait_done(&a, 2000), "... and serves it");
	ok(a.state_seen == NULL, "... after START with NULL (no parent's CLONE)");
	vu_mthread_submit(100, &a2);
	ok(wait_done(&a2, 2000) && pthread_equal(a.ran_on, a2.ran_on),
	   "its next request runs on the same thread");

	is_long(vu_mthread_fork(100, 101, 0x11), 0, "FORK: queued on the parent's thread");
	vu_mthread_submit(101, &b);
	ok(wait_done(&b, 2000), "the child's request is served");
	struct clone_val *v = b.state_seen;

	ok(v && pthread_equal(v->on, a.ran_on), "... its START value came from the parent's CLONE, "
	   "run on the parent's thread");
	ok(v && v->flags == 0x11, "... with the clone flags");
	ok(!pthread_equal(b.ran_on, a.ran_on), "... on a thread of its own");

	/* the parent is busy: the child's first request waits for the CLONE */
	busy.gate = &gate;
	vu_mthread_submit(100, &busy);
	vu_mthread_fork(100, 102, 0);
	vu_mthread_submit(102, &c);
	usleep(200000);
	ok(!c.done, "a child's request waits while its parent's thread is busy before the CLONE");
	vu_mthread_submit(100, &d);
	gate = 1;
	ok(wait_done(&c, 2000), "... and runs once the CLONE is done");
	ok(c.state_seen != NULL, "... with the CLONE's value");
	ok(wait_done(&d, 2000), "the parent's later request runs after");

	int e0 = ends();

	vu_mthread_exit(101);
	ok(wait_ends(e0 + 1, 2000), "EXIT: end runs");
	ok(!vu_mthread_has(101), "... and the member has no thread any more");

	/* a child that exits before its first request: start and end still run */
	int s0 = n_starts;

	e0 = ends();
	vu_mthread_fork(100, 103, 0);
	vu_mthread_exit(103);
	ok(wait_ends(e0 + 1, 2000) && n_starts == s0 + 1,
	   "a child that exits before any request gets start and end (its value freed)");

	is_long(vu_mthread_count(), 2, "threads alive: the two members left");
	/* the limit (4): two more members, then EAGAIN */
	struct item f1 = { .id = 8 }, f2 = { .id = 9 }, f3 = { .id = 10 };

	is_long(vu_mthread_submit(200, &f1), 0, "a third member");
	is_long(vu_mthread_submit(201, &f2), 0, "a fourth member");
	is_long(vu_mthread_submit(202, &f3), -EAGAIN, "past the limit: EAGAIN, the call fails");
	ok(!vu_mthread_has(202), "... and no record is left for it");
	wait_done(&f1, 2000);
	wait_done(&f2, 2000);
	e0 = ends();
	vu_mthread_exit(200);
	vu_mthread_exit(201);
	wait_ends(e0 + 2, 2000);

	/* withdraw: queued behind a busy item */
	struct item g = { .id = 11 };
	volatile int gate2 = 0;
	int want = 11, other = 99;

	busy.done = 0;
	busy.gate = &gate2;
	vu_mthread_submit(100, &busy);
	vu_mthread_submit(100, &g);
	ok(vu_mthread_withdraw(100, item_is, &other) == NULL, "withdraw: no such item, nothing");
	ok(vu_mthread_withdraw(100, item_is, &want) == &g, "withdraw: the queued item is taken back");
	ok(vu_mthread_withdraw(100, item_is, &want) == NULL, "... once");
	gate2 = 1;
	ok(wait_done(&busy, 2000), "the busy one completes");
	usleep(100000);
	ok(!g.done, "... and the withdrawn one never runs");

	/* no upcall: idle threads retire (end), and come back with START NULL */
	e0 = ends();
	__atomic_store_n(&t_wanted, false, __ATOMIC_SEQ_CST);
	ok(wait_ends(e0 + 2, 3000) && vu_mthread_count() == 0,
	   "not wanted: both idle threads retire, end called");
	ok(!vu_mthread_has(100), "... the members have none");
	__atomic_store_n(&t_wanted, true, __ATOMIC_SEQ_CST);
	vu_mthread_submit(100, &e);
	ok(wait_done(&e, 2000) && e.state_seen == NULL, "... a new request gets a new thread, START NULL");

	e0 = ends();
	is_long(vu_mthread_stop(2000), 0, "stop: every thread ends");
	ok(ends() == e0 + 1 && vu_mthread_count() == 0, "... after end");
}

static void test_fdinfo(void)
{
	const char good[] = "pos:\t0\nflags:\t02\nmnt_id:\t15\nino:\t1057\n"
			    "kmview-handle:\t42\nkmview-daemon:\t777\n";
	uint64_t h = 0;

	is_long(vu_fdinfo_parse(good, strlen(good), 777, &h), 0, "fdinfo of our placeholder");
	is_long(h, 42, "... its handle");
	is_long(vu_fdinfo_parse(good, strlen(good), 778, &h), -EBADF, "another view's daemon: EBADF");
	struct {
		const char *text, *what;
	} bad[] = {
		{ "pos:\t0\nflags:\t02\n", "no kmview lines (an ordinary file)" },
		{ "kmview-handle:\t42\n", "no daemon line" },
		{ "kmview-handle:\t42\nkmview-daemon:\t0\n", "a dead view (daemon 0)" },
		{ "kmview-handle:\t0\nkmview-daemon:\t777\n", "handle 0" },
		{ "kmview-handle:\t42\nkmview-handle:\t43\nkmview-daemon:\t777\n", "two handles" },
		{ "kmview-handle:\t42x\nkmview-daemon:\t777\n", "garbage after the number" },
		{ "kmview-handle:\t\nkmview-daemon:\t777\n", "an empty number" },
		{ "kmview-handle:\t-1\nkmview-daemon:\t777\n", "a sign" },
		{ "kmview-handle:\t18446744073709551616\nkmview-daemon:\t777\n", "2^64" },
		{ "kmview-handle:\t42\nkmview-daemon:\t4294968073\n", "a daemon tgid past 32 bits" },
		{ " kmview-handle:\t42\nkmview-daemon:\t777\n", "not at the start of a line" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		is_long(vu_fdinfo_parse(bad[i].text, strlen(bad[i].text), 777, &h), -EBADF, "%s: EBADF",
			bad[i].what);
	const char big[] = "kmview-handle:\t18446744073709551615\nkmview-daemon:\t777";

	is_long(vu_fdinfo_parse(big, strlen(big), 777, &h), 0, "2^64-1, last line unterminated");
	ok(h == UINT64_MAX, "... read whole");
	char nul[] = "kmview-handle:\t42\nkmview-daemon:\t777\n";

	nul[3] = '\0';
	is_long(vu_fdinfo_parse(nul, sizeof(nul) - 1, 777, &h), -EBADF, "a NUL byte: EBADF");
	is_long(vu_fdinfo_handle(getpid(), 0, &h), -EBADF, "a real fd of a process: EBADF");
	is_long(vu_fdinfo_handle(getpid(), 12345, &h), -EBADF, "a closed fd: EBADF");
}

/* ---- serve.c: the routing, with the fake backend ---- */

struct scall {
	mod_inheritance_state_t state;
	pthread_t on;
	void *ioarg;
	syscall_arg_t flags;
};

static struct scall scalls[32];
static int nscalls;
static pthread_mutex_t scalls_lock = PTHREAD_MUTEX_INITIALIZER;
static struct fake_backend fb;

static void *up_s(mod_inheritance_state_t state, void *ioarg, void *arg)
{
	pthread_mutex_lock(&scalls_lock);
	struct scall *c = &scalls[nscalls < 32 ? nscalls++ : 31];

	c->state = state;
	c->on = pthread_self();
	c->ioarg = ioarg;
	c->flags = state == MOD_INH_CLONE ? *(syscall_arg_t *)arg : 0;
	pthread_mutex_unlock(&scalls_lock);
	return state == MOD_INH_CLONE ? (void *)0x5c : NULL;
}

/* The first call in @state from index @from: its index, or -1 (waits up to 2 s). */
static int sfind(int from, mod_inheritance_state_t state)
{
	for (int t = 0; t < 2000; t++) {
		pthread_mutex_lock(&scalls_lock);
		for (int i = from; i < nscalls; i++)
			if (scalls[i].state == state) {
				pthread_mutex_unlock(&scalls_lock);
				return i;
			}
		pthread_mutex_unlock(&scalls_lock);
		usleep(1000);
	}
	return -1;
}

static void *serve_main(void *arg)
{
	(void)arg;
	vu_serve(&fb.be);
	return NULL;
}

static void snote(enum vu_msg_type type, pid_t tid, pid_t child, uint64_t flags)
{
	struct vu_msg m = { .type = type, .tid = tid, .tgid = tid, .child = child,
			    .clone_flags = flags };

	fake_push(&fb, m);
}

static void test_serve(void)
{
	pthread_t server;
	uint64_t u;

	fake_init(&fb, VU_BE_NOTIFY_FORK | VU_BE_NOTIFY_EXIT);
	fake_live(&fb);
	pthread_create(&server, NULL, serve_main, NULL);
	u = fake_push(&fb, fake_msg(10, __NR_getpid, NULL));
	is_long(fake_wait(&fb, u, 2000), FAKE_NATIVE, "no upcall: served by the pool");
	is_long(nscalls, 0, "... no upcall called");

	mod_inheritance_upcall_register(up_s);
	u = fake_push(&fb, fake_msg(10, __NR_getpid, NULL));
	is_long(fake_wait(&fb, u, 2000), FAKE_NATIVE, "an upcall: tid 10 is served");
	int st10 = sfind(0, MOD_INH_START);

	ok(st10 >= 0 && scalls[st10].ioarg == NULL, "... on its own thread, told START with NULL first");
	snote(VU_MSG_FORK, 10, 11, 0x11);
	u = fake_push(&fb, fake_msg(11, __NR_getpid, NULL));
	is_long(fake_wait(&fb, u, 2000), FAKE_NATIVE, "the child's first request");
	int cl = sfind(0, MOD_INH_CLONE), st11 = sfind(st10 + 1, MOD_INH_START);

	ok(cl >= 0 && st10 >= 0 && pthread_equal(scalls[cl].on, scalls[st10].on) &&
		   scalls[cl].flags == 0x11,
	   "FORK: CLONE ran on the parent's thread, with the clone flags");
	ok(st11 > cl && scalls[st11].ioarg == (void *)0x5c &&
		   !pthread_equal(scalls[st11].on, scalls[st10].on),
	   "... the child's thread STARTed with CLONE's value");
	snote(VU_MSG_EXIT, 11, 0, 0);
	int te = sfind(0, MOD_INH_TERMINATE);

	ok(te > st11 && st11 >= 0 && pthread_equal(scalls[te].on, scalls[st11].on),
	   "EXIT: TERMINATE on the child's thread");
	mod_inheritance_upcall_deregister(up_s);
	int n = nscalls;

	u = fake_push(&fb, fake_msg(12, __NR_getpid, NULL));
	is_long(fake_wait(&fb, u, 2000), FAKE_NATIVE, "deregistered: a new member is served");
	usleep(50000);
	is_long(nscalls, n, "... by the pool, no upcall called");
	snote(VU_MSG_EXIT, 10, 0, 0);
	fake_close(&fb);
	pthread_join(server, NULL);
	is_long(vu_mthread_count(), 0, "the view is over: no member thread left");
	is_long(fb.protocol_errors, 0, "one reply per request");
}

int main(void)
{
	test_registry();
	test_threads();
	test_fdinfo();
	test_serve();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_pool.c - the daemon's thread pool (serve.c) with the real vufs.so
 * on a temporary directory and the fake backend in live mode: vu_serve
 * runs in its own thread while the test plays the kernel, pushing
 * messages and waiting for replies.
 *
 * A flock that must wait and a read of an empty FIFO block a worker each:
 * the other members are served meanwhile, the pool grows, and INTERRUPT
 * (or the member's EXIT) makes the blocked call fail with EINTR, answered
 * once. A RELEASE of a file a blocked request is using defers its close
 * to the end of that request. FORK is applied before the child's first
 * request is served. At the cap, a request waits, and INTERRUPT answers
 * it at once. Idle workers retire. Without a configured cap, more calls
 * block at once than the pool once had workers (64), and the view is
 * still served. A slow close (the "liar" test module) runs in a worker:
 * the messages after its RELEASE are served meanwhile, and a request on
 * the same mount waits for it (vuumount after close is not EBUSY).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/debug_tags.h"
#include "fake_backend.h"
#include "filter.h"
#include "base/log.h"
#include "core/member.h"
#include "host/modmgmt.h"
#include "core/service.h"
#include "serve.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_STR 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000
#define A_OPTS 0x5000

/* A call that must block is given this long to show it did not answer. */
#define BLOCK_MS 300
#define ANSWER_MS 5000

static char m_str[256], m_dst[256], m_type[16] = "vufs";
/* placeholders: the calls under test are served by the pool, not passed through */
static char m_opts[] = "nopassthrough";
static char m_buf[64];
static char src[] = "/tmp/kmview-test-pool.XXXXXX";
static struct fake_backend f;
static pthread_t server;
static int server_ret;

static void *serve_main(void *arg)
{
	(void)arg;
	server_ret = vu_serve(&f.be);
	return NULL;
}

static void start(void)
{
	fake_live(&f);
	pthread_create(&server, NULL, serve_main, NULL);
}

static void stop(void)
{
	fake_close(&f);
	pthread_join(server, NULL);
}

static struct vu_msg msg(pid_t tid, long nr, const char *path, uint64_t vfd)
{
	struct vu_msg m = fake_msg(tid, nr, path);

	if (vfd) {
		m.fd_arg[0] = 0;
		m.vfd[0] = vfd;
	}
	return m;
}

/* Push an fd call on placeholder @h of @tid. */
static uint64_t fpush(pid_t tid, long nr, uint64_t h, uint64_t a1, uint64_t a2)
{
	struct vu_msg m = msg(tid, nr, NULL, h);

	m.args[1] = a1;
	m.args[2] = a2;
	return fake_push(&f, m);
}

static long fcall(pid_t tid, long nr, uint64_t h, uint64_t a1, uint64_t a2)
{
	return fake_wait(&f, fpush(tid, nr, h, a1, a2), ANSWER_MS);
}

static void note(enum vu_msg_type type, pid_t tid, uint64_t unique, uint64_t handle, pid_t child)
{
	struct vu_msg m = { .type = type, .tid = tid, .tgid = tid, .unique = unique,
			    .handle = handle, .child = child };

	fake_push(&f, m);
}

/* Open @path in the view for @tid: the handle of the VFD reply, or 0. */
static uint64_t vopen(pid_t tid, const char *path, int flags)
{
	struct vu_msg m = msg(tid, __NR_open, path, 0);
	uint64_t u, h = 0;

	m.args[1] = (uint64_t)flags;
	u = fake_push(&f, m);
	fake_wait(&f, u, ANSWER_MS);
	pthread_mutex_lock(&f.lock);
	for (size_t i = 0; i < f.nreplies; i++)
		if (f.replies[i].unique == u && f.replies[i].rep.kind == VU_REPLY_VFD)
			h = f.replies[i].rep.handle;
	pthread_mutex_unlock(&f.lock);
	return h;
}

static int replies_to(uint64_t unique)
{
	int n = 0;

	pthread_mutex_lock(&f.lock);
	for (size_t i = 0; i < f.nreplies; i++)
		n += f.replies[i].unique == unique;
	pthread_mutex_unlock(&f.lock);
	return n;
}

static void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* Wait up to @ms for cond to hold; its last value. */
#define within(ms, cond)                                       \
	({                                                     \
		int w_left_ = (ms);                            \
		bool w_ok_;                                    \
		while (!(w_ok_ = (cond)) && w_left_ > 0) {     \
			sleep_ms(10);                          \
			w_left_ -= 10;                         \
		}                                              \
		w_ok_;                                         \
	})

static struct vu_pool_stats stats(void)
{
	struct vu_pool_stats st;

	vu_pool_get_stats(&st);
	return st;
}

static char *real(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", src, name);
	return p;
}

/* Two members and a lock: the waiter blocks alone, then gets it. */
static void test_flock(void)
{
	uint64_t h1, h2, h3, u, u2;
	struct vu_pool_stats st;
	unsigned long cancelled;

	start();
	h1 = vopen(101, "/v/lock", O_RDONLY);
	h2 = vopen(102, "/v/lock", O_RDONLY);
	ok(h1 && h2 && h1 != h2, "two open files of one real file");
	is_long(fcall(101, __NR_flock, h1, LOCK_EX, 0), 0, "member 101 takes the lock");
	u = fpush(102, __NR_flock, h2, LOCK_EX, 0);
	is_long(fake_wait(&f, u, BLOCK_MS), FAKE_NO_REPLY, "member 102 waits for it");
	is_long(fcall(101, __NR_read, h1, A_BUF, 5), 5, "member 101 reads meanwhile");
	is_long(fcall(103, __NR_getpid, 0, 0, 0), FAKE_NATIVE, "member 103 is served meanwhile");
	st = stats();
	ok(st.workers >= 2 && st.busy >= 1, "the pool grew: %u workers, %u busy", st.workers,
	   st.busy);
	is_long(fcall(101, __NR_flock, h1, LOCK_UN, 0), 0, "101 unlocks");
	is_long(fake_wait(&f, u, ANSWER_MS), 0, "102 gets the lock");

	/* INTERRUPT of a call blocked in the module */
	cancelled = stats().cancelled;
	u = fpush(101, __NR_flock, h1, LOCK_EX, 0);
	is_long(fake_wait(&f, u, BLOCK_MS), FAKE_NO_REPLY, "101 waits for the lock 102 holds");
	note(VU_MSG_INTERRUPT, 101, u, 0, 0);
	is_long(fake_wait(&f, u, ANSWER_MS), -EINTR, "INTERRUPT: the waiting flock fails with EINTR");
	sleep_ms(100);
	is_long(replies_to(u), 1, "answered once");
	ok(stats().cancelled > cancelled, "counted as cancelled");
	note(VU_MSG_INTERRUPT, 101, u, 0, 0);
	is_long(fcall(103, __NR_getpid, 0, 0, 0), FAKE_NATIVE,
		"a late INTERRUPT of an answered request is ignored");
	is_long(replies_to(u), 1, "still answered once");

	/* the member exits while its call waits */
	h3 = vopen(104, "/v/lock", O_RDONLY);
	u2 = fpush(104, __NR_flock, h3, LOCK_EX, 0);
	is_long(fake_wait(&f, u2, BLOCK_MS), FAKE_NO_REPLY, "104 waits for the lock");
	note(VU_MSG_EXIT, 104, 0, 0, 0);
	is_long(fake_wait(&f, u2, ANSWER_MS), -EINTR, "EXIT of 104: its call is cancelled");

	is_long(fcall(102, __NR_flock, h2, LOCK_UN, 0), 0, "102 unlocks");
	note(VU_MSG_RELEASE, 101, 0, h1, 0);
	note(VU_MSG_RELEASE, 102, 0, h2, 0);
	note(VU_MSG_RELEASE, 104, 0, h3, 0);
	stop();
	is_long(server_ret, 0, "vu_serve ends when the view is empty");
	is_long(stats().workers, 0, "and every worker is gone");
	is_long(vu_vfd_count(NULL), 0, "every file closed");
}

/* A blocked read on a FIFO, and a RELEASE of its file meanwhile. */
static void test_fifo_release(void)
{
	uint64_t hr, hw, u;

	start();
	hr = vopen(105, "/v/fifo", O_RDWR);
	hw = vopen(106, "/v/fifo", O_RDWR);
	ok(hr && hw, "a FIFO opened twice");
	u = fpush(105, __NR_read, hr, A_BUF, 4);
	is_long(fake_wait(&f, u, BLOCK_MS), FAKE_NO_REPLY, "105 reads the empty FIFO: it waits");
	note(VU_MSG_RELEASE, 105, 0, hr, 0);
	ok(within(ANSWER_MS, vu_vfd_count(NULL) == 1), "RELEASE: the file is no longer open");
	ok(vu_vfd_get(hr) != NULL, "but the blocked read still holds it");
	is_long(fcall(106, __NR_write, hw, A_STR, 4), 4, "106 writes the FIFO");
	is_long(fake_wait(&f, u, ANSWER_MS), 4, "105's read returns it");
	ok(within(ANSWER_MS, vu_vfd_get(hr) == NULL), "the file closes after the read");
	note(VU_MSG_RELEASE, 106, 0, hw, 0);
	stop();
	is_long(vu_vfd_count(NULL), 0, "every file closed");
}

/* FORK is applied by the reader before the child's first request. */
static void test_fork_order(void)
{
	uint64_t mask = 0;
	char line[256];
	FILE *log = tmpfile();
	bool seen = false;
	uint64_t u;

	vu_tags_parse("s", &mask);
	vu_member_set_tags(107, mask);
	vu_log_set_stream(log);
	start();
	note(VU_MSG_FORK, 107, 0, 0, 120);
	u = fake_push(&f, msg(120, __NR_getpid, NULL, 0));
	is_long(fake_wait(&f, u, ANSWER_MS), FAKE_NATIVE, "the child's first call");
	note(VU_MSG_EXIT, 120, 0, 0, 0);
	note(VU_MSG_EXIT, 107, 0, 0, 0);
	stop();
	vu_log_set_stream(NULL);
	rewind(log);
	while (fgets(line, sizeof(line), log))
		if (strstr(line, "[s] tid 120: syscall 39"))
			seen = true;
	fclose(log);
	ok(seen, "was served with the local debug tags it inherited");
	is_long(vu_member_count(), 0, "EXIT forgot both");
}

/* One worker at most: a second request waits; INTERRUPT answers it at once. */
static void test_cap(void)
{
	uint64_t ha, hb, u, u2, u3;
	struct vu_pool_stats st, st2;

	vu_pool_config(1, 200);
	vu_log_set_level(LOG_ERR); /* the cap's warning is expected */
	start();
	ha = vopen(110, "/v/lock", O_RDONLY);
	hb = vopen(111, "/v/lock", O_RDONLY);
	is_long(fcall(110, __NR_flock, ha, LOCK_EX, 0), 0, "110 takes the lock");
	u = fpush(111, __NR_flock, hb, LOCK_EX, 0);
	is_long(fake_wait(&f, u, BLOCK_MS), FAKE_NO_REPLY, "111 waits for it in the only worker");
	/* a call that changes something (here natively: a real path) is a worker's */
	u2 = fake_push(&f, msg(112, __NR_mkdir, "/nonexistent-kmview-test/d", 0));
	is_long(fake_wait(&f, u2, BLOCK_MS), FAKE_NO_REPLY, "at the cap, 112 waits for a worker");
	st = stats();
	ok(st.workers == 1 && st.queued == 1 && st.cap_reached >= 1,
	   "one worker, one request queued, the cap noted (%u, %u, %lu)", st.workers, st.queued,
	   st.cap_reached);
	/* one that only looks, through a module whose lookups never wait: the reader's own */
	struct vu_msg am = msg(113, __NR_access, "/v/lock", 0);

	am.args[1] = F_OK;
	u3 = fake_push(&f, am);
	is_long(fake_wait(&f, u3, ANSWER_MS), 0, "at the cap, an access through vufs is answered");
	is_long(fake_wait(&f, fpush(113, __NR_getpid, 0, 0, 0), ANSWER_MS), FAKE_NATIVE,
		"and so is a getpid (no module)");
	st2 = stats();
	ok(st2.in_reader == st.in_reader + 2 && st2.queued == 1,
	   "both by the reader (%lu), the queued request still queued (%u)",
	   st2.in_reader - st.in_reader, st2.queued);
	note(VU_MSG_INTERRUPT, 112, u2, 0, 0);
	is_long(fake_wait(&f, u2, ANSWER_MS), -EINTR, "INTERRUPT of the queued one: EINTR at once");
	note(VU_MSG_INTERRUPT, 111, u, 0, 0);
	is_long(fake_wait(&f, u, ANSWER_MS), -EINTR, "INTERRUPT of the waiting flock: EINTR");
	is_long(fcall(110, __NR_flock, ha, LOCK_UN, 0), 0, "the worker serves again");
	ok(within(2000, stats().workers == 0), "idle, the worker retires");
	is_long(fcall(110, __NR_getpid, 0, 0, 0), FAKE_NATIVE, "and a new one comes when needed");
	note(VU_MSG_RELEASE, 110, 0, ha, 0);
	note(VU_MSG_RELEASE, 111, 0, hb, 0);
	stop();
	vu_log_set_level(LOG_WARNING);
	vu_pool_config(0, 0);
	is_long(replies_to(u), 1, "each answered once");
	is_long(replies_to(u2), 1, "each answered once");
}

/* Many members at once, each its own calls, nothing lost or doubled. */
/* 100 reads of an empty FIFO block at once: a worker each, and the others are served. */
static void test_many_blocked(void)
{
	enum { N = 100 };
	uint64_t h[N], u[N], hw;
	int answered = 0, opened = 0;
	unsigned long cap = stats().cap_reached;

	vu_pool_config(0, 200);
	start();
	for (int i = 0; i < N; i++)
		opened += (h[i] = vopen(300 + i, "/v/fifo", O_RDWR)) != 0;
	is_long(opened, N, "%d placeholders of one FIFO", N);
	for (int i = 0; i < N; i++)
		u[i] = fpush(300 + i, __NR_read, h[i], A_BUF, 1);
	ok(within(ANSWER_MS, stats().busy == N), "%d reads wait, a worker each", N);
	is_long(fcall(299, __NR_getpid, 0, 0, 0), FAKE_NATIVE, "another member is served meanwhile");
	hw = vopen(299, "/v/fifo", O_RDWR);
	memset(m_str, 'x', N);
	is_long(fcall(299, __NR_write, hw, A_STR, N), N, "%d bytes written to the FIFO", N);
	for (int i = 0; i < N; i++)
		answered += fake_wait(&f, u[i], ANSWER_MS) == 1;
	is_long(answered, N, "each read returns its byte");
	ok(stats().cap_reached == cap, "the limit was never reached (%u)", vu_pool_default_max());
	for (int i = 0; i < N; i++)
		note(VU_MSG_RELEASE, 300 + i, 0, h[i], 0);
	note(VU_MSG_RELEASE, 299, 0, hw, 0);
	stop();
	snprintf(m_str, sizeof(m_str), "ping");
	is_long(vu_vfd_count(NULL), 0, "every file closed");
}

/* A close that takes a second holds up no message, only what must follow it. */
static void test_slow_close(void)
{
	int *close_ms, *closes;
	uint64_t h, u;
	struct timespec t0, t1;
	long ms;

	is_long(vu_module_insert(TEST_LIAR, 0), 0, "the liar loads");
	{
		struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "liar", 0, VU_EPOCH_NOW);

		close_ms = ht ? dlsym(ht->service->dlhandle, "liar_close_ms") : NULL;
		closes = ht ? dlsym(ht->service->dlhandle, "liar_closes") : NULL;
		vuht_drop(ht);
	}
	if (!ok(close_ms && closes, "its knobs are there"))
		return;
	snprintf(m_type, sizeof(m_type), "liar");
	snprintf(m_dst, sizeof(m_dst), "/l");
	vu_pool_config(8, 200);
	start();
	is_long(fake_wait(&f, fake_push_syscall(&f, 400, __NR_mount, A_STR, A_DST, A_TYPE, 0),
			  ANSWER_MS), 0, "mounted at /l");
	*close_ms = 1000;
	h = vopen(400, "/l/f", O_RDONLY);
	ok(h != 0, "a file of it open");
	clock_gettime(CLOCK_MONOTONIC, &t0);
	note(VU_MSG_RELEASE, 400, 0, h, 0);
	is_long(fcall(401, __NR_getpid, 0, 0, 0), FAKE_NATIVE, "a message after the RELEASE");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	ok(ms < 500, "is served while the close takes its second (%ld ms)", ms);
	is_long(*closes, 0, "the close is still under way");
	u = fake_push_syscall(&f, 400, __NR_umount2, A_DST, 0, 0, 0);
	is_long(fake_wait(&f, u, ANSWER_MS), 0, "vuumount right after: not EBUSY, it waits for it");
	is_long(*closes, 1, "the close was done before the umount");
	*close_ms = 0;
	stop();
	snprintf(m_type, sizeof(m_type), "vufs");
	is_long(vu_module_remove("liar"), 0, "the liar goes");
}

static void test_storm(void)
{
	uint64_t u[48];
	int good = 0;

	vu_log_set_level(LOG_ERR); /* the cap may be reached */
	start();
	for (int i = 0; i < 48; i++) {
		struct vu_msg m = msg(200 + i % 12, i % 2 ? __NR_getpid : __NR_stat,
				      i % 2 ? NULL : "/v/lock", 0);

		m.args[1] = A_BUF;
		u[i] = fake_push(&f, m);
	}
	for (int i = 0; i < 48; i++) {
		long r = fake_wait(&f, u[i], ANSWER_MS);

		good += (i % 2 ? r == FAKE_NATIVE : r == 0) && replies_to(u[i]) == 1;
	}
	stop();
	vu_log_set_level(LOG_WARNING);
	is_long(good, 48, "48 requests of 12 members: each answered once, as alone");
}

int main(void)
{
	pid_t member;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	vu_debug_tags_init();
	member = fake_member(022);
	if (member < 0 || !mkdtemp(src))
		return 1;
	int fd = open(real("lock"), O_CREAT | O_WRONLY, 0644);

	if (fd < 0 || write(fd, "hello world", 11) != 11 || mkfifo(real("fifo"), 0600) < 0)
		return 1;
	close(fd);
	fake_init(&f, VU_BE_NOTIFY_FORK | VU_BE_NOTIFY_EXIT);
	fake_map(&f, A_STR, m_str, sizeof(m_str));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	fake_map(&f, A_OPTS, m_opts, sizeof(m_opts));

	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	snprintf(m_str, sizeof(m_str), "%s", src);
	snprintf(m_dst, sizeof(m_dst), "/v");
	is_long(fake_mount(&f, member, A_STR, A_DST, A_TYPE, A_OPTS), 0,
		"mounted at /v, -o nopassthrough");
	snprintf(m_str, sizeof(m_str), "ping");

	vu_pool_config(8, 200);
	test_flock();
	test_fifo_release();
	test_fork_order();
	test_cap();
	vu_pool_config(8, 200);
	test_storm();
	test_many_blocked();
	test_slow_close();
	is_long(f.protocol_errors, 0, "the backend rules were kept throughout");

	snprintf(m_dst, sizeof(m_dst), "/v");
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0, "unmounted");
	is_long(vu_module_remove("vufs"), 0, "vufs goes");
	vu_filter_reset();
	unlink(real("lock"));
	unlink(real("fifo"));
	rmdir(src);
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_calls.c - the attribute, link and vector calls through the real
 * vufs.so on a temporary directory: each must change the real file as the
 * system call would, and the vector calls must gather and scatter the
 * member's segments.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fake_backend.h"
#include "base/log.h"
#include "filter.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_STR 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_IOV 0x4000
#define A_B1 0x5000
#define A_B2 0x6000
#define A_B3 0x7000
#define A_BUF 0x8000
#define A_OPTS 0xb000

static char m_str[256], m_dst[256], m_type[16] = "vufs";
static struct iovec m_iov[3];
static char m_b1[4], m_b2[4], m_b3[16];
static char m_buf[512];
static char m_opts[64];
static char src[] = "/tmp/kmview-test-calls.XXXXXX";
static struct fake_backend f;
/* The member: a child with its own umask (the daemon reads it from /proc). */
static pid_t member;

static struct vu_msg msg(long nr, const char *path)
{
	return fake_msg(member, nr, path);
}

static long run(struct vu_msg m)
{
	return fake_serve(&f, m);
}

/* A path call with arguments a1, a2 after the path. */
static long pcall(long nr, const char *path, uint64_t a1, uint64_t a2)
{
	struct vu_msg m = msg(nr, path);

	m.args[1] = a1;
	m.args[2] = a2;
	return run(m);
}

/* An fd call on placeholder @h. */
static long fcall(long nr, uint64_t h, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct vu_msg m = msg(nr, NULL);

	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = a1;
	m.args[2] = a2;
	m.args[3] = a3;
	return run(m);
}

static uint64_t vopen(const char *path, int flags)
{
	struct vu_msg m = msg(__NR_open, path);
	uint64_t u;

	m.args[1] = (uint64_t)flags;
	u = fake_push(&f, m);
	fake_run(&f);
	for (size_t i = 0; i < f.nreplies; i++)
		if (f.replies[i].unique == u && f.replies[i].rep.kind == VU_REPLY_VFD)
			return f.replies[i].rep.handle;
	return 0;
}

static char *real(const char *name);
static long size_of(const char *name);

/* Mount the source at @dst with @flags and the options @opts (NULL: none). */
static long vmount(const char *dst, unsigned long flags, const char *opts)
{
	struct vu_msg m = msg(__NR_mount, NULL);

	snprintf(m_str, sizeof(m_str), "%s", src);
	snprintf(m_dst, sizeof(m_dst), "%s", dst);
	snprintf(m_opts, sizeof(m_opts), "%s", opts ? opts : "");
	m.args[0] = A_STR;
	m.args[1] = A_DST;
	m.args[2] = A_TYPE;
	m.args[3] = flags;
	m.args[4] = opts ? A_OPTS : 0;
	return run(m);
}

/* Open @path: the reply of the last run is in f.replies[0]. */
static const struct vu_reply *vopen_reply(const char *path, int flags)
{
	struct vu_msg m = msg(__NR_open, path);

	m.args[1] = (uint64_t)flags;
	run(m);
	return f.nreplies == 1 ? &f.replies[0].rep : NULL;
}

/* File descriptors the daemon (this process) has open. */
static int nfds(void)
{
	int n = 0;

	for (int fd = 0; fd < 1024; fd++)
		n += fcntl(fd, F_GETFD) >= 0;
	return n;
}

/*
 * Fd passthrough: vufs sets VU_MODULE_FDPASS, so a regular file opened
 * in a mount without "nopassthrough" is handed over as the real file,
 * and nothing of it stays in the daemon.
 */
static void test_passthrough(void)
{
	const struct vu_reply *r;
	struct stat st, real_st;
	int before = nfds(), fd;

	is_long(vmount("/p", 0, NULL), 0, "a second mount, without nopassthrough");
	r = vopen_reply("/p/f", O_RDWR);
	fd = f.replies[0].file;
	ok(r && r->kind == VU_REPLY_FILE, "a regular file is passed through (FILE)");
	ok(fd >= 0 && fstat(fd, &st) == 0 && stat(real("f"), &real_st) == 0 &&
	   st.st_ino == real_st.st_ino && st.st_dev == real_st.st_dev,
	   "the member gets the real file");
	is_long(r ? r->open_flags : -1, 0, "not close-on-exec unless asked");
	is_long(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_RDWR, "opened as asked");
	is_long(vu_vfd_count(NULL), 0, "no placeholder is kept");
	close(fd);
	is_long(nfds(), before, "the module's file and the duplicate are closed");

	r = vopen_reply("/p/f", O_WRONLY | O_APPEND | O_CLOEXEC);
	fd = f.replies[0].file;
	is_long(r ? r->open_flags : -1, O_CLOEXEC, "O_CLOEXEC goes to the member's fd");
	is_long(fcntl(fd, F_GETFL) & (O_ACCMODE | O_APPEND), O_WRONLY | O_APPEND,
		"O_APPEND is the file's");
	r = vopen_reply("/p/f", O_PATH);
	ok(r && r->kind == VU_REPLY_VFD, "an O_PATH open stays a placeholder");
	if (r && r->kind == VU_REPLY_VFD)
		vu_vfd_release(r->handle);
	r = vopen_reply("/p", O_RDONLY | O_DIRECTORY);
	ok(r && r->kind == VU_REPLY_VFD, "a directory stays a placeholder");
	if (r && r->kind == VU_REPLY_VFD)
		vu_vfd_release(r->handle);
	/* a module's open that keeps an fdprivate keeps the file virtual */
	is_long(vmount("/c", 0, "cow"), 0, "a vufs cow mount");
	r = vopen_reply("/c/f", O_RDONLY);
	ok(r && r->kind == VU_REPLY_FILE, "cow: a file opened to read is passed through");
	if (r && r->kind == VU_REPLY_FILE)
		close(f.replies[0].file);
	r = vopen_reply("/c/f", O_WRONLY);
	ok(r && r->kind == VU_REPLY_VFD, "cow: opened to write (an fdprivate) it stays virtual");
	if (r && r->kind == VU_REPLY_VFD)
		vu_vfd_release(r->handle);
	snprintf(m_dst, sizeof(m_dst), "/c");
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0, "the cow mount goes");
	is_long(vmount("/r", MS_RDONLY, NULL), 0, "a read-only mount");
	r = vopen_reply("/r/f", O_RDONLY);
	ok(r && r->kind == VU_REPLY_VFD, "keeps its files virtual");
	if (r && r->kind == VU_REPLY_VFD)
		vu_vfd_release(r->handle);
	snprintf(m_dst, sizeof(m_dst), "/p");
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0,
		"a passed file does not keep the mount busy");
	snprintf(m_dst, sizeof(m_dst), "/r");
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0, "unmounted");
	ok(write(fd, "!", 1) == 1 && size_of("f") == 3, "and the file still writes, appending");
	close(fd);
	is_long(nfds(), before, "nothing left open");
}

static char *real(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", src, name);
	return p;
}

static long mode_of(const char *name)
{
	struct stat st;

	return lstat(real(name), &st) < 0 ? -errno : (long)st.st_mode;
}

static long size_of(const char *name)
{
	struct stat st;

	return lstat(real(name), &st) < 0 ? -errno : (long)st.st_size;
}

/*
 * The member may close a new placeholder before the daemon sets its
 * readiness (KMVIEW_IOC_VFD_POLL then says ENOENT): its RELEASE follows,
 * nothing went wrong, and no error is logged (the bench printed one).
 */
static void test_closed_before_ready(void)
{
	char log[4096] = "";
	FILE *out = tmpfile();
	uint64_t h;

	vu_log_set_stream(out);
	f.poll_error = ENOENT;
	h = vopen("/v/f", O_RDONLY);
	vu_log_set_stream(NULL);
	ok(h != 0, "a placeholder closed before its readiness was set: the open succeeded");
	if (out) {
		rewind(out);
		log[fread(log, 1, sizeof(log) - 1, out)] = '\0';
		fclose(out);
	}
	ok(out && !strstr(log, "readiness"), "and nothing is logged");
	if (strstr(log, "readiness"))
		printf("# logged: %s", log);
	vu_vfd_release(h);
	f.poll_error = EINVAL;
	out = tmpfile();
	vu_log_set_stream(out);
	h = vopen("/v/f", O_RDONLY);
	vu_log_set_stream(NULL);
	if (out) {
		rewind(out);
		log[fread(log, 1, sizeof(log) - 1, out)] = '\0';
		fclose(out);
	}
	ok(strstr(log, "cannot set its readiness"), "another error still is");
	vu_vfd_release(h);
}

int main(void)
{
	struct stat st;
	char lbuf[64];
	ssize_t n;
	int fd;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	member = fake_member(027);
	if (member < 0 || !mkdtemp(src))
		return 1;
	usleep(100000); /* let the child set its umask */
	fd = open(real("f"), O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "hello world", 11) != 11)
		return 1;
	close(fd);
	fake_init(&f, 0);
	fake_map(&f, A_STR, m_str, sizeof(m_str));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_IOV, m_iov, sizeof(m_iov));
	fake_map(&f, A_B1, m_b1, sizeof(m_b1));
	fake_map(&f, A_B2, m_b2, sizeof(m_b2));
	fake_map(&f, A_B3, m_b3, sizeof(m_b3));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));

	fake_map(&f, A_OPTS, m_opts, sizeof(m_opts));

	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	/* the fd calls below are the daemon's: files stay placeholders */
	is_long(vmount("/v", 0, "nopassthrough"), 0, "mounted at /v, nopassthrough");

	is_long(pcall(__NR_chmod, "/v/f", 0600, 0), 0, "chmod");
	is_long(mode_of("f") & 07777, 0600, "the real file has the mode");
	{
		struct vu_msg m = msg(__NR_utimensat, "/v/f");
		struct timespec ts[2] = { { 1, 0 }, { 2, 0 } };

		memcpy(m_buf, ts, sizeof(ts));
		m.fd_arg[0] = 0;
		m.args[0] = (uint64_t)(long)AT_FDCWD;
		m.args[2] = A_BUF;
		is_long(run(m), 0, "utimensat");
		ok(lstat(real("f"), &st) == 0 && st.st_mtime == 2 && st.st_atime == 1,
		   "the real file has the times");
	}
	{
		struct timeval tv[2] = { { 3, 0 }, { 4, 500000 } };
		struct utimbuf { time_t actime, modtime; } ub = { 5, 6 };

		memcpy(m_buf, tv, sizeof(tv));
		is_long(pcall(__NR_utimes, "/v/f", A_BUF, 0), 0, "utimes");
		ok(lstat(real("f"), &st) == 0 && st.st_mtime == 4 && st.st_mtim.tv_nsec == 500000000,
		   "the real file has the times, microseconds converted");
		tv[1].tv_usec = 1000000;
		memcpy(m_buf, tv, sizeof(tv));
		is_long(pcall(__NR_utimes, "/v/f", A_BUF, 0), -EINVAL, "utimes, a bad tv_usec: EINVAL");
		memcpy(m_buf, &ub, sizeof(ub));
		is_long(pcall(__NR_utime, "/v/f", A_BUF, 0), 0, "utime");
		ok(lstat(real("f"), &st) == 0 && st.st_mtime == 6 && st.st_atime == 5,
		   "the real file has the times");
		is_long(pcall(__NR_utime, "/v/f", 0, 0), 0, "utime with NULL: now");
		ok(lstat(real("f"), &st) == 0 && st.st_mtime > 6, "the real file is touched");
	}
	is_long(pcall(__NR_truncate, "/v/f", 5, 0), 0, "truncate");
	is_long(size_of("f"), 5, "the real file has the size");
	is_long(pcall(__NR_truncate, "/v/f", (uint64_t)-1, 0), -EINVAL, "a negative length: EINVAL");

	snprintf(m_str, sizeof(m_str), "some/target");
	{
		struct vu_msg m = msg(__NR_symlink, "/v/l");

		m.path_arg[0] = 1;
		m.args[0] = A_STR;
		is_long(run(m), 0, "symlink");
	}
	n = readlink(real("l"), lbuf, sizeof(lbuf) - 1);
	lbuf[n > 0 ? n : 0] = '\0';
	is_str(lbuf, "some/target", "the real link has the target, untranslated");
	{
		struct vu_msg m = msg(__NR_link, "/v/f");

		m.path[1] = "/v/g";
		m.path_arg[1] = 1;
		is_long(run(m), 0, "link");
		ok(lstat(real("g"), &st) == 0 && st.st_nlink == 2, "the real file has two links");
		m.path[1] = "/elsewhere/g";
		is_long(run(m), -EXDEV, "a link out of the mount: EXDEV");
	}
	{
		struct vu_msg m = msg(452 /* fchmodat2 */, "/v/l");

		m.fd_arg[0] = 0;
		m.args[0] = (uint64_t)(long)AT_FDCWD;
		m.args[2] = 0600;
		m.args[3] = AT_SYMLINK_NOFOLLOW;
		is_long(run(m), -EOPNOTSUPP, "fchmodat2 AT_SYMLINK_NOFOLLOW on a symlink: EOPNOTSUPP");
		m.path[0] = "/v/f";
		is_long(run(m), 0, "on a file: served");
		m.args[3] = 0x8000;
		is_long(run(m), -EINVAL, "unknown flags: EINVAL");
		m.path[0] = NULL;
		is_long(run(m), FAKE_NATIVE, "no path copied (a kernel without it): native, ENOSYS");
	}
	is_long(pcall(__NR_mknod, "/v/p", S_IFIFO | 0666, 0), 0, "mknod of a fifo");
	is_long(mode_of("p"), S_IFIFO | 0640, "a fifo, its mode masked by the member's umask");

	uint64_t h = vopen("/v/f", O_RDWR);

	ok(h != 0, "open gives a placeholder");
	m_iov[0] = (struct iovec){ (void *)A_B1, 2 };
	m_iov[1] = (struct iovec){ (void *)A_B2, 0 };
	m_iov[2] = (struct iovec){ (void *)A_B3, 10 };
	is_long(fcall(__NR_readv, h, A_IOV, 3, 0), 5, "readv of three segments");
	ok(memcmp(m_b1, "he", 2) == 0 && memcmp(m_b3, "llo", 3) == 0, "scattered in order");
	memcpy(m_b1, "XY", 2);
	memcpy(m_b3, "Z", 1);
	m_iov[2].iov_len = 1;
	is_long(fcall(__NR_pwritev, h, A_IOV, 3, 1), 3, "pwritev at offset 1");
	fd = open(real("f"), O_RDONLY);
	n = read(fd, lbuf, sizeof(lbuf));
	close(fd);
	ok(n == 5 && memcmp(lbuf, "hXYZo", 5) == 0, "gathered in order, at the offset");
	is_long(fcall(__NR_readv, h, A_IOV, 2000, 0), -EINVAL, "more than 1024 segments: EINVAL");
	is_long(fcall(__NR_readv, h, A_BUF + 4096, 3, 0), -EFAULT, "an unreadable vector: EFAULT");
	is_long(fcall(__NR_fallocate, h, 0, 0, 4096), 0, "fallocate");
	is_long(size_of("f"), 4096, "the real file grows");
	is_long(fcall(__NR_fsync, h, 0, 0, 0), 0, "fsync");
	is_long(fcall(__NR_fdatasync, h, 0, 0, 0), 0, "fdatasync");
	is_long(fcall(__NR_ftruncate, h, 2, 0, 0), 0, "ftruncate");
	is_long(size_of("f"), 2, "the real file has the size");
	is_long(fcall(__NR_fchmod, h, 0640, 0, 0), 0, "fchmod");
	is_long(mode_of("f") & 07777, 0640, "the real file has the mode");
	is_long(fcall(__NR_fchown, h, (uint64_t)-1, (uint64_t)-1, 0), 0, "fchown to -1, -1");
	is_long(fcall(__NR_fstatfs, h, A_BUF, 0, 0), 0, "fstatfs");
	is_long(pcall(__NR_statfs, "/v", A_BUF, 0), 0, "statfs");
	{
		/* as on the real file: a file system without user xattrs says ENOTSUP */
		long native = setxattr(real("f"), "user.kmview", "1", 1, 0) < 0 ? -errno : 0;
		struct vu_msg m = msg(__NR_setxattr, "/v/f");
		char v[16];

		removexattr(real("f"), "user.kmview");
		snprintf(m_str, sizeof(m_str), "user.kmview");
		memcpy(m_buf, "value", 5);
		m.args[1] = A_STR;
		m.args[2] = A_BUF;
		m.args[3] = 5;
		is_long(run(m), native, "setxattr as on the real file");
		ok(native < 0 || (getxattr(real("f"), "user.kmview", v, sizeof(v)) == 5 &&
				  memcmp(v, "value", 5) == 0), "the real file has the attribute");
		m.args[4] = XATTR_CREATE;
		is_long(run(m), native < 0 ? native : -EEXIST, "XATTR_CREATE of an existing one");
		m = msg(__NR_lremovexattr, "/v/f");
		m.args[1] = A_STR;
		is_long(run(m), native, "lremovexattr");
		is_long(run(m), native < 0 ? native : -ENODATA, "twice: ENODATA");
	}
	is_long(fcall(__NR_flock, h, LOCK_EX, 0, 0), 0, "flock LOCK_EX");

	uint64_t h2 = vopen("/v/f", O_RDONLY);

	is_long(fcall(__NR_flock, h2, LOCK_EX | LOCK_NB, 0, 0), -EWOULDBLOCK,
		"another open file, LOCK_NB: EWOULDBLOCK");
	is_long(fcall(__NR_flock, h, LOCK_UN, 0, 0), 0, "LOCK_UN");
	is_long(fcall(__NR_flock, h2, LOCK_EX, 0, 0), 0,
		"a blocking LOCK_EX reaches the module as asked (test_pool: it may wait)");
	is_long(fcall(__NR_fcntl, h2, F_SETFL, O_NONBLOCK, 0), FAKE_NATIVE,
		"F_SETFL: the module's fd, then the placeholder natively");
	is_long(f.protocol_errors, 0, "one reply per request");

	vu_vfd_release(h);
	vu_vfd_release(h2);
	test_closed_before_ready();
	test_passthrough();
	snprintf(m_dst, sizeof(m_dst), "/v");
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0, "unmounted");
	is_long(vu_module_remove("vufs"), 0, "vufs goes");
	vu_filter_reset();
	unlink(real("f"));
	unlink(real("g"));
	unlink(real("l"));
	unlink(real("p"));
	rmdir(src);
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_cwd.c - the virtual cwd: chdir, fchdir and getcwd through the real
 * vufs.so mounted at /v on a temporary directory, relative paths resolved
 * in it, the cwd shared by CLONE_FS and copied by fork, and the way back
 * to a real directory.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fake_backend.h"
#include "filter.h"
#include "core/member.h"
#include "host/modmgmt.h"
#include "tap.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_STR 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x8000

static char m_str[256], m_dst[256], m_type[16] = "vufs";
static char m_buf[512];
static char src[] = "/tmp/kmview-test-cwd.XXXXXX";
static struct fake_backend f;
static pid_t member;

static struct vu_msg msg(pid_t tid, long nr, const char *path)
{
	return fake_msg(tid, nr, path);
}

/* Serve @m; the reply is f.replies[0]. */
static long run(struct vu_msg m)
{
	return fake_serve(&f, m);
}

static long chdir_(pid_t tid, const char *path)
{
	return run(msg(tid, __NR_chdir, path));
}

static long getcwd_(pid_t tid, size_t size)
{
	struct vu_msg m = msg(tid, __NR_getcwd, NULL);

	memset(m_buf, 0, sizeof(m_buf));
	m.args[0] = A_BUF;
	m.args[1] = size;
	return run(m);
}

static unsigned int cwd_flag(void)
{
	return f.nreplies == 1 ? f.replies[0].rep.cwd : 0xff;
}

static void note(enum vu_msg_type type, pid_t tid, pid_t child, uint64_t flags)
{
	struct vu_msg m = { .type = type, .tid = tid, .child = child, .clone_flags = flags };

	fake_push(&f, m);
	fake_run(&f);
}

int main(void)
{
	char path[512];
	struct vu_msg m;
	uint64_t h;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	member = fake_member(022);
	if (member < 0 || !mkdtemp(src))
		return 1;
	snprintf(path, sizeof(path), "%s/d", src);
	if (mkdir(path, 0755) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/d/x", src);
	if (close(open(path, O_CREAT | O_WRONLY, 0644)) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/abs", src);
	if (symlink("/d", path) < 0)
		return 1;
	fake_init(&f, VU_BE_NOTIFY_FORK | VU_BE_NOTIFY_EXIT);
	fake_map(&f, A_STR, m_str, sizeof(m_str));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));

	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	snprintf(m_str, sizeof(m_str), "%s", src);
	snprintf(m_dst, sizeof(m_dst), "/v");
	is_long(fake_call(&f, member, __NR_mount, A_STR, A_DST, A_TYPE, 0), 0, "mounted at /v");

	is_long(getcwd_(member, sizeof(m_buf)), FAKE_NATIVE, "getcwd with a real cwd: native");
	is_long(chdir_(member, "/v/d/x"), -ENOTDIR, "chdir to a virtual file: ENOTDIR");
	is_long(chdir_(member, "/v/nope"), -ENOENT, "to a missing one: ENOENT");
	is_long(cwd_flag(), 0, "the cwd stays real");
	is_long(chdir_(member, "/v/d"), 0, "chdir into the virtual tree");
	is_long(cwd_flag(), VU_CWD_VIRTUAL, "the kernel is told the cwd is virtual");
	is_long(getcwd_(member, sizeof(m_buf)), 5, "getcwd: the length, NUL included");
	is_str(m_buf, "/v/d", "and the virtual path");
	is_long(getcwd_(member, 4), -ERANGE, "a short buffer: ERANGE");

	m = msg(member, __NR_stat, "x");
	m.args[1] = A_BUF;
	is_long(run(m), 0, "stat of a relative path: served in the virtual cwd");
	m = msg(member, __NR_open, "x");
	m.args[1] = O_PATH; /* a placeholder: vufs would pass a regular file through */
	is_long(run(m), 0, "open of a relative path");
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_VFD, "gives a virtual file");
	h = f.replies[0].rep.handle;
	ok(f.ready_handle == h && f.ready_events == (EPOLLIN | EPOLLOUT | EPOLLRDNORM | EPOLLWRNORM),
	   "always ready for poll, as a regular file");
	run(msg(member, __NR_access, "../../etc/passwd"));
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_REWRITE &&
		   strcmp(f.replies[0].rep.path, "/etc/passwd") == 0,
	   "a relative path out of the mount: real, made absolute for the kernel");

	snprintf(m_dst, sizeof(m_dst), "/v");
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), -EBUSY,
		"umount of the cwd's mount: EBUSY");

	/* a thread shares the cwd, a process gets a copy */
	note(VU_MSG_FORK, member, 9001, CLONE_FS | CLONE_THREAD | CLONE_VM);
	note(VU_MSG_FORK, member, 9002, 0);
	getcwd_(9001, sizeof(m_buf));
	is_str(m_buf, "/v/d", "a CLONE_FS thread has the cwd");
	getcwd_(9002, sizeof(m_buf));
	is_str(m_buf, "/v/d", "a forked child too");
	is_long(chdir_(9001, ".."), 0, "the thread goes up");
	getcwd_(member, sizeof(m_buf));
	is_str(m_buf, "/v", "and so does the process sharing its cwd");
	getcwd_(9002, sizeof(m_buf));
	is_str(m_buf, "/v/d", "but not the forked child");

	/* fchdir to a virtual directory */
	m = msg(9002, __NR_open, "/v/d");
	m.args[1] = O_RDONLY | O_DIRECTORY;
	run(m);
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_VFD, "a virtual directory opened");
	uint64_t hd = f.replies[0].rep.handle;

	chdir_(9002, "/tmp");
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_REWRITE &&
		   f.replies[0].rep.cwd == VU_CWD_REAL,
	   "back to a real directory: natively, the kernel told the cwd is real");
	is_long(getcwd_(9002, sizeof(m_buf)), FAKE_NATIVE, "getcwd is native again");
	m = msg(9002, __NR_fchdir, NULL);
	m.fd_arg[0] = 0;
	m.vfd[0] = hd;
	is_long(run(m), 0, "fchdir to the virtual directory");
	is_long(cwd_flag(), VU_CWD_VIRTUAL, "virtual again");
	getcwd_(9002, sizeof(m_buf));
	is_str(m_buf, "/v/d", "at the directory's path");
	m.vfd[0] = h;
	is_long(run(m), -ENOTDIR, "fchdir to a virtual file: ENOTDIR");
	is_long(chdir_(9002, "/nonexistent-dir"), -ENOENT,
		"leaving for a missing real directory fails before the kernel runs it");
	getcwd_(9002, sizeof(m_buf));
	is_str(m_buf, "/v/d", "and the cwd stays");

	/* chroot: into the virtual tree, then into a real directory */
	note(VU_MSG_FORK, member, 9003, 0);
	is_long(f.strict_paths, 0, "no chroot: the kernel filters paths by prefix");
	is_long(run(msg(9003, __NR_chroot, "/v/d/x")), -ENOTDIR, "chroot to a file: ENOTDIR");
	is_long(run(msg(9003, __NR_chroot, "/v")), 0, "chroot into the virtual tree");
	ok(f.strict_paths && cwd_flag() == VU_CWD_VIRTUAL,
	   "every path call is forwarded now, and getcwd");
	getcwd_(9003, sizeof(m_buf));
	is_str(m_buf, "/", "the cwd /v is / in the chroot");
	m = msg(9003, __NR_stat, "/d/x");
	m.args[1] = A_BUF;
	is_long(run(m), 0, "an absolute path is under the root: /d/x is /v/d/x");
	m.path[0] = "/../../d/x";
	is_long(run(m), 0, "\"..\" stops at the root");
	m.path[0] = "/abs/x";
	is_long(run(m), 0, "an absolute symlink target is under the root too");
	run(msg(9003, __NR_access, "/etc"));
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_RETURN &&
		   f.replies[0].rep.retval == -ENOENT,
	   "/etc is /v/etc, which does not exist");
	is_long(chdir_(9003, "/d"), 0, "chdir in the chroot");
	getcwd_(9003, sizeof(m_buf));
	is_str(m_buf, "/d", "getcwd is relative to the root");
	note(VU_MSG_FORK, 9003, 9004, 0);
	getcwd_(9004, sizeof(m_buf));
	is_str(m_buf, "/d", "a child is in the chroot too");
	is_long(run(msg(9004, __NR_chroot, "/")), 0, "chroot / in a chroot");
	run(msg(9004, __NR_access, "/d/x"));
	is_long(fake_result(&f, f.replies[0].unique), 0, "stays where it is");
	note(VU_MSG_EXIT, 9003, 0, 0);
	note(VU_MSG_EXIT, 9004, 0, 0);
	note(VU_MSG_FORK, member, 9005, 0);
	is_long(run(msg(9005, __NR_chroot, src)), 0, "a chroot into a real directory");
	getcwd_(9005, sizeof(m_buf));
	ok(strncmp(m_buf, "(unreachable)", 13) == 0, "the cwd outside the root is unreachable");
	chdir_(9005, "/");
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_REWRITE &&
		   strcmp(f.replies[0].rep.path, src) == 0 && f.replies[0].rep.cwd == 0,
	   "chdir / runs natively on the real root, the cwd stays the daemon's");
	getcwd_(9005, sizeof(m_buf));
	is_str(m_buf, "/", "getcwd: /");
	run(msg(9005, __NR_open, "/d/x"));
	snprintf(path, sizeof(path), "%s/d/x", src);
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_REWRITE &&
		   strcmp(f.replies[0].rep.path, path) == 0,
	   "an absolute real path is rewritten under the root");
	note(VU_MSG_EXIT, 9005, 0, 0);
	is_long(fake_call(&f, member, __NR_getppid, 0, 0, 0, 0), FAKE_NATIVE,
		"a call after the last chroot left");
	is_long(f.strict_paths, 0, "the filter is by prefix again");

	note(VU_MSG_EXIT, 9001, 0, 0);
	note(VU_MSG_EXIT, 9002, 0, 0);
	chdir_(member, "/");
	ok(f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_REWRITE && cwd_flag() == VU_CWD_REAL,
	   "the last member leaves the tree: real again");
	is_long(run(msg(member, __NR_stat, "x")), FAKE_NATIVE, "relative paths are real again");
	vu_vfd_release(h);
	vu_vfd_release(hd);
	is_long(fake_call(&f, member, __NR_umount2, A_DST, 0, 0, 0), 0, "now umount works");
	note(VU_MSG_EXIT, member, 0, 0);
	is_long((long)vu_member_count(), 0, "no member state left");
	is_long(f.protocol_errors, 0, "one reply per request");
	is_long(vu_module_remove("vufs"), 0, "vufs goes");
	vu_filter_reset();
	snprintf(path, sizeof(path), "%s/d/x", src);
	unlink(path);
	snprintf(path, sizeof(path), "%s/d", src);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/abs", src);
	unlink(path);
	rmdir(src);
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_exec.c - where the copies of virtual programs go (sc/exec.c,
 * exec_dir.c): never into a directory another user could have planted or
 * can change (the old predictable /tmp/kmview-exec-<pid>, a runtime dir
 * with a loose mode or another owner, or under a loose ancestor), always
 * into a fresh 0700 directory of the daemon's; and a copy unused for the
 * idle time is removed.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/exec_dir.h"
#include "fake_backend.h"
#include "host/modmgmt.h"
#include "sc/handlers.h"
#include "tap.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000

static char m_src[256], m_dst[64] = "/x", m_type[16] = "vufs";
static char top[] = "/tmp/kmview-test-exec.XXXXXX";
static struct fake_backend f;
static char copy[PATH_MAX];

/* Exec /x/@name: 0 and the copy's path in copy[], or the call's result. */
static long vexec(const char *name)
{
	char path[64];
	struct vu_msg m;
	long ret;

	snprintf(path, sizeof(path), "/x/%s", name);
	m = fake_msg(1, __NR_execve, path);
	ret = fake_serve(&f, m);
	copy[0] = '\0';
	if (f.nreplies == 1 && f.replies[0].rep.kind == VU_REPLY_REWRITE && f.replies[0].rep.path) {
		snprintf(copy, sizeof(copy), "%s", f.replies[0].rep.path);
		return 0;
	}
	return ret;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

/* The directory of the exec copies, from a copy's path .../kmview-exec-XXXXXX/x<n>/name. */
static void copy_dir(char *out, size_t size)
{
	char *p;

	snprintf(out, size, "%s", copy);
	for (int i = 0; i < 2 && (p = strrchr(out, '/')); i++)
		*p = '\0';
}

static void check_private(const char *what)
{
	char dir[PATH_MAX];
	struct stat st;

	copy_dir(dir, sizeof(dir));
	ok(lstat(dir, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() &&
		   (st.st_mode & 07777) == 0700 && strstr(dir, "/kmview-exec-"),
	   "%s: the copy is in a fresh 0700 directory of ours (%s)", what, dir);
}

/* A runtime dir that must not be used: the copy goes to /tmp instead. */
static void refused(const char *xdg, const char *what)
{
	vu_exec_forget();
	setenv("XDG_RUNTIME_DIR", xdg, 1);
	is_long(vexec("prog"), 0, "%s: exec still works", what);
	ok(!under(copy, xdg) && under(copy, "/tmp"), "%s: not used (%s)", what, copy);
	check_private(what);
}

int main(void)
{
	char planted[64], path[PATH_MAX + 16], first[PATH_MAX];
	int fd;

	setenv("KMVIEW_MODULE_PATH", TEST_MODULE_DIR, 1);
	unsetenv("TMPDIR");
	if (!mkdtemp(top))
		return 1;
	snprintf(m_src, sizeof(m_src), "%s/src", top);
	mkdir(m_src, 0755);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", m_src, i ? "other" : "prog");
		fd = open(path, O_CREAT | O_WRONLY, 0755);
		if (fd < 0 || write(fd, "#!/bin/sh\necho hi\n", 18) != 18)
			return 1;
		close(fd);
	}
	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	is_long(vu_module_insert("vufs", 0), 0, "vufs loads");
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "mounted at /x");

	/* what another user could plant: the name the daemon used to take on EEXIST */
	snprintf(planted, sizeof(planted), "/tmp/kmview-exec-%d", (int)getpid());
	mkdir(planted, 0777);
	unsetenv("XDG_RUNTIME_DIR");
	is_long(vexec("prog"), 0, "exec of a virtual program: a copy");
	ok(!under(copy, planted), "the predictable %s is not used (%s)", planted, copy);
	check_private("no runtime dir");
	rmdir(planted);

	snprintf(path, sizeof(path), "%s/loose", top);
	mkdir(path, 0700);
	chmod(path, 0777);
	refused(path, "a runtime dir of mode 0777");
	snprintf(path, sizeof(path), "%s/loose/sub", top);
	mkdir(path, 0700);
	refused(path, "a 0700 runtime dir under a 0777 one");
	snprintf(path, sizeof(path), "%s/theirs", top);
	mkdir(path, 0700);
	if (geteuid() == 0 && chown(path, 65534, 65534) == 0)
		refused(path, "a runtime dir of another user");
	else
		ok(1, "# SKIP a runtime dir of another user: needs root");

	vu_exec_forget();
	snprintf(path, sizeof(path), "%s/mine", top);
	mkdir(path, 0700);
	setenv("XDG_RUNTIME_DIR", path, 1);
	is_long(vexec("prog"), 0, "a private runtime dir: exec works");
	ok(under(copy, path), "the copy is in it (%s)", copy);
	check_private("a private runtime dir");
	ok(access(copy, X_OK) == 0, "the copy is there, executable");

	/* removal: a copy nobody was handed for the idle time goes at the next copy */
	snprintf(first, sizeof(first), "%s", copy);
	is_long(vexec("other"), 0, "another program");
	ok(access(first, F_OK) == 0, "the first copy stays while recent");
	is_long(vexec("prog"), 0, "the first again");
	is_str(copy, first, "its copy is used again");
	vu_exec_set_idle(0);
	is_long(vexec("other"), 0, "with no idle time, another copy");
	ok(access(first, F_OK) < 0 && errno == ENOENT, "the unused copy is removed");
	vu_exec_set_idle(60000);
	copy_dir(first, sizeof(first));
	vu_exec_forget();
	ok(access(first, F_OK) < 0, "at exit the directory goes");

	is_long(f.protocol_errors, 0, "no protocol error");
	snprintf(m_dst, sizeof(m_dst), "/x");
	fake_call(&f, 1, __NR_umount2, A_DST, 0, 0, 0);
	vu_module_remove("vufs");
	snprintf(path, sizeof(path), "rm -rf '%s'", top);
	if (system(path) != 0)
		return 1;
	return tap_done();
}

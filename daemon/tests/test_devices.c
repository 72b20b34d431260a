// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_devices.c - the dispatch by device number, ioctl request and
 * binary format (VUOS's CHECKCHRDEVICE, CHECKBLKDEVICE, CHECKIOCTL,
 * CHECKBINFMT), with the "tdev" test module (mod_tdev.c):
 * - a char or block node whose number a device entry claims is served by
 *   that entry, with its whole path, both a module's node and a real one
 *   (/dev/null, 1:3), following a final symlink only when the call does;
 *   wildcard device entries ask their confirm function with the dev_t;
 *   vu_mod_getmode says the node's mode;
 * - ioctl on a placeholder and on a real fd claimed by request: VUOS's
 *   probe with the fd's private data, the argument copied in or out as
 *   the probe says (the module's sense) or as the request encodes it;
 *   unclaimed requests run natively;
 * - exec of a file a binfmt entry claims runs its interpreter with the
 *   file as argument (test_binfmt).
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <signal.h>
#include <stdbool.h>
#include <unistd.h>

#include "fake_backend.h"
#include "host/modmgmt.h"
#include "sc/handlers.h"
#include "tap.h"
#include "core/service.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define A_SRC 0x1000
#define A_DST 0x2000
#define A_TYPE 0x3000
#define A_BUF 0x4000

static char m_src[16] = "none", m_dst[64] = "/t", m_type[16] = "tdev";
static char m_buf[4096];
static struct fake_backend f;
static struct vu_service_t *tdev;
static char tmp[] = "/tmp/kmview-test-devices.XXXXXX";

static void *tdev_sym(const char *name)
{
	struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "tdev", 0, VU_EPOCH_NOW);
	void *p = ht ? dlsym(ht->service->dlhandle, name) : NULL;

	vuht_drop(ht);
	return p;
}

static int last_kind(void)
{
	return f.nreplies ? (int)f.replies[f.nreplies - 1].rep.kind : -1;
}

/* Open @path (open(2), or with @nofollow O_NOFOLLOW|O_PATH): its handle, 0 if not virtual. */
static uint64_t vopen(const char *path, int flags)
{
	return fake_open_vfd(&f, 1, path, flags, NULL);
}

/* What a read of the placeholder @h returns, as a string ("" if none). */
static const char *vread(uint64_t h)
{
	struct vu_msg m = fake_msg(1, __NR_read, NULL);
	long n;

	memset(m_buf, 0, sizeof(m_buf));
	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[1] = A_BUF;
	m.args[2] = 200;
	n = fake_serve(&f, m);
	if (n < 0 || n >= 200)
		return "";
	m_buf[n] = '\0';
	return m_buf;
}

/* Open @path, read what the module says, close: the string, or "real" / "error". */
static char said[4200];
static const char *served(const char *path)
{
	uint64_t h = vopen(path, O_RDONLY);

	if (!h)
		return last_kind() == VU_REPLY_NATIVE || last_kind() == VU_REPLY_REWRITE ? "real" :
											   "error";
	snprintf(said, sizeof(said), "%s", vread(h));
	vu_vfd_release(h);
	return said;
}

static struct vuht_entry_t *add(uint8_t type, const void *key, int len, confirmfun_t c)
{
	return vuht_add(type, key, len, tdev, 0, c, NULL);
}

static dev_t confirmed_dev;
static int confirmed_len = -1;

/* A wildcard block entry of major 241 only; what it was asked is kept. */
static int blk_241(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	(void)type;
	(void)ht;
	memcpy(&confirmed_dev, arg, sizeof(dev_t));
	confirmed_len = arglen;
	return major(*(dev_t *)arg) == 241;
}

static void test_devices(void)
{
	struct vuht_entry_t **open_ht = tdev_sym("tdev_open_ht");
	struct vuht_entry_t *path_ht, *chr, *blk, *null_ht;
	char link[256], want[300];
	dev_t d;

	path_ht = vuht_pick(CHECKPATH, "/t/x", 0, VU_EPOCH_NOW);
	vuht_drop(path_ht);
	is_str(served("/t/cdev"), "/cdev 20666",
	       "no device entry: the path's module, its own path (open is told the mode its lstat gives)");
	ok(*open_ht == path_ht, "  for the path entry");

	d = makedev(240, 1);
	chr = add(CHECKCHRDEVICE, &d, sizeof(d), NULL);
	ok(chr != NULL, "a char device entry for 240:1");
	snprintf(want, sizeof(want), "/t/cdev %o", S_IFCHR | 0666);
	is_str(served("/t/cdev"), want,
	       "its node: the device entry, the whole path, the node's mode");
	ok(*open_ht == chr, "  for the device entry");
	snprintf(want, sizeof(want), "/cdev2 %o", S_IFCHR | 0666);
	is_str(served("/t/cdev2"), want, "240:2: the path's module still");
	ok(*open_ht == path_ht, "  for the path entry");
	snprintf(want, sizeof(want), "/file %o", S_IFREG | 0755);
	is_str(served("/t/file"), want, "a regular file: the path's, with its mode");
	is_str(served("/t/bdev"), "/bdev 60660", "a block node with only a char entry: the path's");

	blk = add(CHECKBLKDEVICE, NULL, 0, blk_241);
	is_str(served("/t/bdev"), "/t/bdev 60660",
	       "a wildcard block entry that confirms: it serves");
	ok(*open_ht == blk, "  the block entry");
	ok(confirmed_dev == makedev(241, 0) && confirmed_len == (int)sizeof(dev_t),
	   "  its confirm function got the dev_t and sizeof(dev_t)");

	/* a node of the real tree */
	is_str(served("/dev/null"), "real", "/dev/null, unclaimed: native");
	d = makedev(1, 3);
	null_ht = add(CHECKCHRDEVICE, &d, sizeof(d), NULL);
	snprintf(want, sizeof(want), "/dev/null %o", S_IFCHR | 0666);
	is_str(served("/dev/null"), want, "the real /dev/null, 1:3 claimed: the module serves it");
	ok(*open_ht == null_ht, "  the 1:3 entry");
	is_str(served("/dev/zero"), "real", "/dev/zero (1:5) stays real");
	snprintf(link, sizeof(link), "%s/null-link", tmp);
	if (symlink("/dev/null", link) == 0) {
		snprintf(want, sizeof(want), "%s %o", link, S_IFCHR | 0666);
		is_str(served(link), want, "a real symlink to it, followed: the module (stat)");
		is_long(vopen(link, O_RDONLY | O_NOFOLLOW | O_PATH), 0,
			"not followed (O_NOFOLLOW): the link itself, real (lstat)");
		is_long(last_kind(), VU_REPLY_NATIVE, "  natively");
		unlink(link);
	} else {
		ok(0, "symlink in %s", tmp);
	}
	is_long(vuht_del(null_ht, 0), 0, "the 1:3 entry removed");
	is_str(served("/dev/null"), "real", "/dev/null is real again");
	is_long(vuht_del(blk, 0), 0, "the block entry removed");
	is_long(vuht_del(chr, 0), 0, "the char entry removed");
	is_str(served("/t/cdev"), "/cdev 20666", "the path's module again");
}

/* ioctl on placeholder @h (0: real fd 5). */
static long ioc(uint64_t h, unsigned long req, uint64_t arg)
{
	struct vu_msg m = fake_msg(1, __NR_ioctl, NULL);

	m.fd_arg[0] = 0;
	m.vfd[0] = h;
	m.args[0] = h ? 10 : 5;
	m.args[1] = req;
	m.args[2] = arg;
	return fake_serve(&f, m);
}

static int accept_t9(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	(void)type;
	(void)ht;
	return arglen == (int)sizeof(unsigned long) && *(unsigned long *)arg == _IOR('t', 9, int);
}

static void test_ioctl(void)
{
	int *sfd = tdev_sym("tdev_ioctl_sfd");
	void **priv = tdev_sym("tdev_ioctl_private"), **probe_priv = tdev_sym("tdev_probe_private");
	struct winsize *set = tdev_sym("tdev_ws_set");
	unsigned long req = TIOCGWINSZ;
	struct vuht_entry_t *ioc_ht, *wild;
	struct vu_vfd *vf;
	struct winsize ws;
	uint64_t h;
	int v;

	h = vopen("/t/file", O_RDONLY);
	vf = vu_vfd_get(h);
	memset(m_buf, 0, sizeof(m_buf));
	is_long(ioc(h, TIOCGWINSZ, A_BUF), 0, "TIOCGWINSZ on a placeholder: the module's");
	memcpy(&ws, m_buf, sizeof(ws));
	ok(ws.ws_row == 42 && ws.ws_col == 4242,
	   "  the winsize it wrote (probe: _IOW, VUOS's sense)");
	ok(vf && *sfd == vf->sfd && *priv == vf->fdprivate,
	   "  called with the module's fd and private");
	ok(vf && *probe_priv == vf->fdprivate, "  the probe too got the file's private data");
	vu_vfd_release(h);

	is_long(ioc(0, TIOCGWINSZ, A_BUF), FAKE_NATIVE,
		"TIOCGWINSZ on a real fd, unclaimed: native");
	ioc_ht = add(CHECKIOCTL, &req, sizeof(req), NULL);
	memset(m_buf, 0, sizeof(m_buf));
	*priv = (void *)1;
	is_long(ioc(0, TIOCGWINSZ, A_BUF), 0, "claimed by request: the module answers");
	memcpy(&ws, m_buf, sizeof(ws));
	ok(ws.ws_row == 42 && ws.ws_col == 4242, "  with its winsize");
	ok(*sfd == -1 && *priv == NULL, "  called with fd -1 and no private data, as VUOS");
	is_long(ioc(0, TCGETS, A_BUF), FAKE_NATIVE, "TCGETS on a real fd: still native");
	is_long(ioc(0, TIOCSWINSZ, A_BUF), FAKE_NATIVE, "TIOCSWINSZ: native");
	vuht_del(ioc_ht, 0);
	is_long(ioc(0, TIOCGWINSZ, A_BUF), FAKE_NATIVE, "the entry removed: native again");

	req = TIOCSWINSZ;
	ioc_ht = add(CHECKIOCTL, &req, sizeof(req), NULL);
	ws.ws_row = 7;
	ws.ws_col = 77;
	memcpy(m_buf, &ws, sizeof(ws));
	f.nwrites = 0;
	is_long(ioc(0, TIOCSWINSZ, A_BUF), 0, "TIOCSWINSZ claimed");
	ok(set->ws_row == 7 && set->ws_col == 77, "  the module read the member's winsize (_IOR)");
	memcpy(&ws, m_buf, sizeof(ws));
	ok(ws.ws_row == 7 && f.nwrites == 0, "  and nothing was written back");
	vuht_del(ioc_ht, 0);

	wild = add(CHECKIOCTL, NULL, 0, accept_t9);
	memset(m_buf, 0, sizeof(m_buf));
	is_long(ioc(0, _IOR('t', 9, int), A_BUF), 0,
		"a wildcard that confirms _IOR('t', 9, int): served without a probe answer");
	memcpy(&v, m_buf, sizeof(v));
	is_long(v, 777, "  the result copied out as the request encodes it (kernel's sense)");
	is_long(ioc(0, _IOR('t', 10, int), A_BUF), FAKE_NATIVE, "one it declines: native");
	vuht_del(wild, 0);
}

/* ---- binfmt ---- */
#define A_PATH 0x5000
#define A_ARGV 0x6000
#define A_S0 0x7000
#define A_S1 0x7100
static char m_path[256], m_s0[16] = "prog", m_s1[16] = "one";
static uint64_t m_argv[3] = { A_S0, A_S1, 0 };
static uint8_t m_stack[65536];
static uint64_t stack_base;
static pid_t member;
static char bf_path[256];
static int bf_len;

/* "#TDEV:line" claims a file, its interpreter line "#!line"; "#TDEVP:" preserves argv[0]. */
static int tdev_fmt(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct binfmt_req_t *req = arg;
	bool p = strncmp(req->filehead, "#TDEVP:", 7) == 0;
	char line[BINFMTBUFLEN];

	(void)type;
	(void)ht;
	if (arglen != (int)sizeof(*req) || (!p && strncmp(req->filehead, "#TDEV:", 6) != 0))
		return 0;
	snprintf(bf_path, sizeof(bf_path), "%s", req->path);
	bf_len = req->fileheadlen;
	snprintf(line, sizeof(line), "%s", req->filehead + (p ? 7 : 6));
	snprintf(req->filehead, BINFMTBUFLEN + 2, "#!%s", line);
	if (p)
		req->flags |= BINFMT_PRESERVE_ARGV0;
	return 1;
}

/* The member's stack pointer, as the daemon reads it. */
static uint64_t member_sp(void)
{
	char p[64], line[512];
	uint64_t sp = 0;

	snprintf(p, sizeof(p), "/proc/%d/syscall", (int)member);
	for (int i = 0; i < 100 && !sp; i++) {
		FILE *fp = fopen(p, "r");
		char *last = NULL, *prev = NULL;

		if (fp && fgets(line, sizeof(line), fp))
			for (char *t = strtok(line, " \n"); t; t = strtok(NULL, " \n")) {
				prev = last;
				last = t;
			}
		if (fp)
			fclose(fp);
		if (prev && strncmp(prev, "0x", 2) == 0)
			sp = strtoull(prev, NULL, 16);
		else
			usleep(10000);
	}
	return sp;
}

/* A real file @name in tmp with @content and @mode: its path. */
static const char *mkfile(const char *name, const char *content, mode_t mode)
{
	static char p[8][256];
	static int n;
	char *out = p[n++ % 8];
	FILE *fp;

	snprintf(out, 256, "%s/%s", tmp, name);
	fp = fopen(out, "w");
	if (fp) {
		fputs(content, fp);
		fclose(fp);
	}
	chmod(out, mode);
	return out;
}

/* The string at member address @a: in the stack region, or one of the test's. */
static const char *mstr(uint64_t a)
{
	if (a >= stack_base && a < stack_base + sizeof(m_stack))
		return (const char *)m_stack + (a - stack_base);
	return a == A_PATH ? "<path>" : a == A_S0 ? "<argv0>" : a == A_S1 ? "<argv1>" : "?";
}

/* Exec @path: "<exe>|argv0|argv1|...", or "native" / "error N". */
static char got[1024];
static const char *bexec(const char *path)
{
	struct vu_msg m = fake_msg(member, __NR_execve, path);
	const struct vu_reply *r;
	long ret;

	snprintf(m_path, sizeof(m_path), "%s", path);
	m.args[0] = A_PATH;
	m.args[1] = A_ARGV;
	ret = fake_serve(&f, m);
	if (ret == FAKE_NATIVE)
		return "native";
	r = &f.replies[f.nreplies - 1].rep;
	if (r->kind != VU_REPLY_REWRITE || !(r->argmask & 2) || r->path_arg != 0) {
		snprintf(got, sizeof(got), "error %ld", ret);
		return got;
	}
	snprintf(got, sizeof(got), "%s", f.paths[f.nreplies - 1]);
	for (uint64_t a = r->args[1]; a >= stack_base && a < stack_base + sizeof(m_stack); a += 8) {
		uint64_t p;

		memcpy(&p, m_stack + (a - stack_base), sizeof(p));
		if (!p)
			break;
		snprintf(got + strlen(got), sizeof(got) - strlen(got), "|%s", mstr(p));
	}
	return got;
}

static void test_binfmt(void)
{
	char want[1024], *content = tdev_sym("tdev_content");
	const char *prog, *interp;
	struct vuht_entry_t *bf;
	uint64_t sp;

	member = fake_member(022);
	sp = member_sp();
	if (!ok(sp > sizeof(m_stack), "the member's stack pointer (/proc/PID/syscall)"))
		return;
	stack_base = sp - sizeof(m_stack);
	fake_map(&f, stack_base, m_stack, sizeof(m_stack));
	fake_map(&f, A_PATH, m_path, sizeof(m_path));
	fake_map(&f, A_ARGV, m_argv, sizeof(m_argv));
	fake_map(&f, A_S0, m_s0, sizeof(m_s0));
	fake_map(&f, A_S1, m_s1, sizeof(m_s1));

	prog = mkfile("prog", "#TDEV:/bin/sh -e\necho hi\n", 0755);
	is_str(bexec(prog), "native", "no binfmt entry: the kernel's exec");
	bf = add(CHECKBINFMT, NULL, 0, tdev_fmt);
	ok(bf != NULL, "a wildcard binfmt entry");
	is_str(bexec(prog), "/bin/sh|/bin/sh|-e|<path>|<argv1>",
	       "a claimed real file: its interpreter, its argument, the path, argv[1] on");
	is_str(bf_path, prog, "  the confirm function got the path");
	is_long(bf_len, 25, "  and the head of the file (25 bytes)");
	prog = mkfile("keep", "#TDEVP:/bin/sh\n", 0755);
	is_str(bexec(prog), "/bin/sh|/bin/sh|<path>|<argv0>|<argv1>",
	       "BINFMT_PRESERVE_ARGV0: argv[0] stays after the path");
	is_str(bexec(mkfile("script", "#!/bin/sh\n", 0755)), "native",
	       "a file it does not claim: the kernel's exec");
	is_str(bexec(mkfile("noexec", "#TDEV:/bin/sh\n", 0644)), "native",
	       "a claimed but not executable file: the kernel's exec (EACCES)");

	snprintf(content, BINFMTBUFLEN, "#TDEV:/bin/sh\n");
	is_str(bexec("/t/vprog"), "/bin/sh|/bin/sh|<path>|<argv1>", "a claimed virtual file");
	is_str(bf_path, "/t/vprog", "  its path in the view, its head read through its module");
	content[0] = '\0';

	interp = mkfile("interp", "#TDEV:/bin/sh -x\n", 0755);
	snprintf(want, sizeof(want), "#TDEV:%s\n", interp);
	prog = mkfile("chain", want, 0755);
	snprintf(want, sizeof(want), "/bin/sh|/bin/sh|-x|%s|<path>|<argv1>", interp);
	is_str(bexec(prog), want, "an interpreter claimed in turn: the next one runs it");
	snprintf(want, sizeof(want), "#TDEV:%s/loop\n", tmp);
	prog = mkfile("loop", want, 0755);
	is_str(bexec(prog), "error -40", "an interpreter that claims itself: ELOOP");

	snprintf(content, BINFMTBUFLEN, "\177ELF binary");
	prog = mkfile("vinterp", "#TDEV:/t/vsh\n", 0755);
	snprintf(want, sizeof(want), "%s", bexec(prog));
	ok(strstr(want, "/kmview-exec-") && strstr(want, "/vsh|/t/vsh|<path>|<argv1>"),
	   "a virtual interpreter: its real copy runs (%s)", want);
	content[0] = '\0';

	is_long(vuht_del(bf, 0), 0, "the binfmt entry removed");
	is_str(bexec(mkfile("prog", "#TDEV:/bin/sh\n", 0755)), "native", "the kernel's exec again");
	kill(member, SIGKILL);
	waitpid(member, NULL, 0);
	unlink(mkfile("prog", "", 0600));
	unlink(mkfile("keep", "", 0600));
	unlink(mkfile("script", "", 0600));
	unlink(mkfile("noexec", "", 0600));
	unlink(mkfile("interp", "", 0600));
	unlink(mkfile("chain", "", 0600));
	unlink(mkfile("loop", "", 0600));
	unlink(mkfile("vinterp", "", 0600));
}

int main(void)
{
	if (!mkdtemp(tmp))
		return 1;
	fake_init(&f, 0);
	fake_map(&f, A_SRC, m_src, sizeof(m_src));
	fake_map(&f, A_DST, m_dst, sizeof(m_dst));
	fake_map(&f, A_TYPE, m_type, sizeof(m_type));
	fake_map(&f, A_BUF, m_buf, sizeof(m_buf));
	is_long(vu_module_insert(TEST_TDEV, 0), 0, "tdev loads");
	{
		struct vuht_entry_t *ht = vuht_pick(CHECKMODULE, "tdev", 0, VU_EPOCH_NOW);

		tdev = ht ? ht->service : NULL;
		vuht_drop(ht);
	}
	if (!ok(tdev && tdev_sym("tdev_open_ht"), "its service and knobs are there"))
		return tap_done();
	is_long(fake_mount(&f, 1, A_SRC, A_DST, A_TYPE, 0), 0, "mounted at /t");
	test_devices();
	test_ioctl();
	test_binfmt();
	vu_exec_forget();
	is_long(f.protocol_errors, 0, "no protocol error");
	rmdir(tmp);
	return tap_done();
}

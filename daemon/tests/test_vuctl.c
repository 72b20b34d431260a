// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vuctl.c - the management calls, served through serve.c by the fake
 * backend exactly as the kernel would deliver them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "base/debug_color.h"
#include "base/debug_tags.h"
#include "fake_backend.h"
#include "base/log.h"
#include "core/member.h"
#include "tap.h"
#include "core/view.h"

#define ADDR_INFO 0x10000ULL
#define ADDR_STR 0x20000ULL
#define ADDR_BUF 0x30000ULL
#define ADDR_BAD 0xdead0000ULL

static struct fake_backend f;
static struct vu_info info;
static char str[512];
static char buf[128];
static FILE *devnull;

static void setup(void)
{
	fake_init(&f, VU_BE_NOTIFY_FORK | VU_BE_NOTIFY_EXIT);
	fake_map(&f, ADDR_INFO, &info, sizeof(info));
	fake_map(&f, ADDR_STR, str, sizeof(str));
	fake_map(&f, ADDR_BUF, buf, sizeof(buf));
}

static long vuctl(pid_t tid, int cmd, uint64_t a1, uint64_t a2, uint64_t a3)
{
	return fake_call(&f, tid, __NR_vuctl, (uint64_t)cmd, a1, a2, a3);
}

static long vuctl_str(pid_t tid, int cmd, const char *s, uint64_t a2)
{
	snprintf(str, sizeof(str), "%s", s);
	return vuctl(tid, cmd, ADDR_STR, a2, 0);
}

static const char *get_tags(pid_t tid, int local)
{
	memset(buf, 'X', sizeof(buf));
	if (vuctl(tid, VUCTL_GET_DEBUGTAGS, ADDR_BUF, sizeof(buf), (uint64_t)local) != 0)
		return "(failed)";
	return buf;
}

static void test_getinfo(void)
{
	struct utsname u;
	char pid[32];

	is_long(vuctl(1, VUCTL_GETINFO, 0, 0, 0), 0, "GETINFO(NULL) says: in a view");
	memset(&info, 'X', sizeof(info));
	is_long(vuctl(1, VUCTL_GETINFO, ADDR_INFO, 0, 0), 0, "GETINFO fills struct vu_info");
	uname(&u);
	is_str(info.uname.sysname, u.sysname, "sysname is the host's");
	is_str(info.uname.nodename, u.nodename, "nodename is the host's");
	snprintf(pid, sizeof(pid), "%d", (int)getpid());
	is_str(info.vu_serverid, pid, "server id is the daemon's pid");
	is_str(info.vu_name, "", "no view name yet");
	is_long(f.nwrites, 1, "one write into the member");
	is_long(f.writes[0].len, sizeof(struct vu_info), "of the whole struct");
	is_long(vuctl(1, VUCTL_GETINFO, ADDR_BAD, 0, 0), -EFAULT, "GETINFO to a bad pointer: EFAULT");
	/* The wrapper passes cmd as an int: garbage in the upper half is ignored. */
	is_long(vuctl(1, (int)0, 0, 0, 0), -EINVAL, "cmd 0 is unknown: EINVAL");
	is_long(fake_call(&f, 1, __NR_vuctl, 0xffffffff00000001ULL, 0, 0, 0), 0,
		"upper half of cmd ignored");
	is_long(vuctl(1, 99, 0, 0, 0), -EINVAL, "unknown command: EINVAL");
}

static void test_setname(void)
{
	char name64[65];

	is_long(vuctl_str(1, VUCTL_SETNAME, "myview", 0), 0, "SETNAME myview");
	vuctl(1, VUCTL_GETINFO, ADDR_INFO, 0, 0);
	is_str(info.vu_name, "myview", "GETINFO shows the new name");
	memset(name64, 'n', 64);
	name64[64] = '\0';
	is_long(vuctl_str(1, VUCTL_SETNAME, name64, 0), 0, "a 64-character name fits");
	vuctl(1, VUCTL_GETINFO, ADDR_INFO, 0, 0);
	is_long(strlen(info.vu_name), 64, "and is kept whole");
	snprintf(str, sizeof(str), "%s%s", name64, "x");
	is_long(vuctl(1, VUCTL_SETNAME, ADDR_STR, 0, 0), -EINVAL, "65 characters: EINVAL");
	vuctl(1, VUCTL_GETINFO, ADDR_INFO, 0, 0);
	is_long(strlen(info.vu_name), 64, "the name is unchanged");
	is_long(vuctl(1, VUCTL_SETNAME, ADDR_BAD, 0, 0), -EFAULT, "bad pointer: EFAULT");
	is_long(vuctl_str(1, VUCTL_SETNAME, "", 0), 0, "an empty name clears it");
	vuctl(1, VUCTL_GETINFO, ADDR_INFO, 0, 0);
	is_str(info.vu_name, "", "cleared");
}

static void test_global_tags(void)
{
	is_str(get_tags(1, 0), "", "no global tags at start");
	is_long(vuctl_str(1, VUCTL_ADD_DEBUGTAGS, "sp", 0), 0, "ADD sp");
	is_str(get_tags(1, 0), "ps", "tags come back in DEBUG_ALLTAGS order");
	is_str(get_tags(2, 0), "ps", "global tags are the same for every member");
	is_str(get_tags(1, 1), "", "no local tags");
	is_long(vuctl_str(1, VUCTL_ADD_DEBUGTAGS, "s!", 0), -EINVAL, "ADD with a non-tag: EINVAL");
	is_str(get_tags(1, 0), "ps", "nothing added");
	is_long(vuctl_str(1, VUCTL_DEL_DEBUGTAGS, "s", 0), 0, "DEL s");
	is_str(get_tags(1, 0), "p", "s is off");
	is_long(vuctl(1, VUCTL_ADD_DEBUGTAGS, ADDR_BAD, 0, 0), -EFAULT, "ADD bad pointer: EFAULT");

	vuctl_str(1, VUCTL_ADD_DEBUGTAGS, "Zas", 0);
	memset(buf, 'X', sizeof(buf));
	is_long(vuctl(1, VUCTL_GET_DEBUGTAGS, ADDR_BUF, 3, 0), 0, "GET into 3 bytes");
	ok(memcmp(buf, "Za\0X", 4) == 0, "cut to 2 tags and a NUL, nothing past len");
	memset(buf, 'X', sizeof(buf));
	is_long(vuctl(1, VUCTL_GET_DEBUGTAGS, ADDR_BUF, 0, 0), 0, "GET into 0 bytes");
	ok(buf[0] == 'X', "writes nothing");
	is_long(vuctl(1, VUCTL_GET_DEBUGTAGS, ADDR_BAD, 10, 0), -EFAULT, "GET to a bad pointer: EFAULT");
	vuctl_str(1, VUCTL_DEL_DEBUGTAGS, DEBUG_ALLTAGS + 1, 0);
	is_str(get_tags(1, 0), "", "DEL of every tag clears all");
}

static void test_local_tags(void)
{
	struct vu_msg fork_msg = { .type = VU_MSG_FORK, .tid = 100, .tgid = 100, .child = 101 };
	struct vu_msg exit_msg = { .type = VU_MSG_EXIT, .tid = 100, .tgid = 100 };

	is_long(vuctl_str(100, VUCTL_ADD_DEBUGTAGS, "m", 1), 0, "ADD m locally for tid 100");
	is_str(get_tags(100, 1), "m", "tid 100 has local m");
	is_str(get_tags(100, 0), "", "global tags untouched");
	is_str(get_tags(101, 1), "", "tid 101 has none yet");
	fake_push(&f, fork_msg);
	fake_run(&f);
	is_long(f.nreplies, 0, "FORK gets no reply");
	is_str(get_tags(101, 1), "m", "the child inherited local m");
	fake_push(&f, exit_msg);
	fake_run(&f);
	is_long(f.nreplies, 0, "EXIT gets no reply");
	is_str(get_tags(100, 1), "", "the exited tid is forgotten");
	is_long(vu_member_count(), 1, "one member with state left");
	is_long(vuctl_str(101, VUCTL_DEL_DEBUGTAGS, "m", 1), 0, "DEL m locally for tid 101");
	is_long(vu_member_count(), 0, "no state left: nothing leaks");
}

/* Local tags switch debug output on for that member's requests only. */
static void test_local_output(void)
{
	char *out = NULL;
	size_t outlen = 0;
	FILE *mem = open_memstream(&out, &outlen);

	vu_log_set_stream(mem);
	vuctl_str(200, VUCTL_ADD_DEBUGTAGS, "s", 1);
	fflush(mem);
	size_t before = outlen;

	vuctl(201, VUCTL_GETINFO, 0, 0, 0);
	fflush(mem);
	is_long(outlen, before, "tid 201 has no s: no syscall line");
	vuctl(200, VUCTL_GETINFO, 0, 0, 0);
	fflush(mem);
	ok(outlen > before && strstr(out + before, "[s] tid 200"), "tid 200 has local s: its syscall logged");
	vu_log_set_stream(devnull);
	fclose(mem);
	free(out);
	vu_member_clear();
}

static void test_tagname_and_color(void)
{
	memset(buf, 'X', sizeof(buf));
	is_long(vuctl(1, VUCTL_GET_DEBUGTAGNAME, 's', ADDR_BUF, sizeof(buf)), 0, "GET_DEBUGTAGNAME s");
	is_str(buf, "SYSCALL", "s is SYSCALL");
	vuctl(1, VUCTL_GET_DEBUGTAGNAME, 'n', ADDR_BUF, sizeof(buf));
	is_str(buf, "NESTED", "n is NESTED");
	memset(buf, 'X', sizeof(buf));
	vuctl(1, VUCTL_GET_DEBUGTAGNAME, 'p', ADDR_BUF, 3);
	ok(memcmp(buf, "PA\0X", 4) == 0, "name cut to len");
	is_long(vuctl(1, VUCTL_GET_DEBUGTAGNAME, '!', ADDR_BUF, sizeof(buf)), 0, "a non-tag is not an error");
	is_str(buf, "", "its name is empty");
	vuctl(1, VUCTL_GET_DEBUGTAGNAME, 'Q', ADDR_BUF, sizeof(buf));
	is_str(buf, "", "an unnamed module tag has no name");

	is_long(vuctl_str(1, VUCTL_SET_DEBUGCOLOR, "ps:r+ c:G#", 0), 0, "SET_DEBUGCOLOR ps:r+ c:G#");
	ok(vu_color_get('p') != 0 && vu_color_get('p') == vu_color_get('s'), "p and s share a colour");
	ok(vu_color_get('c') != 0 && vu_color_get('c') != vu_color_get('p'), "c has its own");
	uint32_t before = vu_color_get('p');

	is_long(vuctl_str(1, VUCTL_SET_DEBUGCOLOR, "p:g s:q", 0), -EINVAL, "a bad colour: EINVAL");
	is_long(vu_color_get('p'), before, "and nothing changed");
	is_long(vuctl_str(1, VUCTL_SET_DEBUGCOLOR, "ps:", 0), 0, "an empty colour");
	is_long(vu_color_get('p'), 0, "removes it");
	is_long(vuctl(1, VUCTL_SET_DEBUGCOLOR, ADDR_BAD, 0, 0), -EFAULT, "bad pointer: EFAULT");
}

static void test_dispatch(void)
{
	struct vu_msg intr = { .type = VU_MSG_INTERRUPT, .unique = 1, .tid = 5 };
	struct vu_msg rel = { .type = VU_MSG_RELEASE, .handle = 7, .tid = 5 };

	vu_log_set_level(LOG_CRIT); /* the module errors below are expected */
	is_long(fake_call(&f, 1, __NR_vu_insmod, ADDR_STR, 0, 0, 0), -ENOENT,
		"vu_insmod of an unknown module: ENOENT");
	is_long(fake_call(&f, 1, __NR_vu_rmmod, ADDR_STR, 0, 0, 0), -ENOENT,
		"vu_rmmod of a module not loaded: ENOENT");
	vu_log_set_level(LOG_WARNING);
	is_long(fake_call(&f, 1, __NR_vu_lsmod, ADDR_BUF, 10, 0, 0), 1,
		"vu_lsmod with no module: the empty list, its NUL");
	/* msocket (sc/socket.c): no module claims a family here */
	is_long(fake_call(&f, 1, __NR_msocket, 0, 200, SOCK_DGRAM, 0), -EAFNOSUPPORT,
		"msocket(NULL) of a family nobody claims is socket(2): family 200, EAFNOSUPPORT");
	fake_call(&f, 1, __NR_msocket, 0, AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int sfd = f.replies[f.nreplies - 1].file, dom = 0, typ = 0;
	socklen_t sl = sizeof(int);

	ok(f.replies[f.nreplies - 1].rep.kind == VU_REPLY_FILE && sfd >= 0 &&
		   getsockopt(sfd, SOL_SOCKET, SO_DOMAIN, &dom, &sl) == 0 && dom == AF_UNIX &&
		   getsockopt(sfd, SOL_SOCKET, SO_TYPE, &typ, &sl) == 0 && typ == SOCK_DGRAM &&
		   (f.replies[f.nreplies - 1].rep.open_flags & O_CLOEXEC),
	   "msocket(NULL, AF_UNIX, SOCK_DGRAM|SOCK_CLOEXEC): a real socket of the daemon, cloexec");
	if (sfd >= 0)
		close(sfd);
	snprintf(str, sizeof(str), "/nonexistent/stack");
	is_long(fake_call(&f, 1, __NR_msocket, ADDR_STR, AF_INET, SOCK_DGRAM, 0), -ENOENT,
		"msocket of a missing stack path: ENOENT");
	snprintf(str, sizeof(str), "/");
	is_long(fake_call(&f, 1, __NR_msocket, ADDR_STR, AF_INET, SOCK_DGRAM, 0), -ENOTSUP,
		"msocket of a real path, no stack: ENOTSUP");
	is_long(fake_call(&f, 1, __NR_msocket, ADDR_BAD, AF_INET, SOCK_DGRAM, 0), -EFAULT,
		"msocket of a bad path pointer: EFAULT");
	is_long(fake_call(&f, 1, -6, 0, 0, 0, 0), FAKE_NATIVE, "syscall -6 is not ours: native");
	is_long(fake_call(&f, 1, 39, 0, 0, 0, 0), FAKE_NATIVE, "getpid: native");
	is_long(fake_call(&f, 1, 0, 0, 0, 0, 0), FAKE_NATIVE, "read: native");

	/* Several messages in one batch, one reply refused: serving goes on. */
	uint64_t u1 = fake_push_syscall(&f, 3, __NR_vuctl, VUCTL_GETINFO, 0, 0, 0);

	fake_push(&f, intr);
	fake_push(&f, rel);
	uint64_t u2 = fake_push_syscall(&f, 3, __NR_vuctl, 99, 0, 0, 0);

	f.reply_error = ENOENT;
	is_long(fake_run(&f), 0, "the loop ends when the view is empty");
	is_long(f.nreplies, 2, "two syscalls, two replies, none for INTERRUPT and RELEASE");
	is_long(fake_result(&f, u1), 0, "first answered (the member had gone)");
	is_long(fake_result(&f, u2), -EINVAL, "second answered too");
}

int main(void)
{
	/* The daemon's own log lines (tags switched on by the tests) are not TAP. */
	devnull = fopen("/dev/null", "w");
	vu_log_set_stream(devnull);
	vu_debug_tags_init();
	setup();
	test_getinfo();
	test_setname();
	test_global_tags();
	test_local_tags();
	test_local_output();
	test_tagname_and_color();
	test_dispatch();
	is_long(f.protocol_errors, 0, "the backend rules were kept throughout");
	vu_log_set_stream(NULL);
	fclose(devnull);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vustack.c - vustack's options, family names, and the msocket calls
 * it makes (against a stand-in for msocket).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vulib.h>

#include "tap.h"
#include "vustack_args.h"
#include "vustack_select.h"

static struct vustack_args a;
static char errbuf[1024];

static int parse(const char *first, ...)
{
	static char *argv[TAP_ARGV_MAX];
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	va_start(ap, first);
	int argc = tap_argv(argv, "vustack", first, ap);
	va_end(ap);
	memset(errbuf, 0, sizeof(errbuf));
	int ret = vustack_parse(&a, argc, argv, err);

	fclose(err);
	return ret;
}

/* The selected families, as "2 10 16". */
static const char *families(void)
{
	static char out[256];

	out[0] = '\0';
	for (int f = 1; f <= VUSTACK_MAX_FAMILY; f++)
		if (a.family[f])
			snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%d",
				 out[0] ? " " : "", f);
	return out;
}

/* The msocket stand-in: records the calls; families 2 and 10 exist. */
static char calls[1024];
static int fail_family = -1;
static int last_fd = -1;

static long fake_msocket(const char *stack, int domain, int type, int protocol)
{
	snprintf(calls + strlen(calls), sizeof(calls) - strlen(calls), "%s%s:%d:%d:%d",
		 calls[0] ? " " : "", stack, domain, type, protocol);
	if (domain == fail_family)
		return errno = EPERM, -1;
	if (type == -1) {
		if (domain == AF_INET)
			return last_fd = open("/dev/null", O_RDONLY); /* a real socket */
		if (domain == AF_INET6)
			return errno = EINVAL, -1; /* the family is there, not the type */
		return errno = EAFNOSUPPORT, -1;
	}
	return 0;
}

static void test_parse(void)
{
	is_long(parse("/dev/net/x", "ip", "link", NULL), 0, "STACK COMMAND ARGS");
	is_str(a.stack, "/dev/net/x", "... the stack");
	is_str(a.cmd[0], "ip", "... the command");
	is_str(a.cmd[1], "link", "... its argument");
	ok(a.cmd[2] == NULL, "... NULL-terminated");
	ok(a.all, "... no -f, no -s: every family");
	is_str(families(), "", "... no family listed one by one");

	is_long(parse("-v", "/s", "ip", "-4", "addr", NULL), 0, "-v, then a command with options");
	ok(a.verbose, "... -v");
	is_str(a.cmd[1], "-4", "... the command's -4 stays the command's");

	is_long(parse("-f", "inet,inet6", "/s", "cmd", NULL), 0, "-f inet,inet6");
	ok(!a.all, "... not every family");
	is_str(families(), "2 10", "... inet and inet6");

	is_long(parse("--family=netlink", "--families", "packet", "/s", "cmd", NULL), 0,
		"--family= and --families, added up");
	is_str(families(), "16 17", "... netlink and packet");

	is_long(parse("-f", "ip", "/s", "cmd", NULL), 0, "-f ip");
	is_str(families(), "2 10 16 17", "... inet, inet6, netlink, packet");
	is_long(parse("-f", "IPv4,ip6,bt,ir,unix", "/s", "cmd", NULL), 0,
		"-f with aliases, any case");
	is_str(families(), "1 2 10 23 31", "... local, inet, inet6, irda, bluetooth");
	is_long(parse("-f", "1,0x1f,50", "/s", "cmd", NULL), 0, "-f with numbers (0x too)");
	is_str(families(), "1 31 50", "... 1, 31, and 50 (newer than the names)");
	is_long(parse("-f", "Bluetooth, IRDA", "/s", "cmd", NULL), 0, "-f names: any case, blanks");
	is_str(families(), "23 31", "... irda and bluetooth");
	is_long(parse("-f", "all", "/s", "cmd", NULL), 0, "-f all");
	ok(a.all, "... every family");
	is_long(parse("-f", "inet", "-f", "all", "/s", "cmd", NULL), 0, "-f inet -f all");
	ok(a.all, "... all wins");

	is_long(parse("-s", "/s", "cmd", NULL), 0, "-s");
	ok(a.supported && !a.all, "... the supported families, not all at once");
	is_long(parse("-s", "-f", "netlink", "/s", "cmd", NULL), 0, "-s -f netlink");
	ok(a.supported && !a.all && a.family[AF_NETLINK], "... both");

	is_long(parse("-h", NULL), 0, "-h alone");
	ok(a.help, "... help");
	is_long(parse("--help", "-v", NULL), 0, "--help -v");
	ok(a.help && a.verbose, "... help with the families");
}

static void test_parse_errors(void)
{
	is_long(parse(NULL), -1, "no argument: -1");
	ok(strstr(errbuf, "missing STACK and COMMAND") != NULL, "... missing STACK and COMMAND");
	is_long(parse("/s", NULL), -1, "a stack and no command: -1");
	ok(strstr(errbuf, "missing COMMAND") != NULL, "... missing COMMAND");
	is_long(parse("-f", "inet,nosuch", "/s", "cmd", NULL), -1, "an unknown family: -1");
	ok(strstr(errbuf, "unknown protocol family 'nosuch'") != NULL, "... named");
	is_long(parse("-f", "0", "/s", "cmd", NULL), -1, "family 0: -1");
	is_long(parse("-f", "57", "/s", "cmd", NULL), -1, "family 57: -1 (above the highest)");
	is_long(parse("-f", "2x", "/s", "cmd", NULL), -1, "family 2x: -1");
	is_long(parse("-f", "unspec", "/s", "cmd", NULL), -1, "family unspec: -1");
	is_long(parse("-f", ",", "/s", "cmd", NULL), -1, "-f with an empty list: -1");
	is_long(parse("-f", NULL), -1, "-f without its list: -1");
	ok(strstr(errbuf, "needs an argument") != NULL, "... needs an argument");
	is_long(parse("-x", "/s", "cmd", NULL), -1, "an unknown option: -1");
	ok(strstr(errbuf, "unknown option -x") != NULL, "... named");
	is_long(parse("--nosuch", "/s", "cmd", NULL), -1, "an unknown long option: -1");
}

static void test_names(void)
{
	is_str(vustack_family_name(AF_INET), "inet", "family 2 is inet");
	is_str(vustack_family_name(AF_INET6), "inet6", "family 10 is inet6");
	is_str(vustack_family_name(AF_NETLINK), "netlink", "family 16 is netlink");
	is_str(vustack_family_name(AF_PACKET), "packet", "family 17 is packet");
	is_str(vustack_family_name(AF_BLUETOOTH), "bluetooth", "family 31 is bluetooth");
	is_str(vustack_family_name(AF_IRDA), "irda", "family 23 is irda");
	is_str(vustack_family_name(AF_LOCAL), "local", "family 1 is local");
	is_str(vustack_family_name(45), "mctp", "family 45 is mctp");
	ok(vustack_family_name(0) == NULL, "family 0 has no name");
	ok(vustack_family_name(50) == NULL, "family 50 has no name");
	ok(vustack_family_name(-1) == NULL, "family -1 has no name");
	is_long(vustack_family_number("vsock"), AF_VSOCK, "vsock is 40");
	is_long(vustack_family_number("decnet"), AF_DECnet, "decnet is 12");
	is_long(vustack_family_number("nosuch"), -1, "an unknown name: -1");
	/* Every name maps back to its number. */
	int back = 1;

	for (int f = 1; f <= VUSTACK_MAX_FAMILY; f++) {
		const char *n = vustack_family_name(f);

		if (n && vustack_family_number(n) != f)
			back = 0;
	}
	ok(back, "every family name maps back to its number");
}

static void test_usage(void)
{
	char out[4096];
	FILE *f = fmemopen(out, sizeof(out), "w");

	vustack_usage(f, false);
	fclose(f);
	ok(strstr(out, "Usage: vustack [OPTION]... STACK COMMAND") != NULL, "usage: the synopsis");
	ok(strstr(out, "netlink") == NULL, "... without the family list");
	f = fmemopen(out, sizeof(out), "w");
	vustack_usage(f, true);
	fclose(f);
	ok(strstr(out, "   16: netlink\n") != NULL, "usage with -v: the families");
	ok(strstr(out, "ip: inet,inet6,netlink,packet") != NULL, "... and the aliases");
}

static void test_select(void)
{
	char out[512];
	FILE *f;
	int failed = -1;

	parse("/dev/net/x", "cmd", NULL);
	calls[0] = '\0';
	is_long(vustack_select(&a, fake_msocket, NULL, &failed), 0, "select all: 0");
	is_str(calls, "/dev/net/x:0:0:0", "... one msocket(stack, 0, SOCK_DEFAULT, 0)");

	parse("-v", "-f", "inet6,inet,packet", "/dev/net/x", "cmd", NULL);
	calls[0] = '\0';
	f = fmemopen(out, sizeof(out), "w");
	is_long(vustack_select(&a, fake_msocket, f, &failed), 0, "select -f inet6,inet,packet: 0");
	fclose(f);
	is_str(calls, "/dev/net/x:2:0:0 /dev/net/x:10:0:0 /dev/net/x:17:0:0",
	       "... msocket(stack, family, SOCK_DEFAULT, 0) for each, in number order");
	is_str(out,
	       "Using /dev/net/x for the following address families:\n"
	       "    inet(2) inet6(10) packet(17)\n",
	       "... -v says which");

	parse("-v", "/dev/net/x", "cmd", NULL);
	f = fmemopen(out, sizeof(out), "w");
	vustack_select(&a, fake_msocket, f, &failed);
	fclose(f);
	is_str(out, "Using /dev/net/x for ALL address families\n", "-v for all families");

	parse("-f", "inet,netlink,inet6", "/s", "cmd", NULL);
	calls[0] = '\0';
	fail_family = AF_NETLINK;
	errno = 0;
	is_long(vustack_select(&a, fake_msocket, NULL, &failed), -1, "a failing msocket: -1");
	is_long(errno, EPERM, "... its errno");
	is_long(failed, AF_NETLINK, "... and the family");
	is_str(calls, "/s:2:0:0 /s:10:0:0 /s:16:0:0", "... no call after it");
	fail_family = -1;

	parse("-s", "/s", "cmd", NULL);
	calls[0] = '\0';
	vustack_add_supported(&a, fake_msocket);
	is_str(families(), "2 10", "-s: the families that open a socket or say EINVAL");
	ok(strncmp(calls, "/s:1:-1:0 /s:2:-1:0 /s:3:-1:0", 29) == 0,
	   "... probed with msocket(stack, family, -1, 0)");
	ok(strstr(calls, "/s:56:-1:0") != NULL && strstr(calls, "/s:57:") == NULL,
	   "... every family up to 56");
	ok(last_fd >= 0 && fcntl(last_fd, F_GETFD) < 0 && errno == EBADF,
	   "... a socket the probe opened is closed");
	calls[0] = '\0';
	is_long(vustack_select(&a, fake_msocket, NULL, &failed), 0, "then select those");
	is_str(calls, "/s:2:0:0 /s:10:0:0", "... msocket SOCK_DEFAULT for inet and inet6");
}

int main(void)
{
	test_parse();
	test_parse_errors();
	test_names();
	test_usage();
	test_select();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vudebug.c - vudebug's arguments and its "?" listing.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tap.h"
#include "vudebug_args.h"
#include "vudebug_list.h"

static struct vudebug_args a;
static char errbuf[1024];

static int parse(const char *first, ...)
{
	static char *argv[TAP_ARGV_MAX];
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	va_start(ap, first);
	int argc = tap_argv(argv, "vudebug", first, ap);
	va_end(ap);
	memset(errbuf, 0, sizeof(errbuf));
	int ret = vudebug_parse(&a, argc, argv, err);

	fclose(err);
	return ret;
}

/* The hypervisor's names in these tests: VUOS's example. */
static void names(int tag, char *buf, size_t len)
{
	const char *n = "";

	switch (tag) {
	case 'D': n = "VUDEV"; break;
	case 'p': n = "PATH"; break;
	case 's': n = "SYSCALL"; break;
	}
	snprintf(buf, len, "%s", n);
}

static const char *list(const char *which, const char *global, const char *local)
{
	static char *buf;
	size_t len;
	FILE *f;

	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	vudebug_list(f, which, global, local, names);
	fclose(f);
	return buf;
}

int main(void)
{
	is_long(parse(NULL), 0, "no argument");
	is_long(a.nactions, 0, "no action");
	ok(!a.command, "no command");

	is_long(parse("+s:r", "+p:b+", "+c:g#", "--", "bash", "-l", NULL), 0,
		"the man page's example");
	is_long(a.nactions, 3, "three actions");
	is_long(a.actions[0].op, '+', "enable");
	is_str(a.actions[0].tags, "s", "s");
	is_str(a.actions[0].color, "r", "in red");
	is_str(a.actions[1].color, "b+", "p bright blue");
	is_str(a.actions[2].color, "g#", "c reverse green");
	ok(a.command && strcmp(a.command[0], "bash") == 0 && strcmp(a.command[1], "-l") == 0,
	   "then runs bash -l with local tags");

	is_long(parse("-", "+", "?", NULL), 0, "bare -, + and ?");
	ok(a.actions[0].op == '-' && !a.actions[0].tags[0], "- is every tag");
	ok(a.actions[1].op == '+' && !a.actions[1].tags[0] && !a.actions[1].color, "+ too");
	ok(a.actions[2].op == '?' && !a.actions[2].tags[0], "? lists");
	is_long(parse("?ps", "-sA", NULL), 0, "?ps -sA");
	is_str(a.actions[0].tags, "ps", "list p and s");
	is_str(a.actions[1].tags, "sA", "disable s and A");
	is_long(parse("ps:r", NULL), 0, "colour only");
	ok(a.actions[0].op == 0 && strcmp(a.actions[0].color, "r") == 0, "no enable, a colour");
	is_long(parse("+p:", NULL), 0, "an empty colour");
	is_str(a.actions[0].color, "", "removes the colour");

	is_long(parse("ps", NULL), -1, "tags without + - ? or colour: error");
	is_long(parse("+s!", NULL), -1, "a non-tag: error");
	ok(strstr(errbuf, "'!'"), "names it");
	is_long(parse("+s:rq", NULL), -1, "a bad colour: error");
	is_long(parse("-s:r", NULL), -1, "a colour on -: error");
	is_long(parse("?s:r", NULL), -1, "a colour on ?: error");
	is_long(parse("+s", "--", NULL), -1, "-- without a command: error");
	is_long(parse("+s", "--help", NULL), 0, "--help");
	ok(a.help, "asks for help");
	is_long(parse("--", "--help", NULL), 0, "--help after -- is the command's");
	ok(!a.help && strcmp(a.command[0], "--help") == 0, "and runs it");

	is_str(list(NULL, "ps", ""), "D -   VUDEV\np +   PATH\ns +   SYSCALL\n",
	       "? lists named and enabled tags in ASCII order");
	is_str(list(NULL, "Z", "m"), "D -   VUDEV\nZ +   \nm -(+)\np -   PATH\ns -   SYSCALL\n",
	       "an enabled unnamed tag, a local tag");
	is_str(list("sx", "p", "s"), "s -(+)SYSCALL\nx -   \n", "?sx lists those only");
	is_str(list("", "", ""), "", "an empty selection lists nothing");
	return tap_done();
}

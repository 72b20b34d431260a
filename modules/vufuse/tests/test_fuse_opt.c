// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fuse_opt.c - vufuse's fuse_opt_parse and friends behave as
 * <fuse3/fuse_opt.h> documents libfuse's.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <fuse3/fuse_opt.h>

#include "tap.h"

struct conf {
	char *name;
	int num;
	int flag;
	int flag2;
	char *xval;
};

static char seen[512];

/* Records every call; "fail" makes it fail, "drop" discards, the rest is kept. */
static int proc(void *data, const char *arg, int key, struct fuse_args *out)
{
	char one[80];

	(void)data;
	(void)out;
	snprintf(one, sizeof(one), "%s%d:%s", seen[0] ? " " : "", key, arg);
	strncat(seen, one, sizeof(seen) - strlen(seen) - 1);
	if (strcmp(arg, "fail") == 0)
		return -1;
	return strcmp(arg, "drop") == 0 ? 0 : 1;
}

static const struct fuse_opt spec[] = {
	{ "name=%s", offsetof(struct conf, name), 0 },
	{ "num=%i", offsetof(struct conf, num), 0 },
	{ "-v", offsetof(struct conf, flag), 7 },
	{ "both", offsetof(struct conf, flag), 1 },
	{ "both", offsetof(struct conf, flag2), 2 },
	{ "-x %s", offsetof(struct conf, xval), 0 },
	FUSE_OPT_KEY("-k", 42),
	FUSE_OPT_KEY("keep", FUSE_OPT_KEY_KEEP),
	FUSE_OPT_KEY("gone", FUSE_OPT_KEY_DISCARD),
	FUSE_OPT_END
};

static struct conf c;
static struct fuse_args args;

static int parse(int argc, const char **argv, fuse_opt_proc_t p)
{
	fuse_opt_free_args(&args);
	args.argc = argc;
	args.argv = (char **)argv;
	args.allocated = 0;
	seen[0] = '\0';
	return fuse_opt_parse(&args, &c, spec, p);
}

static const char *out(void)
{
	static char buf[512];

	buf[0] = '\0';
	for (int i = 0; i < args.argc; i++) {
		strcat(buf, i ? "|" : "");
		strcat(buf, args.argv[i]);
	}
	return buf;
}

int main(void)
{
	const char *a1[] = { "prog", "-o", "name=one,unknown,num=12", "src", "-v", "mnt", NULL };
	const char *a2[] = { "prog", "-oname=two", "-x", "val", "-k", "-ofoo\\,bar,drop", NULL };
	const char *a3[] = { "prog", "-xinline", "-o", "both,keep,gone", "--", "-z", NULL };
	const char *a4[] = { "prog", "-o", "num=abc", NULL };
	const char *a5[] = { "prog", "-o", "fail", NULL };
	const char *a6[] = { "prog", "-o", NULL };
	const char *a7[] = { "prog", "-x", NULL };
	char *opts = NULL;

	is_long(parse(6, a1, proc), 0, "parse: -o list, non-options, a value flag");
	is_str(c.name, "one", "name=%%s: the string is copied");
	is_long(c.num, 12, "num=%%i: scanned");
	is_long(c.flag, 7, "-v sets its variable to the value");
	is_str(seen, "-1:unknown -2:src -2:mnt", "unmatched options and non-options reach proc");
	is_str(out(), "prog|-o|unknown|src|mnt", "kept -o options gathered after argv[0]");
	ok(args.allocated, "the result is allocated");

	is_long(parse(6, a2, proc), 0, "parse: -x value, a key, escapes");
	is_str(c.name, "two", "a second name=: the old string freed (ASan), the new one kept");
	is_str(c.xval, "val", "\"-x %%s\" takes the next argument");
	is_str(seen, "42:-k -1:foo,bar -1:drop", "a key's arg; an escaped comma is one option");
	is_str(out(), "prog|-o|foo\\,bar|-k", "kept: -k, and foo,bar escaped again; drop is not");

	c.flag = 0;
	is_long(parse(6, a3, proc), 0, "parse: -xVALUE, two matches, KEEP, DISCARD, --");
	is_str(c.xval, "inline", "\"-x %%s\" takes -xVALUE too");
	ok(c.flag == 1 && c.flag2 == 2, "every matching template acts");
	is_str(seen, "-2:-z", "after --, -z is a non-option; KEEP and DISCARD skip proc");
	is_str(out(), "prog|-o|keep|--|-z", "KEEP kept, DISCARD gone, -- kept");

	is_long(parse(3, a4, proc), -1, "num=abc: not a number, an error");
	is_long(parse(3, a5, proc), -1, "proc's -1 is an error");
	is_long(parse(2, a6, proc), -1, "-o without its list is an error");
	is_long(parse(2, a7, proc), -1, "-x without its value is an error");
	is_long(parse(6, a1, NULL), 0, "no proc: everything unmatched is kept");
	is_str(out(), "prog|-o|unknown|src|mnt", "as if proc said 1");

	is_long(fuse_opt_parse(NULL, &c, spec, proc), 0, "NULL args: nothing to do");
	ok(fuse_opt_match(spec, "num=3") && fuse_opt_match(spec, "-v") &&
		   !fuse_opt_match(spec, "nope") && !fuse_opt_match(spec, "num"),
	   "fuse_opt_match");

	is_long(fuse_opt_add_opt(&opts, "a"), 0, "add_opt to nothing");
	is_long(fuse_opt_add_opt(&opts, "b,c"), 0, "add_opt adds a comma");
	is_long(fuse_opt_add_opt_escaped(&opts, "d,e\\f"), 0, "add_opt_escaped");
	is_str(opts, "a,b,c,d\\,e\\\\f", "commas and backslashes escaped");
	free(opts);

	fuse_opt_free_args(&args);
	is_long(fuse_opt_add_arg(&args, "x"), 0, "add_arg");
	is_long(fuse_opt_add_arg(&args, "z"), 0, "add_arg");
	is_long(fuse_opt_insert_arg(&args, 1, "y"), 0, "insert_arg in the middle");
	is_str(out(), "x|y|z", "in order");
	ok(args.argv[3] == NULL, "still NULL-terminated");
	is_long(fuse_opt_insert_arg(&args, 5, "w"), -1, "insert past the end: -1");
	fuse_opt_free_args(&args);
	ok(args.argc == 0 && args.argv == NULL, "free_args empties");
	free(c.name);
	free(c.xval);
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_options.c - kmview's command line, as umvu(1) defines it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/debug_tags.h"
#include "base/log.h"
#include "startup/options.h"
#include "tap.h"

static struct kmv_options opt;
static char errbuf[4096];

/* Parse a NULL-terminated list of words; the errors go to errbuf. */
static int parse(const char *first, ...)
{
	static char *argv[TAP_ARGV_MAX];
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	va_start(ap, first);
	int argc = tap_argv(argv, "kmview", first, ap);
	va_end(ap);
	memset(errbuf, 0, sizeof(errbuf));
	int ret = kmv_options_parse(&opt, argc, argv, err);

	fclose(err);
	return ret;
}

static uint64_t mask(const char *tags)
{
	uint64_t m = 0;

	vu_tags_parse(tags, &m);
	return m;
}

int main(void)
{
	is_long(parse("bash", NULL), 0, "a bare command");
	is_str(opt.command[0], "bash", "command is bash");
	ok(opt.command[1] == NULL, "with no arguments");
	is_long(opt.loglevel, 4, "log level defaults to 4 (warning)");
	is_long(opt.sysloglevel, -1, "syslog off by default");
	ok(!opt.norc && !opt.rcfile && !opt.vu_name && !opt.logfile && !opt.nonesting && !opt.help,
	   "everything else off");

	is_long(parse("bash", "-c", "echo -N", NULL), 0, "options after the command");
	is_str(opt.command[1], "-c", "belong to the command");
	ok(!opt.norc, "and are not kmview's");

	is_long(parse("-V", "v1", "-N", "-x", "-l", "7", "-s", "3", "-o", "/tmp/log", "ls", "-l",
		      NULL), 0, "short options");
	is_str(opt.vu_name, "v1", "-V");
	ok(opt.norc, "-N");
	ok(opt.nonesting, "-x accepted");
	is_long(opt.loglevel, 7, "-l 7");
	is_long(opt.sysloglevel, 3, "-s 3");
	is_str(opt.logfile, "/tmp/log", "-o");
	is_str(opt.command[0], "ls", "command");
	is_str(opt.command[1], "-l", "keeps its -l");

	is_long(parse("--vu_name=v2", "--rc", "/tmp/rc", "--norc", "--nonesting", "--loglevel=0",
		      "--syslog", "6", "--debugtags", "s", "--debugcols", "s:r", "--output", "f",
		      "true", NULL), 0, "long options");
	is_str(opt.vu_name, "v2", "--vu_name=");
	is_str(opt.rcfile, "/tmp/rc", "--rc");
	ok(opt.norc && opt.nonesting, "--norc --nonesting");
	is_long(opt.loglevel, 0, "--loglevel=0");
	is_long(opt.sysloglevel, 6, "--syslog 6");
	is_long(opt.debugtags, mask("s"), "--debugtags");
	is_long(opt.ncolorspecs, 1, "--debugcols");
	is_str(opt.logfile, "f", "--output");

	is_long(parse("-d", "s", "-d", "pA", "-D", "p:r", "-D", "s:g# A:Y", "sh", NULL), 0,
		"repeated -d and -D");
	is_long(opt.debugtags, mask("psA"), "-d accumulates");
	is_long(opt.ncolorspecs, 2, "-D repeats");
	is_str(opt.colorspecs[1], "s:g# A:Y", "in order, as given");

	is_long(parse("--", "-weird", NULL), 0, "-- ends the options");
	is_str(opt.command[0], "-weird", "the command may start with -");

	is_long(parse("-h", NULL), 0, "-h");
	ok(opt.help, "asks for help, even without a command");
	is_long(parse("--help", "x", NULL), 0, "--help");
	ok(opt.help, "too");

	is_long(parse(NULL), -1, "no command: error");
	ok(strstr(errbuf, "no command"), "says so");
	is_long(parse("-N", NULL), -1, "options but no command: error");
	is_long(parse("-l", "8", "sh", NULL), -1, "-l 8: error");
	ok(strstr(errbuf, "0 to 7"), "names the range");
	is_long(parse("-l", "x", "sh", NULL), -1, "-l x: error");
	is_long(parse("-s", "-1", "sh", NULL), -1, "-s -1: error");
	is_long(parse("-l", "", "sh", NULL), -1, "-l '': error");
	is_long(parse("-d", "s-", "sh", NULL), -1, "-d with a non-tag: error");
	is_long(parse("-D", "pr", "sh", NULL), -1, "-D without a colon: error");
	is_long(parse("-D", "p:rq", "sh", NULL), -1, "-D with a bad colour: error");
	ok(strstr(errbuf, "colour"), "says what is wrong");
	is_long(parse("-D", "!:r", "sh", NULL), -1, "-D with a bad tag: error");
	is_long(parse("-V", NULL), -1, "-V without its argument: error");
	ok(strstr(errbuf, "needs an argument"), "says so");
	is_long(parse("-q", "sh", NULL), -1, "unknown short option: error");
	ok(strstr(errbuf, "-q"), "names it");
	is_long(parse("--nosuch", "sh", NULL), -1, "unknown long option: error");
	ok(strstr(errbuf, "--nosuch"), "names it");
	is_long(parse("-V", "0123456789012345678901234567890123456789012345678901234567890123456789",
		      "sh", NULL), -1, "a view name longer than 64: error");
	is_long(parse("-V", "ok", "sh", NULL), 0, "and the parser still works after errors");
	return tap_done();
}

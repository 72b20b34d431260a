// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vufuse_args.c - vufuse's fmt= and mount-flag options, and the argv
 * main() gets (vufuse_args.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>

#include "tap.h"
#include "vufuse_args.h"

/* As the hypervisor's mountflag_strings: bit i is MS_ flag 1 << i. */
static char *const names[32] = { "ro", "nosuid", "nodev", "noexec", "sync", [10] = "noatime" };

static char *fmt, *opts;

static int split(const char *data, unsigned long flags)
{
	free(fmt);
	free(opts);
	fmt = opts = NULL;
	return vufuse_split_opts(data, flags, names, &fmt, &opts);
}

static char *joined(char **argv, int argc)
{
	static char buf[512];

	buf[0] = '\0';
	for (int i = 0; i < argc; i++) {
		strcat(buf, i ? "|" : "");
		strcat(buf, argv[i]);
	}
	return buf;
}

static void argv_is(const char *f, const char *want, const char *what)
{
	int argc = -1;
	char **argv = vufuse_build_argv(f, "vufusereal", "ro,x=1", "/src", "/mnt", &argc);

	ok(argv && argv[argc] == NULL, "%s: argv ends with NULL", what);
	is_str(argv ? joined(argv, argc) : NULL, want, "%s", what);
	free(argv);
}

int main(void)
{
	int argc;

	is_long(split(NULL, 0), 0, "no data");
	is_str(fmt, VUFUSE_DEFAULT_FMT, "the default format is VUOS's");
	is_str(opts, "rw", "no options and no flags: rw, as VUOS");
	is_long(split("", MS_RDONLY), 0, "ro flag");
	is_str(opts, "ro", "MS_RDONLY becomes ro");
	is_long(split("uid=0,x", MS_RDONLY | MS_NOSUID | MS_NOATIME), 0, "options and flags");
	is_str(opts, "uid=0,x,ro,nosuid,noatime", "the options, then each flag's name");
	is_long(split("a,fmt=%N %S %T,b", 0), 0, "fmt= in the middle");
	is_str(fmt, "%N %S %T", "fmt= is taken out");
	is_str(opts, "a,b", "and the rest stays");
	is_long(split("fmt=\"%N -o %O,x %S %T\",c", 0), 0, "a quoted fmt= holds commas");
	is_str(fmt, "%N -o %O,x %S %T", "its quotes removed");
	is_str(opts, "c", "the option after it");
	is_long(split("fmt=%N", MS_NODEV), 0, "only fmt= and a flag");
	is_str(opts, "nodev", "the flag alone");
	is_long(split(",,a,,", 0), 0, "empty items");
	is_str(opts, "a", "are skipped");
	is_long(split("fmt=\"%N", 0), -1, "an unterminated quote");
	is_long(errno, EINVAL, "is EINVAL");
	is_long(split("fmt=", 0), -1, "an empty fmt=");
	is_long(errno, EINVAL, "is EINVAL");
	is_long(split("x", 1UL << 9), 0, "a flag without a name");
	is_str(opts, "x", "adds nothing");

	argv_is(VUFUSE_DEFAULT_FMT, "vufusereal|-o|ro,x=1|/src|/mnt", "the default format");
	argv_is("%N %T -f", "vufusereal|/mnt|-f", "words that are not %X stay");
	argv_is("  %N\t-o  %O  ", "vufusereal|-o|ro,x=1", "blanks and tabs separate");
	argv_is("%N 'a b' \"%S\"", "vufusereal|a b|/src", "quotes group; a quoted %S is replaced too");
	argv_is("%N x%S %%T", "vufusereal|x%S|%%T", "only a whole word is replaced");
	ok(vufuse_build_argv("", "n", "o", "s", "t", &argc) == NULL && errno == EINVAL,
	   "an empty format: EINVAL");
	ok(vufuse_build_argv("%N 'x", "n", "o", "s", "t", &argc) == NULL && errno == EINVAL,
	   "an unterminated quote: EINVAL");
	free(fmt);
	free(opts);
	return tap_done();
}

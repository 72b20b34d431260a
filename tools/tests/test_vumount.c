// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vumount.c - vumount's command line: options to flags and data,
 * operands, and the usage errors.
 */
#include <stdarg.h>
#include <string.h>
#include <sys/mount.h>

#include "tap.h"
#include "vumount_opts.h"

static struct vumount_args a;
static char err[256];

static int parse(const char *first, ...)
{
	static char *argv[TAP_ARGV_MAX];
	va_list ap;

	va_start(ap, first);
	int argc = tap_argv(argv, "vumount", first, ap);
	va_end(ap);
	err[0] = '\0';
	return vumount_parse(argc, argv, &a, err, sizeof(err));
}

int main(void)
{
	unsigned long fl = 0;
	char data[16] = "";

	is_long(parse("-t", "vufs", "/src", "/dst", NULL), 0, "-t vufs src dst");
	is_str(a.fstype, "vufs", "the type");
	is_str(a.source, "/src", "the source");
	is_str(a.target, "/dst", "the target");
	is_long(a.flags, MS_SILENT, "no flags but MS_SILENT, as VUOS");
	is_str(a.data, "", "no data");

	is_long(parse("src", "dst", NULL), 0, "no type");
	is_str(a.fstype, "", "the type is empty");

	is_long(parse("-o", "ro,nosuid,except=/tmp,bind", "-t", "vufs", "s", "d", NULL), 0,
		"-o with flags and a module option");
	is_long(a.flags, MS_SILENT | MS_RDONLY | MS_NOSUID | MS_BIND, "ro, nosuid, bind are flags");
	is_str(a.data, "except=/tmp", "except=/tmp is data");

	is_long(parse("-o", "move,foo", "-o", "bar", "s", "d", NULL), 0, "two -o lists");
	is_long(a.flags, MS_SILENT | MS_MOVE, "move is a flag");
	is_str(a.data, "foo,bar", "the data of both, joined");

	is_long(parse("-r", "s", "d", NULL), 0, "-r");
	is_long(a.flags & MS_RDONLY, MS_RDONLY, "-r is ro");
	is_long(parse("-r", "-w", "s", "d", NULL), 0, "-r -w");
	is_long(a.flags & MS_RDONLY, 0, "-w undoes -r");
	is_long(parse("-B", "s", "d", NULL), 0, "-B");
	is_long(a.flags & MS_BIND, MS_BIND, "-B is bind");
	is_long(parse("-R", "s", "d", NULL), 0, "-R");
	is_long(a.flags & (MS_BIND | MS_REC), MS_BIND | MS_REC, "-R is rbind");
	is_long(parse("--types=vufsxyz", "--read-only", "s", "d", NULL), 0, "long options");
	is_str(a.fstype, "vufsxyz", "--types");
	is_long(a.flags & MS_RDONLY, MS_RDONLY, "--read-only");

	is_long(parse("s", "d", "-r", NULL), -1, "options end at the first operand");
	is_str(err, "too many arguments", "so -r after the operands is an operand");
	is_long(parse("s", NULL), -1, "one operand");
	is_str(err, "a source and a mount point are needed", "says what is missing");
	is_long(parse("-x", "s", "d", NULL), -1, "an unknown option");
	is_str(err, "unknown option -x", "says which");
	is_long(parse("s", "d", "-t", NULL), -1, "three operands");
	is_long(parse("-t", NULL), -1, "-t without its argument");
	is_str(err, "option -t needs an argument", "says so");
	is_long(parse("-o", "ro,,rw", "s", "d", NULL), -1, "an empty option");
	is_str(err, "bad option list 'ro,,rw'", "says which list");
	is_long(parse("-o", "ro,", "s", "d", NULL), -1, "a trailing comma");
	is_long(parse("-h", NULL), 0, "-h");
	ok(a.help, "asks for help");

	is_long(vumount_parse_opts("a_long_option", &fl, data, sizeof(data)), 0, "data that fits");
	is_long(vumount_parse_opts("more", &fl, data, sizeof(data)), -1, "data that does not fit");
	ok(vumount_opt2flag("defaults", &fl) == 1 && fl == 0, "defaults: a flag option, no flag");
	ok(vumount_opt2flag("vufs", &fl) == 0, "a module's word is no flag option");
	return tap_done();
}

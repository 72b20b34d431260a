// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vuname.c - vuname's options and output, inside and outside a view.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "tap.h"
#include "vuname_args.h"
#include "vuname_print.h"

static struct vuname_args a;
static struct vu_info info;
static char errbuf[1024];

static int parse(const char *first, ...)
{
	static char *argv[TAP_ARGV_MAX];
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	va_start(ap, first);
	int argc = tap_argv(argv, "vuname", first, ap);
	va_end(ap);
	memset(errbuf, 0, sizeof(errbuf));
	int ret = vuname_parse(&a, argc, argv, err);

	fclose(err);
	return ret;
}

/* Parse, then format with the test's vu_info. */
static const char *out(bool in_view, const char *first, ...)
{
	static char line[1024];
	static char *argv[TAP_ARGV_MAX];
	va_list ap;
	FILE *err = fmemopen(errbuf, sizeof(errbuf), "w");

	va_start(ap, first);
	int argc = tap_argv(argv, "vuname", first, ap);
	va_end(ap);
	int ret = vuname_parse(&a, argc, argv, err);

	fclose(err);
	if (ret < 0)
		return "(usage error)";
	vuname_format(&a, &info, in_view, line, sizeof(line));
	return line;
}

int main(void)
{
	strcpy(info.uname.sysname, "Linux");
	strcpy(info.uname.nodename, "host");
	strcpy(info.uname.release, "6.1.0-9-amd64");
	strcpy(info.uname.version, "#1 SMP");
	strcpy(info.uname.machine, "x86_64");
	strcpy(info.vu_serverid, "4242");

	is_str(out(true, NULL), "Linux\n", "no option: -s");
	is_str(out(true, "-n", NULL), "host\n", "-n");
	is_str(out(true, "-snrvm", NULL), "Linux host 6.1.0-9-amd64 #1 SMP x86_64\n", "-snrvm");
	is_str(out(true, "-ms", NULL), "Linux x86_64\n", "fields print in the fixed order");
	is_str(out(true, "-p", "-i", NULL), "unknown unknown\n", "-p -i: unknown");
	is_str(out(false, "-o", NULL), "GNU/Linux\n", "-o outside a view");
	is_str(out(true, "-o", NULL), "GNU/Linux/VUOS\n", "-o in a view");
	is_str(out(true, "-U", NULL), "4242\n", "-U: the server id");
	is_str(out(true, "-V", NULL), "\n", "-V: no name yet");
	is_str(out(true, "-N", NULL), "\n", "-N: VUOS's old spelling of -V");
	is_str(out(false, "-sU", NULL), "Linux\n", "-U outside a view: left out, as uname would");
	is_str(out(true, "-a", NULL), "Linux host 6.1.0-9-amd64 #1 SMP x86_64 GNU/Linux/VUOS 4242\n",
	       "-a in a view: no p, i, nor an empty name");
	is_str(out(false, "--all", NULL), "Linux host 6.1.0-9-amd64 #1 SMP x86_64 GNU/Linux\n",
	       "--all outside: exactly uname -a's fields");
	is_str(out(true, "-P", NULL), "host[4242]\n", "-P in an unnamed view: host[serverid]");
	is_str(out(false, "--prompt", NULL), "host\n", "-P outside: the node name");

	strcpy(info.vu_name, "myview");
	is_str(out(true, "-V", NULL), "myview\n", "-V: the name");
	is_str(out(true, "--viewname", "--serverid", NULL), "4242 myview\n", "long options");
	is_str(out(true, "-a", NULL),
	       "Linux host 6.1.0-9-amd64 #1 SMP x86_64 GNU/Linux/VUOS 4242 myview\n",
	       "-a in a named view");
	is_str(out(true, "-P", NULL), "myview\n", "-P in a named view: the name");
	is_str(out(true, "--kernel-name", "--nodename", "--kernel-release", "--kernel-version",
		   "--machine", "--processor", "--hardware-platform", "--operating-system", NULL),
	       "Linux host 6.1.0-9-amd64 #1 SMP x86_64 unknown unknown GNU/Linux/VUOS\n",
	       "every long field option");

	is_long(parse("newname", NULL), 0, "one operand");
	is_str(a.setname, "newname", "sets the name");
	is_long(parse("-q", "newname", NULL), 0, "-q with an operand");
	is_str(a.setname, "newname", "still sets the name");
	ok(a.quiet, "quietly");
	is_long(parse("-s", "newname", NULL), -1, "an option and an operand: error");
	ok(strstr(errbuf, "extra operand"), "says so");
	is_long(parse("a", "b", NULL), -1, "two operands: error");
	is_long(parse("-z", NULL), -1, "unknown option: error");
	ok(strstr(errbuf, "-z"), "names it");
	is_long(parse("-q", "-z", NULL), -1, "quiet unknown option: error");
	is_str(errbuf, "", "without a word");
	is_long(parse("--help", NULL), 0, "--help");
	ok(a.help, "asks for help");
	is_long(parse("--version", NULL), 0, "--version");
	ok(a.version, "asks for the version");
	is_long(parse("-x", NULL), 0, "-x");
	ok(a.nouname, "requires a view");
	is_long(parse("--nouname", "--quiet", NULL), 0, "--nouname --quiet");
	ok(a.nouname && a.quiet, "both set");
	is_long(parse("-h", NULL), -1, "-h is not an option of uname");

	char small[8];

	parse("-a", NULL);
	vuname_format(&a, &info, true, small, sizeof(small));
	is_str(small, "Linux h", "a short buffer is cut and terminated");
	return tap_done();
}

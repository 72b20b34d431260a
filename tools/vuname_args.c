// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vuname_args.c - parse vuname's options; uname(1)'s plus the view's.
 */
#include <getopt.h>
#include <string.h>

#include "vuname_args.h"

/* Field letters in enum vuname_field order. */
static const char vuname_field_opts[] = "snrvmpioUV";

static const struct option vuname_long[] = {
	{ "all", no_argument, NULL, 'a' },
	{ "kernel-name", no_argument, NULL, 's' },
	{ "nodename", no_argument, NULL, 'n' },
	{ "kernel-release", no_argument, NULL, 'r' },
	{ "kernel-version", no_argument, NULL, 'v' },
	{ "machine", no_argument, NULL, 'm' },
	{ "processor", no_argument, NULL, 'p' },
	{ "hardware-platform", no_argument, NULL, 'i' },
	{ "operating-system", no_argument, NULL, 'o' },
	{ "serverid", no_argument, NULL, 'U' },
	{ "viewname", no_argument, NULL, 'V' },
	{ "prompt", no_argument, NULL, 'P' },
	{ "nouname", no_argument, NULL, 'x' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'W' },
	{ NULL, 0, NULL, 0 },
};

void vuname_usage(FILE *f)
{
	fprintf(f,
		"Usage: vuname [OPTION]...\n"
		"  or:  vuname NEWNAME\n"
		"Print system and view information; with no option, as -s.\n"
		"With one argument and no option, set the name of the view.\n"
		"\n"
		"  -a, --all                print all information, in this order,\n"
		"                           except -p and -i if unknown:\n"
		"  -s, --kernel-name        the kernel name\n"
		"  -n, --nodename           the network node hostname\n"
		"  -r, --kernel-release     the kernel release\n"
		"  -v, --kernel-version     the kernel version\n"
		"  -m, --machine            the machine hardware name\n"
		"  -p, --processor          the processor type or \"unknown\"\n"
		"  -i, --hardware-platform  the hardware platform or \"unknown\"\n"
		"  -o, --operating-system   the operating system\n"
		"  -U, --serverid           the server id of the view (its hypervisor's pid)\n"
		"  -V, --viewname           the name of the view\n"
		"  -P, --prompt             a name for a shell prompt\n"
		"  -x, --nouname            fail outside a view instead of acting as uname\n"
		"  -q, --quiet              print no error message\n"
		"      --help               print this help and exit\n"
		"      --version            print the version and exit\n");
}

int vuname_parse(struct vuname_args *a, int argc, char **argv, FILE *err)
{
	int noptions = 0;
	int c;

	memset(a, 0, sizeof(*a));
	optind = 0;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":asnrvmpioUVPxqN", vuname_long, NULL)) != -1) {
		const char *f;

		noptions++;
		switch (c) {
		case 'a':
			a->all = true;
			break;
		case 'P':
			a->prompt = true;
			break;
		case 'x':
			a->nouname = true;
			break;
		case 'q':
			a->quiet = true;
			noptions--; /* quiet does not make "vuname -q NAME" a print */
			break;
		case 'h':
			a->help = true;
			return 0;
		case 'W':
			a->version = true;
			return 0;
		case 'N':
			c = 'V'; /* older VUOS spelling of -V */
			/* fallthrough */
		default:
			f = (c != ':' && c != '?') ? strchr(vuname_field_opts, c) : NULL;
			if (!f) {
				if (a->quiet)
					return -1;
				if (c == ':')
					fprintf(err, "vuname: option %s takes no argument\n", argv[optind - 1]);
				else if (optopt)
					fprintf(err, "vuname: unknown option -%c\n", optopt);
				else
					fprintf(err, "vuname: unknown option %s\n", argv[optind - 1]);
				return -1;
			}
			a->fields |= 1U << (f - vuname_field_opts);
			break;
		}
	}
	if (argc - optind > 1 || (argc - optind == 1 && noptions > 0)) {
		if (!a->quiet)
			fprintf(err, "vuname: extra operand '%s'\n", argv[argc - 1]);
		return -1;
	}
	if (argc - optind == 1)
		a->setname = argv[optind];
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * options.c - parse and check kmview's command line.
 *
 * Every value is checked here, before a view exists, so that a typo is a
 * usage error and not a half-started view.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "base/debug_color.h"
#include "base/debug_tags.h"
#include "base/log.h"
#include "startup/options.h"

/*
 * "+": stop at the command, so that `kmview bash -c x` keeps -c for bash;
 * ":": report a missing argument apart from an unknown option.
 */
static const char kmv_short[] = "+:V:f:NxRd:D:l:s:o:h";

static const struct option kmv_long[] = {
	{ "vu_name", required_argument, NULL, 'V' },
	{ "rc", required_argument, NULL, 'f' },
	{ "norc", no_argument, NULL, 'N' },
	{ "nonesting", no_argument, NULL, 'x' },
	{ "noredirect", no_argument, NULL, 'R' },
	{ "debugtags", required_argument, NULL, 'd' },
	{ "debugcols", required_argument, NULL, 'D' },
	{ "loglevel", required_argument, NULL, 'l' },
	{ "syslog", required_argument, NULL, 's' },
	{ "output", required_argument, NULL, 'o' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

void kmv_options_usage(FILE *f)
{
	fprintf(f,
		"Usage: kmview [options] command [args]\n"
		"Run command in a new view: a partial virtual machine (VUOS) served by kmview.ko.\n"
		"\n"
		"  -V, --vu_name NAME      name of the view (see vuname(1))\n"
		"  -f, --rc FILE           run FILE instead of /etc/vurc and ~/.vurc\n"
		"  -N, --norc              run no initialization file\n"
		"  -x, --nonesting         disable nested virtualization (a module's own calls are real)\n"
		"  -R, --noredirect        every call under a bind reaches its module (no in-kernel redirect)\n"
		"  -d, --debugtags TAGS    debug tags enabled from the start (see vudebug(1))\n"
		"  -D, --debugcols SPEC    colours of debug tags, TAGS:COLORSPEC; repeatable\n"
		"  -l, --loglevel LEVEL    console log level 0-7 (default 4)\n"
		"  -s, --syslog LEVEL      log to syslog up to LEVEL 0-7 (default off)\n"
		"  -o, --output FILE       write log messages to FILE instead of stderr\n"
		"  -h, --help              print this help and exit\n");
}

static int kmv_level(const char *s, int *level)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < LOG_EMERG || v > LOG_DEBUG)
		return -1;
	*level = (int)v;
	return 0;
}

int kmv_options_parse(struct kmv_options *opt, int argc, char **argv, FILE *err)
{
	uint64_t mask;
	int c;

	memset(opt, 0, sizeof(*opt));
	opt->loglevel = VU_LOG_DEFAULT;
	opt->sysloglevel = VU_LOG_OFF;
	optind = 0; /* full reinitialization, so the parser can run more than once */
	opterr = 0;
	while ((c = getopt_long(argc, argv, kmv_short, kmv_long, NULL)) != -1) {
		switch (c) {
		case 'V':
			opt->vu_name = optarg;
			if (strlen(optarg) >= _UTSNAME_LENGTH) {
				fprintf(err, "kmview: view name too long: %s\n", optarg);
				return -1;
			}
			break;
		case 'f':
			opt->rcfile = optarg;
			break;
		case 'N':
			opt->norc = true;
			break;
		case 'x':
			opt->nonesting = true;
			break;
		case 'R':
			opt->noredirect = true;
			break;
		case 'd':
			if (vu_tags_parse(optarg, &mask) < 0) {
				fprintf(err, "kmview: bad debug tags \"%s\": tags are letters, digits and _\n",
					optarg);
				return -1;
			}
			opt->debugtags |= mask;
			break;
		case 'D':
			/* Checked now, applied after parsing: a bad spec changes nothing. */
			if (vu_color_check_string(optarg) < 0) {
				fprintf(err, "kmview: bad colour spec \"%s\": expected TAGS:COLORS, COLORS of nwrgbcmyNWRGBCMY+-_*#\n",
					optarg);
				return -1;
			}
			if (opt->ncolorspecs == KMV_MAX_COLORSPECS) {
				fprintf(err, "kmview: too many -D options\n");
				return -1;
			}
			opt->colorspecs[opt->ncolorspecs++] = optarg;
			break;
		case 'l':
		case 's':
			if (kmv_level(optarg, c == 'l' ? &opt->loglevel : &opt->sysloglevel) < 0) {
				fprintf(err, "kmview: bad log level \"%s\": expected 0 to 7\n", optarg);
				return -1;
			}
			break;
		case 'o':
			opt->logfile = optarg;
			break;
		case 'h':
			opt->help = true;
			return 0;
		case ':':
			fprintf(err, "kmview: option %s needs an argument\n", argv[optind - 1]);
			return -1;
		default:
			if (optopt)
				fprintf(err, "kmview: unknown option -%c\n", optopt);
			else
				fprintf(err, "kmview: unknown option %s\n", argv[optind - 1]);
			return -1;
		}
	}
	if (optind >= argc) {
		fprintf(err, "kmview: no command given\n");
		return -1;
	}
	opt->command = argv + optind;
	return 0;
}

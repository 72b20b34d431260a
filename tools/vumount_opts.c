// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vumount_opts.c - parse vumount's command line (see vumount_opts.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

#include "vumount_opts.h"

struct vumount_flagopt {
	const char *opt;
	unsigned long on, off;
};

/* The flag options of mount(8) that VUOS's vumount knows. */
static const struct vumount_flagopt vumount_flagopts[] = {
	{ "defaults", 0, 0 },
	{ "user", MS_NOSUID | MS_NODEV | MS_NOEXEC, 0 },
	{ "group", MS_NOSUID | MS_NODEV, 0 },
	{ "ro", MS_RDONLY, 0 },
	{ "rw", 0, MS_RDONLY },
	{ "suid", 0, MS_NOSUID },
	{ "nosuid", MS_NOSUID, 0 },
	{ "dev", 0, MS_NODEV },
	{ "nodev", MS_NODEV, 0 },
	{ "exec", 0, MS_NOEXEC },
	{ "noexec", MS_NOEXEC, 0 },
	{ "async", 0, MS_SYNCHRONOUS },
	{ "sync", MS_SYNCHRONOUS, 0 },
	{ "remount", MS_REMOUNT, 0 },
	{ "mand", MS_MANDLOCK, 0 },
	{ "nomand", 0, MS_MANDLOCK },
	{ "dirsync", MS_DIRSYNC, 0 },
	{ "atime", 0, MS_NOATIME },
	{ "noatime", MS_NOATIME, 0 },
	{ "diratime", 0, MS_NODIRATIME },
	{ "nodiratime", MS_NODIRATIME, 0 },
	{ "bind", MS_BIND, 0 },
	{ "move", MS_MOVE, 0 },
	{ "rbind", MS_BIND | MS_REC, 0 },
	{ "silent", MS_SILENT, 0 },
	{ "loud", 0, MS_SILENT },
	{ "acl", MS_POSIXACL, 0 },
	{ "relatime", MS_RELATIME, 0 },
	{ "norelatime", 0, MS_RELATIME },
	{ "iversion", MS_I_VERSION, 0 },
	{ "noiversion", 0, MS_I_VERSION },
	{ "strictatime", MS_STRICTATIME, 0 },
	{ "nostrictatime", 0, MS_STRICTATIME },
	{ "lazytime", MS_LAZYTIME, 0 },
	{ "nolazytime", 0, MS_LAZYTIME },
};

int vumount_opt2flag(const char *opt, unsigned long *flags)
{
	for (size_t i = 0; i < sizeof(vumount_flagopts) / sizeof(vumount_flagopts[0]); i++)
		if (strcmp(opt, vumount_flagopts[i].opt) == 0) {
			*flags &= ~vumount_flagopts[i].off;
			*flags |= vumount_flagopts[i].on;
			return 1;
		}
	return 0;
}

int vumount_parse_opts(const char *opts, unsigned long *flags, char *data, size_t size)
{
	size_t used = strlen(data);

	while (*opts) {
		size_t n = strcspn(opts, ",");
		char word[256];

		if (n == 0 || n >= sizeof(word))
			return -1; /* ",," or a word no option can be */
		memcpy(word, opts, n);
		word[n] = '\0';
		opts += n;
		if (*opts == ',' && *++opts == '\0')
			return -1; /* a trailing comma */
		if (vumount_opt2flag(word, flags))
			continue;
		if (used + (used ? 1 : 0) + n + 1 > size)
			return -1;
		if (used)
			data[used++] = ',';
		memcpy(data + used, word, n + 1);
		used += n;
	}
	return 0;
}

int vumount_parse(int argc, char **argv, struct vumount_args *a, char *err, size_t errlen)
{
	static const struct option opts[] = {
		{ "types", required_argument, NULL, 't' },
		{ "options", required_argument, NULL, 'o' },
		{ "read-only", no_argument, NULL, 'r' },
		{ "read-write", no_argument, NULL, 'w' },
		{ "rw", no_argument, NULL, 'w' },
		{ "bind", no_argument, NULL, 'B' },
		{ "move", no_argument, NULL, 'M' },
		{ "rbind", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(a, 0, sizeof(*a));
	a->fstype = "";
	a->flags = MS_SILENT;
	optind = 0; /* full reset: the tests parse several command lines */
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+t:o:rwBMRh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			a->fstype = optarg;
			break;
		case 'o':
			if (vumount_parse_opts(optarg, &a->flags, a->data, sizeof(a->data)) < 0) {
				snprintf(err, errlen, "bad option list '%s'", optarg);
				return -1;
			}
			break;
		case 'r':
			vumount_opt2flag("ro", &a->flags);
			break;
		case 'w':
			vumount_opt2flag("rw", &a->flags);
			break;
		case 'B':
			vumount_opt2flag("bind", &a->flags);
			break;
		case 'M':
			vumount_opt2flag("move", &a->flags);
			break;
		case 'R':
			vumount_opt2flag("rbind", &a->flags);
			break;
		case 'h':
			a->help = 1;
			return 0;
		default:
			if (optopt && strchr("to", optopt))
				snprintf(err, errlen, "option -%c needs an argument", optopt);
			else if (optopt)
				snprintf(err, errlen, "unknown option -%c", optopt);
			else
				snprintf(err, errlen, "unknown option %s", argv[optind - 1]);
			return -1;
		}
	}
	if (argc - optind != 2) {
		snprintf(err, errlen, "%s", argc - optind < 2 ? "a source and a mount point are needed"
							    : "too many arguments");
		return -1;
	}
	a->source = argv[optind];
	a->target = argv[optind + 1];
	return 0;
}

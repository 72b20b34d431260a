/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vumount_opts.h - the command line of vumount, as VUOS's: -t type,
 * -o a comma-separated option list, -r/-w, -B/-M/-R. Options that are
 * mount flags (ro, nosuid, bind, ...) become MS_* flags; the others
 * (a module's own, "except=/tmp") are passed on as the mount data.
 */
#ifndef KMVIEW_TOOLS_VUMOUNT_OPTS_H
#define KMVIEW_TOOLS_VUMOUNT_OPTS_H

#include <stddef.h>

struct vumount_args {
	const char *source;
	const char *target;
	const char *fstype; /* "" if not given */
	unsigned long flags;
	char data[4096]; /* the options that are no flags, comma-separated */
	int help;
};

/*
 * Apply one option word (no comma) to @flags: 1 if it is a flag option,
 * 0 if it is not (it goes to the data).
 */
int vumount_opt2flag(const char *opt, unsigned long *flags);

/*
 * Split the -o list @opts: flag options into @flags, the rest appended to
 * @data (size @size). 0, or -1 if the data does not fit or an option is
 * empty.
 */
int vumount_parse_opts(const char *opts, unsigned long *flags, char *data, size_t size);

/*
 * Parse the command line. 0 and @a filled; -1 with a message in @err for
 * a usage error. Options end at the first operand ("+").
 */
int vumount_parse(int argc, char **argv, struct vumount_args *a, char *err, size_t errlen);

#endif /* KMVIEW_TOOLS_VUMOUNT_OPTS_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufuse_args.h - the argv a submodule's main() gets at mount, as VUOS's
 * vufuse builds it (pure: no hypervisor call, host unit tested).
 *
 * The mount's data is a comma-separated option list; `fmt=FORMAT` (quoted
 * with "" or '' to hold commas or spaces) is vufuse's and is taken out.
 * What is left, followed by the option of each mount flag that has one
 * ("ro", "nosuid", ...), is %O; "rw" if nothing is left. FORMAT (default
 * "%N -o %O %S %T") is split at blanks (quotes group) and each word that
 * is exactly %N, %O, %S or %T becomes the type, the options, the source
 * or the target.
 */
#ifndef KMVIEW_VUFUSE_ARGS_H
#define KMVIEW_VUFUSE_ARGS_H

#define VUFUSE_DEFAULT_FMT "%N -o %O %S %T"

/*
 * Split @data (NULL: none) into the format (*@fmt, malloc'd, the default if
 * no fmt=) and the options (*@opts, malloc'd) with the names of the bits of
 * @flags that @flagnames (32 entries, NULL for none) has. 0, or -1 with
 * errno (EINVAL: an unterminated quote or an empty fmt=, ENOMEM).
 */
int vufuse_split_opts(const char *data, unsigned long flags, char *const flagnames[32],
		      char **fmt, char **opts);

/*
 * The argv of @fmt (NULL-terminated, *@argc words, one malloc'd block:
 * free() it). NULL with errno EINVAL for an unterminated quote or an empty
 * format, ENOMEM.
 */
char **vufuse_build_argv(const char *fmt, const char *name, const char *opts, const char *source,
			 const char *target, int *argc);

#endif /* KMVIEW_VUFUSE_ARGS_H */

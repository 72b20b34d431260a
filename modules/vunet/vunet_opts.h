/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vunet_opts.h - the mount options that are vunet's or the hypervisor's,
 * taken out of what the submodule's init is given.
 */
#ifndef VUNET_OPTS_H
#define VUNET_OPTS_H

#include <stdbool.h>
#include <stddef.h>

/* The options vunet takes for itself. */
struct vunet_opts {
	bool view_default; /* "default": the stack of processes that chose none */
	bool nopassthrough; /* the hypervisor's: sockets stay placeholders */
};

/*
 * Split the comma-separated @data (NULL: none) into vunet's options, in
 * @o, and the others, copied in order to @rest (@restlen bytes, always
 * terminated; "" if none). "permanent" is the hypervisor's and goes to
 * neither. 0, or -1 if @rest is too short.
 */
int vunet_opts_parse(const char *data, struct vunet_opts *o, char *rest, size_t restlen);

#endif /* VUNET_OPTS_H */

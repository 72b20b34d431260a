/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vustack_select.h - what vustack(1) asks the view: the families a stack
 * supports, and the stack made the default of the selected families.
 */
#ifndef KMVIEW_TOOLS_VUSTACK_SELECT_H
#define KMVIEW_TOOLS_VUSTACK_SELECT_H

#include <stdio.h>

#include "vustack_args.h"

/* msocket(2) of <vulib.h>, or a test's stand-in. */
typedef long (*vustack_msocket_t)(const char *stack, int domain, int type, int protocol);

/*
 * -s: add to a->family every family the stack has: msocket with the
 * invalid type -1 opens a socket (closed at once) or fails with EINVAL
 * where the stack has the family, and fails otherwise (EAFNOSUPPORT).
 */
void vustack_add_supported(struct vustack_args *a, vustack_msocket_t ms);

/*
 * Make the stack the default of the selected families of this process
 * (inherited by its children): msocket(stack, family, SOCK_DEFAULT, 0)
 * for each, or once with family 0 (AF_UNSPEC) for all of them. With
 * a->verbose, says which on @verbose. Returns 0, or -1 with errno set and
 * *failed the family that failed (0 for all).
 */
int vustack_select(const struct vustack_args *a, vustack_msocket_t ms, FILE *verbose,
		   int *failed);

#endif /* KMVIEW_TOOLS_VUSTACK_SELECT_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vustack_select.c - vustack's msocket calls (see vustack_select.h).
 */
#include <errno.h>
#include <unistd.h>
#include <vulib.h>

#include "vustack_select.h"

void vustack_add_supported(struct vustack_args *a, vustack_msocket_t ms)
{
	for (int family = 1; family <= VUSTACK_MAX_FAMILY; family++) {
		errno = 0;
		long fd = ms(a->stack, family, -1, 0);

		if (fd >= 0 || errno == EINVAL)
			a->family[family] = true;
		if (fd >= 0)
			close((int)fd);
	}
}

static void vustack_say(const struct vustack_args *a, FILE *verbose)
{
	if (a->all) {
		fprintf(verbose, "Using %s for ALL address families\n", a->stack);
		return;
	}
	fprintf(verbose, "Using %s for the following address families:\n   ", a->stack);
	for (int family = 1; family <= VUSTACK_MAX_FAMILY; family++) {
		if (!a->family[family])
			continue;
		const char *name = vustack_family_name(family);

		fprintf(verbose, " %s(%d)", name ? name : "unknown", family);
	}
	fprintf(verbose, "\n");
}

int vustack_select(const struct vustack_args *a, vustack_msocket_t ms, FILE *verbose,
		   int *failed)
{
	if (a->verbose && verbose)
		vustack_say(a, verbose);
	if (a->all) {
		*failed = 0;
		return ms(a->stack, 0, SOCK_DEFAULT, 0) < 0 ? -1 : 0;
	}
	for (int family = 1; family <= VUSTACK_MAX_FAMILY; family++) {
		if (a->family[family] && ms(a->stack, family, SOCK_DEFAULT, 0) < 0) {
			*failed = family;
			return -1;
		}
	}
	return 0;
}

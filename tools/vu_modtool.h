/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vu_modtool.h - what vu_insmod, vu_rmmod and vu_lsmod share: how a
 * failed management call is told to the user.
 */
#ifndef KMVIEW_TOOLS_VU_MODTOOL_H
#define KMVIEW_TOOLS_VU_MODTOOL_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

/*
 * ENOSYS is the kernel's answer outside a view: say that, not "Function
 * not implemented". @what may be NULL.
 */
static inline void vu_modtool_error(const char *prog, const char *what, int err)
{
	if (err == ENOSYS)
		fprintf(stderr, "%s: not running in a kmview view\n", prog);
	else if (what)
		fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(err));
	else
		fprintf(stderr, "%s: %s\n", prog, strerror(err));
}

#endif /* KMVIEW_TOOLS_VU_MODTOOL_H */

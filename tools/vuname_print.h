/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vuname_print.h - what vuname prints, from struct vu_info.
 */
#ifndef KMVIEW_TOOLS_VUNAME_PRINT_H
#define KMVIEW_TOOLS_VUNAME_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <vulib.h>

#include "vuname_args.h"

#define VUNAME_OS_HOST "GNU/Linux"
#define VUNAME_OS_INVIEW "GNU/Linux/VUOS" /* as VUOS reports it: scripts test for it */

/*
 * The output line, newline included. in_view false: info holds only
 * uname(2) and the view fields are left out, as uname would.
 */
void vuname_format(const struct vuname_args *a, const struct vu_info *info, bool in_view,
		   char *out, size_t len);

#endif /* KMVIEW_TOOLS_VUNAME_PRINT_H */

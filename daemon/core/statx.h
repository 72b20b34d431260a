/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * statx.h - a statx answer made from the struct stat a module gives (its
 * lstat): the basic fields, no birth time, no mount id. Used for a
 * member's statx (sc/path.c) and a module's own, nested (host/nest_path.c).
 */
#ifndef KMVIEW_DAEMON_STATX_H
#define KMVIEW_DAEMON_STATX_H

#include <fcntl.h>
#include <sys/stat.h>

void vu_statx_from_stat(struct statx *sx, const struct stat *st);

#endif /* KMVIEW_DAEMON_STATX_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * dirent.h - directory records for the old getdents(2): modules answer in
 * the getdents64 format only (VUOS's method), and the daemon rewrites them.
 */
#ifndef KMVIEW_CORE_DIRENT_H
#define KMVIEW_CORE_DIRENT_H

#include <stddef.h>

/*
 * Rewrite LEN bytes of linux_dirent64 records in BUF, in place, as the
 * linux_dirent records of getdents(2). Both formats give a record of one
 * name the same length, so nothing moves but the name and the type byte.
 * Returns LEN, or -EIO when a record is malformed (a length that is too
 * short, runs past LEN, or a name without its NUL): nothing then reaches
 * the member.
 */
long vu_dirent64_to_old(void *buf, size_t len);

#endif

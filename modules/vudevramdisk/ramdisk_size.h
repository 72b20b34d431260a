/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ramdisk_size.h - vudevramdisk's size= option. */
#ifndef RAMDISK_SIZE_H
#define RAMDISK_SIZE_H

#include <stdint.h>

#define RAMDISK_DEFAULT_SIZE (32ull << 20)
#define RAMDISK_MAX_SIZE (1ull << 40)

/*
 * "N" (bytes), "Nk", "Nm", "Ng" (either case, powers of 1024), decimal.
 * The size is rounded up to a whole 512-byte sector. 0, or -1 for what
 * does not parse, 0, or more than RAMDISK_MAX_SIZE.
 */
int ramdisk_parse_size(const char *s, uint64_t *bytes);

#endif /* RAMDISK_SIZE_H */

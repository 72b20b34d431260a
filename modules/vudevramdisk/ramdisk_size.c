// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ramdisk_size.c - parse size=N[kKmMgG]. Unlike VUOS, which takes what
 * strtoull makes of it (size=foo is an empty disk, size=1x a 1-sector
 * one), anything but digits and one unit fails the mount.
 */
#include "ramdisk_size.h"

int ramdisk_parse_size(const char *s, uint64_t *bytes)
{
	uint64_t v = 0, unit = 1;

	if (!s || *s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (v > (RAMDISK_MAX_SIZE - (uint64_t)(*s - '0')) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
	}
	switch (*s) {
	case '\0':
		break;
	case 'k':
	case 'K':
		unit = 1ull << 10;
		break;
	case 'm':
	case 'M':
		unit = 1ull << 20;
		break;
	case 'g':
	case 'G':
		unit = 1ull << 30;
		break;
	default:
		return -1;
	}
	if (*s && s[1])
		return -1;
	if (v == 0 || v > RAMDISK_MAX_SIZE / unit)
		return -1;
	v *= unit;
	*bytes = (v + 511) & ~511ull;
	return 0;
}

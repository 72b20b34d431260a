// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dirent.c - getdents64 records rewritten as getdents(2) ones.
 *
 * linux_dirent64: u64 ino, s64 off, u16 reclen, u8 type, name, NUL, pad.
 * linux_dirent:   ulong ino, ulong off, u16 reclen, name, NUL, pad, type
 *                 (the type is the record's last byte).
 * On a 64-bit ABI the header is 18 bytes in both, so the name moves back
 * one byte and the type goes to the end: the same length either way.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include "core/dirent.h"

#define D64_NAME 19 /* offsetof(struct linux_dirent64, d_name) */
#define DOLD_NAME 18 /* offsetof(struct linux_dirent, d_name) */

_Static_assert(sizeof(unsigned long) == 8, "the old dirent of a 64-bit ABI");

long vu_dirent64_to_old(void *buf, size_t len)
{
	unsigned char *rec = buf;
	size_t pos = 0;

	while (pos < len) {
		uint16_t reclen;
		unsigned char type;
		size_t namelen;
		char *name;

		if (len - pos < D64_NAME + 1)
			return -EIO;
		memcpy(&reclen, rec + pos + 16, sizeof(reclen));
		if (reclen < D64_NAME + 1 || reclen > len - pos || reclen % 8)
			return -EIO;
		name = (char *)rec + pos + D64_NAME;
		namelen = strnlen(name, (size_t)reclen - D64_NAME);
		if (namelen == (size_t)reclen - D64_NAME)
			return -EIO; /* no NUL inside the record */
		type = rec[pos + 18];
		/* the name and its NUL one byte back; the type at the end */
		memmove(rec + pos + DOLD_NAME, name, namelen + 1);
		memset(rec + pos + DOLD_NAME + namelen + 1, 0, reclen - (DOLD_NAME + namelen + 1));
		rec[pos + reclen - 1] = type;
		pos += reclen;
	}
	return (long)len;
}

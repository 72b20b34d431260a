// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_dirent.c - the old getdents records made from getdents64 ones
 * (core/dirent.c), with the kernel as the oracle: a directory read with
 * getdents64 and rewritten must equal the same directory read with the
 * old getdents, byte for byte; malformed records are refused whole.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/dirent.h"
#include "tap.h"

static long read_dir(const char *dir, long nr, char *buf, size_t len)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	long n;

	if (fd < 0)
		return -errno;
	n = syscall(nr, fd, buf, len);
	close(fd);
	return n;
}

static void put_rec64(unsigned char *p, uint16_t reclen, unsigned char type, const char *name)
{
	memset(p, 0, reclen);
	memcpy(p + 16, &reclen, 2);
	p[18] = type;
	memcpy(p + 19, name, strlen(name) + 1);
}

int main(void)
{
	char tmpl[] = "/tmp/test_dirent.XXXXXX";
	static char b64[65536], bold[65536];
	const char *names[] = { "a", "bb", "ccccc", "dddddd", "eeeeeee", "a-name-of-twenty-one", "f" };
	char path[PATH_MAX];
	long n64, nold;
	unsigned char m[64];

	if (!mkdtemp(tmpl))
		return 1;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", tmpl, names[i]);
		if (i % 2)
			mkdir(path, 0700);
		else
			close(open(path, O_CREAT | O_WRONLY, 0600));
	}
	symlink("x", strcat(strcpy(path, tmpl), "/link"));
	n64 = read_dir(tmpl, SYS_getdents64, b64, sizeof(b64));
	nold = read_dir(tmpl, SYS_getdents, bold, sizeof(bold));
	ok(n64 > 0 && n64 == nold, "both formats give the same length (%ld, %ld)", n64, nold);
	is_long(vu_dirent64_to_old(b64, (size_t)n64), n64, "the rewrite keeps the length");
	ok(memcmp(b64, bold, (size_t)nold) == 0, "and gives what the kernel's old getdents gives");

	/* malformed: a reclen past the buffer, too short, unaligned, no NUL */
	put_rec64(m, 24, 4, "ab");
	is_long(vu_dirent64_to_old(m, 24), 24, "one good record");
	is_long(m[23], 4, "its type is the last byte");
	is_long(strcmp((char *)m + 18, "ab"), 0, "its name starts at 18");
	put_rec64(m, 24, 4, "ab");
	is_long(vu_dirent64_to_old(m, 16), -EIO, "a buffer shorter than a header");
	put_rec64(m, 32, 4, "ab");
	is_long(vu_dirent64_to_old(m, 24), -EIO, "a record longer than the buffer");
	put_rec64(m, 24, 4, "ab");
	m[16] = 12;
	m[17] = 0;
	is_long(vu_dirent64_to_old(m, 24), -EIO, "a record shorter than its header");
	put_rec64(m, 24, 4, "ab");
	m[16] = 23;
	is_long(vu_dirent64_to_old(m, 24), -EIO, "an unaligned length");
	put_rec64(m, 24, 4, "ab");
	memset(m + 19, 'x', 5);
	is_long(vu_dirent64_to_old(m, 24), -EIO, "a name without its NUL");
	is_long(vu_dirent64_to_old(m, 0), 0, "nothing to rewrite");

	snprintf(path, sizeof(path), "rm -rf '%s'", tmpl);
	if (system(path) != 0)
		return 1;
	return tap_done();
}

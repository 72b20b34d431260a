// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse_opts.c - the mount data parser (fuse_opts.h). Strict as the
 * kernel's fuse_parse_param: a number that does not parse, an option it
 * does not know or a missing required one is EINVAL, with the reason.
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuse_opts.h"

/* A whole unsigned number of @base in [0, @max]. */
static int num(const char *s, size_t n, int base, unsigned long max, unsigned long *out)
{
	char buf[32], *end;

	if (n == 0 || n >= sizeof(buf) || s[0] == '-' || s[0] == '+')
		return -1;
	memcpy(buf, s, n);
	buf[n] = 0;
	errno = 0;
	*out = strtoul(buf, &end, base);
	return errno || *end || *out > max ? -1 : 0;
}

/* A file type, as the kernel's fuse_valid_type. */
static bool valid_type(mode_t m)
{
	return S_ISREG(m) || S_ISDIR(m) || S_ISLNK(m) || S_ISCHR(m) || S_ISBLK(m) ||
	       S_ISFIFO(m) || S_ISSOCK(m);
}

#define SEEN_FD 1
#define SEEN_ROOTMODE 2
#define SEEN_UID 4
#define SEEN_GID 8
#define SEEN_ALL 15

int fuse_mopts_parse(const char *data, struct fuse_mopts *o, char *why, size_t whylen)
{
	const char *p = data ? data : "";
	unsigned int seen = 0;

	memset(o, 0, sizeof(*o));
	o->fd = -1;
	while (*p) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		size_t klen = eq ? (size_t)(eq - p) : len;
		const char *v = eq ? eq + 1 : NULL;
		size_t vlen = eq ? len - klen - 1 : 0;
		unsigned long n;

#define KEY(k) (klen == sizeof(k) - 1 && memcmp(p, k, klen) == 0)
		if (len == 0) {
			/* an empty option (",,"): skipped, as the kernel does */
		} else if (KEY("fd") && v && num(v, vlen, 10, INT_MAX, &n) == 0) {
			o->fd = (int)n;
			seen |= SEEN_FD;
		} else if (KEY("rootmode") && v && num(v, vlen, 8, 0177777, &n) == 0) {
			o->rootmode = (mode_t)n;
			seen |= SEEN_ROOTMODE;
		} else if (KEY("user_id") && v && num(v, vlen, 10, UINT32_MAX - 1, &n) == 0) {
			o->user_id = (uid_t)n;
			seen |= SEEN_UID;
		} else if (KEY("group_id") && v && num(v, vlen, 10, UINT32_MAX - 1, &n) == 0) {
			o->group_id = (gid_t)n;
			seen |= SEEN_GID;
		} else if (KEY("max_read") && v && num(v, vlen, 10, UINT32_MAX, &n) == 0) {
			o->max_read = (unsigned int)n;
		} else if (KEY("blksize") && v && num(v, vlen, 10, UINT32_MAX, &n) == 0) {
			/* fuseblk's block size: nothing of ours depends on it */
		} else if (KEY("default_permissions") && !v) {
			o->default_permissions = true;
		} else if (KEY("allow_other") && !v) {
			o->allow_other = true;
		} else {
			snprintf(why, whylen, "bad option \"%.*s\"", (int)(len > 64 ? 64 : len), p);
			return -EINVAL;
		}
#undef KEY
		p += len;
		if (*p == ',')
			p++;
	}
	if (seen != SEEN_ALL) {
		snprintf(why, whylen, "missing %s",
			 !(seen & SEEN_FD)	 ? "fd="
			 : !(seen & SEEN_ROOTMODE) ? "rootmode="
			 : !(seen & SEEN_UID)	 ? "user_id="
						 : "group_id=");
		return -EINVAL;
	}
	if (!valid_type(o->rootmode)) {
		snprintf(why, whylen, "rootmode %o is not a file type", (unsigned int)o->rootmode);
		return -EINVAL;
	}
	return 0;
}

void fuse_mopts_show(const struct fuse_mopts *o, char *buf, size_t len)
{
	int n = snprintf(buf, len, "user_id=%u,group_id=%u%s%s", (unsigned int)o->user_id,
			 (unsigned int)o->group_id,
			 o->default_permissions ? ",default_permissions" : "",
			 o->allow_other ? ",allow_other" : "");

	if (o->max_read && n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, ",max_read=%u", o->max_read);
}

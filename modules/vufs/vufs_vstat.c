// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_vstat.c - the text of a virtual metadata record (SRC/.-/P\177),
 * and the names of the metadata directory. Pure: the host unit test runs it.
 *
 * A record is "key value" lines, each key at most once, in any order:
 *   type c|b|p|s|-   mode 0644 (octal)   uid 0   gid 0   rdev 1,3
 * (VUOS's scheme, whose vstat files also carry dev and ctime; kmview
 * keeps times on the copy itself, where the user owns them.)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "vufs.h"
#include "vufs_layer.h"

int vufs_join(char *buf, size_t size, const char *base, const char *mpath, const char *suffix)
{
	int n;

	if (strcmp(mpath, "/") == 0 || mpath[0] == '\0')
		n = snprintf(buf, size, "%s%s", *base ? base : (suffix ? "" : "/"),
			     suffix ? suffix : "");
	else
		n = snprintf(buf, size, "%s%s%s", base, mpath, suffix ? suffix : "");
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

bool vufs_reserved(const struct vufs *v, const char *mpath)
{
	if (!vufs_layered(v))
		return false;	/* a bind shows its source as it is */
	return strcmp(mpath, "/.-") == 0 || strncmp(mpath, "/.-/", 4) == 0 ||
	       strcmp(mpath, "/.-\177") == 0;
}

static char vufs_type_char(mode_t type)
{
	switch (type) {
	case S_IFCHR:
		return 'c';
	case S_IFBLK:
		return 'b';
	case S_IFIFO:
		return 'p';
	case S_IFSOCK:
		return 's';
	default:
		return '-';
	}
}

int vufs_vstat_format(const struct vufs_vstat *vs, char *buf, size_t size)
{
	size_t len = 0;
	int n = 0;

	buf[0] = '\0';
#define VUFS_PUT(...)                                             \
	do {                                                      \
		n = snprintf(buf + len, size - len, __VA_ARGS__); \
		if (n < 0 || (size_t)n >= size - len)             \
			return -1;                                \
		len += (size_t)n;                                 \
	} while (0)
	if (vs->mask & VUFS_VS_TYPE)
		VUFS_PUT("type %c\n", vufs_type_char(vs->type));
	if (vs->mask & VUFS_VS_MODE)
		VUFS_PUT("mode %04o\n", (unsigned int)(vs->mode & 07777));
	if (vs->mask & VUFS_VS_UID)
		VUFS_PUT("uid %u\n", (unsigned int)vs->uid);
	if (vs->mask & VUFS_VS_GID)
		VUFS_PUT("gid %u\n", (unsigned int)vs->gid);
	if (vs->mask & VUFS_VS_RDEV)
		VUFS_PUT("rdev %u,%u\n", major(vs->rdev), minor(vs->rdev));
#undef VUFS_PUT
	return (int)len;
}

static int vufs_num(const char *s, int base, unsigned long max, unsigned long *out, char stop)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoul(s, &end, base);
	if (errno || *out > max || *end != stop)
		return -1;
	return 0;
}

static int vufs_vstat_line(const char *key, const char *val, struct vufs_vstat *vs)
{
	unsigned long a, b;

	if (strcmp(key, "type") == 0) {
		static const char types[] = "cbps-";
		static const mode_t tmodes[] = { S_IFCHR, S_IFBLK, S_IFIFO, S_IFSOCK, S_IFREG };
		const char *p = val[0] && !val[1] ? strchr(types, val[0]) : NULL;

		if (!p)
			return -1;
		vs->type = tmodes[p - types];
		vs->mask |= VUFS_VS_TYPE;
	} else if (strcmp(key, "mode") == 0) {
		if (vufs_num(val, 8, 07777, &a, '\0') < 0)
			return -1;
		vs->mode = (mode_t)a;
		vs->mask |= VUFS_VS_MODE;
	} else if (strcmp(key, "uid") == 0 || strcmp(key, "gid") == 0) {
		if (vufs_num(val, 10, 0xfffffffeUL, &a, '\0') < 0)
			return -1;
		if (key[0] == 'u') {
			vs->uid = (uid_t)a;
			vs->mask |= VUFS_VS_UID;
		} else {
			vs->gid = (gid_t)a;
			vs->mask |= VUFS_VS_GID;
		}
	} else if (strcmp(key, "rdev") == 0) {
		const char *comma = strchr(val, ',');

		if (!comma || vufs_num(val, 10, 0xfff, &a, ',') < 0 ||
		    vufs_num(comma + 1, 10, 0xfffff, &b, '\0') < 0)
			return -1;
		vs->rdev = makedev(a, b);
		vs->mask |= VUFS_VS_RDEV;
	}
	/* an unknown key (VUOS's dev, ctime) is skipped */
	return 0;
}

int vufs_vstat_parse(const char *text, struct vufs_vstat *vs)
{
	memset(vs, 0, sizeof(*vs));
	while (*text) {
		char line[128], *sp;
		size_t n = strcspn(text, "\n");

		if (n >= sizeof(line))
			goto bad;
		memcpy(line, text, n);
		line[n] = '\0';
		text += n + (text[n] == '\n');
		if (n == 0)
			continue;
		sp = strchr(line, ' ');
		if (!sp)
			goto bad;
		*sp = '\0';
		if (vufs_vstat_line(line, sp + 1, vs) < 0)
			goto bad;
	}
	return 0;
bad:
	memset(vs, 0, sizeof(*vs));
	return -1;
}

void vufs_vstat_apply(const struct vufs_vstat *vs, struct stat *st)
{
	if (vs->mask & VUFS_VS_TYPE)
		st->st_mode = (st->st_mode & ~(mode_t)S_IFMT) | vs->type;
	if (vs->mask & VUFS_VS_MODE)
		st->st_mode = (st->st_mode & S_IFMT) | vs->mode;
	if (vs->mask & VUFS_VS_UID)
		st->st_uid = vs->uid;
	if (vs->mask & VUFS_VS_GID)
		st->st_gid = vs->gid;
	if (vs->mask & VUFS_VS_RDEV)
		st->st_rdev = vs->rdev;
	/* a device node or socket kept as a plain file has no size */
	if ((vs->mask & VUFS_VS_TYPE) && vs->type != S_IFREG)
		st->st_size = 0;
}

void vufs_vstat_merge(struct vufs_vstat *vs, const struct vufs_vstat *add)
{
	if (add->mask & VUFS_VS_TYPE)
		vs->type = add->type;
	if (add->mask & VUFS_VS_MODE)
		vs->mode = add->mode;
	if (add->mask & VUFS_VS_UID)
		vs->uid = add->uid;
	if (add->mask & VUFS_VS_GID)
		vs->gid = add->gid;
	if (add->mask & VUFS_VS_RDEV)
		vs->rdev = add->rdev;
	vs->mask |= add->mask;
}

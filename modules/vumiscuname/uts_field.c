// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * uts_field.c - vumiscuname's fields (see uts_field.h).
 */
#include <errno.h>
#include <string.h>

#include "uts_field.h"

_Static_assert(sizeof(((struct utsname *)0)->nodename) == UTS_FIELD_LEN + 1, "utsname");

char *uts_field(struct utsname *u, const char *name)
{
	if (!name)
		return NULL;
	if (strcmp(name, "sysname") == 0)
		return u->sysname;
	if (strcmp(name, "nodename") == 0)
		return u->nodename;
	if (strcmp(name, "release") == 0)
		return u->release;
	if (strcmp(name, "version") == 0)
		return u->version;
	if (strcmp(name, "machine") == 0)
		return u->machine;
	if (strcmp(name, "domainname") == 0)
		return u->domainname;
	return NULL;
}

int uts_field_set(char *field, const char *s, size_t len, bool from_file)
{
	if (!field)
		return -EINVAL;
	if (from_file) {
		if (len > 0 && s[len - 1] == '\n')
			len--;
		if (memchr(s, '\n', len) || memchr(s, '\0', len))
			return -EINVAL;
	}
	if (len > UTS_FIELD_LEN)
		return -EINVAL;
	memcpy(field, s, len);
	memset(field + len, 0, UTS_FIELD_LEN + 1 - len);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uts_field.h - vumiscuname's fields of struct utsname, by name, and the
 * rules for a new value (unit tested on the host).
 */
#ifndef UTS_FIELD_H
#define UTS_FIELD_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/utsname.h>

/* The kernel's __NEW_UTS_LEN: a field holds 64 bytes and its NUL. */
#define UTS_FIELD_LEN 64

/* The field @name ("nodename", "domainname"...) of @u, or NULL. */
char *uts_field(struct utsname *u, const char *name);

/*
 * Set @field to the @len bytes of @s: more than 64 is -EINVAL (as
 * sethostname). From a file (@from_file), one line end at the end is not
 * part of the name, and a NUL or another line end in it is -EINVAL.
 * Returns 0 or -EINVAL; @field is unchanged on error.
 */
int uts_field_set(char *field, const char *s, size_t len, bool from_file);

#endif /* UTS_FIELD_H */

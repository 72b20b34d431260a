// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_opts.c - the mount options of vufs (pure: the host unit test runs it).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vufs.h"

static const char *const vufs_mode_names[] = { "bind", "move", "merge", "cow", "mincow" };

static int vufs_opt_err(char *err, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, size, fmt, ap);
	va_end(ap);
	return -1;
}

/* "/tmp/" and "/tmp//x/" are "/tmp" and "/tmp/x"; a ".." or "." is refused. */
static char *vufs_except_path(const char *arg)
{
	char *p = malloc(strlen(arg) + 1), *q = p;

	if (!p)
		return NULL;
	for (const char *s = arg; *s;) {
		size_t n;

		while (*s == '/')
			s++;
		n = strcspn(s, "/");
		if (n == 0)
			break;
		if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.')) {
			free(p);
			return NULL;
		}
		*q++ = '/';
		memcpy(q, s, n);
		q += n;
		s += n;
	}
	if (q == p)
		*q++ = '/';
	*q = '\0';
	return p;
}

int vufs_parse_opts(const char *opts, struct vufs_opts *o, char *err, size_t errsize)
{
	int nmodes = 0;

	memset(o, 0, sizeof(*o));
	while (opts && *opts) {
		size_t n = strcspn(opts, ",");
		char word[PATH_MAX];
		size_t m;

		if (n >= sizeof(word)) {
			vufs_opt_err(err, errsize, "an option is too long");
			goto fail;
		}
		memcpy(word, opts, n);
		word[n] = '\0';
		opts += n + (opts[n] == ',');
		if (n == 0)
			continue;
		for (m = 0; m < sizeof(vufs_mode_names) / sizeof(*vufs_mode_names); m++)
			if (strcmp(word, vufs_mode_names[m]) == 0)
				break;
		if (m < sizeof(vufs_mode_names) / sizeof(*vufs_mode_names)) {
			if (nmodes++ > 0 && o->mode != (enum vufs_mode)m) {
				vufs_opt_err(
					err, errsize,
					"%s and %s exclude each other (one of bind, move, merge, cow, mincow)",
					vufs_mode_names[o->mode], word);
				goto fail;
			}
			o->mode = (enum vufs_mode)m;
		} else if (strncmp(word, "except=", 7) == 0 && word[7]) {
			if (word[7] != '/') {
				vufs_opt_err(
					err, errsize,
					"except=%s: the path must be absolute (inside the mount)",
					word + 7);
				goto fail;
			}
			if (o->nexcept == VUFS_MAX_EXCEPT) {
				vufs_opt_err(err, errsize, "more than %d except options",
					     VUFS_MAX_EXCEPT);
				goto fail;
			}
			o->except[o->nexcept] = vufs_except_path(word + 7);
			if (!o->except[o->nexcept]) {
				vufs_opt_err(err, errsize, "except=%s: no . or .. allowed",
					     word + 7);
				goto fail;
			}
			if (strcmp(o->except[o->nexcept], "/") == 0) {
				free(o->except[o->nexcept]);
				vufs_opt_err(err, errsize,
					     "except=/ would leave nothing to the mount");
				goto fail;
			}
			o->nexcept++;
		} else if (strcmp(word, "ro") == 0) {
			o->ro = true;
		} else if (strcmp(word, "rw") == 0) {
			o->ro = false;
		} else if (strcmp(word, "nochcopy") == 0) {
			o->nochcopy = true;
		} else if (strcmp(word, "nopassthrough") == 0) {
			/* the hypervisor's: open files stay virtual */
		} else if (strcmp(word, "except") == 0 || strcmp(word, "except=") == 0) {
			vufs_opt_err(err, errsize, "except needs a path (except=PATH)");
			goto fail;
		} else {
			vufs_opt_err(err, errsize, "unknown option \"%s\"", word);
			goto fail;
		}
	}
	return 0;
fail:
	vufs_free_opts(o);
	return -1;
}

void vufs_free_opts(struct vufs_opts *o)
{
	while (o->nexcept > 0)
		free(o->except[--o->nexcept]);
}

bool vufs_is_except(const struct vufs_opts *o, const char *inside)
{
	for (int i = 0; i < o->nexcept; i++) {
		size_t n = strlen(o->except[i]);

		if (strncmp(inside, o->except[i], n) == 0 &&
		    (inside[n] == '\0' || inside[n] == '/'))
			return true;
	}
	return false;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuse_args.c - fmt=, the mount flags as options, and main's argv
 * (see vufuse_args.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "vufuse_args.h"

/* Append @s (@n bytes) to the option list @out (@len used), with a comma between. */
static void vufuse_opt_append(char *out, size_t *len, const char *s, size_t n)
{
	if (*len > 0)
		out[(*len)++] = ',';
	memcpy(out + *len, s, n);
	*len += n;
	out[*len] = '\0';
}

/* Copy @s (@n bytes) without its quote characters: a fmt= value. */
static char *vufuse_unquote(const char *s, size_t n)
{
	char *out = malloc(n + 1), *o = out;
	char q = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (!q && (s[i] == '"' || s[i] == '\''))
			q = s[i];
		else if (q && s[i] == q)
			q = 0;
		else
			*o++ = s[i];
	}
	*o = '\0';
	return out;
}

int vufuse_split_opts(const char *data, unsigned long flags, char *const flagnames[32],
		      char **fmt, char **opts)
{
	size_t dlen = data ? strlen(data) : 0, room = dlen + 2, len = 0;
	char *out, *f = NULL;

	for (int i = 0; i < 32; i++)
		if ((flags & (1UL << i)) && flagnames[i])
			room += strlen(flagnames[i]) + 1;
	out = malloc(room + 3); /* + "rw" */
	if (!out)
		goto nomem;
	out[0] = '\0';
	for (size_t start = 0, i = 0; data && start < dlen; start = ++i) {
		char q = 0;

		for (; i < dlen && (q || data[i] != ','); i++)
			if (!q && (data[i] == '"' || data[i] == '\''))
				q = data[i];
			else if (q && data[i] == q)
				q = 0;
		if (q)
			goto inval;
		if (i == start)
			continue;
		if (i - start >= 4 && strncmp(data + start, "fmt=", 4) == 0) {
			free(f);
			f = vufuse_unquote(data + start + 4, i - start - 4);
			if (!f)
				goto nomem;
			if (!*f)
				goto inval;
			continue;
		}
		vufuse_opt_append(out, &len, data + start, i - start);
	}
	for (int i = 0; i < 32; i++)
		if ((flags & (1UL << i)) && flagnames[i])
			vufuse_opt_append(out, &len, flagnames[i], strlen(flagnames[i]));
	if (len == 0)
		strcpy(out, "rw");
	if (!f && !(f = strdup(VUFUSE_DEFAULT_FMT)))
		goto nomem;
	*fmt = f;
	*opts = out;
	return 0;
inval:
	free(out);
	free(f);
	errno = EINVAL;
	return -1;
nomem:
	free(out);
	free(f);
	errno = ENOMEM;
	return -1;
}

/* The next word of @s from *@i: its bytes, unquoted, into @buf (if not NULL); its length, or -1. */
static long vufuse_word(const char *s, size_t *i, char *buf)
{
	long n = 0;
	char q = 0;

	while (s[*i] == ' ' || s[*i] == '\t')
		(*i)++;
	if (!s[*i])
		return -1;
	for (; s[*i] && (q || (s[*i] != ' ' && s[*i] != '\t')); (*i)++) {
		if (!q && (s[*i] == '"' || s[*i] == '\''))
			q = s[*i];
		else if (q && s[*i] == q)
			q = 0;
		else if (buf)
			buf[n++] = s[*i];
		else
			n++;
	}
	return q ? -2 : n;
}

/* What word @w (@n bytes) stands for: a %X substitution, or NULL for itself. */
static const char *vufuse_subst(const char *w, long n, const char *const sub[4])
{
	static const char keys[] = "NOST";

	if (n != 2 || w[0] != '%')
		return NULL;
	for (int k = 0; k < 4; k++)
		if (w[1] == keys[k])
			return sub[k];
	return NULL;
}

char **vufuse_build_argv(const char *fmt, const char *name, const char *opts, const char *source,
			 const char *target, int *argc)
{
	const char *const sub[4] = { name, opts, source, target };
	size_t i = 0, count = 0, bytes = 0, wlen = strlen(fmt) + 1;
	char word[wlen], **argv, *p;
	long n;

	/* first pass: how many words, how many bytes once substituted */
	while ((n = vufuse_word(fmt, &i, word)) >= 0) {
		const char *s = vufuse_subst(word, n, sub);

		bytes += (s ? strlen(s) : (size_t)n) + 1;
		count++;
	}
	if (n == -2 || count == 0) {
		errno = EINVAL;
		return NULL;
	}
	argv = malloc((count + 1) * sizeof(char *) + bytes);
	if (!argv) {
		errno = ENOMEM;
		return NULL;
	}
	p = (char *)(argv + count + 1);
	i = 0;
	for (size_t k = 0; k < count; k++) {
		const char *s;

		n = vufuse_word(fmt, &i, word);
		s = vufuse_subst(word, n, sub);
		if (!s) {
			word[n] = '\0';
			s = word;
		}
		argv[k] = p;
		strcpy(p, s);
		p += strlen(s) + 1;
	}
	argv[count] = NULL;
	*argc = (int)count;
	return argv;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * bfm.c - binfmt_misc's register syntax, commands, match and status text
 * (bfm.h), as Linux's fs/binfmt_misc.c has them: the same string is
 * accepted or refused, an entry matches the same files and reads the same.
 *
 *   :name:type:offset:magic:mask:interpreter:flags
 *
 * The first character is the delimiter (any but P, O, C, F). name: not
 * empty, ".", ".." nor with a '/'. type: M (magic) or E (extension).
 * M: offset decimal (empty: 0); magic and mask with \xHH escapes (an
 * escape must have two hex digits), the mask as long as the magic once
 * decoded, empty for an exact match; offset + size within the first
 * BFM_BUF bytes. E: offset and mask ignored, the magic is the extension,
 * without '.', no '/', taken as is. interpreter: not empty. flags: P O C F
 * in any order (C implies O), then an optional newline, then the end of
 * the write: the delimiter after the interpreter is required.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfm.h"

/* The delimiters the kernel pads the copy with, so that every scan ends. */
#define BFM_PAD 8

static int bfm_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/*
 * The kernel's scanarg: from @s up to the delimiter, every "\x" followed
 * by two hex digits; the delimiter becomes '\0'. What follows it, or NULL.
 */
static char *bfm_scanarg(char *s, char del)
{
	char c;

	while ((c = *s++) != del) {
		if (c == '\\' && *s == 'x') {
			s++;
			if (bfm_hexval(*s++) < 0)
				return NULL;
			if (bfm_hexval(*s++) < 0)
				return NULL;
		}
	}
	s[-1] = '\0';
	return s;
}

/*
 * string_unescape_inplace(s, UNESCAPE_HEX): "\xH" and "\xHH" become the
 * byte, any other backslash stays; ends at the first '\0'. The length.
 */
static int bfm_unescape(char *s)
{
	char *src = s, *out = s;

	while (*src) {
		if (src[0] == '\\' && src[1] != '\0') {
			src++;
			if (src[0] == 'x' && bfm_hexval(src[1]) >= 0) {
				int num = bfm_hexval(src[1]);

				src += 2;
				if (bfm_hexval(*src) >= 0)
					num = (num << 4) | bfm_hexval(*src++);
				*out++ = (char)num;
				continue;
			}
			*out++ = '\\';
		}
		*out++ = *src++;
	}
	*out = '\0';
	return (int)(out - s);
}

/* kstrtoint(s, 10): [+-]digits, an optional trailing newline, in an int. */
static int bfm_strtoint(const char *s, int *val)
{
	long long v = 0;
	bool neg = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (; isdigit((unsigned char)*s); s++) {
		v = v * 10 + (*s - '0');
		if (v > (long long)INT_MAX + 1)
			return -ERANGE;
	}
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (neg)
		v = -v;
	if (v > INT_MAX || v < INT_MIN)
		return -ERANGE;
	*val = (int)v;
	return 0;
}

#define BFM_BAD(reason)                \
	do {                           \
		if (why)               \
			*why = reason; \
		ret = -EINVAL;         \
		goto out;              \
	} while (0)

int bfm_parse(const char *ubuf, size_t count, struct bfm_entry *e, const char **why)
{
	char *buf, *p, *s, *name, *magic, *mask = NULL, *interp;
	char del;
	int ret = 0;

	if (why)
		*why = NULL;
	memset(e, 0, sizeof(*e));
	if (count < 11 || count > BFM_MAX_REGISTER) {
		if (why)
			*why = count < 11 ? "shorter than 11 bytes" : "longer than 1920 bytes";
		return -EINVAL;
	}
	buf = malloc(count + BFM_PAD + 1);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, ubuf, count);
	p = buf;
	del = *p++;
	if (del == 'P' || del == 'O' || del == 'C' || del == 'F')
		BFM_BAD("a flag letter as the delimiter");
	memset(buf + count, del, BFM_PAD);
	buf[count + BFM_PAD] = '\0';

	name = p;
	p = strchr(p, del);
	if (!p)
		BFM_BAD("no delimiter after the name");
	*p++ = '\0';
	if (!name[0] || !strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		BFM_BAD("the name is empty, \".\", \"..\" or has a '/'");
	if (strlen(name) > BFM_NAME_MAX) {
		if (why)
			*why = "the name is longer than 255 bytes";
		ret = -ENAMETOOLONG;
		goto out;
	}

	switch (*p++) {
	case 'E':
		e->magic_type = false;
		break;
	case 'M':
		e->magic_type = true;
		break;
	default:
		BFM_BAD("the type is neither M nor E");
	}
	if (*p++ != del)
		BFM_BAD("the type is more than one letter");

	if (e->magic_type) {
		s = strchr(p, del);
		if (!s)
			BFM_BAD("no delimiter after the offset");
		*s = '\0';
		if (p != s && (bfm_strtoint(p, &e->offset) != 0 || e->offset < 0))
			BFM_BAD("the offset is not a decimal number >= 0");
		p = s + 1;
		magic = p;
		p = bfm_scanarg(p, del);
		if (!p)
			BFM_BAD("a \\x escape of the magic without two hex digits");
		if (!magic[0])
			BFM_BAD("the magic is empty");
		mask = p;
		p = bfm_scanarg(p, del);
		if (!p)
			BFM_BAD("a \\x escape of the mask without two hex digits");
		if (!mask[0])
			mask = NULL;
		e->size = bfm_unescape(magic);
		if (mask && bfm_unescape(mask) != e->size)
			BFM_BAD("the mask is not as long as the magic");
		if (e->size > BFM_BUF || BFM_BUF - e->size < e->offset)
			BFM_BAD("the magic does not lie in the first 128 bytes");
		memcpy(e->magic, magic, (size_t)e->size);
		if (mask) {
			memcpy(e->mask, mask, (size_t)e->size);
			e->has_mask = true;
		}
	} else {
		p = strchr(p, del); /* the offset, ignored */
		if (!p)
			BFM_BAD("no delimiter after the offset");
		*p++ = '\0';
		magic = p;
		p = strchr(p, del);
		if (!p)
			BFM_BAD("no delimiter after the extension");
		*p++ = '\0';
		if (!magic[0] || strchr(magic, '/'))
			BFM_BAD("the extension is empty or has a '/'");
		if (strlen(magic) > BFM_BUF)
			BFM_BAD("the extension is longer than 128 bytes");
		strcpy((char *)e->magic, magic);
		e->size = (int)strlen(magic);
		p = strchr(p, del); /* the mask, ignored */
		if (!p)
			BFM_BAD("no delimiter after the mask");
		*p++ = '\0';
	}

	interp = p;
	p = strchr(p, del);
	if (!p)
		BFM_BAD("no delimiter after the interpreter");
	*p++ = '\0';
	if (!interp[0])
		BFM_BAD("the interpreter is empty");
	if (strlen(interp) > BFM_INTERP_MAX)
		BFM_BAD("the interpreter is longer than 127 bytes");
	strcpy(e->interpreter, interp);

	for (bool more = true; more;) {
		switch (*p) {
		case 'P':
			e->flags |= BFM_F_PRESERVE_ARGV0;
			break;
		case 'O':
			e->flags |= BFM_F_OPEN_BINARY;
			break;
		case 'C':
			e->flags |= BFM_F_CREDENTIALS | BFM_F_OPEN_BINARY;
			break;
		case 'F':
			e->flags |= BFM_F_FIX_BINARY;
			break;
		default:
			more = false;
			continue;
		}
		p++;
	}
	if (*p == '\n')
		p++;
	if (p != buf + count)
		BFM_BAD("the flags are not P, O, C, F, or the delimiter after the interpreter is missing");
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->enabled = true;
out:
	free(buf);
	if (ret)
		memset(e, 0, sizeof(*e));
	return ret;
}

int bfm_command(const char *s, size_t count)
{
	if (count > 3)
		return -EINVAL;
	if (!count)
		return BFM_CMD_NONE;
	if (s[count - 1] == '\n')
		count--;
	if (count == 1 && s[0] == '0')
		return BFM_CMD_DISABLE;
	if (count == 1 && s[0] == '1')
		return BFM_CMD_ENABLE;
	if (count == 2 && s[0] == '-' && s[1] == '1')
		return BFM_CMD_REMOVE;
	return -EINVAL;
}

bool bfm_match(const struct bfm_entry *e, const char *path, const unsigned char *head, int headlen)
{
	if (!e->enabled)
		return false;
	if (!e->magic_type) {
		const char *dot = strrchr(path, '.');

		return dot && strcmp((const char *)e->magic, dot + 1) == 0;
	}
	for (int j = 0; j < e->size; j++) {
		int i = e->offset + j;
		unsigned char c = i < headlen ? head[i] : 0;
		unsigned char d = c ^ e->magic[j];

		if (e->has_mask)
			d &= e->mask[j];
		if (d)
			return false;
	}
	return true;
}

void bfm_flag_letters(unsigned int flags, char out[5])
{
	char *p = out;

	if (flags & BFM_F_PRESERVE_ARGV0)
		*p++ = 'P';
	if (flags & BFM_F_OPEN_BINARY)
		*p++ = 'O';
	if (flags & BFM_F_CREDENTIALS)
		*p++ = 'C';
	if (flags & BFM_F_FIX_BINARY)
		*p++ = 'F';
	*p = '\0';
}

/* @n bytes of @data in lower-case hex at @p, with @end the buffer's end. */
static char *bfm_hex(char *p, const char *end, const unsigned char *data, int n)
{
	for (int i = 0; i < n && end - p > 2; i++)
		p += snprintf(p, (size_t)(end - p), "%02x", data[i]);
	return p;
}

size_t bfm_show(const struct bfm_entry *e, char *out, size_t size)
{
	char *p = out, *end = out + size;
	char fl[5];
	int n;

	if (!size)
		return 0;
	bfm_flag_letters(e->flags, fl);
	n = snprintf(p, (size_t)(end - p), "%s\ninterpreter %s\nflags: %s\n",
		     e->enabled ? "enabled" : "disabled", e->interpreter, fl);
	p += n < end - p ? n : end - p - 1;
	if (!e->magic_type) {
		n = snprintf(p, (size_t)(end - p), "extension .%s\n", (const char *)e->magic);
		p += n < end - p ? n : end - p - 1;
		return (size_t)(p - out);
	}
	n = snprintf(p, (size_t)(end - p), "offset %d\nmagic ", e->offset);
	p += n < end - p ? n : end - p - 1;
	p = bfm_hex(p, end, e->magic, e->size);
	if (e->has_mask && end - p > 7) {
		p += snprintf(p, (size_t)(end - p), "\nmask ");
		p = bfm_hex(p, end, e->mask, e->size);
	}
	if (end - p > 1) {
		*p++ = '\n';
		*p = '\0';
	}
	return (size_t)(p - out);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * debug_color.c - parse colour specs, keep one colour per tag, render them
 * as ANSI escapes.
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/debug_color.h"
#include "base/debug_tags.h"

/*
 * Layout of a packed colour: bits 0-4 effects in the order of
 * vu_effects; bits 8-11 foreground + 1 (0 = unset); bits 12-15 background + 1.
 */
#define VU_FG_SHIFT 8
#define VU_BG_SHIFT 12

/* Index = ANSI colour number: 30 + i foreground, 40 + i background. */
static const char vu_fg_chars[] = "nrgybmcw";
static const char vu_bg_chars[] = "NRGYBMCW";
/* Effect characters and their SGR codes. */
static const char vu_effects[] = "+-_*#";
static const int vu_effect_sgr[] = { 1, 2, 4, 5, 7 };

static _Atomic uint32_t vu_colors[VU_NTAGS];

int vu_color_parse(const char *spec, size_t len, uint32_t *color)
{
	uint32_t c = 0;

	for (size_t i = 0; i < len; i++) {
		const char *p;
		int ch = (unsigned char)spec[i];

		if (ch == '\0')
			return -EINVAL;
		if ((p = strchr(vu_fg_chars, ch)))
			c = (c & ~(0xfU << VU_FG_SHIFT)) | (uint32_t)(p - vu_fg_chars + 1) << VU_FG_SHIFT;
		else if ((p = strchr(vu_bg_chars, ch)))
			c = (c & ~(0xfU << VU_BG_SHIFT)) | (uint32_t)(p - vu_bg_chars + 1) << VU_BG_SHIFT;
		else if ((p = strchr(vu_effects, ch)))
			c |= 1U << (p - vu_effects);
		else
			return -EINVAL;
	}
	*color = c;
	return 0;
}

/* Walk "tags:spec" words; apply only when asked, so the caller can validate first. */
static int vu_color_walk(const char *s, bool apply)
{
	while (*s) {
		if (*s == ' ') {
			s++;
			continue;
		}
		size_t wlen = strcspn(s, " ");
		const char *colon = memchr(s, ':', wlen);
		uint32_t color;
		uint64_t mask = 0;

		if (!colon)
			return -EINVAL;
		for (const char *t = s; t < colon; t++) {
			int i = vu_tag_index((unsigned char)*t);

			if (i < 0)
				return -EINVAL;
			mask |= 1ULL << i;
		}
		if (colon == s)
			mask = ~1ULL; /* every tag; bit 0 is the space, not a tag */
		if (vu_color_parse(colon + 1, (size_t)(s + wlen - colon - 1), &color) < 0)
			return -EINVAL;
		if (apply)
			for (int i = 1; i < VU_NTAGS; i++)
				if (mask & (1ULL << i))
					atomic_store(&vu_colors[i], color);
		s += wlen;
	}
	return 0;
}

int vu_color_set_string(const char *s)
{
	int ret = vu_color_walk(s, false);

	return ret < 0 ? ret : vu_color_walk(s, true);
}

int vu_color_check_string(const char *s)
{
	return vu_color_walk(s, false);
}

uint32_t vu_color_get(int tag)
{
	int i = vu_tag_index(tag);

	return i < 0 ? 0 : atomic_load_explicit(&vu_colors[i], memory_order_relaxed);
}

void vu_color_escape(uint32_t color, char *buf, size_t len)
{
	unsigned int fg = (color >> VU_FG_SHIFT) & 0xf;
	unsigned int bg = (color >> VU_BG_SHIFT) & 0xf;
	size_t n = 0;
	const char *sep = "";

	if (len == 0)
		return;
	buf[0] = '\0';
	if (color == 0)
		return;
	n += (size_t)snprintf(buf + n, len - n, "\033[");
	for (size_t i = 0; i < sizeof(vu_effect_sgr) / sizeof(vu_effect_sgr[0]) && n < len; i++)
		if (color & (1U << i)) {
			n += (size_t)snprintf(buf + n, len - n, "%s%d", sep, vu_effect_sgr[i]);
			sep = ";";
		}
	if (fg && n < len) {
		n += (size_t)snprintf(buf + n, len - n, "%s%u", sep, 30 + fg - 1);
		sep = ";";
	}
	if (bg && n < len)
		n += (size_t)snprintf(buf + n, len - n, "%s%u", sep, 40 + bg - 1);
	if (n < len)
		snprintf(buf + n, len - n, "m");
}

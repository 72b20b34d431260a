/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debug_color.h - colours and font effects of debug messages (vudebug(1)).
 *
 * A colour spec is a string of: n w r g b c m y (foreground: black, white,
 * red, green, blue, cyan, magenta, yellow), the same in upper case
 * (background), and + - _ * # (bright, dim, underlined, blinking,
 * reverse). A colour is packed in 32 bits so that it is read and written
 * atomically.
 */
#ifndef KMVIEW_DAEMON_DEBUG_COLOR_H
#define KMVIEW_DAEMON_DEBUG_COLOR_H

#include <stddef.h>
#include <stdint.h>

/* Longest escape vu_color_escape() writes, NUL included. */
#define VU_COLOR_ESC_MAX 32

/* Parse len bytes of a colour spec; -EINVAL on an unknown character. */
int vu_color_parse(const char *spec, size_t len, uint32_t *color);
/*
 * Apply "tags:spec tags:spec ...": each tag gets the colour (an empty spec
 * removes it; empty tags mean every tag). Nothing changes unless the whole
 * string is valid: 0 or -EINVAL.
 */
int vu_color_set_string(const char *s);
/* Only check the syntax of such a string: 0 or -EINVAL. */
int vu_color_check_string(const char *s);
uint32_t vu_color_get(int tag);
/* The ANSI escape that starts the colour, "" for none. */
void vu_color_escape(uint32_t color, char *buf, size_t len);

#define VU_COLOR_RESET "\033[0m"

#endif /* KMVIEW_DAEMON_DEBUG_COLOR_H */

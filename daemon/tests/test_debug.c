// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_debug.c - debug tags (sets, names) and colours (specs, escapes).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "base/debug_color.h"
#include "base/debug_tags.h"
#include "base/log.h"
#include "tap.h"

static const char *esc(const char *spec)
{
	static char buf[VU_COLOR_ESC_MAX];
	uint32_t c;

	if (vu_color_parse(spec, strlen(spec), &c) < 0)
		return "(invalid)";
	vu_color_escape(c, buf, sizeof(buf));
	return buf;
}

static void test_tags(void)
{
	int mismatches = 0;
	uint64_t m;
	char buf[80];

	/* The O(1) mapping must agree with the string VUOS tools share. */
	for (int c = 0; c < 256; c++) {
		const char *p = c ? strchr(DEBUG_ALLTAGS, c) : NULL;
		int want = (p && c != ' ') ? (int)(p - DEBUG_ALLTAGS) : -1;

		mismatches += vu_tag_index(c) != want;
	}
	is_long(mismatches, 0, "vu_tag_index agrees with DEBUG_ALLTAGS for all 256 chars");
	is_long(vu_tag_char(vu_tag_index('s')), 's', "vu_tag_char inverts it");
	is_long(vu_tag_char(0), 0, "bit 0 (the space) is no tag");

	is_long(vu_tags_parse("sp", &m), 0, "parse sp");
	is_long(m, (1ULL << vu_tag_index('s')) | (1ULL << vu_tag_index('p')), "two bits");
	m = 42;
	is_long(vu_tags_parse("s p", &m), -EINVAL, "a space is not a tag");
	is_long(m, 42, "mask untouched on error");
	is_long(vu_tags_parse("", &m), 0, "empty string");
	is_long(m, 0, "is the empty set");

	vu_tags_parse(DEBUG_ALLTAGS + 1, &m);
	vu_tags_format(m, buf, sizeof(buf));
	is_str(buf, DEBUG_ALLTAGS + 1, "all tags round-trip in order");
	vu_tags_parse("zaZ9_", &m);
	vu_tags_format(m, buf, sizeof(buf));
	is_str(buf, "Z_az9", "format sorts by DEBUG_ALLTAGS");
	vu_tags_format(m, buf, 3);
	is_str(buf, "Z_", "cut to fit");
	buf[0] = 'X';
	vu_tags_format(m, buf, 0);
	is_long(buf[0], 'X', "len 0 writes nothing");

	vu_debug_tags_init();
	is_long(vu_debug_global(), 0, "nothing on at start");
	ok(!vu_debug_on('s'), "s off");
	vu_tags_parse("sc", &m);
	vu_debug_add(m);
	ok(vu_debug_on('s') && vu_debug_on('c') && !vu_debug_on('p'), "global s c on, p off");
	vu_tags_parse("p", &m);
	vu_debug_set_current(m);
	ok(vu_debug_on('p'), "p on for the current member");
	vu_debug_set_current(0);
	ok(!vu_debug_on('p'), "and off again");
	vu_tags_parse("s", &m);
	vu_debug_del(m);
	ok(!vu_debug_on('s') && vu_debug_on('c'), "del s keeps c");
	ok(!vu_debug_on(' ') && !vu_debug_on('!'), "non-tags are never on");

	vu_debug_get_name('m', buf, sizeof(buf));
	is_str(buf, "MODULE", "m is MODULE");
	vu_debug_get_name('a', buf, sizeof(buf));
	is_str(buf, "ACTION", "a is ACTION");
	vu_debug_get_name('c', buf, sizeof(buf));
	is_str(buf, "CHOICE", "c is CHOICE");
	vu_debug_get_name('p', buf, sizeof(buf));
	is_str(buf, "PATH", "p is PATH");
	is_long(vu_debug_set_name('F', "VUFUSE"), 0, "a module names its tag");
	vu_debug_get_name('F', buf, sizeof(buf));
	is_str(buf, "VUFUSE", "F is VUFUSE");
	is_long(vu_debug_set_name('F', "AVERYVERYLONGMODULENAME"), 0, "a long name");
	vu_debug_get_name('F', buf, sizeof(buf));
	is_long(strlen(buf), VU_TAGNAME_MAX - 1, "is cut");
	is_long(vu_debug_set_name('#', "X"), -EINVAL, "naming a non-tag: EINVAL");
}

static void test_colors(void)
{
	is_str(esc(""), "", "no colour, no escape");
	is_str(esc("r"), "\033[31m", "r: red foreground");
	is_str(esc("n"), "\033[30m", "n: black");
	is_str(esc("w"), "\033[37m", "w: white");
	is_str(esc("Y"), "\033[43m", "Y: yellow background");
	is_str(esc("g#"), "\033[7;32m", "g#: reverse green");
	is_str(esc("b+"), "\033[1;34m", "b+: bright blue");
	is_str(esc("+-_*#cM"), "\033[1;2;4;5;7;36;45m", "every effect, cyan on magenta");
	is_str(esc("rg"), "\033[32m", "the last foreground wins");
	is_str(esc("x"), "(invalid)", "x is not a colour");
	is_str(esc("r "), "(invalid)", "nor is a space");

	is_long(vu_color_set_string("p:r c:g# "), 0, "set p:r c:g#");
	ok(vu_color_get('p') != 0, "p has a colour");
	char buf[VU_COLOR_ESC_MAX];

	vu_color_escape(vu_color_get('c'), buf, sizeof(buf));
	is_str(buf, "\033[7;32m", "c is reverse green");
	is_long(vu_color_set_string(":b"), 0, "empty tags: every tag");
	vu_color_escape(vu_color_get('Z'), buf, sizeof(buf));
	is_str(buf, "\033[34m", "Z is blue now");
	vu_color_escape(vu_color_get('p'), buf, sizeof(buf));
	is_str(buf, "\033[34m", "and so is p");
	is_long(vu_color_get(' '), 0, "the space has none");
	is_long(vu_color_set_string("p:r q"), -EINVAL, "a word without colon: EINVAL");
	is_long(vu_color_set_string("p!:r"), -EINVAL, "a bad tag: EINVAL");
	vu_color_escape(vu_color_get('p'), buf, sizeof(buf));
	is_str(buf, "\033[34m", "a bad string changes nothing");
	is_long(vu_color_check_string("s:r p:"), 0, "check accepts good strings");
	is_long(vu_color_check_string("s:z"), -EINVAL, "check refuses bad ones");
	vu_color_escape(vu_color_get('s'), buf, sizeof(buf));
	is_str(buf, "\033[34m", "and applies nothing");
	vu_color_escape(vu_color_get('s'), buf, 4);
	is_long(strlen(buf), 3, "a short buffer gets a cut, terminated escape");
}

static void test_output(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&out, &len);
	uint64_t m;

	vu_log_set_stream(mem);
	vu_log_set_level(LOG_WARNING);
	vu_log(LOG_INFO, "hidden %d", 1);
	vu_log(LOG_WARNING, "shown %d", 2);
	vu_log(LOG_ERR, "bad %d", 3);
	vu_debug_del(~0ULL);
	vu_color_set_string(":");
	vu_debug('z', "off");
	vu_tags_parse("z", &m);
	vu_debug_add(m);
	vu_debug('z', "on %s", "z");
	vu_color_set_string("z:r");
	vu_debug('z', "red");
	fflush(mem);
	is_str(out,
	       "kmview: warning: shown 2\n"
	       "kmview: error: bad 3\n"
	       "kmview [z] on z\n"
	       "\033[31mkmview [z] red\033[0m\n",
	       "levels filter, tags filter, colours wrap the line");
	vu_log_set_stream(NULL);
	fclose(mem);
	free(out);
}

int main(void)
{
	test_tags();
	test_colors();
	test_output();
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_bfm.c - vubinfmt's register syntax, commands, match and status
 * text (bfm.c), against what Linux's fs/binfmt_misc.c accepts, refuses,
 * matches and prints.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bfm.h"
#include "tap.h"

static int parse(const char *s, struct bfm_entry *e)
{
	return bfm_parse(s, strlen(s), e, NULL);
}

/* @s must be refused with @err: say why bfm.c thinks so. */
static void refused(const char *s, int err, const char *what)
{
	struct bfm_entry e;
	const char *why = NULL;
	int ret = bfm_parse(s, strlen(s), &e, &why);

	is_long(ret, -err, "refused (%s): %s", what, why ? why : "-");
	ok(e.name[0] == '\0' && !e.enabled, "  nothing kept of it");
}

static const char i386_line[] =
	":i386:M::\\x7fELF\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"
	"\\x02\\x00\\x03\\x00:\\xff\\xff\\xff\\xff\\xff\\xfe\\xfe\\x00\\xff\\xff\\xff\\xff"
	"\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff:/usr/bin/qemu-i386-static:F\n";
/* Debian 12's /usr/lib/binfmt.d/qemu-arm.conf */
static const char arm_line[] =
	":qemu-arm:M::\\x7f\\x45\\x4c\\x46\\x01\\x01\\x01\\x00\\x00\\x00\\x00\\x00\\x00"
	"\\x00\\x00\\x00\\x02\\x00\\x28\\x00:\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\x00\\xff"
	"\\xff\\xff\\xff\\xff\\xff\\xff\\xff\\xfe\\xff\\xff\\xff"
	":/usr/libexec/qemu-binfmt/arm-binfmt-P:OPF";

static void test_parse_good(void)
{
	struct bfm_entry e;

	is_long(parse(":kmvsh:E::kmvsh::/bin/sh:", &e), 0, "an E entry");
	is_str(e.name, "kmvsh", "  its name");
	ok(!e.magic_type && e.enabled && e.flags == 0, "  type E, enabled, no flags");
	is_str((char *)e.magic, "kmvsh", "  the extension");
	is_str(e.interpreter, "/bin/sh", "  the interpreter");

	is_long(parse(":kmvsh:E:7:kmvsh:whatever:/bin/sh:\n", &e), 0,
		"E: offset and mask ignored, echo's newline taken");
	is_long(parse(":x:E::\\x41::/bin/sh:", &e), 0, "E: a \\x in the extension");
	is_str((char *)e.magic, "\\x41", "  is not decoded (as Linux)");

	is_long(parse(i386_line, &e), 0, "M: the i386 ELF line with a mask and F");
	ok(e.magic_type && e.has_mask && e.size == 20 && e.offset == 0, "  20 bytes, a mask");
	ok(e.magic[0] == 0x7f && e.magic[1] == 'E' && e.magic[18] == 3 && e.magic[19] == 0,
	   "  the magic decoded");
	ok(e.mask[5] == 0xfe && e.mask[16] == 0xfe && e.mask[19] == 0xff, "  the mask decoded");
	is_long(e.flags, BFM_F_FIX_BINARY, "  flag F");

	is_long(parse(arm_line, &e), 0, "Debian's qemu-arm.conf line (flags OPF)");
	is_long(e.flags, BFM_F_OPEN_BINARY | BFM_F_PRESERVE_ARGV0 | BFM_F_FIX_BINARY,
		"  flags P, O and F");
	is_str(e.interpreter, "/usr/libexec/qemu-binfmt/arm-binfmt-P", "  its interpreter");

	is_long(parse(":c:E::x::/i:C", &e), 0, "flag C");
	is_long(e.flags, BFM_F_CREDENTIALS | BFM_F_OPEN_BINARY, "  implies O");
	is_long(parse(":c:E::x::/i:FPPF\n", &e), 0, "flags repeated, in any order");

	is_long(parse(",n,M,2,AB,,/bin/x,", &e), 0, "another delimiter, an offset");
	ok(e.offset == 2 && e.size == 2 && !e.has_mask, "  offset 2, 2 bytes, no mask");
	is_long(parse(":n:M:+3:AB::/bin/x:", &e), 0, "an offset with a +, as kstrtoint");
	is_long(e.offset, 3, "  is 3");
	is_long(parse(":n:M:-0:AB::/bin/x:", &e), 0, "offset -0 is 0");

	is_long(parse(":n:M::a\\x3ab::/bin/x:", &e), 0, "M: an escaped delimiter");
	ok(e.size == 3 && e.magic[1] == ':', "  is a byte of the magic");
	is_long(parse(":n:M::a\\\\b::/bin/x:", &e), 0, "M: a backslash not before x");
	ok(e.size == 4 && e.magic[1] == '\\' && e.magic[2] == '\\', "  stays");
	is_long(parse(":n:M::\\x00\\x00::/bin/x:", &e), 0, "M: escaped NUL bytes");
	is_long(e.size, 2, "  count");

	is_long(parse(":n:M:124:ABCD::/bin/x:", &e), 0, "offset 124 + 4 bytes: the last of 128");
}

static void test_parse_bad(void)
{
	char big[2100];
	char name[300];
	char interp[200];

	refused(":a:E::b::/", EINVAL, "10 bytes");
	memset(big, 'a', sizeof(big));
	memcpy(big, ":n:E::ext::/", 12);
	big[1921] = ':';
	big[1922] = '\0';
	refused(big, EINVAL, "1922 bytes");
	refused("P:n:E::ext::/bin/sh:", EINVAL, "a flag letter as the delimiter");
	refused(":n:E::ext::/bin/sh", EINVAL, "no delimiter after the interpreter");
	refused(":n:E::ext::/bin/sh\n", EINVAL, "no delimiter, a newline");
	refused(":n:X::ext::/bin/sh:", EINVAL, "type X");
	refused(":n:MM::ext::/bin/sh:", EINVAL, "type MM");
	refused("::E::ext::/bin/sh:", EINVAL, "an empty name");
	refused(":.:E::ext::/bin/sh:", EINVAL, "name .");
	refused(":..:E::ext::/bin/sh:", EINVAL, "name ..");
	refused(":a/b:E::ext::/bin/sh:", EINVAL, "a name with a slash");
	refused(":n:M:abc:AB::/bin/sh:", EINVAL, "offset abc");
	refused(":n:M:-1:AB::/bin/sh:", EINVAL, "offset -1");
	refused(":n:M:99999999999:AB::/bin/sh:", EINVAL, "an offset beyond an int");
	refused(":n:M:::\\xff:/bin/sh:", EINVAL, "an empty magic");
	refused(":n:M::ABC:\\xff\\xff:/bin/sh:", EINVAL, "a mask shorter than the magic");
	refused(":n:M::\\x4:\\xff:/bin/sh:", EINVAL, "an escape with one hex digit");
	refused(":n:M::\\xzz::/bin/sh:", EINVAL, "an escape that is not hex");
	refused(":n:M:125:ABCD::/bin/sh:", EINVAL, "offset 125 + 4 bytes: beyond 128");
	refused(":n:E::a/b::/bin/sh:", EINVAL, "an extension with a slash");
	refused(":n:E::::/bin/sh:", EINVAL, "an empty extension");
	refused(":n:E::ext:::", EINVAL, "an empty interpreter");
	refused(":n:E::ext::/bin/sh:Z", EINVAL, "flag Z");
	refused(":n:E::ext::/bin/sh:P:", EINVAL, "something after the flags");
	refused(":n:E::ext::/bin/sh:\n\n", EINVAL, "two newlines");
	memset(name, 'n', sizeof(name));
	name[0] = ':';
	snprintf(name + 257, sizeof(name) - 257, ":E::x::/i:");
	refused(name, ENAMETOOLONG, "a name of 256 bytes");
	memset(interp, 'i', sizeof(interp));
	memcpy(interp, ":n:E::x::/", 10);
	snprintf(interp + 138, sizeof(interp) - 138, ":");
	refused(interp, EINVAL, "an interpreter of 128 bytes");
	{
		struct bfm_entry e;
		const char nul[] = ":n:E::e\0t::/bin/sh:";

		is_long(bfm_parse(nul, sizeof(nul) - 1, &e, NULL), -EINVAL, "a NUL in the string");
	}
}

static void test_command(void)
{
	is_long(bfm_command("0", 1), BFM_CMD_DISABLE, "\"0\" disables");
	is_long(bfm_command("1\n", 2), BFM_CMD_ENABLE, "\"1\\n\" enables");
	is_long(bfm_command("-1\n", 3), BFM_CMD_REMOVE, "\"-1\\n\" removes");
	is_long(bfm_command("-1", 2), BFM_CMD_REMOVE, "\"-1\" removes");
	is_long(bfm_command("", 0), BFM_CMD_NONE, "an empty write does nothing");
	is_long(bfm_command("2", 1), -EINVAL, "\"2\": EINVAL");
	is_long(bfm_command("-1x", 3), -EINVAL, "\"-1x\": EINVAL");
	is_long(bfm_command("-1\n\n", 4), -EINVAL, "more than 3 bytes: EINVAL");
	is_long(bfm_command("\n", 1), -EINVAL, "a newline alone: EINVAL");
}

static void test_match(void)
{
	struct bfm_entry e;
	unsigned char elf386[64] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0, 0,
				     0,	   0,	0,   0,	  0, 0, 2, 0, 3, 0 };
	unsigned char elfarm[64] = { 0x7f, 'E', 'L', 'F', 1, 1, 1, 0, 0,    0,
				     0,	   0,	0,   0,	  0, 0, 2, 0, 0x28, 0 };
	unsigned char elf64[64] = { 0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0,	   0,
				    0,	  0,   0,   0,	 0, 0, 3, 0, 0x3e, 0 };

	parse(":kmvsh:E::kmvsh::/bin/sh:", &e);
	ok(bfm_match(&e, "/tmp/x.kmvsh", NULL, 0), "E: x.kmvsh matches");
	ok(bfm_match(&e, "/tmp/x.tar.kmvsh", NULL, 0), "E: the last extension");
	ok(!bfm_match(&e, "/tmp/x.kmvshx", NULL, 0), "E: x.kmvshx does not");
	ok(!bfm_match(&e, "/tmp/kmvsh", NULL, 0), "E: no dot, no match");
	ok(!bfm_match(&e, "/a.kmvsh/b", NULL, 0), "E: a dot of a directory is not the file's");
	ok(!bfm_match(&e, "/tmp/x.KMVSH", NULL, 0), "E: case sensitive");
	e.enabled = false;
	ok(!bfm_match(&e, "/tmp/x.kmvsh", NULL, 0), "a disabled entry matches nothing");

	parse(":kmvm:M:1:KMV:\\xdf\\xdf\\xdf:/bin/sh:", &e);
	ok(bfm_match(&e, "/p", (const unsigned char *)"#KMV\n", 5), "M, mask: #KMV");
	ok(bfm_match(&e, "/p", (const unsigned char *)"#kmv\n", 5), "M, mask: #kmv (bit 5 masked)");
	ok(!bfm_match(&e, "/p", (const unsigned char *)"#KNV\n", 5), "M, mask: #KNV does not");
	ok(!bfm_match(&e, "/p", (const unsigned char *)"KMV\n", 4), "M: at its offset only");
	ok(!bfm_match(&e, "/p", (const unsigned char *)"#KM", 3), "M: a file shorter than it");

	parse(":z:M::AB\\x00::/bin/sh:", &e);
	ok(bfm_match(&e, "/p", (const unsigned char *)"AB", 2),
	   "M: past the file's end reads as zeros");

	parse(":elf:M::\\x7fELF::/bin/x:", &e);
	ok(bfm_match(&e, "/p", elf64, 64) && bfm_match(&e, "/p", elf386, 64),
	   "M without a mask: an exact match of the bytes");

	parse(i386_line, &e);
	ok(bfm_match(&e, "/p", elf386, 64), "the i386 line: an i386 ET_EXEC");
	elf386[16] = 3;
	ok(bfm_match(&e, "/p", elf386, 64), "  and ET_DYN (the mask's \\xfe)");
	elf386[7] = 3;
	ok(bfm_match(&e, "/p", elf386, 64),
	   "  and OSABI GNU/Linux (Debian's busybox: byte 7 masked)");
	ok(!bfm_match(&e, "/p", elfarm, 64), "  not an ARM ELF");
	ok(!bfm_match(&e, "/p", elf64, 64), "  not an x86-64 ELF");
	parse(arm_line, &e);
	ok(bfm_match(&e, "/p", elfarm, 64), "Debian's arm line: an ARM ELF");
	ok(!bfm_match(&e, "/p", elf386, 64), "  not an i386 one");
}

static void test_show(void)
{
	struct bfm_entry e;
	char buf[1024];
	size_t n;

	parse(":kmvsh:E::kmvsh::/bin/sh:", &e);
	n = bfm_show(&e, buf, sizeof(buf));
	is_str(buf, "enabled\ninterpreter /bin/sh\nflags: \nextension .kmvsh\n", "E as Linux");
	is_long(n, strlen(buf), "  its length");

	parse(":kmvm:M:1:KMV:\\xdf\\xdf\\xdf:/bin/sh:FP", &e);
	bfm_show(&e, buf, sizeof(buf));
	is_str(buf,
	       "enabled\ninterpreter /bin/sh\nflags: PF\noffset 1\nmagic 4b4d56\nmask dfdfdf\n",
	       "M with a mask, flags in Linux's order");

	parse(":elf:M::\\x7fELF::/x:C", &e);
	e.enabled = false;
	bfm_show(&e, buf, sizeof(buf));
	is_str(buf, "disabled\ninterpreter /x\nflags: OC\noffset 0\nmagic 7f454c46\n",
	       "disabled, no mask line, C shows as OC");

	parse(i386_line, &e);
	n = bfm_show(&e, buf, 40);
	ok(n == strlen(buf) && n < 40, "a short buffer: cut, terminated");
}

int main(void)
{
	test_parse_good();
	test_parse_bad();
	test_command();
	test_match();
	test_show();
	return tap_done();
}

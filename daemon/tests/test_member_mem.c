// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_member_mem.c - reading strings and buffers of a member, over the
 * fake backend's "unmapped pages".
 */
#include <errno.h>
#include <string.h>

#include "fake_backend.h"
#include "core/member_mem.h"
#include "tap.h"

static struct fake_backend f;
static struct vu_msg req = { .type = VU_MSG_SYSCALL, .tid = 1 };

int main(void)
{
	/* Two "pages" around 0x2000; page 0x3000 and up is unmapped. */
	static char page1[4096], page2[4096];
	char buf[64];

	fake_init(&f, 0);
	fake_map(&f, 0x1000, page1, sizeof(page1));
	fake_map(&f, 0x2000, page2, sizeof(page2));
	req.unique = 7;
	fake_hold(&f, 7); /* as if delivered */

	memcpy(page1 + 4094, "ab", 2);
	memcpy(page2, "cd", 3);
	is_long(vu_peek_str(&f.be, &req, 0x1000 + 4094, buf, sizeof(buf)), 4,
		"a string across a page boundary");
	is_str(buf, "abcd", "read whole");

	memcpy(page2 + 4090, "tail", 5);
	is_long(vu_peek_str(&f.be, &req, 0x2000 + 4090, buf, sizeof(buf)), 4,
		"a string ending just before an unmapped page");
	is_str(buf, "tail", "read without touching the next page");

	memcpy(page2 + 4093, "xyz", 3);
	is_long(vu_peek_str(&f.be, &req, 0x2000 + 4093, buf, sizeof(buf)), -EFAULT,
		"a string running into an unmapped page: EFAULT");
	is_long(vu_peek_str(&f.be, &req, 0x9000, buf, sizeof(buf)), -EFAULT, "unmapped: EFAULT");
	is_long(vu_peek_str(&f.be, &req, 0, buf, sizeof(buf)), -EFAULT, "NULL: EFAULT");

	memset(page1, 'a', 100);
	page1[100] = '\0';
	is_long(vu_peek_str(&f.be, &req, 0x1000, buf, sizeof(buf)), -ENAMETOOLONG,
		"longer than the buffer: ENAMETOOLONG");
	is_long(buf[sizeof(buf) - 1], 0, "the buffer stays terminated");
	is_long(vu_peek_str(&f.be, &req, 0x1000 + 37, buf, sizeof(buf)), 63,
		"exactly size - 1 characters fit");
	is_long(vu_peek_str(&f.be, &req, 0x1000, buf, 0), -ENAMETOOLONG, "size 0");

	is_long(vu_peek(&f.be, &req, 0x2000 + 4090, buf, 6), 0, "peek within a page");
	is_long(vu_peek(&f.be, &req, 0x2000 + 4090, buf, 7), -EFAULT, "peek past the end: EFAULT");
	is_long(vu_peek(&f.be, &req, 0x9000, buf, 0), 0, "peek of 0 bytes touches nothing");
	is_long(vu_poke(&f.be, &req, 0x1000, "hello", 6), 0, "poke");
	is_str(page1, "hello", "lands in the member");
	is_long(vu_poke(&f.be, &req, 0x2000 + 4094, "hello", 6), -EFAULT, "poke past the end: EFAULT");

	req.unique = 8;
	is_long(vu_peek(&f.be, &req, 0x1000, buf, 1), -ENOENT, "another request: refused");
	f.protocol_errors--; /* that violation was the point */
	is_long(f.protocol_errors, 0, "no other rule broken");
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* test_ramdisk_size.c - vudevramdisk's size=N[kKmMgG]: what parses, what does not. */
#include "ramdisk_size.h"
#include "tap.h"

static void good(const char *s, unsigned long long want)
{
	uint64_t v = 0;

	is_long(ramdisk_parse_size(s, &v), 0, "size=%s parses", s);
	is_long(v, want, "  as %llu bytes", want);
}

static void bad(const char *s)
{
	uint64_t v = 12345;

	is_long(ramdisk_parse_size(s, &v), -1, "size=%s is refused", s ? s : "(none)");
	is_long(v, 12345, "  and changes nothing");
}

int main(void)
{
	good("100M", 100ull << 20);
	good("100m", 100ull << 20);
	good("64k", 64ull << 10);
	good("64K", 64ull << 10);
	good("2G", 2ull << 30);
	good("1g", 1ull << 30);
	good("1048576", 1048576);
	good("1000", 1024); /* rounded up to a whole sector */
	good("1", 512);
	good("1024G", 1ull << 40);
	bad(NULL);
	bad("");
	bad("M");
	bad("foo");
	bad("0");
	bad("0M");
	bad("-1M");
	bad("+1M");
	bad("1MB");
	bad("1x");
	bad("1.5M");
	bad(" 1M");
	bad("1025G");
	bad("18446744073709551617");
	bad("99999999999999999999999M");
	is_long(RAMDISK_DEFAULT_SIZE, 32ull << 20, "the default is 32 MiB");
	return tap_done();
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_partx_table.c - the partition-table reader on made-up disks: MBR,
 * extended chains (with loops and links out of the disk), GPT with its
 * CRCs (a bad primary falls back to the backup), and tables that lie.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "partx_table.h"
#include "tap.h"

#define NSECT 20480 /* a 10 MiB disk */

static uint8_t *disk;
static uint64_t disk_nsect;
static int fail_at = -1; /* a sector whose read fails */
static char logbuf[4096];

static int rd(void *ctx, uint64_t lba, void *buf)
{
	if ((long long)lba == fail_at) {
		errno = EIO;
		return -1;
	}
	if (lba >= disk_nsect) { /* the reader must never ask */
		fprintf(stderr, "read of sector %llu past the disk\n", (unsigned long long)lba);
		abort();
	}
	memcpy(buf, disk + lba * 512, 512);
	return 0;
}

static void logf_(void *ctx, const char *fmt, ...)
{
	size_t n = strlen(logbuf);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(logbuf + n, sizeof(logbuf) - n, fmt, ap);
	va_end(ap);
	n = strlen(logbuf);
	if (n + 1 < sizeof(logbuf))
		strcat(logbuf, "\n");
}

static void new_disk(uint64_t nsect)
{
	free(disk);
	disk = calloc(nsect, 512);
	disk_nsect = nsect;
	fail_at = -1;
	logbuf[0] = '\0';
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Entry @i of the MBR or EBR in sector @lba, and the 55 aa signature. */
static void mbr_entry(uint64_t lba, int i, uint8_t type, uint32_t start, uint32_t n)
{
	uint8_t *s = disk + lba * 512, *e = s + 446 + 16 * i;

	e[4] = type;
	put32(e + 8, start);
	put32(e + 12, n);
	s[510] = 0x55;
	s[511] = 0xaa;
}

static int read_table(struct partx_table *t)
{
	return partx_read_table(t, disk_nsect, rd, logf_, NULL);
}

static void test_crc(void)
{
	is_long(partx_crc32(0, "123456789", 9), 0xcbf43926, "crc32 of the check string");
	is_long(partx_crc32(0, "", 0), 0, "crc32 of nothing");
}

static void test_mbr(void)
{
	struct partx_table t;

	new_disk(NSECT);
	is_long(read_table(&t), 0, "a blank disk reads");
	ok(t.kind == PARTX_NONE && t.last == 0, "  without partitions");
	ok(t.part[0].present && t.part[0].nsect == NSECT, "  the whole disk is part 0");
	ok(strstr(logbuf, "bad MBR signature 0 0"), "  and the log says why");

	new_disk(NSECT);
	mbr_entry(0, 0, 0x83, 2048, 4096);
	mbr_entry(0, 2, 0x82, 8192, 1024);
	is_long(read_table(&t), 0, "an MBR with two primaries");
	ok(t.kind == PARTX_MBR, "  is an MBR");
	is_long(t.last, 3, "  the last is 3");
	ok(t.part[1].present && t.part[1].start == 2048 && t.part[1].nsect == 4096 &&
		   t.part[1].type == 0x83,
	   "  partition 1");
	ok(!t.part[2].present, "  no partition 2");
	ok(t.part[3].present && t.part[3].start == 8192 && t.part[3].nsect == 1024,
	   "  partition 3");
	ok(!t.part[4].present, "  no partition 4");

	new_disk(NSECT);
	mbr_entry(0, 0, 0x83, 2048, 4096);
	mbr_entry(0, 1, 0x83, NSECT - 100, 101);
	mbr_entry(0, 2, 0x83, 0xffffff00u, 0x1000);
	read_table(&t);
	ok(t.part[1].present && !t.part[2].present && !t.part[3].present,
	   "entries past the end of the disk are dropped");
	ok(strstr(logbuf, "partition 2 (sectors 20380+101) is out of the disk"),
	   "  with a log line naming them");
	is_long(t.last, 1, "  and do not count");

	new_disk(NSECT);
	mbr_entry(0, 0, 0x83, 2048, 4096);
	fail_at = 0;
	is_long(read_table(&t), -1, "a disk that cannot be read fails");
}

/* primary 1, extended 2 at 4000 (10000 sectors), logicals in EBRs at 4000, 5000, 6000 */
static void ext_disk(void)
{
	new_disk(NSECT);
	mbr_entry(0, 0, 0x83, 2048, 1000);
	mbr_entry(0, 1, 0x05, 4000, 10000);
	mbr_entry(4000, 0, 0x83, 63, 500);
	mbr_entry(4000, 1, 0x05, 1000, 1500);
	mbr_entry(5000, 0, 0x83, 63, 700);
	mbr_entry(5000, 1, 0x05, 2000, 1500);
	mbr_entry(6000, 0, 0x07, 63, 900);
}

static void test_extended(void)
{
	struct partx_table t;

	ext_disk();
	is_long(read_table(&t), 0, "an extended chain of three");
	is_long(t.last, 7, "  partitions 5, 6, 7");
	ok(t.part[2].present && t.part[2].start == 4000 && t.part[2].nsect == 2,
	   "  the extended partition itself is 1 KiB, as in Linux");
	ok(t.part[5].start == 4063 && t.part[5].nsect == 500, "  5 is relative to its EBR");
	ok(t.part[6].start == 5063 && t.part[6].nsect == 700, "  6 too");
	ok(t.part[7].start == 6063 && t.part[7].nsect == 900 && t.part[7].type == 0x07,
	   "  7 too, with its type");
	is_str(logbuf, "", "  nothing to log");

	ext_disk();
	mbr_entry(6000, 1, 0x05, 0, 1500); /* back to the first EBR */
	is_long(read_table(&t), 0, "a chain that loops back");
	is_long(t.last, 7, "  keeps what it read once");
	ok(strstr(logbuf, "loops at sector 4000"), "  and says where it loops");

	ext_disk();
	mbr_entry(4000, 1, 0x05, 0, 1500); /* the first EBR links to itself */
	read_table(&t);
	ok(t.part[5].present && t.last == 5, "an EBR that links to itself: one logical");
	ok(strstr(logbuf, "loops"), "  and a log line");

	ext_disk();
	mbr_entry(5000, 1, 0x05, 20000, 1500); /* past the extended partition */
	read_table(&t);
	ok(t.last == 6 && strstr(logbuf, "out of the extended partition"),
	   "a link out of the extended partition ends the chain, logged");

	ext_disk();
	mbr_entry(0, 1, 0x05, 4000, 0xffff0000u); /* extended past the disk: so is its chain */
	read_table(&t);
	ok(!t.part[2].present && t.last == 1, "an extended partition out of the disk: no chain");

	ext_disk();
	mbr_entry(0, 1, 0x0f, 4000, 20000); /* LBA extended, larger than the disk */
	mbr_entry(5000, 1, 0x05, 16000, 1500); /* EBR at 20000: past the disk */
	read_table(&t);
	is_long(t.last, 1, "an extended partition larger than the disk is dropped");

	ext_disk();
	mbr_entry(5000, 0, 0x83, 63, 30000); /* logical 6 out of the disk */
	read_table(&t);
	ok(t.part[5].present && !t.part[6].present && t.part[7].present,
	   "a logical partition out of the disk is dropped, the next keeps its number");

	ext_disk();
	memset(disk + 5000 * 512 + 510, 0, 2);
	read_table(&t);
	ok(t.last == 5 && strstr(logbuf, "bad signature at sector 5000"),
	   "an EBR without a signature ends the chain, logged");

	ext_disk();
	mbr_entry(0, 3, 0x05, 15000, 1000);
	read_table(&t);
	ok(!t.part[4].present && strstr(logbuf, "second extended"),
	   "a second extended partition is ignored, logged");

	/* a long chain: every EBR links to the next, 200 of them */
	new_disk(NSECT);
	mbr_entry(0, 0, 0x05, 100, 19000);
	for (int i = 0; i < 200; i++) {
		mbr_entry(100 + 10 * (uint64_t)i, 0, 0x83, 1, 5);
		mbr_entry(100 + 10 * (uint64_t)i, 1, 0x05, 10 * (uint32_t)(i + 1), 10);
	}
	read_table(&t);
	is_long(t.last, 4 + PARTX_MAX_LOGICAL, "a chain of 200 stops at the limit");
	ok(strstr(logbuf, "more than"), "  logged");
}

/* --- GPT --- */
#define GPT_ENTS 128

static void gpt_entry(uint64_t entries_lba, int i, uint64_t first, uint64_t last, uint64_t attrs)
{
	uint8_t *e = disk + entries_lba * 512 + 128 * i;

	memset(e, 0, 128);
	e[0] = 0xaf; /* a non-zero type GUID */
	e[16] = (uint8_t)i;
	put64(e + 32, first);
	put64(e + 40, last);
	put64(e + 48, attrs);
}

static void gpt_header(uint64_t lba, uint64_t alt, uint64_t entries_lba)
{
	uint8_t *h = disk + lba * 512;

	memset(h, 0, 512);
	memcpy(h, "EFI PART", 8);
	put32(h + 8, 0x10000);
	put32(h + 12, 92);
	put64(h + 24, lba);
	put64(h + 32, alt);
	put64(h + 40, 34);
	put64(h + 48, disk_nsect - 34);
	put64(h + 72, entries_lba);
	put32(h + 80, GPT_ENTS);
	put32(h + 84, 128);
	put32(h + 88, partx_crc32(0, disk + entries_lba * 512, GPT_ENTS * 128));
	put32(h + 16, partx_crc32(0, h, 92));
}

/* Two partitions, 1 and 3, in both copies. */
static void gpt_disk(void)
{
	uint64_t last = NSECT - 1, back = NSECT - 33;

	new_disk(NSECT);
	mbr_entry(0, 0, 0xee, 1, NSECT - 1);
	for (int c = 0; c < 2; c++) {
		uint64_t ents = c ? back : 2;

		gpt_entry(ents, 0, 2048, 4095, 0);
		gpt_entry(ents, 2, 8192, 10239, 1ull << 60);
	}
	gpt_header(1, last, 2);
	gpt_header(last, 1, back);
}

static void test_gpt(void)
{
	struct partx_table t;

	gpt_disk();
	is_long(read_table(&t), 0, "a GPT");
	ok(t.kind == PARTX_GPT, "  is a GPT");
	is_long(t.last, 3, "  partitions 1 and 3");
	ok(t.part[1].present && t.part[1].start == 2048 && t.part[1].nsect == 2048 &&
		   !t.part[1].readonly,
	   "  partition 1");
	ok(!t.part[2].present, "  no partition 2");
	ok(t.part[3].present && t.part[3].start == 8192 && t.part[3].nsect == 2048 &&
		   t.part[3].readonly,
	   "  partition 3, read-only by its attribute");
	is_str(logbuf, "", "  nothing to log");

	gpt_disk();
	disk[512 + 40] ^= 1; /* a header field changed: its CRC no longer matches */
	is_long(read_table(&t), 0, "a GPT whose primary header CRC is bad");
	ok(t.kind == PARTX_GPT && t.last == 3 && t.part[1].start == 2048, "  reads the backup");
	ok(strstr(logbuf, "sector 1: bad CRC") && strstr(logbuf, "trying the backup"),
	   "  and logs it");

	gpt_disk();
	disk[2 * 512 + 33] ^= 0x10; /* partition 1's start, in the primary entries */
	read_table(&t);
	ok(t.last == 3 && t.part[1].start == 2048, "bad primary entries CRC: the backup's");
	ok(strstr(logbuf, "entries at sector 2: bad CRC"), "  logged");

	gpt_disk();
	disk[512 + 40] ^= 1;
	disk[(NSECT - 1) * 512 + 3] = 'X';
	read_table(&t);
	ok(t.last == 0 && strstr(logbuf, "no valid GPT"), "both copies bad: no partitions, logged");

	gpt_disk();
	gpt_entry(2, 1, 100, 50, 0); /* ends before it starts */
	gpt_entry(2, 4, 19000, 30000, 0); /* past the disk */
	gpt_header(1, NSECT - 1, 2);
	read_table(&t);
	ok(t.last == 3 && !t.part[2].present && !t.part[5].present,
	   "GPT entries that lie are dropped");
	ok(strstr(logbuf, "partition 2: ends before it starts") &&
		   strstr(logbuf, "partition 5 (sectors 19000+11001) is out of the disk"),
	   "  each with a log line");

	gpt_disk();
	put32(disk + 512 + 80, 0x7fffffff); /* entries: 256 GiB */
	put32(disk + 512 + 16, 0);
	put32(disk + 512 + 16, partx_crc32(0, disk + 512, 92));
	read_table(&t);
	ok(t.last == 3 && strstr(logbuf, "inconsistent"),
	   "a header with absurd entries is refused (its CRC is right): the backup");

	gpt_disk();
	put64(disk + 512 + 72, NSECT - 2); /* entries run past the disk */
	put32(disk + 512 + 16, 0);
	put32(disk + 512 + 16, partx_crc32(0, disk + 512, 92));
	read_table(&t);
	ok(t.last == 3 && strstr(logbuf, "out of the disk"), "entries out of the disk: the backup");

	gpt_disk();
	put32(disk + 512 + 12, 600); /* header size larger than a sector */
	read_table(&t);
	ok(t.last == 3 && strstr(logbuf, "bad size 600"), "a header size over 512: the backup");

	new_disk(2);
	mbr_entry(0, 0, 0xee, 1, 1);
	is_long(read_table(&t), 0, "a 2-sector disk with a protective MBR");
	ok(t.last == 0, "  has nothing");

	new_disk(64);
	mbr_entry(0, 0, 0xee, 1, 63);
	memcpy(disk + 512, "EFI PART", 8);
	is_long(read_table(&t), 0, "a truncated GPT (signature only) on a small disk");
	ok(t.last == 0, "  has nothing");

	gpt_disk();
	fail_at = 5;
	is_long(read_table(&t), -1, "a read error in the entries fails the read");
}

int main(void)
{
	test_crc();
	test_mbr();
	test_extended();
	test_gpt();
	free(disk);
	return tap_done();
}

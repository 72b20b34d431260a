/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * partx_table.h - reading a disk's partition table (MBR with its extended
 * chain, or GPT), as pure logic over a sector reader: vudevpartx and
 * vudevramdisk's `mbr` option both use it, and the host unit tests feed
 * it made-up disks.
 *
 * Partitions are numbered as Linux numbers them: MBR primaries 1-4,
 * logical partitions 5 on in chain order; GPT entry i is partition i + 1.
 * Sector size is 512 bytes.
 */
#ifndef PARTX_TABLE_H
#define PARTX_TABLE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>

#define PARTX_SECTOR 512
#define PARTX_MAX 256 /* highest partition number kept (GPT has 128 entries usually) */
#define PARTX_MAX_LOGICAL 128 /* an extended chain longer than this is a loop */

struct partx_part {
	bool present;
	bool readonly; /* GPT attribute bit 60 */
	uint8_t type; /* MBR type; 0xee for a GPT partition */
	uint64_t start; /* in sectors */
	uint64_t nsect;
};

/* part[0] is the whole disk; part[1..last] the partitions. */
struct partx_table {
	enum {
		PARTX_NONE,
		PARTX_MBR,
		PARTX_GPT
	} kind;
	unsigned int last; /* highest number present, 0 for none */
	struct partx_part part[PARTX_MAX + 1];
};

/* Read sector @lba (512 bytes) into @buf: 0, or -1 (errno set). */
typedef int (*partx_read_fn)(void *ctx, uint64_t lba, void *buf);
/* A line for the log: what was wrong with the table. */
typedef void (*partx_log_fn)(void *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Read the table of a disk of @nsect sectors into @t. What cannot be
 * trusted (an entry out of the disk, a loop in the extended chain, a GPT
 * whose CRCs fail) is dropped with a log line; the disk itself is always
 * part 0. Returns 0, or -1 if reading the disk failed (errno set), with
 * what was read so far in @t.
 */
int partx_read_table(struct partx_table *t, uint64_t nsect, partx_read_fn rd, partx_log_fn log,
		     void *ctx);

/* The CRC-32 of GPT (IEEE 802.3, reflected, as zlib's crc32()). */
uint32_t partx_crc32(uint32_t crc, const void *buf, size_t len);

#endif /* PARTX_TABLE_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * partx_table.c - MBR (with the extended chain) and GPT, read through a
 * sector reader (see partx_table.h). Everything on the disk is untrusted:
 * fields are read byte by byte as little endian, every LBA is checked
 * against the disk before it is read, and sizes before they are used.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "partx_table.h"

#define MBR_TABLE 446
#define MBR_ENTRY 16
#define MBR_TYPE_GPT 0xee
#define GPT_ENTRIES_MAX (1u << 20) /* bytes of GPT entries we accept (the usual: 16 KiB) */
#define GPT_ATTR_READONLY (1ull << 60)

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

uint32_t partx_crc32(uint32_t crc, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	crc = ~crc;
	while (len--) {
		crc ^= *p++;
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
	}
	return ~crc;
}

struct partx_src {
	uint64_t nsect;
	partx_read_fn rd;
	partx_log_fn log;
	void *ctx;
};

static int src_read(const struct partx_src *s, uint64_t lba, uint8_t *buf)
{
	if (lba >= s->nsect) {
		errno = ENXIO;
		return -1;
	}
	return s->rd(s->ctx, lba, buf);
}

/* Does [start, start + n) lie in the disk? */
static bool in_disk(const struct partx_src *s, uint64_t start, uint64_t n)
{
	return start < s->nsect && n <= s->nsect - start;
}

static bool mbr_extended(uint8_t type)
{
	return type == 0x05 || type == 0x0f || type == 0x85;
}

/* Add partition @num (start, size in sectors), unless it leaves the disk. */
static void add_part(struct partx_table *t, const struct partx_src *s, unsigned int num,
		     uint8_t type, uint64_t start, uint64_t n, bool ro)
{
	if (num > PARTX_MAX) {
		s->log(s->ctx, "partition %u: more than %d partitions, dropped", num, PARTX_MAX);
		return;
	}
	if (!in_disk(s, start, n)) {
		s->log(s->ctx,
		       "partition %u (sectors %llu+%llu) is out of the disk (%llu sectors), dropped",
		       num, (unsigned long long)start, (unsigned long long)n,
		       (unsigned long long)s->nsect);
		return;
	}
	t->part[num] = (struct partx_part){
		.present = true, .readonly = ro, .type = type, .start = start, .nsect = n
	};
	if (num > t->last)
		t->last = num;
}

/* --- GPT ----------------------------------------------------------------- */

struct gpt_hdr {
	uint64_t my_lba, alt_lba, first_usable, last_usable, entries_lba;
	uint32_t nentries, entry_size, entries_crc;
};

/* Is the header in sector @lba (read into @b) valid? Fills @h. */
static bool gpt_header_ok(const struct partx_src *s, uint64_t lba, uint8_t *b, struct gpt_hdr *h)
{
	uint32_t hsize, crc;

	if (src_read(s, lba, b) < 0) {
		s->log(s->ctx, "GPT header at sector %llu: cannot read it",
		       (unsigned long long)lba);
		return false;
	}
	if (memcmp(b, "EFI PART", 8) != 0) {
		s->log(s->ctx, "GPT header at sector %llu: bad signature", (unsigned long long)lba);
		return false;
	}
	hsize = le32(b + 12);
	if (hsize < 92 || hsize > PARTX_SECTOR) {
		s->log(s->ctx, "GPT header at sector %llu: bad size %u", (unsigned long long)lba,
		       hsize);
		return false;
	}
	crc = le32(b + 16);
	memset(b + 16, 0, 4);
	if (partx_crc32(0, b, hsize) != crc) {
		s->log(s->ctx, "GPT header at sector %llu: bad CRC", (unsigned long long)lba);
		return false;
	}
	h->my_lba = le64(b + 24);
	h->alt_lba = le64(b + 32);
	h->first_usable = le64(b + 40);
	h->last_usable = le64(b + 48);
	h->entries_lba = le64(b + 72);
	h->nentries = le32(b + 80);
	h->entry_size = le32(b + 84);
	h->entries_crc = le32(b + 88);
	if (h->my_lba != lba || h->first_usable > h->last_usable || h->last_usable >= s->nsect ||
	    h->entry_size < 128 || h->entry_size % 8 ||
	    (uint64_t)h->nentries * h->entry_size > GPT_ENTRIES_MAX) {
		s->log(s->ctx, "GPT header at sector %llu: inconsistent fields",
		       (unsigned long long)lba);
		return false;
	}
	return true;
}

/* The entries of @h, checked against their CRC: a buffer to free, or NULL. */
static uint8_t *gpt_entries(const struct partx_src *s, const struct gpt_hdr *h, int *err)
{
	size_t len = (size_t)h->nentries * h->entry_size;
	uint64_t nsec = (len + PARTX_SECTOR - 1) / PARTX_SECTOR;
	uint8_t *buf;

	*err = 0;
	if (!in_disk(s, h->entries_lba, nsec)) {
		s->log(s->ctx, "GPT entries at sector %llu: out of the disk",
		       (unsigned long long)h->entries_lba);
		return NULL;
	}
	buf = malloc(nsec * PARTX_SECTOR + 1);
	if (!buf) {
		*err = ENOMEM;
		return NULL;
	}
	for (uint64_t i = 0; i < nsec; i++) {
		if (src_read(s, h->entries_lba + i, buf + i * PARTX_SECTOR) < 0) {
			*err = errno;
			free(buf);
			return NULL;
		}
	}
	if (partx_crc32(0, buf, len) != h->entries_crc) {
		s->log(s->ctx, "GPT entries at sector %llu: bad CRC",
		       (unsigned long long)h->entries_lba);
		free(buf);
		return NULL;
	}
	return buf;
}

static int gpt_read(struct partx_table *t, const struct partx_src *s)
{
	uint64_t where[2] = { 1, s->nsect - 1 };
	uint8_t b[PARTX_SECTOR];
	struct gpt_hdr h;
	uint8_t *e = NULL;
	int err = 0;

	for (int i = 0; i < 2 && !e; i++) {
		if (i == 1)
			s->log(s->ctx, "primary GPT is not valid: trying the backup");
		if (gpt_header_ok(s, where[i], b, &h))
			e = gpt_entries(s, &h, &err);
		if (err) {
			errno = err;
			return -1;
		}
	}
	if (!e) {
		s->log(s->ctx, "no valid GPT: no partitions");
		return 0;
	}
	t->kind = PARTX_GPT;
	for (uint32_t i = 0; i < h.nentries; i++) {
		const uint8_t *p = e + (size_t)i * h.entry_size;
		static const uint8_t unused[16];
		uint64_t first = le64(p + 32), last = le64(p + 40);

		if (memcmp(p, unused, 16) == 0)
			continue;
		if (last < first) {
			s->log(s->ctx, "partition %u: ends before it starts, dropped", i + 1);
			continue;
		}
		add_part(t, s, i + 1, MBR_TYPE_GPT, first, last - first + 1,
			 le64(p + 48) & GPT_ATTR_READONLY);
	}
	free(e);
	return 0;
}

/* --- MBR ----------------------------------------------------------------- */

static bool mbr_signed(const uint8_t *b)
{
	return b[510] == 0x55 && b[511] == 0xaa;
}

/* The logical partitions of the extended partition at @ext (size @ext_n), from 5 on. */
static int mbr_logical(struct partx_table *t, const struct partx_src *s, uint64_t ext,
		       uint64_t ext_n)
{
	uint64_t seen[PARTX_MAX_LOGICAL];
	uint64_t ebr = ext;
	unsigned int num = 5;
	uint8_t b[PARTX_SECTOR];

	for (int n = 0;; n++) {
		if (n == PARTX_MAX_LOGICAL) {
			s->log(s->ctx,
			       "extended partition: more than %d logical partitions, the rest dropped",
			       PARTX_MAX_LOGICAL);
			return 0;
		}
		for (int i = 0; i < n; i++) {
			if (seen[i] == ebr) {
				s->log(s->ctx, "extended partition: the chain loops at sector %llu",
				       (unsigned long long)ebr);
				return 0;
			}
		}
		seen[n] = ebr;
		if (!in_disk(s, ebr, 1)) {
			s->log(s->ctx, "extended partition: link to sector %llu is out of the disk",
			       (unsigned long long)ebr);
			return 0;
		}
		if (src_read(s, ebr, b) < 0)
			return -1;
		if (!mbr_signed(b)) {
			s->log(s->ctx, "extended partition: bad signature at sector %llu",
			       (unsigned long long)ebr);
			return 0;
		}
		const uint8_t *d = b + MBR_TABLE, *l = b + MBR_TABLE + MBR_ENTRY;
		uint32_t dn = le32(d + 12);

		if (d[4] && dn && !mbr_extended(d[4]))
			add_part(t, s, num++, d[4], ebr + le32(d + 8), dn, false);
		if (!mbr_extended(l[4]) || !le32(l + 12))
			return 0;
		if (le32(l + 8) >= ext_n) {
			s->log(s->ctx, "extended partition: link %u out of the extended partition",
			       le32(l + 8));
			return 0;
		}
		ebr = ext + le32(l + 8);
	}
}

static int mbr_read(struct partx_table *t, const struct partx_src *s, const uint8_t *b)
{
	uint64_t ext = 0, ext_n = 0;

	t->kind = PARTX_MBR;
	for (unsigned int i = 0; i < 4; i++) {
		const uint8_t *e = b + MBR_TABLE + i * MBR_ENTRY;
		uint64_t start = le32(e + 8), n = le32(e + 12);

		if (!e[4] || !n)
			continue;
		if (mbr_extended(e[4])) {
			if (ext) {
				s->log(s->ctx, "partition %u: a second extended partition, ignored",
				       i + 1);
				continue;
			}
			if (!in_disk(s, start, n)) {
				add_part(t, s, i + 1, e[4], start, n, false); /* logs the drop */
				continue;
			}
			ext = start;
			ext_n = n;
			/* as Linux: the extended partition itself is 1 KiB, so nobody formats it */
			add_part(t, s, i + 1, e[4], start, n < 2 ? n : 2, false);
			continue;
		}
		add_part(t, s, i + 1, e[4], start, n, false);
	}
	return ext ? mbr_logical(t, s, ext, ext_n) : 0;
}

int partx_read_table(struct partx_table *t, uint64_t nsect, partx_read_fn rd, partx_log_fn log,
		     void *ctx)
{
	struct partx_src s = { .nsect = nsect, .rd = rd, .log = log, .ctx = ctx };
	uint8_t b[PARTX_SECTOR];

	memset(t, 0, sizeof(*t));
	t->part[0] = (struct partx_part){ .present = true, .type = 0xff, .nsect = nsect };
	if (nsect == 0)
		return 0;
	if (src_read(&s, 0, b) < 0)
		return -1;
	if (!mbr_signed(b)) {
		log(ctx, "no partition table (bad MBR signature %x %x)", b[510], b[511]);
		return 0;
	}
	for (int i = 0; i < 4; i++)
		if (b[MBR_TABLE + i * MBR_ENTRY + 4] == MBR_TYPE_GPT)
			return nsect > 2 ? gpt_read(t, &s) : 0;
	return mbr_read(t, &s, b);
}

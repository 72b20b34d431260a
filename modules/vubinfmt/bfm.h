/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bfm.h - the pure part of vubinfmt: the kernel's binfmt_misc register
 * syntax, its commands, the match of a file and what an entry reads as
 * (fs/binfmt_misc.c's create_entry, parse_command, search_binfmt_handler
 * and entry_status, rewritten). No hypervisor symbol: the host unit test
 * (tests/test_bfm.c) links it alone.
 */
#ifndef VUBINFMT_BFM_H
#define VUBINFMT_BFM_H

#include <stdbool.h>
#include <stddef.h>

/* The register string's limit (the kernel's MAX_REGISTER_LENGTH). */
#define BFM_MAX_REGISTER 1920
/*
 * The magic must lie in the first BFM_BUF bytes: what the hypervisor
 * reads of a file (vumodule.h's BINFMTBUFLEN; Linux 6.1 reads 256).
 */
#define BFM_BUF 128
/* The interpreter's longest path (the kernel's documented limit). */
#define BFM_INTERP_MAX 127
/* A name fits the one component of its file. */
#define BFM_NAME_MAX 255

/* The flags, as the kernel's MISC_FMT_* letters. */
#define BFM_F_PRESERVE_ARGV0 0x1 /* P */
#define BFM_F_OPEN_BINARY 0x2 /* O */
#define BFM_F_CREDENTIALS 0x4 /* C (implies O) */
#define BFM_F_FIX_BINARY 0x8 /* F */

struct bfm_entry {
	char name[BFM_NAME_MAX + 1];
	bool magic_type; /* M; false: E */
	bool enabled;
	bool has_mask; /* M with a mask (else an exact match) */
	int offset; /* M: where the magic is */
	int size; /* M: bytes of magic (and mask) */
	unsigned char magic[BFM_BUF + 1]; /* M: the bytes; E: the extension, a string */
	unsigned char mask[BFM_BUF];
	char interpreter[BFM_INTERP_MAX + 1];
	unsigned int flags; /* BFM_F_* */
};

/*
 * Parse a register string, @count bytes at @buf (a trailing newline
 * allowed), into @e (enabled). 0, or -EINVAL: the string is not what
 * the kernel accepts, or an interpreter longer than BFM_INTERP_MAX, or
 * a magic that does not lie in the first BFM_BUF bytes. @why, if not
 * NULL, says what was wrong (a static string).
 */
int bfm_parse(const char *buf, size_t count, struct bfm_entry *e, const char **why);

/* The commands written to an entry or to status (the kernel's parse_command). */
enum bfm_cmd {
	BFM_CMD_NONE = 0, /* an empty write */
	BFM_CMD_DISABLE = 1, /* "0" */
	BFM_CMD_ENABLE = 2, /* "1" */
	BFM_CMD_REMOVE = 3, /* "-1" */
};

/* The command of @count bytes at @buf (a trailing newline allowed): enum bfm_cmd, or -EINVAL. */
int bfm_command(const char *buf, size_t count);

/*
 * Does enabled @e claim the file @path (as the exec names it) whose first
 * bytes are @head (@headlen of them; the rest reads as zeros, as the
 * kernel's buffer)? An extension is what follows the last '.' of @path.
 */
bool bfm_match(const struct bfm_entry *e, const char *path, const unsigned char *head, int headlen);

/*
 * What reading @e gives, as Linux's: status, interpreter, flags, then the
 * extension, or offset, magic and mask in hex. The length written in
 * @out (always terminated; the text is at most about 700 bytes).
 */
size_t bfm_show(const struct bfm_entry *e, char *out, size_t size);

/* The flags of @flags as letters, in the kernel's order (POCF), in @out (5 bytes). */
void bfm_flag_letters(unsigned int flags, char out[5]);

#endif /* VUBINFMT_BFM_H */

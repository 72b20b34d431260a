/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * debug_tags.h - which debug categories are on, globally and per member.
 *
 * A tag is one character of DEBUG_ALLTAGS (vulib.h); its bit in a mask is
 * its position there. A message of a tag is shown when the tag is on
 * globally or for the member whose request the thread is serving (the
 * "local" tags of vudebug(1)).
 */
#ifndef KMVIEW_DAEMON_DEBUG_TAGS_H
#define KMVIEW_DAEMON_DEBUG_TAGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VU_NTAGS 64
#define VU_TAGNAME_MAX 16 /* bytes of a category name, NUL included */

/* Bit number of tag character c, or -1 if c is not a tag. */
int vu_tag_index(int c);
/* The tag character of bit i (0 < i < VU_NTAGS). */
char vu_tag_char(int i);
/* Mask of a string of tags; -EINVAL if a character is not a tag. */
int vu_tags_parse(const char *tags, uint64_t *mask);
/* The tags of mask as a string, in DEBUG_ALLTAGS order, cut to fit len. */
void vu_tags_format(uint64_t mask, char *buf, size_t len);

void vu_debug_tags_init(void);
void vu_debug_add(uint64_t mask);
void vu_debug_del(uint64_t mask);
uint64_t vu_debug_global(void);

/* The local tags of the member this thread is serving now. */
void vu_debug_set_current(uint64_t local);
bool vu_debug_on(int tag);

/* Category names (SYSCALL, PATH, ...); modules name their upper-case tags. */
int vu_debug_set_name(int tag, const char *name);
void vu_debug_get_name(int tag, char *buf, size_t len);

#endif /* KMVIEW_DAEMON_DEBUG_TAGS_H */

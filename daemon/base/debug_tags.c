// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * debug_tags.c - the sets of enabled debug tags and the names of tags.
 *
 * The global mask is read on every request, so it is a lock-free atomic;
 * names change only when a module loads, so they sit behind a mutex.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#define _VU_HYPERVISOR
#include <vulib.h>

#include "base/debug_tags.h"

static _Atomic uint64_t vu_global_tags;
/* Set by the serving thread for the request it handles. */
static __thread uint64_t vu_current_tags;

static pthread_mutex_t vu_names_lock = PTHREAD_MUTEX_INITIALIZER;
static char vu_names[VU_NTAGS][VU_TAGNAME_MAX];

_Static_assert(sizeof(DEBUG_ALLTAGS) - 1 == VU_NTAGS, "one bit per tag position");

/* O(1) equivalent of strchr(DEBUG_ALLTAGS, c): the string is ordered in runs. */
int vu_tag_index(int c)
{
	if (c >= 'A' && c <= 'Z')
		return 1 + (c - 'A');
	if (c == '_')
		return 27;
	if (c >= '0' && c <= '4')
		return 28 + (c - '0');
	if (c >= 'a' && c <= 'z')
		return 33 + (c - 'a');
	if (c >= '5' && c <= '9')
		return 59 + (c - '5');
	return -1;
}

char vu_tag_char(int i)
{
	return (i > 0 && i < VU_NTAGS) ? DEBUG_ALLTAGS[i] : '\0';
}

int vu_tags_parse(const char *tags, uint64_t *mask)
{
	uint64_t m = 0;

	for (; *tags; tags++) {
		int i = vu_tag_index((unsigned char)*tags);

		if (i < 0)
			return -EINVAL;
		m |= 1ULL << i;
	}
	*mask = m;
	return 0;
}

void vu_tags_format(uint64_t mask, char *buf, size_t len)
{
	size_t n = 0;

	if (len == 0)
		return;
	for (int i = 1; i < VU_NTAGS && n + 1 < len; i++)
		if (mask & (1ULL << i))
			buf[n++] = DEBUG_ALLTAGS[i];
	buf[n] = '\0';
}

void vu_debug_tags_init(void)
{
	static const struct {
		char tag;
		const char *name;
	} hypervisor_tags[] = {
		{ 'a', "ACTION" }, { 'c', "CHOICE" }, { 'm', "MODULE" },
		{ 'n', "NESTED" }, { 'p', "PATH" },   { 's', "SYSCALL" },
	};

	for (size_t i = 0; i < sizeof(hypervisor_tags) / sizeof(hypervisor_tags[0]); i++)
		vu_debug_set_name(hypervisor_tags[i].tag, hypervisor_tags[i].name);
}

void vu_debug_add(uint64_t mask)
{
	atomic_fetch_or(&vu_global_tags, mask);
}

void vu_debug_del(uint64_t mask)
{
	atomic_fetch_and(&vu_global_tags, ~mask);
}

uint64_t vu_debug_global(void)
{
	return atomic_load_explicit(&vu_global_tags, memory_order_relaxed);
}

void vu_debug_set_current(uint64_t local)
{
	vu_current_tags = local;
}

bool vu_debug_on(int tag)
{
	int i = vu_tag_index(tag);

	if (i < 0)
		return false;
	return ((vu_debug_global() | vu_current_tags) >> i) & 1;
}

int vu_debug_set_name(int tag, const char *name)
{
	int i = vu_tag_index(tag);

	if (i < 0)
		return -EINVAL;
	pthread_mutex_lock(&vu_names_lock);
	strncpy(vu_names[i], name, VU_TAGNAME_MAX - 1);
	vu_names[i][VU_TAGNAME_MAX - 1] = '\0';
	pthread_mutex_unlock(&vu_names_lock);
	return 0;
}

void vu_debug_get_name(int tag, char *buf, size_t len)
{
	int i = vu_tag_index(tag);

	if (len == 0)
		return;
	buf[0] = '\0';
	if (i < 0)
		return;
	pthread_mutex_lock(&vu_names_lock);
	strncpy(buf, vu_names[i], len - 1);
	buf[len - 1] = '\0';
	pthread_mutex_unlock(&vu_names_lock);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * member.c - per-member state, in a hash table keyed by tid.
 *
 * Every fork and exit of the view passes through here, so lookups of
 * members without state must be cheap: an empty bucket is one load.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

#include "member.h"

#define VU_MEMBER_BUCKETS 256

struct vu_member {
	struct vu_member *next;
	pid_t tid;
	uint64_t tags;
};

static pthread_mutex_t vu_member_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vu_member *vu_members[VU_MEMBER_BUCKETS];
static size_t vu_nmembers;

static struct vu_member **vu_member_slot(pid_t tid)
{
	struct vu_member **pp = &vu_members[(unsigned int)tid % VU_MEMBER_BUCKETS];

	while (*pp && (*pp)->tid != tid)
		pp = &(*pp)->next;
	return pp;
}

/* Called with the lock held. tags == 0 drops the entry. */
static int vu_member_store(pid_t tid, uint64_t tags)
{
	struct vu_member **pp = vu_member_slot(tid);
	struct vu_member *m = *pp;

	if (m && tags) {
		m->tags = tags;
	} else if (m) {
		*pp = m->next;
		free(m);
		vu_nmembers--;
	} else if (tags) {
		m = malloc(sizeof(*m));
		if (!m)
			return -ENOMEM;
		m->tid = tid;
		m->tags = tags;
		m->next = NULL;
		*pp = m;
		vu_nmembers++;
	}
	return 0;
}

uint64_t vu_member_tags(pid_t tid)
{
	uint64_t tags;

	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = *vu_member_slot(tid);

	tags = m ? m->tags : 0;
	pthread_mutex_unlock(&vu_member_lock);
	return tags;
}

int vu_member_set_tags(pid_t tid, uint64_t tags)
{
	pthread_mutex_lock(&vu_member_lock);
	int ret = vu_member_store(tid, tags);

	pthread_mutex_unlock(&vu_member_lock);
	return ret;
}

void vu_member_fork(pid_t parent, pid_t child)
{
	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = *vu_member_slot(parent);

	/* A stale entry of a reused tid must not leak into the child. */
	vu_member_store(child, m ? m->tags : 0);
	pthread_mutex_unlock(&vu_member_lock);
}

void vu_member_exit(pid_t tid)
{
	vu_member_set_tags(tid, 0);
}

size_t vu_member_count(void)
{
	pthread_mutex_lock(&vu_member_lock);
	size_t n = vu_nmembers;

	pthread_mutex_unlock(&vu_member_lock);
	return n;
}

void vu_member_clear(void)
{
	pthread_mutex_lock(&vu_member_lock);
	for (size_t i = 0; i < VU_MEMBER_BUCKETS; i++) {
		while (vu_members[i]) {
			struct vu_member *m = vu_members[i];

			vu_members[i] = m->next;
			free(m);
		}
	}
	vu_nmembers = 0;
	pthread_mutex_unlock(&vu_member_lock);
}

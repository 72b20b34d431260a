// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * member.c - per-member state, in a hash table keyed by tid.
 *
 * Every fork and exit of the view passes through here, so lookups of
 * members without state must be cheap: an empty bucket is one load.
 *
 * A virtual cwd belongs to a struct vu_fs, as the kernel's cwd belongs to
 * its fs_struct: threads and processes created with CLONE_FS share it, a
 * plain fork copies it.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>

#include "core/member.h"
#include "core/vuht.h"

struct vu_fs {
	int refs;
	char *cwd;               /* absolute path in the view, NULL: the kernel's */
	char *root;              /* a chroot: absolute path in the view, or NULL */
	struct vuht_entry_t *ht; /* the mount it is in, held: umount says EBUSY */
};

#define VU_MEMBER_BUCKETS 256

struct vu_member {
	struct vu_member *next;
	pid_t tid;
	uint64_t tags;
	struct vu_fs *fs; /* NULL: the cwd is real */
};

static pthread_mutex_t vu_member_lock = PTHREAD_MUTEX_INITIALIZER;
static size_t vu_nchroots; /* struct vu_fs with a root */
static struct vu_member *vu_members[VU_MEMBER_BUCKETS];
static size_t vu_nmembers;

static struct vu_member **vu_member_slot(pid_t tid)
{
	struct vu_member **pp = &vu_members[(unsigned int)tid % VU_MEMBER_BUCKETS];

	while (*pp && (*pp)->tid != tid)
		pp = &(*pp)->next;
	return pp;
}

/* The entry of @tid, created if @create; NULL if none (or ENOMEM). Lock held. */
static struct vu_member *vu_member_find(pid_t tid, bool create)
{
	struct vu_member **pp = vu_member_slot(tid);

	if (*pp || !create)
		return *pp;
	*pp = calloc(1, sizeof(**pp));
	if (*pp) {
		(*pp)->tid = tid;
		vu_nmembers++;
	}
	return *pp;
}

/*
 * Drop a reference to @fs. Lock held; a use of a mount to give back is
 * left in *@ht for after the lock (vuht has its own).
 */
static void vu_fs_put(struct vu_fs *fs, struct vuht_entry_t **ht)
{
	if (!fs || --fs->refs > 0)
		return;
	*ht = fs->ht;
	if (fs->root)
		vu_nchroots--;
	free(fs->root);
	free(fs->cwd);
	free(fs);
}

/* Forget the entry of @tid if it holds nothing any more. Lock held. */
static void vu_member_trim(pid_t tid)
{
	struct vu_member **pp = vu_member_slot(tid);
	struct vu_member *m = *pp;

	if (m && !m->tags && !m->fs) {
		*pp = m->next;
		free(m);
		vu_nmembers--;
	}
}

/* Called with the lock held. tags == 0 with no cwd drops the entry. */
static int vu_member_store(pid_t tid, uint64_t tags)
{
	struct vu_member *m = vu_member_find(tid, tags != 0);

	if (!m)
		return tags ? -ENOMEM : 0;
	m->tags = tags;
	vu_member_trim(tid);
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

static struct vu_fs *vu_fs_new(const char *cwd, const char *root, struct vuht_entry_t *ht)
{
	struct vu_fs *fs = calloc(1, sizeof(*fs));

	if (fs && ((cwd && !(fs->cwd = strdup(cwd))) || (root && !(fs->root = strdup(root))))) {
		free(fs->cwd);
		free(fs);
		return NULL;
	}
	if (fs && root)
		vu_nchroots++;
	if (fs) {
		fs->refs = 1;
		fs->ht = ht;
		if (ht)
			vuht_pick_again(ht);
	}
	return fs;
}

/*
 * CLONE_FS: parent and child share one vu_fs from now on, even while the
 * cwd is real, so that a later chdir of either moves both. A plain fork
 * copies a virtual cwd.
 */
int vu_member_fork(pid_t parent, pid_t child, uint64_t clone_flags)
{
	struct vuht_entry_t *stale = NULL;
	struct vu_member *p, *c;
	int ret = 0;

	pthread_mutex_lock(&vu_member_lock);
	/* A stale entry of a reused tid must not leak into the child. */
	c = vu_member_find(child, false);
	if (c) {
		vu_fs_put(c->fs, &stale);
		c->fs = NULL;
	}
	p = vu_member_find(parent, clone_flags & CLONE_FS);
	vu_member_store(child, p ? p->tags : 0);
	if (p && (clone_flags & CLONE_FS)) {
		if (!p->fs)
			p->fs = vu_fs_new(NULL, NULL, NULL);
		c = vu_member_find(child, true);
		if (!p->fs || !c) {
			ret = -ENOMEM;
		} else {
			c->fs = p->fs;
			c->fs->refs++;
		}
	} else if (p && p->fs && (p->fs->cwd || p->fs->root)) {
		c = vu_member_find(child, true);
		if (c)
			c->fs = vu_fs_new(p->fs->cwd, p->fs->root, p->fs->ht);
		if (!c || !c->fs)
			ret = -ENOMEM;
	}
	vu_member_trim(child);
	vu_member_trim(parent);
	pthread_mutex_unlock(&vu_member_lock);
	vuht_drop(stale);
	return ret;
}

void vu_member_exit(pid_t tid)
{
	struct vuht_entry_t *ht = NULL;

	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = vu_member_find(tid, false);

	if (m) {
		vu_fs_put(m->fs, &ht);
		m->fs = NULL;
		m->tags = 0;
		vu_member_trim(tid);
	}
	pthread_mutex_unlock(&vu_member_lock);
	vuht_drop(ht);
}

/* Copy @s to @buf: 1, or -ENAMETOOLONG. */
static int vu_member_copy(const char *s, char *buf, size_t size)
{
	size_t len = strlen(s);

	if (len >= size)
		return -ENAMETOOLONG;
	memcpy(buf, s, len + 1);
	return 1;
}

int vu_member_getcwd(pid_t tid, char *buf, size_t size)
{
	int ret = 0;

	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = vu_member_find(tid, false);

	if (m && m->fs && m->fs->cwd)
		ret = vu_member_copy(m->fs->cwd, buf, size);
	pthread_mutex_unlock(&vu_member_lock);
	return ret;
}

int vu_member_chdir(pid_t tid, const char *path, struct vuht_entry_t *ht)
{
	struct vuht_entry_t *old = ht;
	char *copy = path ? strdup(path) : NULL;
	int ret = 0;

	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = vu_member_find(tid, path != NULL);

	if (m && !m->fs && path)
		m->fs = vu_fs_new(NULL, NULL, NULL);
	if (path && (!copy || !m || !m->fs)) {
		ret = -ENOMEM;
	} else if (m && m->fs) {
		/* for every sharer of the fs, as in the kernel */
		old = m->fs->ht;
		free(m->fs->cwd);
		m->fs->cwd = copy;
		m->fs->ht = ht;
		copy = NULL;
	}
	if (m)
		vu_member_trim(tid);
	pthread_mutex_unlock(&vu_member_lock);
	free(copy);
	vuht_drop(old);
	return ret;
}

int vu_member_getroot(pid_t tid, char *buf, size_t size)
{
	int ret = 0;

	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = vu_member_find(tid, false);

	if (m && m->fs && m->fs->root)
		ret = vu_member_copy(m->fs->root, buf, size);
	pthread_mutex_unlock(&vu_member_lock);
	return ret;
}

int vu_member_chroot(pid_t tid, const char *root, const char *cwd)
{
	char *rcopy = strdup(root), *ccopy = cwd ? strdup(cwd) : NULL;
	int ret = 0;

	pthread_mutex_lock(&vu_member_lock);
	struct vu_member *m = vu_member_find(tid, true);

	if (m && !m->fs)
		m->fs = vu_fs_new(NULL, NULL, NULL);
	if (!rcopy || (cwd && !ccopy) || !m || !m->fs) {
		ret = -ENOMEM;
	} else {
		if (!m->fs->root)
			vu_nchroots++;
		free(m->fs->root);
		m->fs->root = rcopy;
		rcopy = NULL;
		if (!m->fs->cwd) {
			m->fs->cwd = ccopy;
			ccopy = NULL;
		}
	}
	if (m)
		vu_member_trim(tid);
	pthread_mutex_unlock(&vu_member_lock);
	free(rcopy);
	free(ccopy);
	return ret;
}

size_t vu_member_chroots(void)
{
	pthread_mutex_lock(&vu_member_lock);
	size_t n = vu_nchroots;

	pthread_mutex_unlock(&vu_member_lock);
	return n;
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
			struct vuht_entry_t *ht = NULL;

			vu_members[i] = m->next;
			vu_fs_put(m->fs, &ht);
			vuht_drop(ht);
			free(m);
		}
	}
	vu_nmembers = 0;
	vu_nchroots = 0;
	pthread_mutex_unlock(&vu_member_lock);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vuht.c - the responsibility table (see vuht.h), and the functions of
 * vumodule.h that add, delete and read its entries.
 *
 * One mutex guards the list. It is never held while a module runs (a
 * confirm function or a cleanup may call back into the table): a lookup
 * takes a use of each candidate under the lock, then asks the confirm
 * functions without it.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

#include <linux/kmview.h>

#include "kmod/path.h"
#include "base/log.h"
#include "core/modctx.h"
#include "core/service.h"
#include "core/vuht.h"

static pthread_mutex_t vuht_lock = PTHREAD_MUTEX_INITIALIZER;
static struct vuht_entry_t *vuht_head; /* newest first */
static uint64_t vuht_clock;
static bool vuht_changed;
static size_t vuht_npaths; /* live entries that need a kernel prefix */
/* live entries of each kind: a call asks cheaply whether a kind is in use at all */
static size_t vuht_ntype[NCHECKS];
static __thread struct vu_service_t *vuht_own_service;
/* 0 stands for VU_EPOCH_NOW, so a new thread starts at "now". */
static __thread uint64_t vu_thread_epoch;

#define VUHT_MAX_CANDIDATES 32

uint64_t vu_epoch_get(void)
{
	return vu_thread_epoch ? vu_thread_epoch : VU_EPOCH_NOW;
}

uint64_t vu_epoch_set(uint64_t epoch)
{
	uint64_t old = vu_epoch_get();

	vu_thread_epoch = epoch == VU_EPOCH_NOW ? 0 : epoch;
	return old;
}

static bool vuht_is_string(uint8_t type)
{
	return type == CHECKPATH || type == CHECKMODULE || type == CHECKFSALIAS ||
	       type == CHECKBINFMT;
}

/* Does the rest of a looked-up path, @tail, continue a CHECKPATH entry with @vuflags? */
static bool vuht_path_tail_ok(int vuflags, const char *tail)
{
	if (vuflags & VUFLAG_PREFIX)
		return strchr(tail, '/') == NULL; /* /dev/hda owns /dev/hda1, not /dev/hda/x */
	return *tail == '\0' || *tail == '/';
}

/* The path a lookup of @type is about (CHECKBINFMT: the request's). */
static const char *vuht_key_path(uint8_t type, const void *obj)
{
	return type == CHECKBINFMT ? ((const struct binfmt_req_t *)obj)->path : obj;
}

/* Does @ht match @obj of @type? */
static bool vuht_match(const struct vuht_entry_t *ht, uint8_t type, const void *obj, int objlen)
{
	const char *s;
	size_t len;

	switch (type) {
	case CHECKPATH:
	case CHECKBINFMT:
		if (ht->type != type)
			return false;
		s = vuht_key_path(type, obj);
		len = (size_t)ht->objlen;
		return strncmp(s, ht->obj, len) == 0 && vuht_path_tail_ok(ht->vuflags, s + len);
	case CHECKPATHEXACT:
		s = obj;
		return ht->type == CHECKPATH && strcmp(s[1] ? s : "", ht->obj) == 0;
	case CHECKFSTYPE:
		/* vufsxyz reaches vufs: the module whose name prefixes the type */
		if (ht->type != CHECKMODULE)
			return false;
		return strncmp(obj, ht->obj, (size_t)ht->objlen) == 0;
	case CHECKMODULE:
	case CHECKFSALIAS:
		return ht->type == type && strcmp(obj, ht->obj) == 0;
	default:
		if (ht->type != type)
			return false;
		/* no key: a wildcard, every key of its kind */
		return ht->objlen == 0 ||
		       (ht->objlen == objlen && memcmp(obj, ht->obj, (size_t)objlen) == 0);
	}
}

/* What a confirm function of @ht is asked about a lookup of @obj (see vumodule.h). */
static void *vuht_confirm_arg(const struct vuht_entry_t *ht, uint8_t type, const void *obj,
			      int objlen, int *arglen)
{
	if (type == CHECKPATH) {
		const char *tail = (const char *)obj + ht->objlen;

		*arglen = (int)strlen(tail);
		return (void *)tail;
	}
	if (type == CHECKFSALIAS) {
		*arglen = (int)strlen(obj);
		return (void *)obj;
	}
	*arglen = type == CHECKBINFMT ? (int)sizeof(struct binfmt_req_t) : objlen;
	return (void *)obj;
}

struct vuht_candidate {
	struct vuht_entry_t *ht;
};

/* VUOS's order: the most recent first, whatever the length of its key. */
static int vuht_better(const struct vuht_candidate *a, const struct vuht_candidate *b)
{
	return a->ht->epoch > b->ht->epoch;
}

struct vuht_entry_t *vuht_pick(uint8_t type, const void *obj, int objlen, uint64_t epoch)
{
	struct vuht_candidate cand[VUHT_MAX_CANDIDATES];
	struct vuht_entry_t *found = NULL;
	int n = 0;

	pthread_mutex_lock(&vuht_lock);
	for (struct vuht_entry_t *ht = vuht_head; ht; ht = ht->next) {
		if (ht->deleted || ht->epoch >= epoch || ht->service->closing)
			continue;
		if (!vuht_match(ht, type, obj, objlen))
			continue;
		struct vuht_candidate c = { ht };

		/* keep the array sorted, best first; past the bound, drop the worst */
		if (n == VUHT_MAX_CANDIDATES) {
			if (!vuht_better(&c, &cand[n - 1]))
				continue;
			n--;
		}
		int i = n++;

		while (i > 0 && vuht_better(&c, &cand[i - 1])) {
			cand[i] = cand[i - 1];
			i--;
		}
		cand[i] = c;
	}
	for (int i = 0; i < n; i++)
		cand[i].ht->uses++;
	pthread_mutex_unlock(&vuht_lock);

	int i;

	for (i = 0; i < n; i++) {
		struct vuht_entry_t *ht = cand[i].ht;

		if (ht->confirmfun == NEGATIVE_MOUNT)
			break;
		if (ht->confirmfun && type != CHECKMODULE && type != CHECKFSTYPE) {
			if (!vu_mcall_may(ht, VU_M_none))
				break; /* in the reader, a module that may wait: a worker asks */
			int arglen;
			void *arg = vuht_confirm_arg(ht, type & ~PSEUDO_CHECK, obj, objlen, &arglen);
			uint64_t old = vu_epoch_set(ht->epoch);
			int yes = ht->confirmfun(type & ~PSEUDO_CHECK, arg, arglen, ht);

			vu_epoch_set(old);
			if (!yes)
				continue;
		}
		found = ht;
		break;
	}
	for (int j = 0; j < n; j++)
		if (cand[j].ht != found)
			vuht_drop(cand[j].ht);
	return found;
}

void vuht_pick_again(struct vuht_entry_t *ht)
{
	pthread_mutex_lock(&vuht_lock);
	ht->uses++;
	pthread_mutex_unlock(&vuht_lock);
}

static void vuht_free(struct vuht_entry_t *ht)
{
	free(ht->obj);
	free(ht->redirect);
	free(ht->source);
	free(ht->fstype);
	free(ht->mountopts);
	free(ht);
}

/* Unlink a deleted entry with no uses left; tell its module. Called unlocked. */
static void vuht_release(struct vuht_entry_t *ht)
{
	pthread_mutex_lock(&vuht_lock);
	for (struct vuht_entry_t **pp = &vuht_head; *pp; pp = &(*pp)->next)
		if (*pp == ht) {
			*pp = ht->next;
			break;
		}
	pthread_mutex_unlock(&vuht_lock);
	struct vu_service_t *s = ht->service;

	if (ht->type != CHECKMODULE)
		vu_service_cleanup(s, ht->type, ht->obj, ht->objlen, ht);
	vuht_free(ht);
	vu_service_put(s); /* after its cleanup: the code may go now */
}

void vuht_drop(struct vuht_entry_t *ht)
{
	bool last;

	if (!ht)
		return;
	pthread_mutex_lock(&vuht_lock);
	last = --ht->uses == 0 && ht->deleted;
	pthread_mutex_unlock(&vuht_lock);
	if (last)
		vuht_release(ht);
}

const char *vuht_path2mpath(struct vuht_entry_t *ht, const char *path)
{
	/* a device entry serving a path gets it whole, as in VUOS */
	if ((ht->type & ~PSEUDO_CHECK) != CHECKPATH)
		return path;
	const char *m = path + ht->objlen;

	if (ht->type != CHECKPATH)
		return path; /* a socket's file (sc/socket.c): not under a key */

	return *m ? m : "/";
}

int vuht_service_entries(const struct vu_service_t *service)
{
	int n = 0;

	/*
	 * A deleted entry still in use (a request of the pool in one of its
	 * methods, after a lazy umount) keeps the module busy as well.
	 */
	pthread_mutex_lock(&vuht_lock);
	for (struct vuht_entry_t *ht = vuht_head; ht; ht = ht->next)
		if (ht->service == service && ht->type != CHECKMODULE &&
		    (!ht->deleted || ht->uses > 0))
			n++;
	pthread_mutex_unlock(&vuht_lock);
	return n;
}

void vuht_adding_own(struct vu_service_t *service)
{
	vuht_own_service = service;
}

int vuht_service_quiesce(struct vu_service_t *service, struct vuht_entry_t *sht)
{
	pthread_mutex_lock(&vuht_lock);
	bool busy = sht->uses > 1;

	for (struct vuht_entry_t *ht = vuht_head; ht && !busy; ht = ht->next)
		if (ht->service == service && ht != sht)
			busy = ht->uses > 0 || (!ht->deleted && !ht->own);
	if (!busy)
		service->closing = true;
	pthread_mutex_unlock(&vuht_lock);
	return busy ? -EBUSY : 0;
}

void vuht_service_reopen(struct vu_service_t *service)
{
	pthread_mutex_lock(&vuht_lock);
	service->closing = false;
	pthread_mutex_unlock(&vuht_lock);
}

void vuht_del_service(struct vu_service_t *service)
{
	for (;;) {
		struct vuht_entry_t *victim = NULL;

		pthread_mutex_lock(&vuht_lock);
		for (struct vuht_entry_t *ht = vuht_head; ht && !victim; ht = ht->next)
			if (ht->service == service && ht->type != CHECKMODULE && !ht->deleted)
				victim = ht;
		if (victim)
			victim->permanent = false;
		pthread_mutex_unlock(&vuht_lock);
		if (!victim)
			return;
		vuht_del(victim, MNT_DETACH);
	}
}

void vuht_del_all(void)
{
	for (;;) {
		struct vuht_entry_t *victim = NULL;

		/* newest first: a mount goes before the one its source is on */
		pthread_mutex_lock(&vuht_lock);
		for (struct vuht_entry_t *ht = vuht_head; ht && !victim; ht = ht->next)
			if (ht->type != CHECKMODULE && !ht->own && !ht->deleted)
				victim = ht;
		if (victim)
			victim->permanent = false;
		pthread_mutex_unlock(&vuht_lock);
		if (!victim)
			return;
		vuht_del(victim, MNT_DETACH);
	}
}

void vuht_foreach(uint8_t type, void (*fn)(struct vuht_entry_t *ht, void *arg), void *arg)
{
	struct vuht_entry_t *few[64], **list = few;
	size_t n = 0, max = 0;

	/* newest first in the list: collect (every one), then call oldest first, unlocked */
	pthread_mutex_lock(&vuht_lock);
	for (struct vuht_entry_t *ht = vuht_head; ht; ht = ht->next)
		max += ht->type == type && !ht->deleted;
	if (max > sizeof(few) / sizeof(few[0]))
		list = malloc(max * sizeof(*list));
	if (!list) {
		pthread_mutex_unlock(&vuht_lock);
		vu_log(LOG_ERR, "no memory to walk the table: %zu entries", max);
		return;
	}
	for (struct vuht_entry_t *ht = vuht_head; ht && n < max; ht = ht->next)
		if (ht->type == type && !ht->deleted) {
			ht->uses++;
			list[n++] = ht;
		}
	pthread_mutex_unlock(&vuht_lock);
	while (n > 0) {
		fn(list[--n], arg);
		vuht_drop(list[n]);
	}
	if (list != few)
		free(list);
}

size_t vuht_max_paths(void)
{
	return (VUHT_MAX_PREFIXES < KMVIEW_MAX_PREFIXES ? VUHT_MAX_PREFIXES : KMVIEW_MAX_PREFIXES) -
	       VUHT_RESERVED_PREFIXES;
}

size_t vuht_path_count(void)
{
	pthread_mutex_lock(&vuht_lock);
	size_t n = vuht_npaths;

	pthread_mutex_unlock(&vuht_lock);
	return n;
}

bool vuht_has_type(uint8_t type)
{
	if (type >= NCHECKS)
		return false;
	pthread_mutex_lock(&vuht_lock);
	bool has = vuht_ntype[type] > 0;

	pthread_mutex_unlock(&vuht_lock);
	return has;
}

uint64_t vuht_epoch_next(void)
{
	pthread_mutex_lock(&vuht_lock);
	uint64_t e = vuht_clock + 1;

	pthread_mutex_unlock(&vuht_lock);
	return e;
}

bool vuht_take_changed(void)
{
	pthread_mutex_lock(&vuht_lock);
	bool c = vuht_changed;

	vuht_changed = false;
	pthread_mutex_unlock(&vuht_lock);
	return c;
}

static char *vuht_strdup(const char *s)
{
	return strdup(s ? s : "");
}

/* A new entry, not in the table yet; @obj is copied. Sets errno and returns NULL on failure. */
static struct vuht_entry_t *vuht_new(uint8_t type, const void *obj, int objlen,
				     struct vu_service_t *service, int vuflags,
				     confirmfun_t confirmfun, void *private_data)
{
	struct vuht_entry_t *ht;

	if (type >= NCHECKS || objlen < 0 || (objlen > 0 && !obj) || !service) {
		errno = EINVAL;
		return NULL;
	}
	ht = calloc(1, sizeof(*ht));
	/* a wildcard's key reads as zeros (vudev reads a dev_t from its wildcard's) */
	if (!ht || !(ht->obj = calloc(1, (size_t)objlen + 1 + sizeof(uint64_t)))) {
		free(ht);
		errno = ENOMEM;
		return NULL;
	}
	if (objlen)
		memcpy(ht->obj, obj, objlen);
	((char *)ht->obj)[objlen] = '\0';
	ht->type = type;
	ht->objlen = objlen;
	ht->service = service;
	ht->confirmfun = confirmfun;
	ht->private_data = private_data;
	/* VUFLAG_PREFIX is for paths only */
	ht->vuflags = type == CHECKPATH ? vuflags : vuflags & ~VUFLAG_PREFIX;
	ht->permanent = vuflags & VUFLAG_PERMANENT;
	ht->own = service == vuht_own_service;
	return ht;
}

/* Every path entry, negative mounts too (a real tree: VU_PREFIX_NATIVE). */
static bool vuht_needs_prefix(const struct vuht_entry_t *ht)
{
	return ht->type == CHECKPATH;
}

/* Publish the complete entry @ht, or free it: ENOSPC past VUHT_MAX_PATHS. */
static struct vuht_entry_t *vuht_publish(struct vuht_entry_t *ht)
{
	size_t max = vuht_max_paths();

	pthread_mutex_lock(&vuht_lock);
	if (vuht_needs_prefix(ht) && vuht_npaths >= max) {
		pthread_mutex_unlock(&vuht_lock);
		vu_log(LOG_ERR, "module %s: cannot add %s: a view has at most %zu mounts "
		       "(the daemon pushes %zu path prefixes to the kernel, %d are the mount "
		       "table files' and the fd links')",
		       ht->service->mod ? ht->service->mod->name : "?",
		       ht->objlen ? (char *)ht->obj : "/", max, max + VUHT_RESERVED_PREFIXES,
		       VUHT_RESERVED_PREFIXES);
		vuht_free(ht);
		errno = ENOSPC;
		return NULL;
	}
	vuht_npaths += vuht_needs_prefix(ht);
	vuht_ntype[ht->type]++;
	vu_service_get(ht->service);
	ht->epoch = ++vuht_clock;
	ht->next = vuht_head;
	vuht_head = ht;
	vuht_changed = true;
	pthread_mutex_unlock(&vuht_lock);
	return ht;
}

struct vuht_entry_t *vuht_add(uint8_t type, const void *obj, int objlen,
			      struct vu_service_t *service, int vuflags, confirmfun_t confirmfun,
			      void *private_data)
{
	if (type == CHECKPATH) {
		/* a path needs normalising and a mount table line: vuht_pathadd */
		return vuht_pathadd(type, NULL, obj, NULL, 0, NULL, service, vuflags, confirmfun,
				    private_data);
	}
	if (!obj)
		objlen = 0;
	if (vuht_is_string(type) && obj)
		objlen = (int)strnlen(obj, (size_t)objlen);
	struct vuht_entry_t *ht = vuht_new(type, obj, objlen, service, vuflags, confirmfun,
					   private_data);

	return ht ? vuht_publish(ht) : NULL;
}

bool vuht_opt(const char *opts, const char *word)
{
	size_t n = strlen(word);
	const char *p = opts;

	while (p && (p = strstr(p, word)) != NULL) {
		if ((p == opts || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
		p += n;
	}
	return false;
}

struct vuht_entry_t *vuht_pathadd(uint8_t type, const char *source, const char *path,
				  const char *fstype, unsigned long mountflags,
				  const char *mountopts, struct vu_service_t *service, int vuflags,
				  confirmfun_t confirmfun, void *private_data)
{
	char norm[KMVIEW_PATH_MAX];
	size_t len;
	struct vuht_entry_t *ht;

	if (type != CHECKPATH || !path || path[0] != '/' ||
	    (len = strlen(path)) >= sizeof(norm)) {
		errno = EINVAL;
		return NULL;
	}
	memcpy(norm, path, len + 1);
	len = kmview_path_normalize(norm, len);
	/* "/" is the empty prefix: every path continues it with a '/' */
	if (len == 1)
		len = 0;
	if (vuht_opt(mountopts, "permanent"))
		vuflags |= VUFLAG_PERMANENT;
	ht = vuht_new(type, norm, (int)len, service, vuflags, confirmfun, private_data);
	if (!ht)
		return NULL;
	/* all of it before anyone can find it (the mount table shows these) */
	ht->mountflags = mountflags;
	ht->source = vuht_strdup(source ? source : "none");
	ht->fstype = vuht_strdup(fstype ? fstype : "none");
	ht->mountopts = vuht_strdup(mountopts);
	if (!ht->source || !ht->fstype || !ht->mountopts) {
		vuht_free(ht);
		errno = ENOMEM;
		return NULL;
	}
	return vuht_publish(ht);
}

int vuht_redirect(struct vuht_entry_t *ht, const char *realdir)
{
	struct stat st;
	char *real;

	if (!ht || ht->type != CHECKPATH || ht->confirmfun || !realdir || realdir[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	/* the kernel resolves it without following symlinks: the canonical path */
	real = realpath(realdir, NULL);
	if (!real)
		return -1;
	if (stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(real);
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&vuht_lock);
	free(ht->redirect);
	ht->redirect = real;
	vuht_changed = true;
	pthread_mutex_unlock(&vuht_lock);
	return 0;
}

int vuht_del(struct vuht_entry_t *ht, int umountflags)
{
	bool lazy = umountflags & (MNT_FORCE | MNT_DETACH);
	/*
	 * The request being served holds a use of its own entry (umount2
	 * reaches the module through it): that one does not make it busy.
	 */
	int own = ht && ht == vu_mod_getht() ? 1 : 0;
	bool last;

	if (!ht)
		return -ENOENT;
	pthread_mutex_lock(&vuht_lock);
	if (ht->deleted) {
		pthread_mutex_unlock(&vuht_lock);
		return -EINVAL;
	}
	if (ht->permanent || (!lazy && ht->uses > own)) {
		pthread_mutex_unlock(&vuht_lock);
		return -EBUSY;
	}
	ht->deleted = true;
	vuht_npaths -= vuht_needs_prefix(ht);
	vuht_ntype[ht->type]--;
	vuht_changed = true;
	last = ht->uses == 0;
	pthread_mutex_unlock(&vuht_lock);
	if (last)
		vuht_release(ht);
	return 0;
}

struct vu_service_t *vuht_get_service(struct vuht_entry_t *hte)
{
	return hte ? hte->service : NULL;
}

const void *vuht_get_obj(struct vuht_entry_t *hte)
{
	return hte->obj;
}

int vuht_get_objlen(struct vuht_entry_t *hte)
{
	return hte->objlen;
}

void *vuht_get_private_data(struct vuht_entry_t *hte)
{
	return hte ? hte->private_data : NULL;
}

void vuht_set_private_data(struct vuht_entry_t *hte, void *ht_private_data)
{
	if (hte)
		hte->private_data = ht_private_data;
}

void vuht_reset(void)
{
	pthread_mutex_lock(&vuht_lock);
	while (vuht_head) {
		struct vuht_entry_t *ht = vuht_head;

		vuht_head = ht->next;
		vu_service_put(ht->service);
		vuht_free(ht);
	}
	vuht_clock = 0;
	vuht_npaths = 0;
	memset(vuht_ntype, 0, sizeof(vuht_ntype));
	vuht_changed = false;
	pthread_mutex_unlock(&vuht_lock);
}

size_t vuht_count(void)
{
	size_t n = 0;

	pthread_mutex_lock(&vuht_lock);
	for (struct vuht_entry_t *ht = vuht_head; ht; ht = ht->next)
		n++;
	pthread_mutex_unlock(&vuht_lock);
	return n;
}

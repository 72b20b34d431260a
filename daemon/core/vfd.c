// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vfd.c - the table of virtual open files, by handle.
 *
 * Handles count up from 1 and are never reused while the daemon lives, so
 * a stale handle can only miss, never reach another file. A small hash by
 * handle: `find` or `tar` keep a few hundred files open at most.
 *
 * Lifetime: the table holds one reference until RELEASE, and every request
 * naming the handle holds one while it is served (the pool pins msg->vfd
 * when it reads the request, see serve.c). RELEASE may thus arrive while a
 * worker is still in a module call on the file: the file stops counting
 * as open at once, and the module's close runs at the last reference.
 *
 * The close of a released file runs in a pool worker, not in the reader
 * (serve.c), so it may still be under way when later requests are served.
 * Each such close gets a number (close_seq); a request remembers the next
 * number to give when it was read (its horizon) and, before it uses an
 * entry (vpath.c), waits for the closes of that entry below it: what a
 * member closed before it asked is closed when it is served (close, then
 * open again, sees what the close flushed; vuumount after close is not
 * EBUSY), while closes that come later hold up nobody.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "base/log.h"
#include "core/modctx.h"
#include "core/modcall.h"
#include "core/service.h"
#include "backend/backend.h"
#include "core/vfd.h"

#define VU_VFD_BUCKETS 256

static pthread_mutex_t vu_vfd_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t vu_vfd_closed = PTHREAD_COND_INITIALIZER; /* a closing file is gone */
static struct vu_vfd *vu_vfd_hash[VU_VFD_BUCKETS];
static uint64_t vu_vfd_last;
static size_t vu_vfd_open; /* files in the table */
static uint64_t vu_vfd_close_last; /* the last close_seq given */
static size_t vu_vfd_nclosing;     /* files with a close_seq still in the table */
/* those files: a request's wait for closes looks at them only, not at every open file */
static struct vu_vfd *vu_vfd_closing_head;
static __thread uint64_t vu_vfd_horizon; /* of the request this thread serves, 0: none */

struct vu_vfd *vu_vfd_new(struct vuht_entry_t *ht, int sfd, void *fdprivate, int flags,
			  const char *path)
{
	struct vu_vfd *f = calloc(1, sizeof(*f));

	if (!f || !(f->path = strdup(path))) {
		free(f);
		return NULL;
	}
	f->ht = ht;
	f->service = ht->service;
	f->sfd = sfd;
	f->fdprivate = fdprivate;
	f->flags = flags;
	f->refs = 1;
	pthread_mutex_init(&f->pos_lock, NULL);
	pthread_mutex_lock(&vu_vfd_lock);
	f->handle = ++vu_vfd_last;
	f->next = vu_vfd_hash[f->handle % VU_VFD_BUCKETS];
	vu_vfd_hash[f->handle % VU_VFD_BUCKETS] = f;
	vu_vfd_open++;
	pthread_mutex_unlock(&vu_vfd_lock);
	return f;
}

/* Called with the lock held. */
static struct vu_vfd *vu_vfd_find(uint64_t handle)
{
	struct vu_vfd *f;

	for (f = vu_vfd_hash[handle % VU_VFD_BUCKETS]; f; f = f->next)
		if (f->handle == handle)
			break;
	return f;
}

struct vu_vfd *vu_vfd_get(uint64_t handle)
{
	struct vu_vfd *f;

	pthread_mutex_lock(&vu_vfd_lock);
	f = vu_vfd_find(handle);
	pthread_mutex_unlock(&vu_vfd_lock);
	return f;
}

struct vu_vfd *vu_vfd_pin(uint64_t handle)
{
	struct vu_vfd *f;

	pthread_mutex_lock(&vu_vfd_lock);
	f = vu_vfd_find(handle);
	if (f && f->released)
		f = NULL; /* closed by the member: a request read later misses it */
	if (f)
		f->refs++;
	pthread_mutex_unlock(&vu_vfd_lock);
	return f;
}

/* The last reference is gone: number the close. Lock held. */
static void vu_vfd_closing(struct vu_vfd *f)
{
	f->close_seq = ++vu_vfd_close_last;
	vu_vfd_nclosing++;
	f->closing_next = vu_vfd_closing_head;
	vu_vfd_closing_head = f;
}

/* Close the module's file, then unlink and free (waiters see it gone after the close). */
static int vu_vfd_destroy(struct vu_vfd *f)
{
	int ret;

	/* at the entry's epoch, as every method: the module's close may nest */
	ret = (int)vu_mcall(f->ht, close, int, (int, void *), f->sfd, f->fdprivate);
	if (ret == -ENOSYS && !f->ht->service->method[VU_M_close])
		ret = 0;
	/* its use of the entry first: a umount that waited for this close is not EBUSY */
	vuht_drop(f->ht);
	pthread_mutex_lock(&vu_vfd_lock);
	for (struct vu_vfd **pp = &vu_vfd_hash[f->handle % VU_VFD_BUCKETS]; *pp;
	     pp = &(*pp)->next)
		if (*pp == f) {
			*pp = f->next;
			break;
		}
	for (struct vu_vfd **pp = &vu_vfd_closing_head; *pp; pp = &(*pp)->closing_next)
		if (*pp == f) {
			*pp = f->closing_next;
			break;
		}
	vu_vfd_nclosing--;
	pthread_cond_broadcast(&vu_vfd_closed);
	pthread_mutex_unlock(&vu_vfd_lock);
	pthread_mutex_destroy(&f->pos_lock);
	free(f->path);
	free(f);
	return ret;
}

void vu_vfd_unpin(struct vu_vfd *f)
{
	bool last;

	if (!f)
		return;
	pthread_mutex_lock(&vu_vfd_lock);
	last = --f->refs == 0;
	if (last)
		vu_vfd_closing(f);
	pthread_mutex_unlock(&vu_vfd_lock);
	if (last) {
		uint64_t handle = f->handle;
		int ret = vu_vfd_destroy(f);

		if (ret < 0)
			vu_log(LOG_NOTICE, "closing virtual file %llu after its last request: %s",
			       (unsigned long long)handle, strerror(-ret));
	}
}

struct vu_vfd *vu_vfd_detach(uint64_t handle)
{
	struct vu_vfd *f;
	bool last = false;

	pthread_mutex_lock(&vu_vfd_lock);
	f = vu_vfd_find(handle);
	if (f && !f->released) {
		f->released = true;
		vu_vfd_open--;
		last = --f->refs == 0;
		if (last)
			vu_vfd_closing(f);
	}
	pthread_mutex_unlock(&vu_vfd_lock);
	return last ? f : NULL;
}

int vu_vfd_close(struct vu_vfd *f)
{
	return vu_vfd_destroy(f);
}

int vu_vfd_release(uint64_t handle)
{
	struct vu_vfd *f = vu_vfd_detach(handle);

	return f ? vu_vfd_destroy(f) : 0;
}

void vu_vfd_release_all(void)
{
	for (;;) {
		uint64_t handle = 0;

		pthread_mutex_lock(&vu_vfd_lock);
		for (size_t b = 0; b < VU_VFD_BUCKETS && !handle; b++)
			for (struct vu_vfd *f = vu_vfd_hash[b]; f && !handle; f = f->next)
				if (!f->released)
					handle = f->handle;
		pthread_mutex_unlock(&vu_vfd_lock);
		if (!handle)
			return;
		vu_vfd_release(handle);
	}
}

uint64_t vu_vfd_horizon_now(void)
{
	pthread_mutex_lock(&vu_vfd_lock);
	uint64_t seq = vu_vfd_close_last + 1;

	pthread_mutex_unlock(&vu_vfd_lock);
	return seq;
}

void vu_vfd_set_horizon(uint64_t seq)
{
	vu_vfd_horizon = seq;
}

uint64_t vu_vfd_get_horizon(void)
{
	return vu_vfd_horizon;
}

/* A close of @s or @ht (NULL: any) numbered below @upto still under way? Lock held. */
static bool vu_vfd_any_closing(const struct vu_service_t *s, const struct vuht_entry_t *ht,
			       uint64_t upto)
{
	for (struct vu_vfd *f = vu_vfd_closing_head; f; f = f->closing_next)
		/* compared, never followed: f->ht may be gone while it closes */
		if (f->close_seq < upto && (!s || f->service == s) && (!ht || f->ht == ht))
			return true;
	return false;
}

void vu_vfd_wait_closing(const struct vu_service_t *s, const struct vuht_entry_t *ht)
{
	/* outside a request (tests, the daemon itself): every close started so far */
	uint64_t upto = vu_vfd_horizon ? vu_vfd_horizon : UINT64_MAX;

	if (!__atomic_load_n(&vu_vfd_nclosing, __ATOMIC_RELAXED))
		return;
	pthread_mutex_lock(&vu_vfd_lock);
	while (vu_vfd_any_closing(s, ht, upto))
		pthread_cond_wait(&vu_vfd_closed, &vu_vfd_lock);
	pthread_mutex_unlock(&vu_vfd_lock);
}

bool vu_vfd_closes_pending(void)
{
	return __atomic_load_n(&vu_vfd_nclosing, __ATOMIC_RELAXED) > 0;
}

size_t vu_vfd_count(const struct vu_service_t *service)
{
	size_t n = 0;

	pthread_mutex_lock(&vu_vfd_lock);
	if (!service) {
		n = vu_vfd_open; /* released files still in a request are not open */
		pthread_mutex_unlock(&vu_vfd_lock);
		return n;
	}
	/* a released file still in a request keeps its module busy */
	for (int b = 0; b < VU_VFD_BUCKETS; b++)
		for (struct vu_vfd *f = vu_vfd_hash[b]; f; f = f->next)
			if (f->service == service)
				n++;
	pthread_mutex_unlock(&vu_vfd_lock);
	return n;
}

const char *vu_vfd_mpath(const struct vu_vfd *f)
{
	return vuht_path2mpath(f->ht, f->path);
}

bool vu_ht_passes_files(const struct vuht_entry_t *ht)
{
	return ((ht->service->mod->flags & VU_MODULE_FDPASS) || (ht->vuflags & VUFLAG_FDPASS)) &&
	       !(ht->mountflags & MS_RDONLY) &&
	       !vuht_opt(ht->mountopts, "nopassthrough");
}

static bool vu_redirects_off;

void vu_redirects_disable(void)
{
	vu_redirects_off = true;
}

bool vu_ht_redirects(const struct vu_backend *be, const struct vuht_entry_t *ht)
{
	return be && (be->features & VU_BE_REDIRECT) && !vu_redirects_off && ht->redirect &&
	       !ht->confirmfun && vu_ht_passes_files(ht);
}

bool vu_ht_maps_files(const struct vuht_entry_t *ht)
{
	return ht->service->mod->flags & VU_MODULE_FDPASS;
}

bool vu_sfd_is_real_file(struct vuht_entry_t *ht, const char *mpath, int sfd, void *fdprivate)
{
	struct stat mst, kst;
	long ret;

	/* the system call itself: nest.c's fstat would ask the inner module */
	if (sfd < 0 || syscall(__NR_fstat, sfd, &kst) < 0 || !S_ISREG(kst.st_mode))
		return false;
	ret = vu_mcall(ht, lstat, int, (char *, struct stat *, int, int, void *), (char *)mpath,
		       &mst, 0, sfd, fdprivate);
	return ret == 0 && mst.st_dev == kst.st_dev && mst.st_ino == kst.st_ino;
}

#define VU_COPY_CHUNK (256 * 1024)

long vu_vfd_copy_content(struct vuht_entry_t *ht, int sfd, void *fdprivate, int dst)
{
	char *buf = malloc(VU_COPY_CHUNK);
	off_t off = 0;
	long ret = 0;
	int use_read = 0;

	if (!buf)
		return -ENOMEM;
	for (;;) {
		ssize_t n;

		if (!use_read) {
			n = vu_mcall(ht, pread64, ssize_t, (int, void *, size_t, off_t, int, void *),
				     sfd, buf, VU_COPY_CHUNK, off, 0, fdprivate);
			if (n == -ENOSYS && off == 0) {
				use_read = 1;
				vu_mcall(ht, lseek, off_t, (int, off_t, int, void *), sfd, 0,
					 SEEK_SET, fdprivate);
				continue;
			}
		} else {
			n = vu_mcall(ht, read, ssize_t, (int, void *, size_t, void *), sfd, buf,
				     VU_COPY_CHUNK, fdprivate);
		}
		n = vu_mod_size(ht, use_read ? "read" : "pread64", n, VU_COPY_CHUNK);
		if (n < 0) {
			ret = n;
			break;
		}
		if (n == 0)
			break;
		for (ssize_t w = 0; w < n;) {
			ssize_t k = pwrite(dst, buf + w, (size_t)(n - w), off + w);

			if (k < 0) {
				ret = -errno;
				goto out;
			}
			w += k;
		}
		off += n;
	}
out:
	free(buf);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * filter.c - derive the kernel filter from the responsibility table.
 *
 * The bitmap: with no mount and no open virtual file it is empty, and the
 * view costs its members nothing; while a module that can mount is
 * loaded it holds mount(2) and umount2(2), which carry no path the kernel
 * filters on, and chroot(2), which the daemon serves for any directory. Otherwise it holds every system call
 * with a path or fd argument that the daemon knows (sc/table.c): those it
 * serves, and those it must refuse, because a call the kernel ran on a
 * placeholder or on a path that only exists in the view would act
 * silently on the wrong object.
 *
 * While a member is in a chroot (sc/cwd.c), every absolute path is a path
 * under its root: the bitmap is full and every path call is forwarded
 * (KMVIEW_FILTER_STRICT_PATHS), for every member of the view.
 *
 * The prefixes: one per live CHECKPATH entry, named by the entry's epoch
 * (unique, never reused). What was pushed is remembered by id and path,
 * so a sync sends only the differences, and an entry freed meanwhile is
 * still withdrawn.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/kmview.h>

#include "filter.h"
#include "base/log.h"
#include "core/member.h"
#include "core/service.h"
#include "sc/procmounts.h"
#include "sc/handlers.h"
#include "sc/socket.h"
#include "core/vfd.h"
#include "core/vuht.h"

#define VU_FILTER_WORDS (KMVIEW_NR_SYSCALLS / 64)
#define VU_FILTER_MAX_PREFIXES KMVIEW_MAX_PREFIXES

struct vu_prefix {
	uint64_t id;
	char *path;
};

static uint64_t vu_pushed_bitmap[VU_FILTER_WORDS];
static bool vu_pushed_strict;
static bool vu_bitmap_pushed;
static struct vu_prefix vu_pushed[VU_FILTER_MAX_PREFIXES];
static size_t vu_npushed;

struct vu_wanted {
	struct vu_prefix p[VU_FILTER_MAX_PREFIXES];
	size_t n;
	bool overflow;
};

static void vu_want_prefix(struct vuht_entry_t *ht, void *arg)
{
	struct vu_wanted *w = arg;

	if (ht->confirmfun == NEGATIVE_MOUNT)
		return; /* it makes paths real: nothing to forward */
	if (w->n == VU_FILTER_MAX_PREFIXES) {
		w->overflow = true;
		return;
	}
	w->p[w->n].id = ht->epoch;
	w->p[w->n].path = ht->objlen ? ht->obj : "/";
	w->n++;
}

static bool vu_wanted_has(const struct vu_wanted *w, uint64_t id)
{
	for (size_t i = 0; i < w->n; i++)
		if (w->p[i].id == id)
			return true;
	return false;
}

static bool vu_pushed_has(uint64_t id)
{
	for (size_t i = 0; i < vu_npushed; i++)
		if (vu_pushed[i].id == id)
			return true;
	return false;
}

static int vu_sync_prefixes(struct vu_backend *be, const struct vu_wanted *w)
{
	int first = 0;

	for (size_t i = 0; i < vu_npushed;) {
		if (vu_wanted_has(w, vu_pushed[i].id)) {
			i++;
			continue;
		}
		int ret = be->ops->del_prefix(be, vu_pushed[i].id);

		if (ret < 0 && ret != -ENOENT) {
			vu_log(LOG_ERR, "cannot withdraw prefix %s: %s", vu_pushed[i].path,
			       strerror(-ret));
			first = first ? first : ret;
		}
		free(vu_pushed[i].path);
		vu_pushed[i] = vu_pushed[--vu_npushed];
	}
	for (size_t i = 0; i < w->n; i++) {
		if (vu_pushed_has(w->p[i].id))
			continue;
		char *copy = strdup(w->p[i].path);
		int ret = copy ? be->ops->add_prefix(be, w->p[i].id, copy) : -ENOMEM;

		if (ret < 0) {
			vu_log(LOG_ERR, "cannot register prefix %s with the kernel: %s",
			       w->p[i].path, strerror(-ret));
			free(copy);
			first = first ? first : ret;
			continue;
		}
		vu_pushed[vu_npushed].id = w->p[i].id;
		vu_pushed[vu_npushed].path = copy;
		vu_npushed++;
	}
	return first;
}

/* A loaded module that can mount: mount(2) and umount2(2) must reach the daemon. */
static void vu_want_mount(struct vuht_entry_t *ht, void *arg)
{
	if (ht->service->method[VU_M_mount])
		*(bool *)arg = true;
}

/* A module claims an address family: socket(2) must reach the daemon. */
static void vu_want_socket(struct vuht_entry_t *ht, void *arg)
{
	*(bool *)arg = true;
}

static int vu_sync_bitmap(struct vu_backend *be, bool virtual_files, bool mount, bool sockets,
			  bool strict)
{
	uint64_t bitmap[VU_FILTER_WORDS];
	unsigned int nbits = be->nr_syscalls ? be->nr_syscalls : KMVIEW_NR_SYSCALLS;

	if (nbits > KMVIEW_NR_SYSCALLS)
		nbits = KMVIEW_NR_SYSCALLS;
	memset(bitmap, 0, sizeof(bitmap));
	if (virtual_files || strict)
		vu_syscalls_bitmap(bitmap, nbits);
	if (mount)
		vu_syscalls_mount_bitmap(bitmap, nbits);
	if (sockets)
		vu_syscalls_socket_bitmap(bitmap, nbits);
	if (vu_bitmap_pushed && memcmp(bitmap, vu_pushed_bitmap, sizeof(bitmap)) == 0 &&
	    strict == vu_pushed_strict)
		return 0;
	int ret = be->ops->set_filter(be, bitmap, nbits, strict);

	if (ret < 0) {
		vu_log(LOG_ERR, "cannot set the syscall filter: %s", strerror(-ret));
		return ret;
	}
	memcpy(vu_pushed_bitmap, bitmap, sizeof(bitmap));
	vu_pushed_strict = strict;
	vu_bitmap_pushed = true;
	return 0;
}

int vu_filter_sync(struct vu_backend *be)
{
	struct vu_wanted *w = calloc(1, sizeof(*w));
	bool mount = false, sockets = false;
	int ret, ret2;

	if (!w)
		return -ENOMEM;
	if (!be->ops->set_filter || !be->ops->add_prefix || !be->ops->del_prefix) {
		free(w);
		return -EOPNOTSUPP;
	}
	vuht_foreach(CHECKPATH, vu_want_prefix, w);
	/* the mount table files show the virtual mounts (sc/procmounts.c) */
	for (size_t i = 0; w->n > 0 && vu_procmounts_paths[i]; i++) {
		if (w->n == VU_FILTER_MAX_PREFIXES) {
			w->overflow = true;
			break;
		}
		w->p[w->n].id = VU_PM_PREFIX_ID - i;
		w->p[w->n].path = (char *)vu_procmounts_paths[i];
		w->n++;
	}
	vuht_foreach(CHECKMODULE, vu_want_mount, &mount);
	vuht_foreach(CHECKSOCKET, vu_want_socket, &sockets);
	if (w->overflow)
		vu_log(LOG_ERR, "more than %d mounts: the kernel cannot filter the rest",
		       VU_FILTER_MAX_PREFIXES);
	/* prefixes first: a bitmap that forwards paths is useless without them */
	ret = vu_sync_prefixes(be, w);
	ret2 = vu_sync_bitmap(be, w->n > 0 || vu_vfd_count(NULL) > 0, mount, sockets,
			      vu_member_chroots() > 0);
	free(w);
	return ret ? ret : ret2;
}

void vu_filter_reset(void)
{
	while (vu_npushed)
		free(vu_pushed[--vu_npushed].path);
	memset(vu_pushed_bitmap, 0, sizeof(vu_pushed_bitmap));
	vu_pushed_strict = false;
	vu_bitmap_pushed = false;
}

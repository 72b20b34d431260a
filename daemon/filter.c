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
 * The calls a module owns by number (CHECKSC: getuid, uname,
 * clock_gettime...) have bits of their own: those of the method an entry
 * claims, every such call while a wildcard entry exists (its confirm
 * function decides per call). A call nobody claims never leaves the kernel.
 *
 * While a member is in a chroot (sc/cwd.c), every absolute path is a path
 * under its root: the bitmap is full and every path call is forwarded
 * (KMVIEW_FILTER_STRICT_PATHS), for every member of the view.
 *
 * While a CHECKBINFMT entry exists or a mod_inheritance upcall is
 * registered, every exec must reach the daemon (a claimed real file, the
 * upcalls' MOD_INH_EXEC): execve and execveat are in the bitmap and
 * forwarded whatever their path (KMVIEW_FILTER_ALL_EXECS, 1.3). A
 * kmview.ko before 1.3 forwards them only under a mount (logged once).
 *
 * While a module owns a call the vDSO answers (clock_gettime, gettimeofday,
 * time, clock_getres), a program exec'd in the view is not told of the vDSO
 * (KMVIEW_FILTER_NO_VDSO, 1.4), so its C library makes those calls system
 * calls the module sees; programs already running keep theirs.
 *
 * The prefixes: one per live CHECKPATH entry, named by the entry's epoch
 * (unique, never reused). What was pushed is remembered by id and path,
 * so a sync sends only the differences, and an entry freed meanwhile is
 * still withdrawn.
 *
 * The keys (backend set_keys): the socket families of the CHECKSOCKET
 * entries, the ioctl requests of the CHECKIOCTL entries and the device
 * numbers of the CHECKCHRDEVICE and CHECKBLKDEVICE entries; a wildcard
 * entry (objlen 0) stands for every key of its kind, and so do more keys
 * than the kernel takes (VU_MAX_KEYS): the daemon's own lookup still
 * decides, at the cost of an upcall. socket and socketpair are in the
 * bitmap only while a CHECKSOCKET entry exists, ioctl only while a
 * CHECKIOCTL entry or a virtual file does, and a device entry puts the
 * path calls in it. A kmview.ko without keys (before 1.2) forwards every
 * socket call in the bitmap, ioctl only on virtual files, and no device
 * node outside the prefixes. CHECKSC entries bring no keys: socket and
 * ioctl are chosen by family and request (CHECKSOCKET, CHECKIOCTL), never
 * by number, as in VUOS, so vumisc's CHECKSC wildcard does not forward
 * every socket and ioctl of the view.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>

#include <linux/kmview.h>

#include "filter.h"
#include "base/log.h"
#include "core/fdlink.h"
#include "core/member.h"
#include "core/service.h"
#include "sc/procmounts.h"
#include "sc/handlers.h"
#include "sc/socket.h"
#include "core/vfd.h"
#include "core/vuht.h"
#include "host/inherit.h"

#define VU_FILTER_WORDS (KMVIEW_NR_SYSCALLS / 64)
#define VU_FILTER_MAX_PREFIXES KMVIEW_MAX_PREFIXES

struct vu_prefix {
	uint64_t id;
	char *path;
	size_t len; /* of what is pushed: the parent of a VUFLAG_PREFIX mount point */
	unsigned int flags; /* VU_PREFIX_* */
	char *src;          /* of a VU_PREFIX_REDIRECT */
};

static uint64_t vu_pushed_bitmap[VU_FILTER_WORDS];
static unsigned int vu_pushed_flags;
static bool vu_execs_warned;
static bool vu_vdso_warned;
static bool vu_bitmap_pushed;
static struct vu_keys vu_pushed_keys;
static bool vu_keys_warned;
static struct vu_prefix vu_pushed[VU_FILTER_MAX_PREFIXES];
static size_t vu_npushed;

struct vu_wanted {
	struct vu_prefix p[VU_FILTER_MAX_PREFIXES];
	size_t n;
	bool overflow;
	bool redirects; /* the backend takes VU_PREFIX_* */
	const struct vu_backend *be;
};

/*
 * A plain prefix forwards. With VU_BE_REDIRECT, a negative mount is a real
 * tree (VU_PREFIX_NATIVE: the newest prefix decides in the kernel, as the
 * newest entry in vuht_pick), and an entry its module redirected
 * (vuht_redirect) is run natively on its real directory by the kernel
 * where it can be sure of the answer. An entry with a confirm function may
 * decline a path: it is never redirected, nor is a mount whose files are
 * not handed to members (read-only, "nopassthrough": vu_ht_redirects),
 * as the kernel then runs every call on the real file; kmview -R turns
 * redirects off.
 */
static void vu_want_prefix(struct vuht_entry_t *ht, void *arg)
{
	struct vu_wanted *w = arg;

	if (ht->confirmfun == NEGATIVE_MOUNT && !w->redirects)
		return; /* it makes paths real: nothing to forward */
	if (w->n == VU_FILTER_MAX_PREFIXES) {
		w->overflow = true;
		return;
	}
	w->p[w->n].flags = 0;
	w->p[w->n].src = NULL;
	if (w->redirects && ht->confirmfun == NEGATIVE_MOUNT) {
		w->p[w->n].flags = VU_PREFIX_NATIVE;
	} else if (vu_ht_redirects(w->be, ht)) {
		w->p[w->n].flags = VU_PREFIX_REDIRECT;
		w->p[w->n].src = ht->redirect;
	}
	w->p[w->n].id = ht->epoch;
	w->p[w->n].path = ht->objlen ? ht->obj : "/";
	w->p[w->n].len = strlen(w->p[w->n].path);
	/*
	 * /dev/hda with VUFLAG_PREFIX owns /dev/hda1, which the kernel's
	 * component-wise match would keep native: its directory is pushed,
	 * and the daemon runs natively what no entry claims there.
	 */
	if ((ht->vuflags & VUFLAG_PREFIX) && w->p[w->n].len > 1) {
		const char *slash = strrchr(w->p[w->n].path, '/');

		w->p[w->n].len = slash && slash > w->p[w->n].path ? (size_t)(slash - w->p[w->n].path)
								  : 1;
	}
	w->n++;
}

/* The prefixes @paths the daemon keeps for itself, with ids @id, @id - 1... */
static void vu_want_reserved(struct vu_wanted *w, const char *const *paths, uint64_t id)
{
	for (size_t i = 0; paths[i]; i++) {
		if (w->n == VU_FILTER_MAX_PREFIXES) {
			w->overflow = true;
			return;
		}
		w->p[w->n].id = id - i;
		w->p[w->n].path = (char *)paths[i];
		w->p[w->n].len = strlen(paths[i]);
		w->p[w->n].flags = 0;
		w->p[w->n].src = NULL;
		w->n++;
	}
}

static bool vu_prefix_same(const struct vu_prefix *a, const struct vu_prefix *b)
{
	return a->id == b->id && a->flags == b->flags &&
	       (a->src == b->src || (a->src && b->src && !strcmp(a->src, b->src)));
}

/* A prefix stays only as it was pushed: a redirect set later is pushed again. */
static bool vu_wanted_has(const struct vu_wanted *w, const struct vu_prefix *p)
{
	for (size_t i = 0; i < w->n; i++)
		if (vu_prefix_same(&w->p[i], p))
			return true;
	return false;
}

static void vu_prefix_forget(struct vu_prefix *p)
{
	free(p->path);
	free(p->src);
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
		if (vu_wanted_has(w, &vu_pushed[i])) {
			i++;
			continue;
		}
		int ret = be->ops->del_prefix(be, vu_pushed[i].id);

		if (ret < 0 && ret != -ENOENT) {
			vu_log(LOG_ERR, "cannot withdraw prefix %s: %s", vu_pushed[i].path,
			       strerror(-ret));
			first = first ? first : ret;
		}
		vu_prefix_forget(&vu_pushed[i]);
		vu_pushed[i] = vu_pushed[--vu_npushed];
	}
	for (size_t i = 0; i < w->n; i++) {
		if (vu_pushed_has(w->p[i].id))
			continue;
		char *copy = strndup(w->p[i].path, w->p[i].len);
		char *src = w->p[i].src ? strdup(w->p[i].src) : NULL;
		int ret = -ENOMEM;

		if (copy && (src || !w->p[i].src))
			ret = be->ops->add_prefix(be, w->p[i].id, copy, w->p[i].flags, src);
		if (ret < 0) {
			vu_log(LOG_ERR, "cannot register prefix %s with the kernel: %s",
			       w->p[i].path, strerror(-ret));
			free(copy);
			free(src);
			first = first ? first : ret;
			continue;
		}
		vu_log(LOG_DEBUG, "prefix %s%s%s pushed", copy, src ? " redirected to " : "",
		       src ? src : (w->p[i].flags & VU_PREFIX_NATIVE) ? " (real)" : "");
		vu_pushed[vu_npushed] = (struct vu_prefix){ .id = w->p[i].id, .path = copy,
							    .len = w->p[i].len,
							    .flags = w->p[i].flags, .src = src };
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

/* Which kinds have entries: each puts its calls in the bitmap. */
struct vu_want_keys {
	struct vu_keys keys;
	bool sockets, ioctls, devs;
};

static void vu_want_family(struct vuht_entry_t *ht, void *arg)
{
	struct vu_want_keys *w = arg;
	int family;

	w->sockets = true;
	if (ht->objlen == 0) {
		w->keys.families = ~0ULL;
		return;
	}
	if (ht->objlen < (int)sizeof(family))
		return; /* no family is that short: it matches nothing */
	memcpy(&family, ht->obj, sizeof(family));
	if (family >= 0 && family < 64)
		w->keys.families |= 1ULL << family;
}

static void vu_want_ioctl(struct vuht_entry_t *ht, void *arg)
{
	struct vu_want_keys *w = arg;
	unsigned long request;

	w->ioctls = true;
	if (ht->objlen == 0) {
		w->keys.any_ioctl = true;
		return;
	}
	if (ht->objlen < (int)sizeof(request))
		return;
	memcpy(&request, ht->obj, sizeof(request));
	/* the kernel reads the request as an unsigned int */
	for (unsigned int i = 0; i < w->keys.nioctls; i++)
		if (w->keys.ioctls[i] == (uint32_t)request)
			return;
	if (w->keys.nioctls == VU_MAX_KEYS)
		w->keys.any_ioctl = true;
	else
		w->keys.ioctls[w->keys.nioctls++] = (uint32_t)request;
}

static void vu_want_dev(struct vuht_entry_t *ht, void *arg)
{
	struct vu_want_keys *w = arg;
	bool blk = ht->type == CHECKBLKDEVICE;
	bool *any = blk ? &w->keys.any_blk : &w->keys.any_chr;
	dev_t dev;

	w->devs = true;
	if (ht->objlen == 0) {
		*any = true;
		return;
	}
	if (ht->objlen < (int)sizeof(dev))
		return;
	memcpy(&dev, ht->obj, sizeof(dev));
	if (major(dev) >= 4096 || minor(dev) >= (1U << 20))
		return; /* not a number the kernel has */
	for (unsigned int i = 0; i < w->keys.ndevs; i++) {
		const struct vu_dev_key *k = &w->keys.devs[i];

		if (k->blk == blk && k->major == major(dev) && k->minor == minor(dev))
			return;
	}
	if (w->keys.ndevs == VU_MAX_KEYS) {
		*any = true;
		return;
	}
	w->keys.devs[w->keys.ndevs++] =
		(struct vu_dev_key){ .major = major(dev), .minor = minor(dev), .blk = blk };
}

static void vu_want_keys(struct vu_want_keys *w)
{
	memset(w, 0, sizeof(*w));
	vuht_foreach(CHECKSOCKET, vu_want_family, w);
	vuht_foreach(CHECKIOCTL, vu_want_ioctl, w);
	vuht_foreach(CHECKCHRDEVICE, vu_want_dev, w);
	vuht_foreach(CHECKBLKDEVICE, vu_want_dev, w);
}

static int vu_sync_keys(struct vu_backend *be, const struct vu_want_keys *w)
{
	if (!be->ops->set_keys || !(be->features & VU_BE_KEYS)) {
		if ((w->ioctls || w->devs) && !vu_keys_warned) {
			vu_log(LOG_WARNING,
			       "this kmview.ko has no device or ioctl keys (protocol < 1.2): ioctls on real files and device nodes outside the mounts stay real");
			vu_keys_warned = true;
		}
		return 0;
	}
	/* never pushed and nothing to push: the kernel stays as in 1.1 */
	if (memcmp(&w->keys, &vu_pushed_keys, sizeof(w->keys)) == 0)
		return 0;
	int ret = be->ops->set_keys(be, &w->keys);

	if (ret < 0) {
		vu_log(LOG_ERR, "cannot set the kernel's keys: %s", strerror(-ret));
		return ret;
	}
	vu_pushed_keys = w->keys;
	return 0;
}

static void vu_bit_set(uint64_t *bitmap, unsigned int nbits, long nr)
{
	if (nr >= 0 && nr < (long)nbits)
		bitmap[nr / 64] |= 1ULL << (nr % 64);
}

struct vu_sc_bits {
	uint64_t *bitmap;
	unsigned int nbits;
};

static void vu_want_sc(struct vuht_entry_t *ht, void *arg)
{
	struct vu_sc_bits *b = arg;
	int key;

	if (ht->confirmfun == NEGATIVE_MOUNT)
		return; /* it makes calls real */
	if (ht->objlen == 0) {
		vu_syscalls_sc_bitmap(b->bitmap, b->nbits, -1);
		return;
	}
	if (ht->objlen != (int)sizeof(key))
		return; /* no lookup has that key */
	memcpy(&key, ht->obj, sizeof(key));
	vu_syscalls_sc_bitmap(b->bitmap, b->nbits, key);
}

/* The calls that CHECKSC entries own. */
static void vu_sc_bitmap(uint64_t *bitmap, unsigned int nbits)
{
	struct vu_sc_bits b = { bitmap, nbits };

	vuht_foreach(CHECKSC, vu_want_sc, &b);
}

/* Must every exec reach the daemon? VU_FILTER_ALL_EXECS if the backend has it. */
static unsigned int vu_want_execs(struct vu_backend *be)
{
	if (!vuht_has_type(CHECKBINFMT) && !vu_inherit_active())
		return 0;
	if (be->features & VU_BE_ALL_EXECS)
		return VU_FILTER_ALL_EXECS;
	if (!vu_execs_warned) {
		vu_log(LOG_WARNING,
		       "this kmview.ko cannot forward every exec (protocol < 1.3): binary formats and MOD_INH_EXEC see only the execs under a mount");
		vu_execs_warned = true;
	}
	return 0;
}

/*
 * While a call the vDSO answers is forwarded (a module owns a clock), the
 * programs exec'd from then on must make it a system call: VU_FILTER_NO_VDSO.
 */
static unsigned int vu_want_no_vdso(struct vu_backend *be, const uint64_t *bitmap,
				    unsigned int nbits)
{
	static const int vdso_calls[] = { __NR_clock_gettime, __NR_gettimeofday, __NR_time,
					  __NR_clock_getres };
	bool want = false;

	for (size_t i = 0; i < sizeof(vdso_calls) / sizeof(vdso_calls[0]); i++)
		if ((unsigned int)vdso_calls[i] < nbits &&
		    (bitmap[vdso_calls[i] / 64] >> (vdso_calls[i] % 64) & 1))
			want = true;
	if (!want)
		return 0;
	if (be->features & VU_BE_NO_VDSO)
		return VU_FILTER_NO_VDSO;
	if (!vu_vdso_warned) {
		vu_log(LOG_WARNING, "this kmview.ko cannot hide the vDSO (protocol < 1.4): "
				    "programs may read the real clocks without a system call");
		vu_vdso_warned = true;
	}
	return 0;
}

static int vu_sync_bitmap(struct vu_backend *be, bool virtual_files, bool mount, bool strict,
			  const struct vu_want_keys *keys)
{
	unsigned int flags = vu_want_execs(be) | (strict ? VU_FILTER_STRICT_PATHS : 0);
	uint64_t bitmap[VU_FILTER_WORDS];
	unsigned int nbits = be->nr_syscalls ? be->nr_syscalls : KMVIEW_NR_SYSCALLS;

	if (nbits > KMVIEW_NR_SYSCALLS)
		nbits = KMVIEW_NR_SYSCALLS;
	memset(bitmap, 0, sizeof(bitmap));
	if (virtual_files || strict || keys->devs)
		vu_syscalls_bitmap(bitmap, nbits);
	if (mount)
		vu_syscalls_mount_bitmap(bitmap, nbits);
	if (keys->sockets) {
		vu_bit_set(bitmap, nbits, __NR_socket);
		vu_bit_set(bitmap, nbits, __NR_socketpair);
	}
	if (keys->ioctls)
		vu_bit_set(bitmap, nbits, __NR_ioctl);
	if (flags & VU_FILTER_ALL_EXECS) {
		vu_bit_set(bitmap, nbits, __NR_execve);
		vu_bit_set(bitmap, nbits, __NR_execveat);
	}
	vu_sc_bitmap(bitmap, nbits);
	flags |= vu_want_no_vdso(be, bitmap, nbits);
	if (vu_bitmap_pushed && memcmp(bitmap, vu_pushed_bitmap, sizeof(bitmap)) == 0 &&
	    flags == vu_pushed_flags)
		return 0;
	int ret = be->ops->set_filter(be, bitmap, nbits, flags);

	if (ret < 0) {
		vu_log(LOG_ERR, "cannot set the syscall filter: %s", strerror(-ret));
		return ret;
	}
	memcpy(vu_pushed_bitmap, bitmap, sizeof(bitmap));
	vu_pushed_flags = flags;
	vu_bitmap_pushed = true;
	return 0;
}

int vu_filter_sync(struct vu_backend *be)
{
	struct vu_wanted *w = calloc(1, sizeof(*w));
	struct vu_want_keys *keys = calloc(1, sizeof(*keys));
	bool mount = false;
	int ret, ret2, ret3;

	if (!w || !keys) {
		free(w);
		free(keys);
		return -ENOMEM;
	}
	if (!be->ops->set_filter || !be->ops->add_prefix || !be->ops->del_prefix) {
		free(w);
		free(keys);
		return -EOPNOTSUPP;
	}
	w->redirects = be->features & VU_BE_REDIRECT;
	w->be = be;
	vuht_foreach(CHECKPATH, vu_want_prefix, w);
	if (w->n > 0) {
		/* the mount table files show the virtual mounts (sc/procmounts.c) */
		vu_want_reserved(w, vu_procmounts_paths, VU_PM_PREFIX_ID);
		/* the fd links of virtual files name them (core/fdlink.c) */
		vu_want_reserved(w, vu_fdlink_paths, VU_FDLINK_PREFIX_ID);
	}
	vuht_foreach(CHECKMODULE, vu_want_mount, &mount);
	if (w->overflow)
		vu_log(LOG_ERR, "more than %d mounts: the kernel cannot filter the rest",
		       VU_FILTER_MAX_PREFIXES);
	vu_want_keys(keys);
	/* prefixes and keys first: a bitmap that forwards paths is useless without them */
	ret = vu_sync_prefixes(be, w);
	ret3 = vu_sync_keys(be, keys);
	ret2 = vu_sync_bitmap(be, w->n > 0 || vu_vfd_count(NULL) > 0, mount,
			      vu_member_chroots() > 0, keys);
	free(w);
	free(keys);
	return ret ? ret : ret3 ? ret3 : ret2;
}

void vu_filter_reset(void)
{
	while (vu_npushed)
		vu_prefix_forget(&vu_pushed[--vu_npushed]);
	memset(vu_pushed_bitmap, 0, sizeof(vu_pushed_bitmap));
	vu_pushed_flags = 0;
	vu_bitmap_pushed = false;
	vu_execs_warned = false;
	vu_vdso_warned = false;
	memset(&vu_pushed_keys, 0, sizeof(vu_pushed_keys));
	vu_keys_warned = false;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vuht.h - the responsibility table: which module serves what.
 *
 * Modules add entries through vumodule.h (vuht_add, vuht_pathadd,
 * vuht_del); the hypervisor looks them up here for every virtual call.
 * Every entry has an epoch: a unique, increasing number given when it is
 * added, which is also its identity towards the kernel (the id of its
 * path prefix). A lookup at epoch E sees only entries older than E, which
 * is how a module serving an entry never sees itself or what was mounted
 * after it. Requests of members look up at VU_EPOCH_NOW.
 *
 * Of the matching entries the most recent wins, as in VUOS; a confirm
 * function may decline, and the next most recent is tried; a
 * NEGATIVE_MOUNT entry that wins means "real". An entry without a key
 * (objlen 0, not a path) matches every key of its kind.
 *
 * An entry's uses (open files, the request being served) keep it alive
 * after vuht_del with MNT_FORCE/MNT_DETACH: it stops matching at once and
 * is freed with its last use. The table is a list: a view has a handful
 * of entries, and a lookup is a few string compares.
 *
 * An entry is complete before it is published: a lookup never finds one
 * half built. Each holds a reference on its module (module.h). Path
 * entries are at most VUHT_MAX_PATHS: one kernel prefix each, and the
 * kernel has KMVIEW_MAX_PREFIXES per view, of which the mount table files
 * take some (procmounts.h); one more fails with ENOSPC, as mount(2) does
 * past fs.mount-max, rather than go unfiltered.
 */
#ifndef KMVIEW_DAEMON_VUHT_H
#define KMVIEW_DAEMON_VUHT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <vumodule.h>

#define VU_EPOCH_NOW UINT64_MAX
/*
 * Kernel prefixes the daemon keeps for itself: the mount table files
 * (6, sc/procmounts.c) and the fd links (3, core/fdlink.c).
 */
#define VUHT_RESERVED_PREFIXES 9
/*
 * Prefixes the daemon pushes at most, below the kernel's 4096 (1.5): the
 * filter's sync compares what is pushed with what is wanted, quadratic in
 * the number of mounts (filter.c), so a view holds 247 mounts until that
 * sync is made linear.
 */
#define VUHT_MAX_PREFIXES 256

struct vuht_entry_t {
	uint8_t type;
	void *obj; /* the key, copied; strings NUL-terminated; "/" is stored as "" */
	int objlen;
	uint64_t epoch;
	int vuflags; /* VUFLAG_* */
	struct vu_service_t *service;
	confirmfun_t confirmfun;
	void *private_data;
	/* the mount table line of CHECKPATH entries */
	char *source;
	char *fstype;
	char *mountopts;
	unsigned long mountflags;
	char *redirect; /* vuht_redirect: the real directory the tree is, canonical */
	int uses;       /* picks not dropped yet, open files */
	bool permanent; /* vuht_del refuses it */
	bool deleted;   /* no longer matches; freed at its last use */
	bool own;       /* added by its module's init: its fini may take it away */
	struct vuht_entry_t *next;
};

/*
 * Find the entry that serves @obj of @type at @epoch. For CHECKPATH, @obj
 * is an absolute normal path and @objlen is ignored; for CHECKBINFMT a
 * struct binfmt_req_t; CHECKFSTYPE finds the module whose name prefixes
 * the string @obj. Returns the entry with one
 * more use (give it back with vuht_drop), or NULL.
 */
struct vuht_entry_t *vuht_pick(uint8_t type, const void *obj, int objlen, uint64_t epoch);
void vuht_pick_again(struct vuht_entry_t *ht);
void vuht_drop(struct vuht_entry_t *ht);

/*
 * vuht_path2mpath (vumodule.h): for a CHECKPATH entry, @path inside the
 * mount ("/" at the mount point); for any other entry that serves a path
 * (a device entry: vpath.c), @path itself, as in VUOS.
 */

/*
 * True if some live entry of @type exists (of any epoch): the path walk
 * stats a target only while device entries exist, exec reads a file's
 * head only while binfmt entries do.
 */
bool vuht_has_type(uint8_t type);

/*
 * True if @word is a whole word of the comma-separated mount options
 * @opts (NULL: none): the hypervisor's own options, "permanent" and
 * "nopassthrough", are found this way.
 */
bool vuht_opt(const char *opts, const char *word);

/* Entries of @service other than its own CHECKMODULE entry (deleted ones still in use too). */
int vuht_service_entries(const struct vu_service_t *service);
/*
 * Entries this thread adds for @service from now on are its own (its
 * init runs); NULL ends that.
 */
void vuht_adding_own(struct vu_service_t *service);
/*
 * Removing @service, whose CHECKMODULE entry @sht the caller holds: if
 * nothing uses it (no other use of @sht, no entry of it in use, no entry
 * but its own, which its fini may delete), its entries stop matching and 0
 * is returned; else -EBUSY and nothing changed. vuht_service_reopen undoes it.
 */
int vuht_service_quiesce(struct vu_service_t *service, struct vuht_entry_t *sht);
void vuht_service_reopen(struct vu_service_t *service);
/* Path entries at most (see above), and how many there are now. */
size_t vuht_max_paths(void);
size_t vuht_path_count(void);
/* Delete every entry of @service but its CHECKMODULE one, even in use. */
void vuht_del_service(struct vu_service_t *service);
/* Call @fn for every live entry of @type, oldest first. */
/*
 * At the daemon's exit: delete every entry (permanent too), newest first,
 * but the modules' and those their init added (their fini may delete them).
 */
void vuht_del_all(void);
void vuht_foreach(uint8_t type, void (*fn)(struct vuht_entry_t *ht, void *arg), void *arg);

/*
 * An epoch that sees every entry there is now, and none added later: the
 * epoch of a mount method, which must see what is mounted when it runs.
 */
uint64_t vuht_epoch_next(void);

/* True once since the table last changed: the kernel filter must follow. */
bool vuht_take_changed(void);

/* The epoch of the calls being made by this thread (VU_EPOCH_NOW by default). */
uint64_t vu_epoch_get(void);
uint64_t vu_epoch_set(uint64_t epoch);

/* Tests: free every entry, reset the clock. */
void vuht_reset(void);
size_t vuht_count(void);

#endif /* KMVIEW_DAEMON_VUHT_H */

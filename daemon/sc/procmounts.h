/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * procmounts.h - the mount table files of a view (/proc/mounts,
 * /proc/self/mounts, /proc/self/mountinfo, /etc/mtab) show the virtual
 * mounts after the real ones.
 *
 * While anything is mounted in the view the daemon registers these paths
 * as kernel prefixes (filter.c), so an open of one reaches it; the open is
 * served with a sealed memfd holding the member's real table followed by
 * one line per virtual mount (KMVIEW_REPLY_FILE): the member reads it
 * natively. Every other call on these paths runs natively.
 *
 * The formatting is pure logic, tested on the host (tests/test_procmounts.c).
 */
#ifndef KMVIEW_DAEMON_PROCMOUNTS_H
#define KMVIEW_DAEMON_PROCMOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/call.h"

enum vu_pm_kind {
	VU_PM_NONE = 0,
	VU_PM_MOUNTS,    /* the fstab format of /proc/mounts */
	VU_PM_MOUNTINFO, /* /proc/self/mountinfo */
};

/* The paths registered with the kernel while a virtual mount exists, NULL-terminated. */
extern const char *const vu_procmounts_paths[];
/* Kernel prefix ids of vu_procmounts_paths[i]: VU_PM_PREFIX_ID - i (never an epoch). */
#define VU_PM_PREFIX_ID (UINT64_MAX - 1)

/*
 * What @path (absolute, normal, real) is: /proc/mounts, /proc/self/mounts,
 * /proc/thread-self/mounts and their mountinfo are; /etc/mtab is
 * VU_PM_MOUNTS if @mtab_link (the target of the real /etc/mtab, or NULL)
 * names one of them.
 */
enum vu_pm_kind vu_pm_kind(const char *path, const char *mtab_link);

/* A virtual mount, as the table shows it. */
struct vu_pm_mount {
	const char *source, *target, *fstype, *opts; /* opts: the mount's data string, or "" */
	unsigned long flags;                           /* MS_* */
	int id;                                        /* mountinfo: its mount id */
	unsigned int major, minor;                     /* mountinfo: st_dev of its root */
};

/* A growing string (a failed append sets @failed and keeps what fits). */
struct vu_pm_buf {
	char *s;
	size_t len, size;
	bool failed;
};

void vu_pm_append(struct vu_pm_buf *b, const char *s, size_t len);
void vu_pm_free(struct vu_pm_buf *b);

/* The mount id of virtual mount @epoch in mountinfo: above any real one. */
int vu_pm_mount_id(uint64_t epoch);

/* Append @m's line of /proc/mounts to @b. */
void vu_pm_mounts_line(struct vu_pm_buf *b, const struct vu_pm_mount *m);
/*
 * Append @m's line of mountinfo to @b. @table is the mountinfo text so
 * far (the real lines, then the virtual ones before @m): the parent is the
 * mount of the longest mount point above @m->target in it.
 */
void vu_pm_mountinfo_line(struct vu_pm_buf *b, const char *table, const struct vu_pm_mount *m);

/*
 * The open of a mount table file: true if @call opens one (it is then
 * answered), false if it is not one (nothing done: serve it as an open).
 */
bool vu_procmounts_open(struct vu_call *call, int flags, unsigned int res);

#endif /* KMVIEW_DAEMON_PROCMOUNTS_H */

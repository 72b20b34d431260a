/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufs.h - what the parts of the vufs module share.
 *
 * A vufs mount (vumount -t vufs -o MODE SRC DST) shows at DST a patchwork
 * of two layers: the virtual layer SRC and the real layer, what DST holds
 * (as the module sees it: the view before the mount). The modes are
 * VUOS's (man/kmview-vufs.7):
 *   bind, move  SRC alone (the default; in VUOS they are one and the same);
 *   merge       SRC first, then the real layer; SRC is read-only (EROFS),
 *               what is new goes to the real layer;
 *   cow         SRC first; a write copies the real object up into SRC, a
 *               delete of a real object is a whiteout in SRC/.-/; the real
 *               layer is never written;
 *   mincow      the real layer is tried first; a refusal (EACCES, EPERM,
 *               EROFS) copies up and acts in SRC as cow does.
 * Options: except=PATH (repeatable; PATH absolute, inside the mount: that
 * subtree stays the real one), nochcopy (chmod and chown of a real object
 * are recorded without copying it up), ro (every write is EROFS; the
 * mount flag MS_RDONLY means the same), nopassthrough (the hypervisor's).
 *
 * The metadata directory SRC/.-/ holds, for a path P inside the mount:
 *   .-/P       a regular file: P is deleted (a whiteout); a directory:
 *              P is a directory whose entries may have whiteouts;
 *   .-/P\177   the virtual metadata (vstat) of P: "key value" lines;
 *   .-/\177cp.* the temporary files of copies in progress.
 */
#ifndef KMVIEW_MODULES_VUFS_H
#define KMVIEW_MODULES_VUFS_H

#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include <vumodule.h>

#define VUFS_MAX_EXCEPT 16

enum vufs_mode {
	VUFS_BIND,
	VUFS_MOVE,
	VUFS_MERGE,
	VUFS_COW,
	VUFS_MINCOW
};

struct vufs_opts {
	enum vufs_mode mode;
	bool ro;
	bool nochcopy;
	int nexcept;
	char *except[VUFS_MAX_EXCEPT]; /* "/tmp": paths inside the mount, normal */
};

struct vufs {
	pthread_mutex_t lock; /* one change of the layers at a time */
	char source[PATH_MAX]; /* absolute, no trailing slash ("" for /) */
	char target[PATH_MAX]; /* the real layer: the mount point, same form */
	char meta[PATH_MAX]; /* SOURCE/.- */
	size_t srclen;
	struct vufs_opts o;
};

/*
 * Parse the mount data @opts (comma separated) into @o. 0, or -1 with a
 * message in @err (two modes, a relative except=, an unknown option...).
 */
int vufs_parse_opts(const char *opts, struct vufs_opts *o, char *err, size_t errsize);
void vufs_free_opts(struct vufs_opts *o);
/* Whether @inside (a path inside the mount) is under one of the except= paths. */
bool vufs_is_except(const struct vufs_opts *o, const char *inside);

/*
 * @base + @mpath into @buf (@mpath "/" is @base itself, "" + "/" is "/"),
 * then @suffix (NULL for none): 0, or -1 ENAMETOOLONG.
 */
int vufs_join(char *buf, size_t size, const char *base, const char *mpath, const char *suffix);

/* Virtual metadata of one path (vufs_vstat.c: format, parse, merge). */
#define VUFS_VS_TYPE 0x01
#define VUFS_VS_MODE 0x02
#define VUFS_VS_UID 0x04
#define VUFS_VS_GID 0x08
#define VUFS_VS_RDEV 0x10

struct vufs_vstat {
	unsigned int mask;
	mode_t type; /* S_IFCHR... */
	mode_t mode; /* 07777 */
	uid_t uid;
	gid_t gid;
	dev_t rdev;
};

/* The text of @vs into @buf: its length, or -1 if it does not fit. */
int vufs_vstat_format(const struct vufs_vstat *vs, char *buf, size_t size);
/* Parse @text: 0, or -1 for a malformed line (the record is then ignored). */
int vufs_vstat_parse(const char *text, struct vufs_vstat *vs);
/* Lay @vs over @st. */
void vufs_vstat_apply(const struct vufs_vstat *vs, struct stat *st);
/* @add over @vs (the fields of @add->mask). */
void vufs_vstat_merge(struct vufs_vstat *vs, const struct vufs_vstat *add);

/*
 * The reserved names of SOURCE's root (".-", ".-\177") in a patchwork
 * (merge, cow, mincow): hidden, not creatable. A bind or move has none.
 */
bool vufs_reserved(const struct vufs *v, const char *mpath);

#endif /* KMVIEW_MODULES_VUFS_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/procmounts.c - the mount table of a view: /proc/mounts,
 * /proc/self/mounts, /proc/thread-self/mounts, their mountinfo, and
 * /etc/mtab when it links to one of them, show the virtual mounts after
 * the real ones (VUOS does not).
 *
 * The kernel forwards only paths under registered prefixes: filter.c
 * registers vu_procmounts_paths while any mount is virtual. An open of one
 * of them for reading is served here with a file of the daemon: a sealed
 * memfd holding the member's own real table (read from /proc/TID/...,
 * so its mount namespace is the one shown) and one line per virtual
 * mount, oldest first, handed over with KMVIEW_REPLY_FILE. A mountinfo
 * line carries the device of the mount's root (the module's lstat of
 * "/"), as a real bind mount does. The member
 * reads, seeks and mmaps it natively; what it shows is fixed at open, as
 * a reader of the real file sees it between two reads of a changing table.
 *
 * Not shown: /proc/PID/mounts with a numeric PID (a prefix per member
 * would be needed), and a path that reaches the file through a real
 * directory fd or cwd (openat(dirfd_of_/proc/self, "mounts")). Those give
 * the real table. Every other call on these paths (stat, access, an open
 * for writing) runs natively.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "base/log.h"
#include "core/fdlink.h"
#include "core/modcall.h"
#include "sc/procmounts.h"
#include "core/vpath.h"
#include "core/vuht.h"

const char *const vu_procmounts_paths[] = {
	"/proc/mounts",
	"/proc/self/mounts",
	"/proc/self/mountinfo",
	"/proc/thread-self/mounts",
	"/proc/thread-self/mountinfo",
	"/etc/mtab",
	NULL,
};
_Static_assert(sizeof(vu_procmounts_paths) / sizeof(vu_procmounts_paths[0]) - 1 ==
		       VUHT_RESERVED_PREFIXES - VU_FDLINK_NPATHS,
	       "the mount table files and the fd links are the prefixes the table keeps free");

enum vu_pm_kind vu_pm_kind(const char *path, const char *mtab_link)
{
	static const char *const mounts[] = { "/proc/mounts", "/proc/self/mounts",
					      "/proc/thread-self/mounts" };
	static const char *const mountinfo[] = { "/proc/self/mountinfo",
						 "/proc/thread-self/mountinfo" };
	size_t n;

	for (size_t i = 0; i < sizeof(mounts) / sizeof(mounts[0]); i++)
		if (strcmp(path, mounts[i]) == 0)
			return VU_PM_MOUNTS;
	for (size_t i = 0; i < sizeof(mountinfo) / sizeof(mountinfo[0]); i++)
		if (strcmp(path, mountinfo[i]) == 0)
			return VU_PM_MOUNTINFO;
	if (strcmp(path, "/etc/mtab") != 0 || !mtab_link)
		return VU_PM_NONE;
	/* Debian: ../proc/self/mounts; others: /proc/mounts, /proc/self/mounts */
	n = strlen(mtab_link);
	if ((n >= 11 && strcmp(mtab_link + n - 11, "proc/mounts") == 0 &&
	     (n == 11 || mtab_link[n - 12] == '/')) ||
	    (n >= 16 && strcmp(mtab_link + n - 16, "proc/self/mounts") == 0 &&
	     (n == 16 || mtab_link[n - 17] == '/')))
		return VU_PM_MOUNTS;
	return VU_PM_NONE;
}

void vu_pm_append(struct vu_pm_buf *b, const char *s, size_t len)
{
	if (b->failed)
		return;
	if (b->len + len + 1 > b->size) {
		size_t size = b->size ? b->size : 4096;
		char *p;

		while (b->len + len + 1 > size)
			size *= 2;
		p = realloc(b->s, size);
		if (!p) {
			b->failed = true;
			return;
		}
		b->s = p;
		b->size = size;
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void vu_pm_puts(struct vu_pm_buf *b, const char *s)
{
	vu_pm_append(b, s, strlen(s));
}

/* As the kernel shows names in these files: space, tab, newline, backslash in octal. */
static void vu_pm_escaped(struct vu_pm_buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\\') {
			char esc[5];

			snprintf(esc, sizeof(esc), "\\%03o", (unsigned char)*s);
			vu_pm_append(b, esc, 4);
		} else {
			vu_pm_append(b, s, 1);
		}
	}
}

void vu_pm_free(struct vu_pm_buf *b)
{
	free(b->s);
	memset(b, 0, sizeof(*b));
}

int vu_pm_mount_id(uint64_t epoch)
{
	/* real mount ids are small (an idr); these stay positive ints */
	return (int)(0x40000000 + (epoch & 0x3fffffff));
}

/* The per-mount options: ro or rw, then the MS_* flags that have a name. */
static void vu_pm_flags(struct vu_pm_buf *b, unsigned long flags)
{
	static const struct {
		unsigned long flag;
		const char *name;
	} names[] = {
		{ MS_NOSUID, ",nosuid" },       { MS_NODEV, ",nodev" },
		{ MS_NOEXEC, ",noexec" },       { MS_SYNCHRONOUS, ",sync" },
		{ MS_MANDLOCK, ",mand" },       { MS_DIRSYNC, ",dirsync" },
		{ MS_NOATIME, ",noatime" },     { MS_NODIRATIME, ",nodiratime" },
		{ MS_RELATIME, ",relatime" },
	};

	vu_pm_puts(b, flags & MS_RDONLY ? "ro" : "rw");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (flags & names[i].flag)
			vu_pm_puts(b, names[i].name);
}

void vu_pm_mounts_line(struct vu_pm_buf *b, const struct vu_pm_mount *m)
{
	vu_pm_escaped(b, m->source);
	vu_pm_puts(b, " ");
	vu_pm_escaped(b, m->target);
	vu_pm_puts(b, " ");
	vu_pm_escaped(b, m->fstype);
	vu_pm_puts(b, " ");
	vu_pm_flags(b, m->flags);
	if (m->opts && m->opts[0]) {
		vu_pm_puts(b, ",");
		vu_pm_escaped(b, m->opts);
	}
	vu_pm_puts(b, " 0 0\n");
}

/*
 * The id of the mount whose mount point (field 5, escaped) is the longest
 * one above or at @target (escaped): the last of equals, which is on top.
 */
static int vu_pm_parent(const char *table, const char *target)
{
	size_t best = 0;
	int parent = 0;

	for (const char *line = table; line && *line;) {
		const char *end = strchr(line, '\n');
		const char *f = line, *mp;
		size_t mplen;
		int id;

		if (!end)
			end = line + strlen(line);
		id = atoi(f);
		for (int i = 0; i < 4 && f && f < end; i++) {
			f = memchr(f, ' ', (size_t)(end - f));
			if (f)
				f++;
		}
		if (f && f < end) {
			mp = f;
			f = memchr(mp, ' ', (size_t)(end - mp));
			mplen = f ? (size_t)(f - mp) : (size_t)(end - mp);
			if (mplen == 1 && mp[0] == '/') {
				if (best <= 1) {
					best = 1;
					parent = id;
				}
			} else if (mplen >= best && strncmp(target, mp, mplen) == 0 &&
				   (target[mplen] == '/' || target[mplen] == '\0')) {
				best = mplen;
				parent = id;
			}
		}
		line = *end ? end + 1 : end;
	}
	return parent;
}

void vu_pm_mountinfo_line(struct vu_pm_buf *b, const char *table, const struct vu_pm_mount *m)
{
	struct vu_pm_buf target = { 0 };
	char num[64];

	vu_pm_escaped(&target, m->target);
	if (target.failed) {
		b->failed = true;
		return;
	}
	snprintf(num, sizeof(num), "%d %d %u:%u / ", m->id, vu_pm_parent(table, target.s),
		 m->major, m->minor);
	vu_pm_puts(b, num);
	vu_pm_puts(b, target.s);
	vu_pm_free(&target);
	vu_pm_puts(b, " ");
	vu_pm_flags(b, m->flags);
	vu_pm_puts(b, " - ");
	vu_pm_escaped(b, m->fstype);
	vu_pm_puts(b, " ");
	vu_pm_escaped(b, m->source);
	vu_pm_puts(b, " ");
	vu_pm_puts(b, m->flags & MS_RDONLY ? "ro" : "rw");
	if (m->opts && m->opts[0]) {
		vu_pm_puts(b, ",");
		vu_pm_escaped(b, m->opts);
	}
	vu_pm_puts(b, "\n");
}

/* The virtual mounts, oldest first, each with one use. */
struct vu_pm_list {
	struct vuht_entry_t **ht;
	size_t n, size;
	bool failed;
};

static void vu_pm_collect(struct vuht_entry_t *ht, void *arg)
{
	struct vu_pm_list *l = arg;

	if (ht->confirmfun == NEGATIVE_MOUNT)
		return; /* an exception that gives a path back to the real tree */
	if (l->n == l->size) {
		size_t size = l->size ? 2 * l->size : 16;
		struct vuht_entry_t **p = realloc(l->ht, size * sizeof(*p));

		if (!p) {
			l->failed = true;
			return;
		}
		l->ht = p;
		l->size = size;
	}
	vuht_pick_again(ht);
	l->ht[l->n++] = ht;
}

static void vu_pm_add_entry(struct vu_pm_buf *b, enum vu_pm_kind kind, struct vuht_entry_t *ht)
{
	struct stat st;
	struct vu_pm_mount m = {
		.source = ht->source ? ht->source : "none",
		.target = ht->objlen ? ht->obj : "/",
		.fstype = ht->fstype ? ht->fstype : "none",
		.opts = ht->mountopts,
		.flags = ht->mountflags,
		.id = vu_pm_mount_id(ht->epoch),
	};

	if (kind == VU_PM_MOUNTS) {
		vu_pm_mounts_line(b, &m);
		return;
	}
	/*
	 * The device of its root, as the module says: a bind shows the
	 * device of its source, as a real bind mount does, so tools that
	 * match a file's st_dev with the table (df) find it. The module is
	 * called outside vuht_foreach: it may look the table up itself.
	 */
	if (vu_mcall(ht, lstat, int, (char *, struct stat *, int, int, void *), (char *)"/", &st,
		     0, -1, NULL) == 0) {
		m.major = major(st.st_dev);
		m.minor = minor(st.st_dev);
	}
	vu_pm_mountinfo_line(b, b->s, &m);
}

/* @b in a sealed memfd, reopened read-only: the fd, or -errno. */
static int vu_pm_memfd(const struct vu_pm_buf *b)
{
	char path[64];
	int memfd, fd, ret = 0;

	memfd = memfd_create("kmview-mounts", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (memfd < 0)
		return -errno;
	for (size_t done = 0; done < b->len;) {
		ssize_t n = write(memfd, b->s + done, b->len - done);

		if (n < 0) {
			ret = -errno;
			break;
		}
		done += (size_t)n;
	}
	if (ret == 0 && fcntl(memfd, F_ADD_SEALS,
			      F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL) < 0)
		ret = -errno;
	/* a new open file of the same memory, read-only: what the member gets */
	snprintf(path, sizeof(path), "/proc/self/fd/%d", memfd);
	fd = ret == 0 ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	if (ret == 0 && fd < 0)
		ret = -errno;
	close(memfd);
	return ret < 0 ? ret : fd;
}

/* The real table of the member, then the virtual mounts: a read-only fd, or -errno. */
static int vu_pm_file(pid_t tid, enum vu_pm_kind kind)
{
	struct vu_pm_buf b = { 0 };
	struct vu_pm_list l = { 0 };
	char path[64], chunk[4096];
	int fd, ret = 0;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/%s", (int)tid,
		 kind == VU_PM_MOUNTS ? "mounts" : "mountinfo");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0)
		vu_pm_append(&b, chunk, (size_t)n);
	if (n < 0)
		ret = -errno;
	close(fd);
	vu_pm_append(&b, "", 0); /* a table that was empty is still a string */
	if (ret == 0)
		vuht_foreach(CHECKPATH, vu_pm_collect, &l);
	for (size_t i = 0; i < l.n; i++) {
		if (ret == 0 && !l.failed)
			vu_pm_add_entry(&b, kind, l.ht[i]);
		vuht_drop(l.ht[i]);
	}
	free(l.ht);
	if (ret == 0 && (b.failed || l.failed))
		ret = -ENOMEM;
	if (ret == 0)
		ret = vu_pm_memfd(&b);
	vu_pm_free(&b);
	return ret;
}

bool vu_procmounts_open(struct vu_call *call, int flags, unsigned int res)
{
	const struct vu_msg *msg = call->msg;
	const char *p = msg->path[0];
	char link[256];
	enum vu_pm_kind kind;
	struct vu_target t;
	int fd;

	/* the cheap test first: most opens name nothing of the kind */
	if (!p || (!strstr(p, "mount") && !strstr(p, "mtab")))
		return false;
	if (vu_resolve(call, 0, res, &t) < 0)
		return false; /* the open itself reports it */
	if (t.ht) {
		vu_target_put(&t);
		return false; /* a virtual file of that name: a module serves it */
	}
	link[0] = '\0';
	if (strcmp(t.path, "/etc/mtab") == 0) {
		ssize_t n = readlink("/etc/mtab", link, sizeof(link) - 1);

		link[n > 0 ? n : 0] = '\0';
	}
	kind = vu_pm_kind(t.path, link);
	if (kind == VU_PM_NONE) {
		vu_target_put(&t);
		return false;
	}
	/* anything but a plain open for reading gets the real file's answer */
	if ((flags & O_ACCMODE) != O_RDONLY ||
	    (flags & (O_PATH | O_DIRECTORY | O_TMPFILE | O_TRUNC | O_CREAT))) {
		vu_target_native(call, 0, &t);
		vu_target_put(&t);
		return true;
	}
	fd = vu_pm_file(msg->tid, kind);
	if (fd < 0) {
		vu_log(LOG_NOTICE, "tid %d: %s with the virtual mounts: %s", msg->tid, t.path,
		       strerror(-fd));
		vu_target_put(&t);
		vu_call_return(call, fd);
		return true;
	}
	vu_debug('a', "tid %d: %s with the virtual mounts", msg->tid, t.path);
	vu_target_put(&t);
	vu_call_file(call, fd, flags);
	return true;
}

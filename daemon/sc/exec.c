// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/exec.c - execve and execveat of a virtual file.
 *
 * The kernel can only exec a real file: the content is copied, through
 * the module, into a fresh file of a private directory of the daemon
 * (exec_dir.h: made by mkdtemp, mode 0700, in a parent no other user can
 * change; the members have the daemon's uid), as x<n>/<the file's name>,
 * with the mode's x bits, and the call runs natively on that copy
 * (REWRITE of the path). A copy is used again while the virtual file is
 * unchanged (same module, path, inode, size, mtime and mode), so a
 * program run in a loop costs one copy. A copy not handed out for a
 * minute is removed at the next exec of a virtual file, and the
 * directory when the daemon exits.
 *
 * A #! script: the kernel reads the interpreter line from the copy and
 * resolves the interpreter natively. When the interpreter is a path of
 * the view that the kernel would not find (a virtual file, or a real one
 * under a chroot), the copy's #! line names its real stand-in instead (a
 * copy of the virtual interpreter, made the same way, four levels deep at
 * most as in the kernel, and named as the #! line names it: the kernel
 * passes that path as argv[0], and a multi-call program like busybox
 * finds what to be from its name). The ELF interpreter of a program (PT_INTERP) is
 * not rewritten: it must be a real file.
 *
 * A file a CHECKBINFMT entry claims runs its interpreter instead: sc/binfmt.c.
 *
 * In a chroot, the copies keep their real paths (vu_exec_dir_contains): the
 * kernel hands a script's path to its interpreter, which opens it again.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "core/exec_dir.h"
#include "base/log.h"
#include "core/modcall.h"
#include "sc/handlers.h"
#include "core/vfd.h"
#include "core/vpath.h"
#include "sc/exec.h"

/* The kernel's BINPRM_BUF_SIZE and its limit of nested interpreters. */
#define VU_SHEBANG_MAX 256
#define VU_EXEC_DEPTH 4


/* A copy not handed out for this long is removed at the next new copy. */
#define VU_EXEC_IDLE_MS_DEFAULT 60000

/* The copies there are, by what they are a copy of; the newest first. */
struct vu_exec_copy {
	struct vu_exec_copy *next;
	const struct vu_service_t *service;
	char *path; /* in the view */
	struct stat st;
	char *name;        /* the copy is x<seq>/<name> */
	unsigned long seq;
	bool shared;       /* may be handed out again (a rewritten #! line is the caller's) */
	uint64_t used_ms;  /* when it was last handed out */
};
static struct vu_exec_copy *vu_exec_copies;
static unsigned long vu_exec_seq;
static unsigned int vu_exec_idle_ms = VU_EXEC_IDLE_MS_DEFAULT;
static pthread_mutex_t vu_exec_lock = PTHREAD_MUTEX_INITIALIZER;

static uint64_t vu_exec_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static bool vu_exec_same(const struct vu_exec_copy *c, const struct vu_target *t,
			 const struct stat *st, const char *name)
{
	return c->shared && c->service == t->ht->service && strcmp(c->path, t->path) == 0 &&
	       strcmp(c->name, name) == 0 &&
	       c->st.st_dev == st->st_dev && c->st.st_ino == st->st_ino &&
	       c->st.st_size == st->st_size && c->st.st_mode == st->st_mode &&
	       c->st.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	       c->st.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

/* Remove the file and the directory of copy @seq named @name. */
static void vu_exec_unlink(const char *dir, unsigned long seq, const char *name)
{
	char p[PATH_MAX];

	if ((size_t)snprintf(p, sizeof(p), "%s/x%lu/%s", dir, seq, name) < sizeof(p))
		unlink(p);
	if ((size_t)snprintf(p, sizeof(p), "%s/x%lu", dir, seq) < sizeof(p))
		rmdir(p);
}

static void vu_exec_copy_free(struct vu_exec_copy *c)
{
	free(c->path);
	free(c->name);
	free(c);
}

/*
 * Remove the copies nobody was handed for the idle time (at every exec
 * of a virtual file): a running
 * program keeps its own inode, and an interpreter opened its script long
 * before. Lock held.
 */
static void vu_exec_sweep(const char *dir)
{
	uint64_t now = vu_exec_now_ms();

	for (struct vu_exec_copy **pp = &vu_exec_copies; *pp;) {
		struct vu_exec_copy *c = *pp;

		if (now - c->used_ms < vu_exec_idle_ms) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		vu_exec_unlink(dir, c->seq, c->name);
		vu_debug('a', "exec copy %s/x%lu/%s unused: removed", dir, c->seq, c->name);
		vu_exec_copy_free(c);
	}
}

/*
 * A copy @name of @t (as @st says it is) made before and still there: its
 * path in @out and its number, else 0.
 */
static unsigned long vu_exec_cached(const char *dir, const struct vu_target *t,
				    const struct stat *st, const char *name, char *out,
				    size_t size)
{
	unsigned long seq = 0;

	pthread_mutex_lock(&vu_exec_lock);
	vu_exec_sweep(dir);
	for (struct vu_exec_copy *c = vu_exec_copies; c && !seq; c = c->next)
		if (vu_exec_same(c, t, st, name)) {
			seq = c->seq;
			c->used_ms = vu_exec_now_ms();
		}
	pthread_mutex_unlock(&vu_exec_lock);
	snprintf(out, size, "%s/x%lu/%s", dir, seq, name);
	return seq && access(out, X_OK) == 0 ? seq : 0;
}

/* Keep track of the new copy @seq, to remove it once unused. */
static void vu_exec_remember(const char *dir, const struct vu_target *t, const struct stat *st,
			     const char *name, unsigned long seq, bool shared)
{
	struct vu_exec_copy *c = calloc(1, sizeof(*c));

	if (c && (!(c->path = strdup(t->path)) || !(c->name = strdup(name)))) {
		vu_exec_copy_free(c);
		c = NULL;
	}
	pthread_mutex_lock(&vu_exec_lock);
	if (c) {
		c->service = t->ht->service;
		c->st = *st;
		c->seq = seq;
		c->shared = shared;
		c->used_ms = vu_exec_now_ms();
		c->next = vu_exec_copies;
		vu_exec_copies = c;
	}
	pthread_mutex_unlock(&vu_exec_lock);
	if (!c)
		vu_log(LOG_NOTICE, "exec copy %s/x%lu/%s: no memory to track it: kept until exit",
		       dir, seq, name);
}

void vu_exec_set_idle(unsigned int ms)
{
	pthread_mutex_lock(&vu_exec_lock);
	vu_exec_idle_ms = ms;
	pthread_mutex_unlock(&vu_exec_lock);
}

void vu_exec_forget(void)
{
	pthread_mutex_lock(&vu_exec_lock);
	while (vu_exec_copies) {
		struct vu_exec_copy *c = vu_exec_copies;

		vu_exec_copies = c->next;
		vu_exec_copy_free(c);
	}
	pthread_mutex_unlock(&vu_exec_lock);
	vu_exec_dir_remove();
}

static long vu_exec_copy(struct vu_call *call, struct vu_target *t, const char *name, char *out,
			 size_t size, int depth);

/* Copy what follows the first @from bytes of @src to @dst. 0 or -errno. */
static long vu_copy_tail(int src, off_t from, int dst, off_t to)
{
	char buf[65536];
	ssize_t n;

	while ((n = pread(src, buf, sizeof(buf), from)) > 0) {
		if (pwrite(dst, buf, (size_t)n, to) != n)
			return -EIO;
		from += n;
		to += n;
	}
	return n < 0 ? -errno : 0;
}

/*
 * If the copy @path is a #! script whose interpreter the kernel would not
 * find, write its #! line again with the interpreter's real stand-in.
 * 1 if rewritten, 0 if not, or -errno.
 */
static long vu_exec_shebang(struct vu_call *call, const char *path, mode_t mode, int depth)
{
	char line[VU_SHEBANG_MAX + 1], real[KMVIEW_PATH_MAX], tmp[KMVIEW_PATH_MAX + 8];
	struct vu_target it;
	size_t start, end, eol;
	long ret;
	ssize_t n;
	int fd, out;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = pread(fd, line, VU_SHEBANG_MAX, 0);
	if (n < 3 || line[0] != '#' || line[1] != '!' || !memchr(line, '\n', (size_t)n)) {
		close(fd);
		return n < 0 ? -errno : 0;
	}
	line[n] = '\0';
	eol = (size_t)(strchr(line, '\n') - line);
	start = 2 + strspn(line + 2, " \t");
	end = start + strcspn(line + start, " \t\n");
	line[eol] = '\0';
	if (end == start || line[start] != '/') {
		close(fd);
		return 0; /* no interpreter, or a relative one: the kernel's business */
	}
	char interp[VU_SHEBANG_MAX];

	memcpy(interp, line + start, end - start);
	interp[end - start] = '\0';
	ret = vu_resolve_str(call, interp, VU_RES_FOLLOW, &it);
	if (ret == 0 && it.ht)
		ret = depth >= VU_EXEC_DEPTH ? -ELOOP :
					      vu_exec_copy(call, &it, strrchr(interp, '/') + 1, real,
							   sizeof(real), depth + 1);
	else if (ret == 0 && it.rewritten)
		snprintf(real, sizeof(real), "%s", it.path);
	else if (ret == 0)
		ret = 1; /* the kernel finds it: nothing to do */
	vu_target_put(&it);
	if (ret != 0) {
		close(fd);
		return ret < 0 ? ret : 0;
	}
	snprintf(tmp, sizeof(tmp), "%s.new", path);
	out = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (out < 0) {
		ret = -errno;
	} else {
		int len = dprintf(out, "#!%s%s\n", real, line + end);

		ret = len < 0 ? -EIO : vu_copy_tail(fd, (off_t)eol + 1, out, len);
		if (ret == 0 && fchmod(out, mode) < 0)
			ret = -errno;
		close(out);
		if (ret == 0 && rename(tmp, path) < 0)
			ret = -errno;
		if (ret < 0)
			unlink(tmp);
	}
	close(fd);
	vu_debug('a', "exec copy %s: interpreter %s runs as %s", path, interp, real);
	return ret < 0 ? ret : 1;
}

/*
 * The real copy of the virtual file @t to exec, named @name, made now or
 * found in the cache: its path in @out. 0 or -errno.
 */
static long vu_exec_copy(struct vu_call *call, struct vu_target *t, const char *name, char *out,
			 size_t size, int depth)
{
	struct stat st;
	void *fdprivate = NULL;
	const char *dir = NULL;
	unsigned long seq;
	mode_t mode;
	long ret;
	int sfd, dst;

	ret = vu_mcall(t->ht, lstat, int, VU_LSTAT_PROTO, (char *)t->mpath, &st, 0, -1, NULL);
	if (ret == 0 && S_ISLNK(st.st_mode))
		ret = -ELOOP;
	else if (ret == 0 && !S_ISREG(st.st_mode))
		ret = -EACCES;
	else if (ret == 0 && !(st.st_mode & 0111))
		ret = -EACCES;
	if (ret == 0 && !(dir = vu_exec_dir())) {
		vu_log(LOG_ERR, "exec of virtual %s: no private directory for its copy", t->path);
		ret = -EACCES;
	}
	if (ret < 0)
		return ret;
	if (!name[0] || strlen(name) > NAME_MAX)
		name = "exe";
	if (vu_exec_cached(dir, t, &st, name, out, size))
		return 0;
	/* a fresh place for a new copy: a running copy is never rewritten (ETXTBSY) */
	pthread_mutex_lock(&vu_exec_lock);
	seq = ++vu_exec_seq;
	pthread_mutex_unlock(&vu_exec_lock);
	if ((size_t)snprintf(out, size, "%s/x%lu/%s", dir, seq, name) >= size)
		return -ENAMETOOLONG;
	snprintf(out, size, "%s/x%lu", dir, seq);
	if (mkdir(out, 0700) < 0)
		return -errno;
	snprintf(out, size, "%s/x%lu/%s", dir, seq, name);
	sfd = (int)vu_mcall(t->ht, open, int, (const char *, int, mode_t, void **), t->mpath,
			    O_RDONLY, 0, &fdprivate);
	if (sfd < 0) {
		vu_exec_unlink(dir, seq, name);
		return sfd;
	}
	mode = 0400 | (st.st_mode & 0111) | ((st.st_mode & 0100) ? 0 : 0100);
	dst = open(out, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (dst < 0) {
		ret = -errno;
	} else {
		ret = vu_vfd_copy_content(t->ht, sfd, fdprivate, dst);
		if (ret == 0 && fchmod(dst, mode) < 0)
			ret = -errno;
		close(dst);
	}
	vu_mcall(t->ht, close, int, (int, void *), sfd, fdprivate);
	if (ret == 0)
		ret = vu_exec_shebang(call, out, mode, depth);
	if (ret < 0) {
		vu_exec_unlink(dir, seq, name);
		return ret;
	}
	/* a rewritten #! line depends on the caller's view (its root): not shared */
	vu_exec_remember(dir, t, &st, name, seq, ret == 0);
	return 0;
}

long vu_exec_real_copy(struct vu_call *call, struct vu_target *t, const char *name, char *out,
		       size_t size)
{
	return vu_exec_copy(call, t, name, out, size, 0);
}

void vu_sc_execve(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int at = msg->nr == __NR_execveat;
	unsigned int res = at ? vu_res_at((int)msg->args[4]) : VU_RES_FOLLOW;
	size_t size = PATH_MAX;
	struct vu_target t;
	char *copy;
	long ret;

	ret = vu_resolve(call, 0, res, &t);
	if (ret < 0) {
		vu_call_return(call, ret);
		return;
	}
	if (vu_binfmt_exec(call, &t)) { /* a binary format a module claims (sc/binfmt.c) */
		vu_target_put(&t);
		return;
	}
	if (!t.ht) {
		vu_target_native(call, 0, &t);
		return;
	}
	copy = vu_call_alloc(call, size);
	ret = copy ? vu_exec_copy(call, &t, strrchr(t.path, '/') + 1, copy, size, 0) : -ENOMEM;
	if (ret < 0) {
		vu_target_put(&t);
		vu_call_return(call, ret);
		return;
	}
	vu_debug('a', "tid %d: exec of virtual %s runs the copy %s", msg->tid, t.path, copy);
	vu_target_put(&t);
	call->reply.kind = VU_REPLY_REWRITE;
	call->reply.path = copy;
	call->reply.path_arg = at ? 1 : 0;
	if (at) {
		/* an absolute path: the dirfd does not matter; "" no longer names it */
		call->reply.args[4] = msg->args[4] & ~(uint64_t)AT_EMPTY_PATH;
		call->reply.argmask = 1U << 4;
	}
}

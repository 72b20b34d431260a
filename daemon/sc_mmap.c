// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc_mmap.c - mmap of a placeholder, and execve/execveat of a virtual path.
 *
 * mmap: if the module's own fd is a real file of the daemon (unreal, vufs:
 * the daemon's fstat of it names the file the module's lstat names), the
 * kernel maps that file (KMVIEW_REPLY_MMAP). Otherwise a private mapping
 * (or a read-only shared one) maps a memfd copy of the content, read
 * through the module; a writable shared mapping is refused with ENODEV.
 *
 * execve: the content is copied, through the module, into a fresh file of
 * a private directory of the daemon (/tmp/kmview-exec-<pid>, mode 0700:
 * the members have the daemon's uid), with the mode's x bits, and the
 * call runs natively on that copy (REWRITE of the path). A #! script works
 * as the kernel reads the interpreter line from the copy; a virtual
 * interpreter path does not (the kernel resolves it natively). A copy is
 * used again while the virtual file is unchanged (same module, path,
 * inode, size, mtime and mode), so a program run in a loop costs one
 * copy. The directory is removed when the daemon exits.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "log.h"
#include "modcall.h"
#include "syscalls.h"
#include "vfd.h"
#include "vpath.h"

#define LSTAT_PROTO (char *, struct stat *, int, int, void *)
#define VU_COPY_CHUNK (256 * 1024)

/* Copy @size bytes of the module file (@ht, @sfd, @fdprivate) to @dst. */
static long vu_copy_content(struct vuht_entry_t *ht, int sfd, void *fdprivate, int dst)
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

void vu_sc_mmap(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int prot = (int)msg->args[2], flags = (int)msg->args[3];
	struct vu_vfd *f;
	long ret;
	int memfd;

	if (!msg->vfd[0]) {
		vu_call_native(call);
		return;
	}
	f = vu_vfd_get(msg->vfd[0]);
	if (!f) {
		vu_call_return(call, -EBADF);
		return;
	}
	if (vu_ht_maps_files(f->ht) &&
	    vu_sfd_is_real_file(f->ht, vu_vfd_mpath(f), f->sfd, f->fdprivate)) {
		/* the module's fd is the real file: the kernel maps it */
		call->reply.kind = VU_REPLY_MMAP;
		memcpy(call->reply.args, msg->args, sizeof(call->reply.args));
		call->reply.args[4] = 0;
		call->reply.fd = f->sfd;
		return;
	}
	if ((flags & MAP_TYPE) == MAP_SHARED && (prot & PROT_WRITE)) {
		vu_log(LOG_NOTICE, "tid %d: shared writable mmap of virtual file %s is not served: ENODEV",
		       msg->tid, f->path);
		vu_call_return(call, -ENODEV);
		return;
	}
	memfd = memfd_create("kmview-mmap", MFD_CLOEXEC);
	if (memfd < 0) {
		vu_call_return(call, -errno);
		return;
	}
	ret = vu_copy_content(f->ht, f->sfd, f->fdprivate, memfd);
	if (ret < 0) {
		close(memfd);
		vu_call_return(call, ret);
		return;
	}
	call->tmpfd = memfd;
	call->has_tmpfd = 1;
	call->reply.kind = VU_REPLY_MMAP;
	memcpy(call->reply.args, msg->args, sizeof(call->reply.args));
	call->reply.args[4] = 0;
	/* a read-only shared mapping of a copy is as good as a private one */
	call->reply.fd = memfd;
}

static char vu_exec_dir[64];
static pid_t vu_exec_owner;
static unsigned long vu_exec_seq;

/* The copies made, by what they are a copy of. */
#define VU_EXEC_CACHE 64
struct vu_exec_copy {
	const struct vu_service_t *service;
	char *path; /* in the view */
	struct stat st;
	unsigned long seq; /* its name: x<seq> */
};
static struct vu_exec_copy vu_exec_cache[VU_EXEC_CACHE];
static unsigned int vu_exec_next; /* the slot to fill next, round robin */
static pthread_mutex_t vu_exec_lock = PTHREAD_MUTEX_INITIALIZER;

static bool vu_exec_same(const struct vu_exec_copy *c, const struct vu_target *t,
			 const struct stat *st)
{
	return c->path && c->service == t->ht->service && strcmp(c->path, t->path) == 0 &&
	       c->st.st_dev == st->st_dev && c->st.st_ino == st->st_ino &&
	       c->st.st_size == st->st_size && c->st.st_mode == st->st_mode &&
	       c->st.st_mtim.tv_sec == st->st_mtim.tv_sec &&
	       c->st.st_mtim.tv_nsec == st->st_mtim.tv_nsec;
}

/* The name of a copy of @t (as @st says it is) made before, still there: 0 if none. */
static unsigned long vu_exec_cached(const struct vu_target *t, const struct stat *st)
{
	unsigned long seq = 0;
	char name[sizeof(vu_exec_dir) + 32];

	pthread_mutex_lock(&vu_exec_lock);
	for (unsigned int i = 0; i < VU_EXEC_CACHE && !seq; i++)
		if (vu_exec_same(&vu_exec_cache[i], t, st))
			seq = vu_exec_cache[i].seq;
	pthread_mutex_unlock(&vu_exec_lock);
	snprintf(name, sizeof(name), "%s/x%lu", vu_exec_dir, seq);
	return seq && access(name, X_OK) == 0 ? seq : 0;
}

static void vu_exec_remember(const struct vu_target *t, const struct stat *st, unsigned long seq)
{
	char *path = strdup(t->path);

	if (!path)
		return; /* only a copy more next time */
	pthread_mutex_lock(&vu_exec_lock);
	struct vu_exec_copy *c = &vu_exec_cache[vu_exec_next++ % VU_EXEC_CACHE];

	free(c->path);
	c->service = t->ht->service;
	c->path = path;
	c->st = *st;
	c->seq = seq;
	pthread_mutex_unlock(&vu_exec_lock);
}

static void vu_exec_cleanup(void)
{
	DIR *d;
	struct dirent *e;

	if (!vu_exec_dir[0] || getpid() != vu_exec_owner)
		return;
	for (unsigned int i = 0; i < VU_EXEC_CACHE; i++)
		free(vu_exec_cache[i].path);
	d = opendir(vu_exec_dir);
	if (d) {
		while ((e = readdir(d)))
			if (e->d_name[0] != '.')
				unlinkat(dirfd(d), e->d_name, 0);
		closedir(d);
	}
	rmdir(vu_exec_dir);
}

static int vu_exec_dir_get(void)
{
	if (vu_exec_dir[0])
		return 0;
	snprintf(vu_exec_dir, sizeof(vu_exec_dir), "/tmp/kmview-exec-%d", (int)getpid());
	if (mkdir(vu_exec_dir, 0700) < 0 && errno != EEXIST) {
		int e = errno;

		vu_exec_dir[0] = 0;
		return -e;
	}
	vu_exec_owner = getpid();
	atexit(vu_exec_cleanup);
	return 0;
}

void vu_sc_execve(struct vu_call *call)
{
	const struct vu_msg *msg = call->msg;
	int at = msg->nr == __NR_execveat;
	unsigned int res = at ? vu_res_at((int)msg->args[4]) : VU_RES_FOLLOW;
	struct vu_target t;
	struct stat st;
	void *fdprivate = NULL;
	unsigned long seq;
	char *copy;
	long ret;
	int sfd, dst;

	if (!vu_resolve_virtual(call, 0, res, &t))
		return;
	ret = vu_mcall(t.ht, lstat, int, LSTAT_PROTO, (char *)t.mpath, &st, 0, -1, NULL);
	if (ret == 0 && S_ISLNK(st.st_mode))
		ret = -ELOOP;
	else if (ret == 0 && !S_ISREG(st.st_mode))
		ret = -EACCES;
	else if (ret == 0 && !(st.st_mode & 0111))
		ret = -EACCES;
	if (ret == 0)
		ret = vu_exec_dir_get();
	if (ret < 0) {
		vu_target_put(&t);
		vu_call_return(call, ret);
		return;
	}
	copy = vu_call_alloc(call, sizeof(vu_exec_dir) + 32);
	if (!copy) {
		vu_target_put(&t);
		vu_call_return(call, -ENOMEM);
		return;
	}
	seq = vu_exec_cached(&t, &st);
	if (seq) {
		snprintf(copy, sizeof(vu_exec_dir) + 32, "%s/x%lu", vu_exec_dir, seq);
		goto run;
	}
	/* a fresh name for a new copy: a running copy is never rewritten (ETXTBSY) */
	pthread_mutex_lock(&vu_exec_lock);
	seq = ++vu_exec_seq;
	pthread_mutex_unlock(&vu_exec_lock);
	snprintf(copy, sizeof(vu_exec_dir) + 32, "%s/x%lu", vu_exec_dir, seq);
	sfd = (int)vu_mcall(t.ht, open, int, (const char *, int, mode_t, void **), t.mpath,
			    O_RDONLY, 0, &fdprivate);
	if (sfd < 0) {
		vu_target_put(&t);
		vu_call_return(call, sfd);
		return;
	}
	dst = open(copy, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700);
	if (dst < 0) {
		ret = -errno;
	} else {
		ret = vu_copy_content(t.ht, sfd, fdprivate, dst);
		if (ret == 0 && fchmod(dst, 0400 | (st.st_mode & 0111) | ((st.st_mode & 0100) ? 0 : 0100)) < 0)
			ret = -errno;
		close(dst);
		if (ret < 0)
			unlink(copy);
	}
	vu_mcall(t.ht, close, int, (int, void *), sfd, fdprivate);
	if (ret < 0) {
		vu_target_put(&t);
		vu_call_return(call, ret);
		return;
	}
	vu_exec_remember(&t, &st, seq);
run:
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

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inhstate.c - a test module (not shipped): per-process state kept as a
 * VUOS module keeps it, in a __thread variable maintained by a
 * mod_inheritance upcall, and vu_mod_fd_get_sfd for an fd named in mount
 * options (as vudevfuse's fd=N).
 *
 * Mounted at /inh by init:
 *   stat /inh/set-N   sets the calling process's value to N (allocating
 *                     its state if it had none); a thread shares its
 *                     process's state (CLONE_THREAD), a fork copies it
 *   /inh/state        a symlink: "value=V execs=E", or "none"
 *   /inh/stats        a symlink: "live=L terminates=T starts=S null=N
 *                     clones=C setuid=U" (U: the exec_uid of the last
 *                     EXEC, -1 for none, -2 before any)
 *   /inh/file         a file to open: its fdprivate is known to mount
 *   /inh/fdcheck      a symlink: what the last mount found for its fd=N
 * mount -t inhstate -o fd=N: succeeds (mounting an empty inhstate tree)
 * only if fd N of the caller is a file of this module's /inh, opened
 * here, as vu_mod_fd_get_sfd/ht say.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vumodule.h>

struct vu_module_t vu_module = {
	.name = "inhstate",
	.description = "per-process state (a test module)",
};

struct inh_state {
	int refs;
	int value;
	int execs;
};

#define INH_SFD 77

static __thread struct inh_state *cur;
static int n_live, n_terminates, n_starts, n_null, n_clones, last_setuid = -2;
static struct vuht_entry_t *inh_ht;
static char fdprivate_mark[] = "inhstate file";
static char fdcheck[128] = "none";
static pthread_mutex_t fdcheck_lock = PTHREAD_MUTEX_INITIALIZER;

static void add(int *v, int d)
{
	__atomic_add_fetch(v, d, __ATOMIC_SEQ_CST);
}

static int get(int *v)
{
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

static struct inh_state *inh_new(int value, int execs)
{
	struct inh_state *s = malloc(sizeof(*s));

	if (s) {
		s->refs = 1;
		s->value = value;
		s->execs = execs;
		add(&n_live, 1);
	}
	return s;
}

static void *inh_upcall(mod_inheritance_state_t state, void *ioarg, void *arg)
{
	switch (state) {
	case MOD_INH_CLONE: {
		syscall_arg_t flags = *(syscall_arg_t *)arg;

		add(&n_clones, 1);
		if (!cur)
			return NULL;
		if (flags & CLONE_THREAD) {
			add(&cur->refs, 1);
			return cur;
		}
		return inh_new(cur->value, cur->execs);
	}
	case MOD_INH_START:
		cur = ioarg;
		add(&n_starts, 1);
		if (!ioarg)
			add(&n_null, 1);
		break;
	case MOD_INH_EXEC: {
		struct mod_inheritance_exec_arg *ids = arg;

		if (cur)
			cur->execs++;
		__atomic_store_n(&last_setuid, (int)ids->exec_uid, __ATOMIC_SEQ_CST);
		break;
	}
	case MOD_INH_TERMINATE:
		add(&n_terminates, 1);
		if (cur && __atomic_sub_fetch(&cur->refs, 1, __ATOMIC_SEQ_CST) == 0) {
			free(cur);
			add(&n_live, -1);
		}
		cur = NULL;
		break;
	}
	return NULL;
}

int vu_inhstate_lstat(char *path, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	int n;

	memset(buf, 0, sizeof(*buf));
	buf->st_nlink = 1;
	if (strcmp(path, "/") == 0) {
		buf->st_mode = S_IFDIR | 0755;
		buf->st_nlink = 2;
	} else if (strcmp(path, "/state") == 0 || strcmp(path, "/stats") == 0 ||
		   strcmp(path, "/fdcheck") == 0) {
		buf->st_mode = S_IFLNK | 0777;
	} else if (strcmp(path, "/file") == 0) {
		buf->st_mode = S_IFREG | 0644;
	} else if (sscanf(path, "/set-%d", &n) == 1) {
		if (!cur)
			cur = inh_new(n, 0);
		else
			cur->value = n;
		buf->st_mode = S_IFREG | 0644;
	} else {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

ssize_t vu_inhstate_readlink(char *path, char *buf, size_t bufsiz)
{
	char s[160];
	int len;

	if (strcmp(path, "/state") == 0) {
		if (cur)
			len = snprintf(s, sizeof(s), "value=%d execs=%d", cur->value, cur->execs);
		else
			len = snprintf(s, sizeof(s), "none");
	} else if (strcmp(path, "/stats") == 0) {
		len = snprintf(s, sizeof(s), "live=%d terminates=%d starts=%d null=%d clones=%d "
			       "setuid=%d", get(&n_live), get(&n_terminates), get(&n_starts),
			       get(&n_null), get(&n_clones), get(&last_setuid));
	} else if (strcmp(path, "/fdcheck") == 0) {
		pthread_mutex_lock(&fdcheck_lock);
		len = snprintf(s, sizeof(s), "%s", fdcheck);
		pthread_mutex_unlock(&fdcheck_lock);
	} else {
		errno = strcmp(path, "/") == 0 || strcmp(path, "/file") == 0 ? EINVAL : ENOENT;
		return -1;
	}
	if ((size_t)len > bufsiz)
		len = (int)bufsiz;
	memcpy(buf, s, (size_t)len);
	return len;
}

int vu_inhstate_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	if (strcmp(pathname, "/file") != 0) {
		errno = strcmp(pathname, "/") == 0 ? EISDIR : ENOENT;
		return -1;
	}
	*fdprivate = fdprivate_mark;
	return INH_SFD;
}

int vu_inhstate_close(int fd, void *fdprivate)
{
	return 0;
}

ssize_t vu_inhstate_read(int fd, void *buf, size_t count, void *fdprivate)
{
	return 0;
}

int vu_inhstate_mount(const char *source, const char *target, const char *filesystemtype,
		      unsigned long mountflags, const void *data)
{
	const char *opt = data ? strstr(data, "fd=") : NULL;
	void *priv = NULL;
	int fd, sfd, err = 0;
	struct vuht_entry_t *ht;

	if (!opt || sscanf(opt, "fd=%d", &fd) != 1) {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	sfd = vu_mod_fd_get_sfd(fd, &priv);
	if (sfd < 0)
		err = errno;
	ht = vu_mod_fd_get_ht(fd);
	pthread_mutex_lock(&fdcheck_lock);
	if (sfd < 0)
		snprintf(fdcheck, sizeof(fdcheck), "fd=%d: %s ht=%s", fd,
			 err == EBADF ? "EBADF" : "other", ht ? "set" : "none");
	else
		snprintf(fdcheck, sizeof(fdcheck), "fd=%d: sfd=%d priv=%s ht=%s", fd, sfd,
			 priv == fdprivate_mark ? "ok" : "wrong", ht == inh_ht ? "ok" : "wrong");
	pthread_mutex_unlock(&fdcheck_lock);
	if (sfd != INH_SFD || priv != fdprivate_mark || ht != inh_ht) {
		errno = EBADF;
		return -1;
	}
	if (!vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			  vu_mod_getservice(), 0, NULL, NULL))
		return -1;
	return 0;
}

int vu_inhstate_umount2(const char *target, int flags)
{
	return vuht_del(vu_mod_getht(), flags) == 0 ? 0 : (errno = EBUSY, -1);
}

void *vu_inhstate_init(void)
{
	inh_ht = vuht_pathadd(CHECKPATH, "none", "/inh", "inhstate", 0, "", vu_mod_getservice(), 0,
			      NULL, NULL);
	if (!inh_ht)
		return VU_INIT_FAILED;
	mod_inheritance_upcall_register(inh_upcall);
	return NULL;
}

int vu_inhstate_fini(void *private)
{
	mod_inheritance_upcall_deregister(inh_upcall);
	if (inh_ht && vuht_del(inh_ht, MNT_FORCE) == 0)
		inh_ht = NULL;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * exec_dir.c - make, check and remove the exec copies' directory (see
 * exec_dir.h).
 *
 * The copies are x<n>/<name>: one level of subdirectories, one file in
 * each; removal walks exactly that, through fds of the directory itself
 * (no path is followed again once it is open).
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
#include <unistd.h>

#include "core/exec_dir.h"
#include "base/log.h"

static pthread_mutex_t vu_exec_dir_lock = PTHREAD_MUTEX_INITIALIZER;
static char vu_exec_path[PATH_MAX];
static pid_t vu_exec_owner; /* a forked child must not remove its parent's */

/* Nobody but us (or root) can rename, remove or replace what is in @st. */
static bool vu_exec_dir_safe(const struct stat *st)
{
	return S_ISDIR(st->st_mode) && (st->st_uid == geteuid() || st->st_uid == 0) &&
	       (!(st->st_mode & (S_IWGRP | S_IWOTH)) || (st->st_mode & S_ISVTX));
}

bool vu_exec_parent_ok(const char *dir)
{
	char real[PATH_MAX];
	struct stat st;

	if (!dir || dir[0] != '/' || !realpath(dir, real))
		return false;
	/* every ancestor too: one of them renamed would move the whole tree */
	for (size_t len = strlen(real);;) {
		if (lstat(len ? real : "/", &st) < 0 || !vu_exec_dir_safe(&st))
			return false;
		if (len == 0)
			return true;
		char *slash = strrchr(real, '/');

		len = (size_t)(slash - real);
		*slash = '\0';
	}
}

/* mkdtemp in @parent, checked: true and vu_exec_path set, or false. */
static bool vu_exec_make(const char *parent)
{
	struct stat st;

	if (!vu_exec_parent_ok(parent))
		return false;
	if ((size_t)snprintf(vu_exec_path, sizeof(vu_exec_path), "%s/kmview-exec-XXXXXX",
			     parent) >= sizeof(vu_exec_path) ||
	    !mkdtemp(vu_exec_path)) {
		vu_exec_path[0] = '\0';
		return false;
	}
	if (lstat(vu_exec_path, &st) < 0 || !S_ISDIR(st.st_mode) || st.st_uid != geteuid() ||
	    (st.st_mode & 07777) != 0700) {
		vu_log(LOG_ERR, "exec copies: %s is not the directory just made: not used",
		       vu_exec_path);
		vu_exec_path[0] = '\0';
		return false;
	}
	return true;
}

static void vu_exec_at_exit(void)
{
	if (getpid() == vu_exec_owner)
		vu_exec_dir_remove();
}

const char *vu_exec_dir(void)
{
	const char *parents[] = { getenv("XDG_RUNTIME_DIR"), getenv("TMPDIR"), "/tmp" };
	static bool at_exit;
	const char *ret;

	pthread_mutex_lock(&vu_exec_dir_lock);
	for (size_t i = 0; !vu_exec_path[0] && i < sizeof(parents) / sizeof(parents[0]); i++) {
		if (!parents[i] || !parents[i][0])
			continue;
		if (vu_exec_make(parents[i]))
			break;
		vu_log(LOG_NOTICE, "exec copies: %s is not private enough (or full): not used",
		       parents[i]);
	}
	if (vu_exec_path[0]) {
		vu_exec_owner = getpid();
		if (!at_exit)
			at_exit = atexit(vu_exec_at_exit) == 0;
		vu_debug('a', "exec copies go to %s", vu_exec_path);
	}
	ret = vu_exec_path[0] ? vu_exec_path : NULL;
	pthread_mutex_unlock(&vu_exec_dir_lock);
	if (!ret)
		errno = EACCES;
	return ret;
}

const char *vu_exec_dir_known(void)
{
	/* set once, before the first copy is handed out (cleared only by tests) */
	return vu_exec_path[0] ? vu_exec_path : NULL;
}

void vu_exec_dir_remove(void)
{
	pthread_mutex_lock(&vu_exec_dir_lock);
	int dfd = vu_exec_path[0] ? open(vu_exec_path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
						       O_CLOEXEC) : -1;
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;

	while (d && (e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		int sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		DIR *sd = sub >= 0 ? fdopendir(sub) : NULL;
		struct dirent *f;

		while (sd && (f = readdir(sd)))
			if (strcmp(f->d_name, ".") && strcmp(f->d_name, ".."))
				unlinkat(sub, f->d_name, 0);
		if (sd)
			closedir(sd);
		else if (sub >= 0)
			close(sub);
		if (unlinkat(dfd, e->d_name, AT_REMOVEDIR) < 0)
			unlinkat(dfd, e->d_name, 0);
	}
	if (d)
		closedir(d);
	else if (dfd >= 0)
		close(dfd);
	if (vu_exec_path[0])
		rmdir(vu_exec_path);
	vu_exec_path[0] = '\0';
	pthread_mutex_unlock(&vu_exec_dir_lock);
}

bool vu_exec_dir_contains(const char *path)
{
	const char *dir = vu_exec_dir_known();
	size_t len = dir ? strlen(dir) : 0;

	return len && strncmp(path, dir, len) == 0 && path[len] == '/';
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_lookups.c - a test module that serves a fixed tree and counts its
 * lstat calls, for test_pcache: how many the daemon asks for one request.
 *
 *   /  /d  /d/e        directories
 *   /d/f                a file
 *   /l -> d             a relative symlink
 *   /abs -> /lk/d/e     an absolute one (the test mounts this at /lk)
 *   /loop -> loop       a symlink to itself
 *   /fl -> d/f          a symlink to the file
 *
 * Its lookups never wait (VU_MODULE_QUICK_LOOKUP); the test clears the
 * flag through vu_module to see the reader hand a request to a worker.
 * mkdir makes nothing and counts, so that a test sees the cache forgotten.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <vumodule.h>

VU_PROTOTYPES(lookups)

struct vu_module_t vu_module = { .name = "lookups",
				 .description = "a fixed tree that counts lstats",
				 .flags = VU_MODULE_QUICK_LOOKUP };

/* Read by the test (dlsym): the lstats and mkdirs asked so far. */
unsigned long lookups_lstats, lookups_mkdirs;

static const struct {
	const char *path;
	mode_t mode;
	const char *target;
} lookups_tree[] = {
	{ "/", S_IFDIR | 0755, NULL },      { "/d", S_IFDIR | 0755, NULL },
	{ "/d/e", S_IFDIR | 0755, NULL },   { "/d/f", S_IFREG | 0644, NULL },
	{ "/l", S_IFLNK | 0777, "d" },      { "/abs", S_IFLNK | 0777, "/lk/d/e" },
	{ "/loop", S_IFLNK | 0777, "loop" }, { "/fl", S_IFLNK | 0777, "d/f" },
};

#define LOOKUPS_N (sizeof(lookups_tree) / sizeof(lookups_tree[0]))

/* The node of @path, -1 with errno ENOENT, or ENOTDIR under a non-directory. */
static int lookups_find(const char *path)
{
	size_t len = strlen(path);

	for (size_t i = 0; i < LOOKUPS_N; i++)
		if (strcmp(lookups_tree[i].path, path) == 0)
			return (int)i;
	/* under a node that is not a directory */
	for (size_t i = 0; i < LOOKUPS_N; i++) {
		size_t n = strlen(lookups_tree[i].path);

		if (n > 1 && n < len && strncmp(path, lookups_tree[i].path, n) == 0 &&
		    path[n] == '/' && !S_ISDIR(lookups_tree[i].mode)) {
			errno = ENOTDIR;
			return -1;
		}
	}
	errno = ENOENT;
	return -1;
}

int vu_lookups_mount(const char *source, const char *target, const char *fstype,
		     unsigned long flags, const void *data)
{
	return vuht_pathadd(CHECKPATH, source, target, fstype, flags, data, vu_mod_getservice(), 0,
			    NULL, NULL)
		       ? 0
		       : (errno = ENOMEM, -1);
}

int vu_lookups_lstat(char *path, struct vu_stat *st, int flags, int sfd, void *fdprivate)
{
	int i;

	(void)sfd;
	(void)fdprivate;
	__atomic_add_fetch(&lookups_lstats, 1, __ATOMIC_SEQ_CST);
	i = lookups_find(path);
	if (i < 0)
		return -1;
	/* the daemon follows symlinks itself: a followed lstat of one is a test's mistake */
	if (!(flags & AT_SYMLINK_NOFOLLOW) && S_ISLNK(lookups_tree[i].mode)) {
		errno = EIO;
		return -1;
	}
	memset(st, 0, sizeof(*st));
	st->st_mode = lookups_tree[i].mode;
	st->st_ino = (ino_t)i + 1;
	st->st_nlink = 1;
	return 0;
}

ssize_t vu_lookups_readlink(char *path, char *buf, size_t size)
{
	int i = lookups_find(path);
	size_t n;

	if (i < 0)
		return -1;
	if (!lookups_tree[i].target) {
		errno = EINVAL;
		return -1;
	}
	n = strlen(lookups_tree[i].target);
	if (n > size)
		n = size;
	memcpy(buf, lookups_tree[i].target, n);
	return (ssize_t)n;
}

int vu_lookups_access(char *path, int mode, int flags)
{
	(void)mode;
	(void)flags;
	return lookups_find(path) < 0 ? -1 : 0;
}

int vu_lookups_mkdir(const char *path, mode_t mode)
{
	(void)path;
	(void)mode;
	__atomic_add_fetch(&lookups_mkdirs, 1, __ATOMIC_SEQ_CST);
	errno = EEXIST;
	return -1;
}

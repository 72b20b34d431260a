// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_liar.c - "liar", a module for the unit tests that misbehaves on
 * demand: its counts claim more bytes than it was given (liar_extra), its
 * methods fail with any errno at all (liar_errno, with liar_fail), its
 * ioctl size probe claims a larger argument than the request's (liar_ioctl_size), its
 * close takes its time (liar_close_ms). It counts its fini and cleanup
 * calls, and init adds an entry of its own at /liar-own when liar_own_entry.
 * The tests set these through dlsym on the module's handle.
 */
#include <errno.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include <vumodule.h>

VU_PROTOTYPES(liar)

struct vu_module_t vu_module = {
	.name = "liar",
	.description = "liar: a module that lies (unit tests)",
};

long liar_extra;
int liar_errno;
int liar_fail;
int liar_close_ms;
int liar_own_entry;
atomic_int liar_fini_calls, liar_cleanup_calls, liar_closes;
static struct vuht_entry_t *liar_own;
/* What the last cleanup saw: itself as the current entry, and the thread's epoch. */
int liar_cleanup_as_entry;
unsigned long long liar_cleanup_epoch;
uint64_t vu_epoch_get(void); /* the daemon's (core/vuht.h): not module API */

#define LIAR_FAIL()                               \
	do {                                      \
		if (liar_fail) {                  \
			errno = liar_errno;       \
			return -1;                \
		}                                 \
	} while (0)

int vu_liar_mount(const char *source, const char *target, const char *fstype,
		  unsigned long flags, const void *data)
{
	LIAR_FAIL();
	return vuht_pathadd(CHECKPATH, source, target, fstype, flags, data, vu_mod_getservice(), 0,
			    NULL, NULL) ? 0 : -1;
}

int vu_liar_umount2(const char *target, int flags)
{
	int ret = vuht_del(vu_mod_getht(), flags);

	(void)target;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

int vu_liar_lstat(char *path, struct vu_stat *st, int flags, int sfd, void *fdprivate)
{
	(void)flags;
	(void)sfd;
	(void)fdprivate;
	LIAR_FAIL();
	memset(st, 0, sizeof(*st));
	st->st_mode = strcmp(path, "/") == 0 ? S_IFDIR | 0755 : S_IFREG | 0755;
	st->st_size = 100;
	st->st_ino = 42;
	return 0;
}

int vu_liar_open(const char *path, int flags, mode_t mode, void **fdprivate)
{
	(void)path;
	(void)flags;
	(void)mode;
	*fdprivate = NULL;
	LIAR_FAIL();
	return 7;
}

int vu_liar_close(int fd, void *fdprivate)
{
	struct timespec ts = { liar_close_ms / 1000, (liar_close_ms % 1000) * 1000000L };

	(void)fd;
	(void)fdprivate;
	if (liar_close_ms)
		nanosleep(&ts, NULL);
	atomic_fetch_add(&liar_closes, 1);
	return 0;
}

/* @count bytes of 'x', and a claim of liar_extra more. */
static ssize_t liar_fill(void *buf, size_t count)
{
	memset(buf, 'x', count);
	return (ssize_t)(count + (size_t)liar_extra);
}

ssize_t vu_liar_read(int fd, void *buf, size_t count, void *fdprivate)
{
	(void)fd;
	(void)fdprivate;
	LIAR_FAIL();
	return liar_fill(buf, count);
}

ssize_t vu_liar_pread64(int fd, void *buf, size_t count, off_t off, int flags, void *fdprivate)
{
	(void)off;
	(void)flags;
	return vu_liar_read(fd, buf, count, fdprivate);
}

ssize_t vu_liar_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	(void)fd;
	(void)buf;
	(void)fdprivate;
	LIAR_FAIL();
	return (ssize_t)(count + (size_t)liar_extra);
}

int vu_liar_getdents64(unsigned int fd, struct dirent64 *dirp, unsigned int count,
		       void *fdprivate)
{
	(void)fd;
	(void)fdprivate;
	LIAR_FAIL();
	return (int)liar_fill(dirp, count);
}

ssize_t vu_liar_readlink(char *path, char *buf, size_t bufsiz)
{
	(void)path;
	LIAR_FAIL();
	return liar_fill(buf, bufsiz);
}

ssize_t vu_liar_lgetxattr(const char *path, const char *name, void *value, size_t size, int fd,
			  void *fdprivate)
{
	(void)path;
	(void)name;
	(void)fd;
	(void)fdprivate;
	LIAR_FAIL();
	return size ? liar_fill(value, size) : 10;
}

/* The size probe (fd -1) claims liar_ioctl_size bytes it writes (VUOS: _IOW), whatever the request. */
long liar_ioctl_size = 64;

int vu_liar_ioctl(int fd, unsigned long request, void *buf, uintptr_t addr, void *fdprivate)
{
	(void)addr;
	(void)fdprivate;
	if (fd == -1)
		return (int)_IOC(_IOC_WRITE, _IOC_TYPE(request), _IOC_NR(request), liar_ioctl_size);
	memset(buf, 'y', (size_t)liar_ioctl_size);
	return 0;
}

void vu_liar_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	(void)type;
	(void)arg;
	(void)arglen;
	liar_cleanup_as_entry = vu_mod_getht() == ht;
	liar_cleanup_epoch = vu_epoch_get();
	atomic_fetch_add(&liar_cleanup_calls, 1);
}

void *vu_liar_init(void)
{
	if (liar_own_entry) {
		liar_own = vuht_pathadd(CHECKPATH, "none", "/liar-own", "liar", 0, "",
					vu_mod_getservice(), 0, NULL, NULL);
		if (!liar_own)
			return VU_INIT_FAILED;
	}
	return NULL;
}

/* sync(2) asks every mount with no file: counted. */
atomic_int liar_syncs;
int vu_liar_syncfs(int fd, void *fdprivate);
int vu_liar_syncfs(int fd, void *fdprivate)
{
	if (fd == -1 && !fdprivate && vu_mod_getht())
		atomic_fetch_add(&liar_syncs, 1);
	return 0;
}

int vu_liar_fini(void *private)
{
	(void)private;
	atomic_fetch_add(&liar_fini_calls, 1);
	if (liar_own && vuht_del(liar_own, MNT_FORCE) == 0)
		liar_own = NULL;
	return 0;
}

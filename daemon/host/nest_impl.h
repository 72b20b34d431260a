/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nest_impl.h - what the files of the nesting layer share: the stand-in
 * fds of inner modules' files, the path test, and the symbol tables each
 * file gives nest_bind.c.
 */
#ifndef KMVIEW_DAEMON_NEST_IMPL_H
#define KMVIEW_DAEMON_NEST_IMPL_H

#include <stdbool.h>
#include <sys/types.h>

#include "core/modcall.h"
#include "core/vpath.h"

/* An inner module's open file, behind a real fd number (a /dev/null fd). */
struct vu_nfd {
	struct vuht_entry_t *ht; /* holds a use */
	int sfd;
	void *fdprivate;
	char *path; /* in the view */
	int flags;  /* of the open */
	int refs;   /* fd numbers naming it (dup), under the table's lock */
};

/* One C library function a module may call, and what it is rebound to. */
struct vu_nest_sym {
	const char *name;
	const char *version; /* NULL: the default version */
	void *fn;
};
#define NEST_SYM(name, fn) { #name, NULL, (void *)(fn) }
#define NEST_SYMV(name, ver, fn) { #name, ver, (void *)(fn) }

/* Each file's table, ended by { NULL }. */
extern const struct vu_nest_sym vu_nest_path_syms[];
extern const struct vu_nest_sym vu_nest_fd_syms[];
extern const struct vu_nest_sym vu_nest_stdio_syms[];
extern const struct vu_nest_sym vu_nest_ids_syms[];

/* True inside a module method (the thread's epoch is not "now") unless -x. */
bool vu_nest_active(void);

/* The stand-in @fd, or NULL for any other fd. */
struct vu_nfd *vu_nfd_get(int fd);
/* Open @t's file in its module: a stand-in fd, or -1 and errno. */
int vu_nfd_open(struct vu_target *t, int flags, mode_t mode);
/* Another fd number for @n (dup, dup2, dup3, F_DUPFD): @newfd, or -1. */
int vu_nfd_dup(struct vu_nfd *n, int newfd);
/* Close stand-in @fd: the module's close once no fd names its file. */
int vu_nfd_close(int fd);

/*
 * The path @path of a module's call, relative to @dirfd as the *at calls
 * take it: 1 if virtual at the thread's epoch (@t holds the entry), 0 if
 * real (@real is the path to give the C library: @path, or the real path
 * a virtual symlink or a stand-in dirfd led to), -1 and errno if it cannot
 * be resolved. Relative paths on a real dirfd and AT_FDCWD are real: the
 * daemon's cwd is real.
 */
int vu_nest_path(int dirfd, const char *path, bool follow, struct vu_target *t,
		 const char **real);

struct statfs;
struct statvfs;
/* statvfs from the statfs a module gives. */
void vu_nest_statvfs_fill(struct statvfs *vfs, const struct statfs *sf);

/* The fd functions stdio and directory streams are built on (nest_fd.c). */
ssize_t vu_nest_read(int fd, void *buf, size_t count);
ssize_t vu_nest_write(int fd, const void *buf, size_t count);
off_t vu_nest_lseek(int fd, off_t off, int whence);
ssize_t vu_nest_getdents64(int fd, void *buf, size_t count);

/* A method's result (-errno or a value) as the C library returns it. */
long vu_nest_ret(long r);

/* The path of stand-in @n inside its mount. */
const char *vu_nfd_mpath(const struct vu_nfd *n);

/* Path functions: virtual -> @call (t_.ht, t_.mpath), real -> @realcall on rp. */
#define NEST_AT(dirfd, path, follow, call, realcall)                            \
	do {                                                                    \
		struct vu_target t_;                                            \
		const char *rp;                                                 \
		int v_ = vu_nest_path((dirfd), (path), (follow), &t_, &rp);     \
		if (v_ < 0)                                                     \
			return -1;                                              \
		if (v_ == 0)                                                    \
			return realcall;                                        \
		long r_ = (call);                                               \
		vu_target_put(&t_);                                             \
		return vu_nest_ret(r_);                                         \
	} while (0)
#define NEST_PATH(path, follow, call, realcall) NEST_AT(AT_FDCWD, path, follow, call, realcall)
#define MP (t_.mpath)
#define HT (t_.ht)

/* Fd functions: a stand-in -> method @call on n->sfd; else @realcall. */
#define NEST_FD(fd, call, realcall)                                             \
	do {                                                                    \
		struct vu_nfd *n = vu_nfd_get(fd);                              \
		if (!n)                                                         \
			return realcall;                                        \
		return vu_nest_ret(call);                                       \
	} while (0)


/* A count for a buffer of @max bytes: never more (modret.h); @max 0 asks for a size. */
#define NEST_SIZE(ht, name, call, max) ((max) ? vu_mod_size((ht), (name), (call), (max)) : (call))

/* The C library's fortify failure (stack protector style abort). */
extern void __chk_fail(void) __attribute__((noreturn));

#endif /* KMVIEW_DAEMON_NEST_IMPL_H */

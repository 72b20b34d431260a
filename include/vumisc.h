/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vumisc.h - the interface of vumisc's submodules (system calls served
 * through a small tree of control files, e.g. vumisctime: the clock).
 *
 * Source compatible with VUOS's <vumisc.h>: a VUOS vumisc submodule builds
 * against this header unchanged.
 *
 * vumisc is a kmview module (built against <vumodule.h> and libvumod)
 * that `vumount -t vumiscNAME none /mnt` makes dlopen the submodule
 * vumiscNAME.so and look up
 *
 *	struct vumisc_operations_t vumisc_ops = { ... };
 *
 * plus, by name, the system calls the submodule serves: vumiscNAME_SYSCALL
 * (see VUMISC_PROTOTYPES). The mount shows the submodule's infotree as
 * files whose contents are pseudofiles (<libvumod.h>) made and taken by
 * its infocontents upcall. The function declared here is defined by
 * vumisc, which a submodule is loaded by: the symbol is resolved against
 * vumisc.so at dlopen time. kmview ships vumisc with two submodules,
 * vumisctime and vumiscuname (man/kmview-vumisc.7).
 *
 * The files (kmview's rules, compatible with VUOS's submodules): a read
 * shows what the PSEUDOFILE_LOAD_CONTENTS upcall wrote when the file was
 * first read after its open. Each write(2) is one value, as in /proc/sys:
 * the upcall is called with PSEUDOFILE_STORE_CLOSE and a stream holding
 * the bytes of that write; if it returns -1, the write fails with its
 * errno (EINVAL if none) and the upcall must have changed nothing
 * (VUOS's submodules return 0: their writes always succeed). Nothing is
 * stored at close.
 */
#ifndef VUMISC_H
#define VUMISC_H

#include <libvumod.h>
#include <vumodule.h>
#include <time.h>

/*
 * struct vumisc_info - one file of the tree.
 * @path: its path inside the mount ("/" for the root, "/offset" ...);
 *        NULL ends the table
 * @stat: what lstat shows (st_mode gives its type and permissions: a
 *        directory, a regular file, a symlink; st_ino 0 is replaced by a
 *        hash of @path)
 * @upcall_private: for a regular file, the @pseudoprivate its
 *        infocontents upcall receives; for a symlink, its target
 */
struct vumisc_info {
	char *path;
	struct vu_stat stat;
	void *upcall_private;
};

/*
 * struct vumisc_alias - a file of the tree shown at another path of the
 * view as well (a kmview extension): vumiscuname shows /nodename as
 * /proc/sys/kernel/hostname. A submodule may export
 *
 *	struct vumisc_alias vumisc_aliases[] = { { path, file }, ..., { NULL, NULL } };
 *
 * and each mount then also claims each absolute @path (a mount of one
 * file, in the view's mount table), served as the regular file @file of
 * the tree. At most VUMISC_MAX_ALIASES.
 */
struct vumisc_alias {
	const char *path;
	const char *file;
};
#define VUMISC_MAX_ALIASES 8

/* What the submodule's init returned, for the mount being served. */
void *vumisc_get_private_data(void);

/*
 * struct vumisc_operations_t - what a submodule exports as vumisc_ops.
 * @infotree: the files, ended by an entry whose path is NULL
 * @infocontents: the pseudofile upcall of the regular files
 * @init: the mount, with its source; returns the submodule's state (see
 *        vumisc_get_private_data()); NULL fails the mount
 * @fini: the umount, with what init returned
 */
struct vumisc_operations_t {
	struct vumisc_info *infotree;
	pseudo_upcall infocontents;
	void *(*init)(const char *source);
	int (*fini)(void *private_data);
};

/* The name vumisc looks up for @syscall of submodule @name. */
#define VUMISC_SYSNAME(name, syscall) name##_##syscall

/*
 * VUMISC_PROTOTYPES(name) - declares the system calls a submodule may
 * serve. A clock call is asked first with a NULL timespec, to learn
 * whether the submodule serves that clock id (0) or leaves it to the
 * system (-1).
 */
#define VUMISC_PROTOTYPES(name)                                                          \
	int VUMISC_SYSNAME(name, clock_getres)(clockid_t clk_id, struct timespec *res);   \
	int VUMISC_SYSNAME(name, clock_gettime)(clockid_t clk_id, struct timespec *tp);   \
	int VUMISC_SYSNAME(name, clock_settime)(clockid_t clk_id, const struct timespec *tp);

/*
 * VUMISC_KMVIEW_PROTOTYPES(name) - kmview's calls a submodule may serve as
 * well (the methods of the same name in <vumodule.h>): the sleeps and the
 * timeouts, asked first with @req (@timeout) NULL to learn whether the
 * clock is the submodule's, and the system names. Each returns 0, or -1 with errno.
 */
#define VUMISC_KMVIEW_PROTOTYPES(name)                                                    \
	int VUMISC_SYSNAME(name, clock_nanosleep)(clockid_t clk_id, int flags,            \
						  const struct timespec *req,              \
						  struct timespec *rem);                   \
	int VUMISC_SYSNAME(name, clock_timeout)(clockid_t clk_id, struct timespec *timeout); \
	int VUMISC_SYSNAME(name, uname)(struct utsname *buf);                             \
	int VUMISC_SYSNAME(name, sethostname)(const char *name, size_t len);              \
	int VUMISC_SYSNAME(name, setdomainname)(const char *name, size_t len);

#endif /* VUMISC_H */

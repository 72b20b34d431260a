/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vumodule.h - the contract between the kmview hypervisor and its modules.
 *
 * Source compatible with VUOS's <vumodule.h>: a VUOS module builds against
 * this header unchanged and is loaded by `vu_insmod` as a shared object.
 *
 * A module is a shared object (NAME.so, in the module path: see kmview(1))
 * that exports:
 *
 *   struct vu_module_t vu_module;   its name, a one-line description, flags
 *   void *vu_NAME_init(void);       run by vu_insmod
 *   int vu_NAME_fini(void *private);run by vu_rmmod, with init's result
 *   void vu_NAME_cleanup(...);      optional: told when one of its
 *                                   hashtable entries goes away
 *   vu_NAME_SYSCALL(...)            the methods, one per system call
 *
 * NAME is vu_module.name. A method has the signature of the system call
 * it implements, plus trailing arguments the call needs to find the
 * module's own state (see VU_PROTOTYPES below: "sfd" is the file
 * descriptor the module's open returned, "fdprivate" what open stored).
 * Methods return like the C library: a value, or -1 with errno set; the
 * hypervisor hands errno to the calling process. A method may also be
 * installed at init time with vu_syscall_handler(service, name) = fn,
 * which is how a module reuses a libc function as is.
 *
 * Paths given to methods are inside the mount: for a module mounted at
 * /unreal, the process's "/unreal/etc/passwd" reaches the module as
 * "/etc/passwd". They are absolute and lexically normal.
 *
 * Methods run in the hypervisor, in a thread serving one request; the
 * per-call helpers (vu_mod_getht, vu_mod_gettid, vu_mod_getumask) describe
 * that request. A module's own file calls through the C library (open,
 * stat, read, mkdir, rename, ...: the list is in the hypervisor's nest.c)
 * on an absolute path see the view at the module's epoch: a path mounted
 * before the module's entry is served by that older module (nesting; off
 * with kmview -x). Everything else a module does is real.
 *
 * Responsibility: a module claims what it serves with vuht_add (socket
 * families, devices, syscall numbers, ioctls, binfmt, file system types)
 * or vuht_pathadd (a path prefix: a mount). When several entries match,
 * the most specific wins (the longest path prefix), then the most recent.
 * Each entry has an epoch, the time it was added: the calls a module makes
 * while serving an entry see only what was there before it (a module
 * reading an image stored in another virtual tree sees that tree, never
 * itself).
 */
#ifndef VUMODULE_H
#define VUMODULE_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <libgen.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>

struct vu_service_t;
struct vuht_entry_t;

/*
 * struct vu_module_t - what a module says about itself: exported by every
 * module as `vu_module`. Initialise it with designated initialisers: the
 * fields after description are kmview additions.
 * @name: the module's name, which prefixes its symbols (vu_NAME_init)
 * @description: one line, shown by vu_lsmod
 * @flags: VU_MODULE_* (0 for a VUOS module: VUOS has no flags)
 */
struct vu_module_t {
	char *name;
	char *description;
	unsigned int flags;
};

/*
 * VU_MODULE_FDPASS - fd passthrough (a kmview addition). The module says
 * that the fd its open returns ("sfd") is the file itself, a real file of
 * the hypervisor, and that its read, write, pread64, pwrite64, lseek and
 * the other methods on an open file are the system calls on that fd, with
 * nothing of its own added (vufs and unreal are such modules). The
 * hypervisor may then hand the member the file itself: for a regular file
 * whose fstat names what the module's lstat names (a directory stays
 * virtual), unless the mount has the option "nopassthrough" or is
 * read-only. The module's file is closed (its close method) as soon as the
 * member has its own reference, and the member's later calls on that fd
 * run natively, at full speed, never reaching the module. The member sees
 * the real file: /proc/self/fd/N names the real path, fstat gives the
 * real inode, flock and fcntl locks are the real ones, and the open file
 * does not keep the mount busy. A module that changes data, or whose fd
 * stands for something else, must not set it.
 */
#define VU_MODULE_FDPASS (1U << 0)

/* A method, whatever its arguments: cast to the real prototype to call it. */
typedef long (*syscall_t)();

/*
 * vu_syscall_handler_pointer() - where the method @name of @service is
 * stored, so a module can install a method at init time. @name is the
 * system call's name as in VU_PROTOTYPES ("lstat", "open", "pread64"...).
 * An unknown name returns a pointer to a slot nobody reads, and logs it.
 */
syscall_t *vu_syscall_handler_pointer(struct vu_service_t *service, char *name);
#define vu_syscall_handler(s, n) (*(vu_syscall_handler_pointer(s, #n)))

#if __WORDSIZE == 32
#define vu_stat stat64
#define vu_lstat lstat64
#else
#define vu_stat stat
#define vu_lstat lstat
#endif

#define VU_SYSNAME(name, syscall) vu_##name##_##syscall

/*
 * VU_PROTOTYPES(name) - declare every method a module may implement, so
 * that a typo in a signature is a compile error in the module. Notes on
 * the calls whose form differs from the system call:
 *  - lstat serves the whole stat family (stat, lstat, fstat, fstatat,
 *    statx): the hypervisor follows symlinks itself, and for a call on an
 *    open file passes its path with sfd >= 0 and its fdprivate (else
 *    sfd is -1 and fdprivate NULL). @flags are the fstatat flags.
 *  - access serves access, faccessat, faccessat2; @flags is AT_EACCESS or 0.
 *  - open returns the module's fd ("sfd"), and may store a pointer in
 *    *fdprivate that every later call on that file receives.
 *  - close is called when the last descriptor of the file in the view is
 *    closed (dup and fork share it).
 *  - pread64/pwrite64 carry preadv2's @flags (0 for pread64).
 *  - rename carries renameat2's @flags.
 *  - truncate, chmod, lchown, utimensat, statfs and the xattr calls serve
 *    both the path form and the fd form: for the fd form @fd is the sfd.
 *  - cleanup is called for each of the module's hashtable entries when it
 *    is removed, with the entry's object.
 */
#define VU_PROTOTYPES(name) \
void *VU_SYSNAME(name, init)(void); \
int VU_SYSNAME(name, fini)(void *); \
int VU_SYSNAME(name, lstat)(char *pathname, struct vu_stat *buf, int flags, int sfd, \
			    void *fdprivate); \
int VU_SYSNAME(name, access)(char *path, int mode, int flags); \
ssize_t VU_SYSNAME(name, readlink)(char *path, char *buf, size_t bufsiz); \
int VU_SYSNAME(name, open)(const char *pathname, int flags, mode_t mode, void **fdprivate); \
int VU_SYSNAME(name, close)(int fd, void *fdprivate); \
ssize_t VU_SYSNAME(name, read)(int fd, void *buf, size_t count, void *fdprivate); \
ssize_t VU_SYSNAME(name, write)(int fd, const void *buf, size_t count, void *fdprivate); \
ssize_t VU_SYSNAME(name, pread64)(int fd, void *buf, size_t count, off_t offset, int flags, \
				  void *fdprivate); \
ssize_t VU_SYSNAME(name, pwrite64)(int fd, const void *buf, size_t count, off_t offset, \
				   int flags, void *fdprivate); \
int VU_SYSNAME(name, getdents64)(unsigned int fd, struct dirent64 *dirp, unsigned int count, \
				 void *fdprivate); \
off_t VU_SYSNAME(name, lseek)(int fd, off_t offset, int whence, void *fdprivate); \
int VU_SYSNAME(name, ioctl)(int fd, unsigned long request, void *buf, uintptr_t addr, \
			    void *fdprivate); \
int VU_SYSNAME(name, unlink)(const char *pathname); \
int VU_SYSNAME(name, truncate)(const char *path, off_t length, int fd, void *fdprivate); \
int VU_SYSNAME(name, mkdir)(const char *pathname, mode_t mode); \
int VU_SYSNAME(name, mknod)(const char *pathname, mode_t mode, dev_t dev); \
int VU_SYSNAME(name, rmdir)(const char *pathname); \
int VU_SYSNAME(name, chmod)(const char *pathname, mode_t mode, int fd, void *fdprivate); \
int VU_SYSNAME(name, lchown)(const char *pathname, uid_t owner, gid_t group, int fd, \
			     void *fdprivate); \
int VU_SYSNAME(name, utimensat)(int dirfd, const char *pathname, \
				const struct timespec times[2], int flags, int fd, \
				void *fdprivate); \
int VU_SYSNAME(name, symlink)(const char *target, const char *linkpath); \
int VU_SYSNAME(name, link)(const char *target, const char *linkpath); \
int VU_SYSNAME(name, rename)(const char *target, const char *linkpath, int flags); \
int VU_SYSNAME(name, statfs)(const char *pathname, struct statfs *buf, int fd, \
			     void *fdprivate); \
int VU_SYSNAME(name, mount)(const char *source, const char *target, \
			    const char *filesystemtype, unsigned long mountflags, \
			    const void *data); \
int VU_SYSNAME(name, umount2)(const char *target, int flags); \
ssize_t VU_SYSNAME(name, lgetxattr)(const char *path, const char *name, void *value, \
				    size_t size, int fd, void *fdprivate); \
int VU_SYSNAME(name, lsetxattr)(const char *path, const char *name, const void *value, \
				size_t size, int flags, int fd, void *fdprivate); \
ssize_t VU_SYSNAME(name, llistxattr)(const char *path, char *list, size_t size, int fd, \
				     void *fdprivate); \
int VU_SYSNAME(name, lremovexattr)(const char *path, const char *name, int fd, \
				   void *fdprivate); \
int VU_SYSNAME(name, epoll_ctl)(int epfd, int op, int fd, struct epoll_event *event, \
				void *fdprivate); \
int VU_SYSNAME(name, socket)(int domain, int type, int protocol, void **fdprivate); \
void VU_SYSNAME(name, cleanup)(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht);

/*
 * VU_KMVIEW_PROTOTYPES(name) - kmview's methods for fd calls that VUOS
 * serves through vu_syscall_handler only; a module may define them by
 * name or install them at init. fcntl is asked for F_SETFL only (the
 * other commands act on the descriptor). Without fsync/fdatasync the call
 * succeeds (nothing of the module's own to flush); without fallocate or
 * flock it fails with ENOSYS and a log line. flock is always asked with
 * LOCK_NB: a lock that must wait is ENOLCK for the caller.
 */
#define VU_KMVIEW_PROTOTYPES(name) \
int VU_SYSNAME(name, fcntl)(int fd, int cmd, long arg, void *fdprivate); \
int VU_SYSNAME(name, fsync)(int fd, void *fdprivate); \
int VU_SYSNAME(name, fdatasync)(int fd, void *fdprivate); \
int VU_SYSNAME(name, fallocate)(int fd, int mode, off_t offset, off_t len, void *fdprivate); \
int VU_SYSNAME(name, flock)(int fd, int operation, void *fdprivate);

/* The kinds of responsibility (the @type of vuht_add and vuht_pathadd). */
#define CHECKMODULE 0    /* a module's own entry (by name); made by vu_insmod */
#define CHECKPATH 1      /* a path prefix: the object is the mount point */
#define CHECKSOCKET 2    /* an address family: int */
#define CHECKCHRDEVICE 3 /* a character device: dev_t (major and minor) */
#define CHECKBLKDEVICE 4 /* a block device: dev_t */
#define CHECKSC 5        /* a system call number: int */
#define CHECKIOCTL 6     /* an ioctl request: unsigned long */
#define CHECKBINFMT 7    /* an executable format, matched by path */
#define CHECKFSALIAS 8   /* a file system type alias: a string */
#define NCHECKS 9
/* Lookups only, never added: */
#define PSEUDO_CHECK 0x80
#define CHECKFSTYPE (PSEUDO_CHECK | CHECKMODULE) /* the module whose name prefixes a mount type */
#define CHECKPATHEXACT (PSEUDO_CHECK | CHECKPATH) /* a path, no prefix match */

#define SET_EPOCH 1

/*
 * A confirm function decides, for each request that matches an entry,
 * whether the entry really takes it: 1 yes, 0 no (the next best match is
 * tried). @arg and @arglen are what was looked up (for CHECKPATH the
 * absolute path in the view). It runs at the epoch of @ht.
 * NEGATIVE_MOUNT as confirm function makes an entry that says "not
 * virtual": what it matches is served by the real system.
 */
typedef int (*confirmfun_t)(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht);
#define NEGATIVE_MOUNT ((confirmfun_t)1)

/*
 * vuht_add() - claim a responsibility other than a path.
 * @type: CHECKSOCKET, CHECKCHRDEVICE, CHECKBLKDEVICE, CHECKSC, CHECKIOCTL,
 *        CHECKBINFMT, CHECKFSALIAS
 * @obj, @objlen: the key (an int family, a dev_t, ...), copied
 * @service: the module's service, vu_mod_getservice() in init
 * @confirmfun: NULL, a confirm function, or NEGATIVE_MOUNT
 * @ht_private_data: stored in the entry, see vuht_get_private_data()
 * @permanent: nonzero: the entry never goes away (its module cannot be
 *             removed)
 * Returns the entry, or NULL with errno set (EINVAL for a bad type).
 */
struct vuht_entry_t *vuht_add(uint8_t type, void *obj, int objlen, struct vu_service_t *service,
			      confirmfun_t confirmfun, void *ht_private_data, int permanent);

/*
 * vuht_pathadd() - claim a path prefix: mount something.
 * @type: CHECKPATH
 * @source: what is mounted, for the mount table ("none" if nothing)
 * @path: the mount point: absolute; normalised by the hypervisor
 * @fstype: the type shown in the mount table
 * @mountflags: MS_* flags (MS_RDONLY ...)
 * @mountopts: the options string; "permanent" among them makes the entry
 *             permanent
 * @service: the module's service
 * @trailingnumbers: nonzero: /dev/hda also matches /dev/hda1, /dev/hda2...
 * @confirmfun: as for vuht_add()
 * @ht_private_data: stored in the entry
 * The hypervisor registers the prefix with the kernel so that calls on
 * paths under it come to the module. Returns the entry, or NULL with errno.
 */
struct vuht_entry_t *vuht_pathadd(uint8_t type, const char *source, const char *path,
				  const char *fstype, unsigned long mountflags,
				  const char *mountopts, struct vu_service_t *service,
				  unsigned char trailingnumbers, confirmfun_t confirmfun,
				  void *ht_private_data);

/*
 * vuht_del() - give up a responsibility. Fails with -EBUSY while the entry
 * is in use (an open file in it) unless @umountflags has MNT_FORCE or
 * MNT_DETACH: then it stops matching at once and is freed when its last
 * user goes. Returns 0 or -errno (this one returns the error, as VUOS's).
 */
int vuht_del(struct vuht_entry_t *hte, int umountflags);

/* The entry of the request being served (in init and fini: the module's own). */
struct vuht_entry_t *vu_mod_getht(void);
/* For a module's own threads: act as if serving @ht; returns the previous one. */
struct vuht_entry_t *vu_mod_setht(struct vuht_entry_t *ht);
/* Thread id, in the hypervisor's pid namespace, of the process being served. */
unsigned int vu_mod_gettid(void);
/* The umask of the process being served (022 if it cannot be read). */
mode_t vu_mod_getumask(void);

/* Accessors of an entry. */
struct vu_service_t *vuht_get_service(struct vuht_entry_t *hte);
const void *vuht_get_obj(struct vuht_entry_t *hte);
int vuht_get_objlen(struct vuht_entry_t *hte);
void *vuht_get_private_data(struct vuht_entry_t *hte);
void vuht_set_private_data(struct vuht_entry_t *hte, void *ht_private_data);

/* The module's own service (in init: for vuht_add and vu_syscall_handler). */
static inline struct vu_service_t *vu_mod_getservice(void)
{
	return vuht_get_service(vu_mod_getht());
}

/* The private data of the entry of the current request. */
static inline void *vu_get_ht_private_data(void)
{
	return vuht_get_private_data(vu_mod_getht());
}

static inline void vu_set_ht_private_data(void *ht_private_data)
{
	vuht_set_private_data(vu_mod_getht(), ht_private_data);
}

/*
 * Messages. printk() takes an optional KERN_* prefix for its level
 * (default KERN_INFO) and writes to the hypervisor's log (kmview -l, -o).
 */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"

int vprintk(const char *fmt, va_list ap);
int printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Debug tags: a module prints with printkdebug(TAG, fmt, ...), TAG an
 * upper-case letter, shown when the tag is on (vudebug(1), kmview -d). Its
 * name (what vudebug -l lists) is set with debug_set_name(TAG, "NAME"),
 * usually in init.
 */
void _debug_set_name(int index, const char *s);
void debug_get_name(char tag, char *buf, size_t bufsize);
#define debug_set_name(tag, s) _debug_set_name(DEBUG_TAG2INDEX_##tag, "" s)

/* Nonzero if debug tag @index (DEBUG_TAG2INDEX_*) is on for this request. */
int _printkdebug_on(int index);
int _printkdebug(int index, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#define printkdebug(tag, fmt, ...)                                                        \
	do {                                                                              \
		if (__builtin_expect(_printkdebug_on(DEBUG_TAG2INDEX_##tag), 0))          \
			_printkdebug(DEBUG_TAG2INDEX_##tag, "%s:%d " fmt "\n",            \
				     basename(__FILE__), __LINE__, ##__VA_ARGS__);        \
	} while (0)

/* A tag's bit number: its position in vulib.h's DEBUG_ALLTAGS. */
#define DEBUG_TAG2INDEX_A 1
#define DEBUG_TAG2INDEX_B 2
#define DEBUG_TAG2INDEX_C 3
#define DEBUG_TAG2INDEX_D 4
#define DEBUG_TAG2INDEX_E 5
#define DEBUG_TAG2INDEX_F 6
#define DEBUG_TAG2INDEX_G 7
#define DEBUG_TAG2INDEX_H 8
#define DEBUG_TAG2INDEX_I 9
#define DEBUG_TAG2INDEX_J 10
#define DEBUG_TAG2INDEX_K 11
#define DEBUG_TAG2INDEX_L 12
#define DEBUG_TAG2INDEX_M 13
#define DEBUG_TAG2INDEX_N 14
#define DEBUG_TAG2INDEX_O 15
#define DEBUG_TAG2INDEX_P 16
#define DEBUG_TAG2INDEX_Q 17
#define DEBUG_TAG2INDEX_R 18
#define DEBUG_TAG2INDEX_S 19
#define DEBUG_TAG2INDEX_T 20
#define DEBUG_TAG2INDEX_U 21
#define DEBUG_TAG2INDEX_V 22
#define DEBUG_TAG2INDEX_W 23
#define DEBUG_TAG2INDEX_X 24
#define DEBUG_TAG2INDEX_Y 25
#define DEBUG_TAG2INDEX_Z 26

/*
 * struct dirent64 (getdents64) needs _GNU_SOURCE: build modules with it.
 *
 * Module init failure (a kmview addition): init returns VU_INIT_FAILED
 * with errno set, and vu_insmod fails with that errno; the module is
 * unloaded. NULL stays a valid private value, as in VUOS.
 */
#define VU_INIT_FAILED ((void *)-1)

#endif /* VUMODULE_H */

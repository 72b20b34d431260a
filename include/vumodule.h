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
 * the most recent wins, as in VUOS (and as a later mount covers an
 * earlier one in Linux); an entry with a confirm function that declines
 * lets the next most recent be tried. An entry with no key (obj NULL,
 * objlen 0) matches every key of its kind: a wildcard, which usually has
 * a confirm function. Each entry has an epoch, the time it was added: the calls a module makes
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
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>

struct vu_service_t;
struct vuht_entry_t;

/*
 * struct vu_module_t - what a module says about itself: exported by every
 * module as `vu_module` (VUOS 0.9.4's layout).
 * @name: the module's name, which prefixes its symbols (vu_NAME_init)
 * @description: one line, shown by vu_lsmod
 * @flags: VU_USE_PRW (VUOS's), VU_MODULE_FDPASS, VU_MODULE_QUICK_LOOKUP (kmview's)
 * @filler: reserved, zero
 */
struct vu_module_t {
	char *name;
	char *description;
	uint64_t flags;
	uint64_t filler;
};

/*
 * VU_USE_PRW - the module has no file position of its own: the hypervisor
 * keeps each open file's offset (and, for O_APPEND and SEEK_END, its
 * size, from the module's lstat or lseek(fd, 0, SEEK_END)) and turns read,
 * write, readv, writev into pread64/pwrite64 at that offset. A module's
 * lseek, if it has one, is asked to confirm each new offset (it returns
 * the offset, or -1 and errno); with SEEK_END it returns the size.
 */
#define VU_USE_PRW (1ULL << 0)

/*
 * VU_MODULE_FDPASS - fd passthrough (a kmview addition). The module says
 * that the fd its open returns ("sfd") is the file itself, a real file of
 * the hypervisor, and that its read, write, pread64, pwrite64, lseek and
 * the other methods on an open file are the system calls on that fd, with
 * nothing of its own added (vufs and unreal are such modules). The
 * hypervisor may then hand the member the file itself: for a regular file
 * whose fstat names what the module's lstat names (a directory stays
 * virtual), unless the mount has the option "nopassthrough" or is
 * read-only, or the module's open stored an fdprivate (state of its own
 * for that file: the module keeps serving it). The module's file is closed (its close method) as soon as the
 * member has its own reference, and the member's later calls on that fd
 * run natively, at full speed, never reaching the module. The member sees
 * the real file: /proc/self/fd/N names the real path, fstat gives the
 * real inode, flock and fcntl locks are the real ones, and the open file
 * does not keep the mount busy. A module that changes data, or whose fd
 * stands for something else, must not set it.
 */
#define VU_MODULE_FDPASS (1ULL << 32)

/*
 * VU_MODULE_QUICK_LOOKUP - the module's methods that only look (lstat,
 * access, readlink, getdents64, lseek, statfs, statx, lgetxattr,
 * llistxattr) and its confirm functions return without waiting for
 * anything but a local file system: never for a FIFO, a lock, the
 * network, another request, or a thread of the module (a kmview
 * addition). The hypervisor may then call them from the thread that
 * reads the requests, which saves a hand-off to a worker (a context
 * switch) per call; while such a method runs, no other request is read.
 * A lookup that fails, whatever the error (EAGAIN too: the hypervisor
 * refuses there a call the method makes to another module that may wait,
 * then serves the request again in a worker), must leave nothing changed
 * that the second try would see. A module whose lookups can block (a
 * network or FUSE file system, a lock shared with a blocking method)
 * must not set it.
 */
#define VU_MODULE_QUICK_LOOKUP (1ULL << 33)

/* A system call argument, as the member passed it. */
typedef unsigned long int syscall_arg_t;
/* A method, whatever its arguments: cast to the real prototype to call it. */
#if __STDC_VERSION__ >= 202000L
typedef long (*syscall_t)(...);
#else
typedef long (*syscall_t)();
#endif

/*
 * vu_arch_table[nr] - the method that serves system call @nr of this
 * architecture (__NR_*, below 512): the number a CHECKSC entry's key
 * holds. Calls served by one method share it (getuid, geteuid, getresuid
 * all give getresfuid's); 0 for a call no method serves. Compare these
 * numbers with each other, never with constants.
 */
extern const uint16_t vu_arch_table[];
/* mountflag_strings[i] - the mount option of MS_ flag 1 << i ("ro", "nosuid"...), or NULL. */
extern char *mountflag_strings[32];

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
 *  - the id methods serve every id call: getuid, geteuid, getresuid (and
 *    the gid ones) are getresfuid; setuid, setreuid, setresuid, setfsuid
 *    are setresfuid with all four ids as they are after the call (the
 *    hypervisor reads them first with getresfuid, as VUOS does).
 *    @private is the private data of the CHECKSC entry that won.
 *  - clock_gettime serves gettimeofday and time too (CLOCK_REALTIME),
 *    clock_settime serves settimeofday.
 *  - socket returns the module's fd; the socket methods get it as sockfd.
 *    sendto and recvfrom serve send, sendmsg, sendmmsg (and the recv ones):
 *    @msg_control is the ancillary data of the msg forms.
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
int VU_SYSNAME(name, getresfuid)(uid_t *ruid, uid_t *euid, uid_t *suid, uid_t *fsuid, \
				 void *private); \
int VU_SYSNAME(name, getresfgid)(gid_t *rgid, gid_t *egid, gid_t *sgid, gid_t *fsgid, \
				 void *private); \
int VU_SYSNAME(name, setresfuid)(uid_t ruid, uid_t euid, uid_t suid, uid_t fsuid, void *private); \
int VU_SYSNAME(name, setresfgid)(gid_t rgid, gid_t egid, gid_t sgid, gid_t fsgid, void *private); \
int VU_SYSNAME(name, socket)(int domain, int type, int protocol, void **fdprivate); \
int VU_SYSNAME(name, bind)(int sockfd, const struct sockaddr *addr, socklen_t addrlen, \
			   void *fdprivate); \
int VU_SYSNAME(name, connect)(int sockfd, const struct sockaddr *addr, socklen_t addrlen, \
			      void *fdprivate); \
int VU_SYSNAME(name, listen)(int sockfd, int backlog, void *fdprivate); \
int VU_SYSNAME(name, accept4)(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags, \
			      void *fdprivate); \
int VU_SYSNAME(name, getsockname)(int sockfd, struct sockaddr *addr, socklen_t *addrlen, \
				  void *fdprivate); \
int VU_SYSNAME(name, getpeername)(int sockfd, struct sockaddr *addr, socklen_t *addrlen, \
				  void *fdprivate); \
ssize_t VU_SYSNAME(name, sendto)(int sockfd, const void *buf, size_t len, int flags, \
				 const struct sockaddr *dest_addr, socklen_t addrlen, \
				 void *msg_control, size_t msg_controllen, void *fdprivate); \
ssize_t VU_SYSNAME(name, recvfrom)(int sockfd, void *buf, size_t len, int flags, \
				   struct sockaddr *src_addr, socklen_t *addrlen, \
				   void *msg_control, size_t *msg_controllen, void *fdprivate); \
int VU_SYSNAME(name, getsockopt)(int sockfd, int level, int optname, void *optval, \
				 socklen_t *optlen, void *fdprivate); \
int VU_SYSNAME(name, setsockopt)(int sockfd, int level, int optname, const void *optval, \
				 socklen_t optlen, void *fdprivate); \
int VU_SYSNAME(name, capget)(cap_user_header_t hdrp, cap_user_data_t datap); \
int VU_SYSNAME(name, capset)(cap_user_header_t hdrp, const cap_user_data_t datap); \
int VU_SYSNAME(name, clock_gettime)(clockid_t clk_id, struct timespec *tp); \
int VU_SYSNAME(name, clock_settime)(clockid_t clk_id, const struct timespec *tp); \
int VU_SYSNAME(name, clock_getres)(clockid_t clk_id, struct timespec *res); \
void VU_SYSNAME(name, cleanup)(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht);

/*
 * VU_KMVIEW_PROTOTYPES(name) - the methods VUOS serves through
 * vu_syscall_handler only (fcntl, shutdown, statx, setgroups, getgroups),
 * and kmview's own; a module may define them by name or install them at
 * init. fcntl is asked for F_SETFL only (the other commands act on the
 * descriptor). Without fsync/fdatasync/syncfs the call succeeds (nothing
 * of the module's own to flush); without fallocate or flock it fails with
 * ENOSYS and a log line. syncfs also serves sync(2): it is called once
 * for every mount (vu_mod_getht() the mount) with fd -1 and fdprivate
 * NULL, then the real sync runs. flock is always asked with LOCK_NB: a lock that
 * must wait is ENOLCK for the caller. uname, sethostname and
 * setdomainname serve those calls for a module that claims them (CHECKSC).
 * clock_nanosleep serves nanosleep (CLOCK_MONOTONIC, @flags 0) and
 * clock_nanosleep: the method sleeps (in the thread serving the call, which
 * a signal to the caller interrupts: then -1 and EINTR, with what is left
 * of a relative sleep in *@rem); @flags is 0 or TIMER_ABSTIME, @req is
 * valid (checked by the hypervisor). It returns 0, or -1 with errno, as
 * every method (not the error number, as the C library's clock_nanosleep).
 * clock_timeout serves the timeouts of poll, ppoll, select, pselect6,
 * epoll_wait, epoll_pwait and alarm (@clk_id CLOCK_MONOTONIC): it turns the
 * relative @timeout, in the view's time, into the real span it lasts, in
 * place, and returns 0; -1 leaves the timeout as it is. The call then runs
 * natively with it (the hypervisor rewrites its argument).
 */
#define VU_KMVIEW_PROTOTYPES(name) \
int VU_SYSNAME(name, fcntl)(int fd, int cmd, long arg, void *fdprivate); \
int VU_SYSNAME(name, shutdown)(int sockfd, int how, void *fdprivate); \
int VU_SYSNAME(name, setgroups)(size_t size, const gid_t *list, void *private); \
int VU_SYSNAME(name, getgroups)(int size, gid_t *list, void *private); \
int VU_SYSNAME(name, syncfs)(int fd, void *fdprivate); \
int VU_SYSNAME(name, uname)(struct utsname *buf); \
int VU_SYSNAME(name, sethostname)(const char *name, size_t len); \
int VU_SYSNAME(name, setdomainname)(const char *name, size_t len); \
int VU_SYSNAME(name, fsync)(int fd, void *fdprivate); \
int VU_SYSNAME(name, fdatasync)(int fd, void *fdprivate); \
int VU_SYSNAME(name, fallocate)(int fd, int mode, off_t offset, off_t len, void *fdprivate); \
int VU_SYSNAME(name, flock)(int fd, int operation, void *fdprivate); \
int VU_SYSNAME(name, clock_nanosleep)(clockid_t clk_id, int flags, const struct timespec *req, \
				      struct timespec *rem); \
int VU_SYSNAME(name, clock_timeout)(clockid_t clk_id, struct timespec *timeout);

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

/* The @vuflags of vuht_add and vuht_pathadd. */
#define VUFLAG_PERMANENT 1 /* the entry never goes away: its module cannot be removed */
#define VUFLAG_PREFIX 2    /* CHECKPATH: /dev/hda also matches /dev/hda1 (what follows */
			   /* in the last component; the confirm function checks it) */
/* kmview's: VU_MODULE_FDPASS for this entry alone (a module serving */
/* several kinds of file, as vunet its submodules' sockets) */
#define VUFLAG_FDPASS 4

/*
 * A confirm function decides, for each request that matches an entry,
 * whether the entry really takes it: 1 yes, 0 no (the next match, older,
 * is tried). @arg and @arglen are what was looked up: for CHECKPATH the
 * path after the entry's own (the mount point): "/x" for /mnt/x in a mount
 * at /mnt, "" for /mnt itself, "1" for /dev/hda1 in a VUFLAG_PREFIX entry
 * at /dev/hda; for CHECKBINFMT a struct binfmt_req_t; else the key (an
 * int family, a dev_t, an int method number, an unsigned long request).
 * It runs at the epoch of @ht.
 * NEGATIVE_MOUNT as confirm function makes an entry that says "not
 * virtual": what it matches is served by the real system (kmview's
 * meaning: VUOS's table has the constant and no user of it).
 */
typedef int (*confirmfun_t)(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht);
#define NEGATIVE_MOUNT ((confirmfun_t)1)

/*
 * vuht_add() - claim a responsibility other than a path.
 * @type: CHECKSOCKET, CHECKCHRDEVICE, CHECKBLKDEVICE, CHECKSC, CHECKIOCTL,
 *        CHECKBINFMT, CHECKFSALIAS
 * @obj, @objlen: the key (an int family, a dev_t, an int from vu_arch_table,
 *        an unsigned long request, a string), copied; NULL and 0 for a
 *        wildcard that matches every key of @type
 * @service: the module's service, vu_mod_getservice() in init
 * @vuflags: VUFLAG_PERMANENT
 * @confirmfun: NULL, a confirm function, or NEGATIVE_MOUNT
 * @private_data: stored in the entry, see vuht_get_private_data()
 * Returns the entry, or NULL with errno set (EINVAL for a bad type or key).
 */
struct vuht_entry_t *vuht_add(uint8_t type, const void *obj, int objlen,
			      struct vu_service_t *service, int vuflags, confirmfun_t confirmfun,
			      void *private_data);

/*
 * vuht_pathadd() - claim a path prefix: mount something.
 * @type: CHECKPATH
 * @source: what is mounted, for the mount table ("none" if NULL)
 * @path: the mount point: absolute; normalised by the hypervisor
 * @fstype: the type shown in the mount table
 * @mountflags: MS_* flags (MS_RDONLY ...)
 * @mountopts: the options string; "permanent" among them is VUFLAG_PERMANENT
 * @service: the module's service
 * @vuflags: VUFLAG_PERMANENT, VUFLAG_PREFIX
 * @confirmfun: as for vuht_add()
 * @private_data: stored in the entry
 * The hypervisor registers the prefix with the kernel so that calls on
 * paths under it come to the module. Returns the entry, or NULL with errno.
 */
struct vuht_entry_t *vuht_pathadd(uint8_t type, const char *source, const char *path,
				  const char *fstype, unsigned long mountflags,
				  const char *mountopts, struct vu_service_t *service, int vuflags,
				  confirmfun_t confirmfun, void *private_data);

/*
 * vuht_redirect() - a kmview extension: the tree of the CHECKPATH entry
 * @ht (no confirm function) is the real directory @realdir, as in a bind:
 * every path under the mount point names the same object under @realdir,
 * with the same answer to every call. The kernel may then run the
 * members' calls there natively, with no upcall, wherever it can be sure
 * of the answer (Documentation/module-api.md, "Redirects"); the module
 * still serves every call it forwards. Do not use it for a read-only
 * mount, or one that changes ownership, modes or contents of what it
 * shows. Returns 0, or -1 with errno (EINVAL: not such an entry, or
 * @realdir not a directory; ENOMEM).
 */
int vuht_redirect(struct vuht_entry_t *ht, const char *realdir);

/*
 * struct binfmt_req_t - what a CHECKBINFMT confirm function is asked about
 * at an execve of @path (absolute, in the view): the first
 * @fileheadlen bytes of the file in @filehead. A module that takes it sets
 * @flags and says what runs (vubinfmt: an interpreter) by writing into
 * @filehead the line "#!interpreter [arg]", as a script's first line
 * would say (VUOS's way); @path stays the hypervisor's.
 * @flags: BINFMT_PRESERVE_ARGV0, the member's argv[0] follows the path
 * (binfmt_misc's P); BINFMT_FIX_BINARY (a kmview addition), the
 * interpreter is a path from the view's root, found whatever the
 * member's chroot and cwd (binfmt_misc's F); BINFMT_OPEN_BINARY and
 * BINFMT_CREDENTIALS are ignored (no AT_EXECFD; credentials never change
 * at exec in a view).
 */
#define BINFMTBUFLEN 128
#define BINFMTLINELEN 1920
#define BINFMT_PRESERVE_ARGV0 0x1
#define BINFMT_OPEN_BINARY 0x2
#define BINFMT_CREDENTIALS 0x4
#define BINFMT_FIX_BINARY 0x8

struct binfmt_req_t {
	char *path;
	char filehead[BINFMTBUFLEN + 2];
	int fileheadlen;
	int flags;
};

/*
 * vuht_del() - give up a responsibility. Fails with -EBUSY while the entry
 * is in use (an open file in it) unless @umountflags has MNT_FORCE or
 * MNT_DETACH: then it stops matching at once and is freed when its last
 * user goes. Returns 0 or -errno (this one returns the error, as VUOS's).
 */
int vuht_del(struct vuht_entry_t *hte, int umountflags);

/* The entry of the request being served (in init and fini: the module's own). */
struct vuht_entry_t *vu_mod_getht(void);
/*
 * For a module's own threads: act as if serving @ht. Returns the previous
 * one (a kmview addition: VUOS's returns nothing).
 */
struct vuht_entry_t *vu_mod_setht(struct vuht_entry_t *ht);
/* Thread id, in the hypervisor's pid namespace, of the process being served (0: none). */
pid_t vu_mod_gettid(void);
/* The umask of the process being served (022 if it cannot be read). */
mode_t vu_mod_getumask(void);
/*
 * The file type and mode of what the request names (its st_mode, 0 if it
 * does not exist or is not known): a module's open sees whether the file
 * is there before it creates it.
 */
mode_t vu_mod_getmode(void);

/*
 * The system call being served, as the member made it: its number
 * (__NR_*; the VUOS management calls are negative) and its arguments 0-5.
 * -1 and 0 outside a request.
 */
int vu_mod_getsyscall_number(void);
syscall_arg_t vu_mod_getsyscall_arg(unsigned int narg);

/*
 * The memory of the process being served, at addresses it passed (an
 * ioctl's argument, a socket address). Nothing is done if @addr is 0, or
 * outside a request; a fault leaves @buf as it was (peek) and is logged.
 * peek_str reads a NUL-terminated string of at most @datalen bytes
 * (@buf always terminated); peekdup_path a path, malloc'd (NULL on fault).
 */
void vu_mod_peek_str(void *addr, void *buf, size_t datalen);
char *vu_mod_peekdup_path(void *addr);
void vu_mod_peek_data(void *addr, void *buf, size_t datalen);
void vu_mod_poke_data(void *addr, void *buf, size_t datalen);

/*
 * The member's fd @fd, if it is a virtual file: the module's fd (sfd, and
 * the fdprivate of its open in *@fdprivate if not NULL), or -1 with errno
 * EBADF; vu_mod_fd_get_ht gives its entry (NULL if real).
 */
int vu_mod_fd_get_sfd(int fd, void **fdprivate);
struct vuht_entry_t *vu_mod_fd_get_ht(int fd);

/*
 * Load a submodule: the shared object @modname (a name found in the
 * module path as a module is, NAME.so, or a path), with dlopen @flags.
 * Returns the handle, or NULL with the reason logged.
 */
void *vu_mod_dlopen(const char *modname, int flags);

/*
 * Per-process state of a module. The upcall is told of every process of
 * the view: MOD_INH_CLONE in the parent, before the child runs (it returns
 * what the child's state will be: its @arg is the clone flags); MOD_INH_START
 * in the child, with that value as @ioarg; MOD_INH_EXEC at an execve
 * (@arg: struct mod_inheritance_exec_arg, the ids a setuid program gets,
 * -1 for none); MOD_INH_TERMINATE when it ends. Each runs in the thread
 * that serves that process, so a module keeps the state in a __thread
 * variable, as in VUOS (module-api.md says how kmview gives each process
 * a thread of its own while an upcall is registered).
 */
typedef enum mod_inheritance_state_t {
	MOD_INH_CLONE,
	MOD_INH_START,
	MOD_INH_EXEC,
	MOD_INH_TERMINATE
} mod_inheritance_state_t;

struct mod_inheritance_exec_arg {
	uid_t exec_uid;
	gid_t exec_gid;
};

typedef void *(*mod_inheritance_upcall_t)(mod_inheritance_state_t state, void *ioarg, void *arg);
void mod_inheritance_upcall_register(mod_inheritance_upcall_t upcall);
void mod_inheritance_upcall_deregister(mod_inheritance_upcall_t upcall);

/* Accessors of an entry. */
struct vu_service_t *vuht_get_service(struct vuht_entry_t *hte);
const void *vuht_get_obj(struct vuht_entry_t *hte);
int vuht_get_objlen(struct vuht_entry_t *hte);
void *vuht_get_private_data(struct vuht_entry_t *hte);
void vuht_set_private_data(struct vuht_entry_t *hte, void *ht_private_data);
/* For a CHECKPATH entry: @path (absolute, in the view) inside the mount ("/" at its root). */
const char *vuht_path2mpath(struct vuht_entry_t *hte, const char *path);

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

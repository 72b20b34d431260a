/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * service.h - a loaded module as the rest of the daemon sees it: its
 * methods, what its init returned, and who keeps it alive.
 *
 * vumodule.h leaves struct vu_service_t opaque to modules. It is filled by
 * the loader (host/module.c) and then only read: methods are called
 * through core/modcall.h, entries of the table point to it (core/vuht.c).
 *
 * Lifetime: the loader holds a reference, and so does every entry of the
 * table the module added, until its cleanup has run: the code is unloaded
 * at the last one, never while an entry could still call it.
 *
 * The method numbers are also what vu_arch_table[] gives for a system call
 * (vumodule.h): VUOS's __VU_ numbers, which modules only compare with
 * each other (a CHECKSC entry's key is one). 0 is no method.
 */
#ifndef KMVIEW_DAEMON_SERVICE_H
#define KMVIEW_DAEMON_SERVICE_H

#include <stdbool.h>
#include <stdint.h>

#include <vumodule.h>

/*
 * Every method a module may have: VUOS 0.9.4's VU_PROTOTYPES and the
 * methods its vu_syscalls.conf names (fcntl, shutdown, statx, setgroups,
 * getgroups), then kmview's: fsync, fdatasync, fallocate, flock, syncfs,
 * the system names (uname, sethostname, setdomainname) and the sleeps
 * (clock_nanosleep) and the timeouts (clock_timeout).
 */
#define VU_METHODS(X)                                                                       \
	X(lstat) X(access) X(readlink) X(open) X(close) X(read) X(write) X(pread64)          \
	X(pwrite64) X(getdents64) X(lseek) X(ioctl) X(unlink) X(truncate) X(mkdir) X(mknod) \
	X(rmdir) X(chmod) X(lchown) X(utimensat) X(symlink) X(link) X(rename) X(statfs)     \
	X(mount) X(umount2) X(lgetxattr) X(lsetxattr) X(llistxattr) X(lremovexattr)         \
	X(epoll_ctl) X(getresfuid) X(getresfgid) X(setresfuid) X(setresfgid) X(setgroups)  \
	X(getgroups) X(socket) X(bind) X(connect) X(listen) X(accept4) X(getsockname)       \
	X(getpeername) X(sendto) X(recvfrom) X(shutdown) X(getsockopt) X(setsockopt)        \
	X(capget) X(capset) X(clock_gettime) X(clock_settime) X(clock_getres) X(statx)      \
	X(fcntl) X(fsync) X(fdatasync) X(fallocate) X(flock) X(syncfs) X(uname)             \
	X(sethostname) X(setdomainname) X(clock_nanosleep) X(clock_timeout)

enum vu_method {
	VU_M_none = 0,
#define VU_METHOD_ENUM(m) VU_M_##m,
	VU_METHODS(VU_METHOD_ENUM)
#undef VU_METHOD_ENUM
	VU_NMETHODS
};

typedef void (*vu_cleanup_t)(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht);

struct vu_service_t {
	struct vu_module_t *mod;
	void *dlhandle;
	syscall_t method[VU_NMETHODS];
	void *(*init)(void);
	int (*fini)(void *);
	vu_cleanup_t cleanup;
	void *private; /* what init returned */
	struct vuht_entry_t *service_ht; /* its CHECKMODULE entry, named mod->name */
	int refs;     /* atomic: the loader's, one per entry of the table */
	bool closing; /* under the table's lock: being removed, its entries match nothing */
};

/* The name of method m ("lstat"), and the method of that name (-1 if none). */
const char *vu_method_name(enum vu_method m);
int vu_method_by_name(const char *name);

void vu_service_get(struct vu_service_t *s);
/* Drop a reference (NULL ignored): the last one unloads the code and frees @s. */
void vu_service_put(struct vu_service_t *s);

/* Tell @s that its entry @ht of @type and key @obj is gone (vu_NAME_cleanup, if any). */
void vu_service_cleanup(struct vu_service_t *s, uint8_t type, void *obj, int objlen,
			struct vuht_entry_t *ht);

#endif /* KMVIEW_DAEMON_SERVICE_H */

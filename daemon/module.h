/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module.h - loaded modules: finding, loading and unloading their shared
 * objects, and their methods.
 *
 * A loaded module is a struct vu_service_t (vumodule.h leaves it opaque to
 * modules): its vu_module, its dlopen handle, its methods and what its
 * init returned. Methods are found by name when the module loads
 * (vu_NAME_SYSCALL) and may be replaced by the module itself at init
 * (vu_syscall_handler).
 *
 * Lifetime: the loader holds a reference, and so does every entry of the
 * table the module added (vuht.c), until its cleanup has run: the code is
 * unloaded at the last one, never while an entry could still call it.
 */
#ifndef KMVIEW_DAEMON_MODULE_H
#define KMVIEW_DAEMON_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include <vumodule.h>

/*
 * Every method a module may have, in VU_PROTOTYPES order, plus fcntl and
 * kmview's fd methods fsync, fdatasync, fallocate and flock (with the
 * system call's arguments and a trailing fdprivate).
 */
#define VU_METHODS(X)                                                                       \
	X(lstat) X(access) X(readlink) X(open) X(close) X(read) X(write) X(pread64)          \
	X(pwrite64) X(getdents64) X(lseek) X(ioctl) X(unlink) X(truncate) X(mkdir) X(mknod) \
	X(rmdir) X(chmod) X(lchown) X(utimensat) X(symlink) X(link) X(rename) X(statfs)     \
	X(mount) X(umount2) X(lgetxattr) X(lsetxattr) X(llistxattr) X(lremovexattr)         \
	X(epoll_ctl) X(socket) X(bind) X(connect) X(listen) X(accept4) X(getsockname)       \
	X(getpeername) X(sendto) X(recvfrom) X(getsockopt) X(setsockopt) X(fcntl)         \
	X(fsync) X(fdatasync) X(fallocate) X(flock)

enum vu_method {
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

/*
 * Where the shared object of @name is: @name itself if it has a '/',
 * else NAME.so (or @name, if it ends in .so) in the first directory of
 * the module path that has it: $KMVIEW_MODULE_PATH (colon-separated),
 * then the installed directory, then ../modules beside the kmview binary
 * (the build tree). 0, or -ENOENT.
 */
int vu_module_find(const char *name, char *out, size_t outlen);
/* The module path, as a colon-separated list (for messages). */
void vu_module_path(char *buf, size_t len);

/*
 * Load the shared object at @file and look up its vu_module and methods;
 * init is not run. -ENOEXEC (logged) if it is no module.
 */
int vu_service_load(const char *file, struct vu_service_t **out);
void vu_service_get(struct vu_service_t *s);
/* Drop a reference (NULL ignored): the last one unloads the code and frees @s. */
void vu_service_put(struct vu_service_t *s);

/* Tell @s that its entry @ht is gone (vu_NAME_cleanup, if it has one). */
void vu_service_cleanup(struct vu_service_t *s, struct vuht_entry_t *ht);

#endif /* KMVIEW_DAEMON_MODULE_H */

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuse.c - the vufuse module: FUSE 3 file systems as submodules.
 *
 *   vu_insmod vufuse
 *   vumount -t vufusereal [-o opts] SOURCE TARGET
 *
 * A mount loads vufuseNAME.so (vu_mod_dlopen), runs its main with the
 * argv that fmt= builds (vufuse_args.c) until main reaches fuse_loop
 * (vufuse_run.c), calls the file system's init and claims TARGET. The
 * umount (or the view's end, which deletes every entry) lets main finish.
 *
 * The submodule's fuse_* calls must reach vufuse's: the hypervisor loads
 * modules RTLD_LOCAL, so a submodule would not see them. vufuse promotes
 * itself to RTLD_GLOBAL at init; everything of it is hidden
 * (-fvisibility=hidden) but the module's symbols and the FUSE API, so
 * nothing else of it can answer for another module's names.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <vumodule.h>

#include "vufuse.h"
#include "vufuse_args.h"

#pragma GCC visibility push(default)
VU_PROTOTYPES(vufuse)

struct vu_module_t vu_module = {
	.name = "vufuse",
	.description = "vufuse: FUSE file systems as submodules (vufuseNAME)",
};
#pragma GCC visibility pop

/* The mount flags that become options of %O, as in VUOS. */
#define VUFUSE_OPTFLAGS                                                                     \
	(MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_SYNCHRONOUS | MS_REMOUNT |       \
	 MS_MANDLOCK | MS_DIRSYNC | MS_NOATIME | MS_NODIRATIME | MS_POSIXACL | MS_RELATIME | \
	 MS_STRICTATIME | MS_LAZYTIME)

static void *vufuse_self; /* our own handle, RTLD_GLOBAL */

static void vufuse_free(struct fuse *f)
{
	if (f->dlhandle)
		dlclose(f->dlhandle);
	pthread_mutex_destroy(&f->lock);
	free(f->session);
	free(f->argv);
	free(f);
}

/* Let main finish (fuse_loop returns), destroy the file system, unload it. */
static void vufuse_end(struct fuse *f)
{
	pthread_mutex_lock(&f->lock);
	vufuse_sync_all(f);
	vufuse_run_finish(f);
	/* a main that does not call fuse_destroy */
	vufuse_fs_destroy(f);
	pthread_mutex_unlock(&f->lock);
	printkdebug(F, "vufuse: main of %s ended: %d", f->argc ? f->argv[0] : "?", f->mainret);
	vufuse_free(f);
}

/* A relative source that exists is taken from the cwd of the process that mounts. */
static char *vufuse_source(const char *source)
{
	char link[64], cwd[PATH_MAX], *abs;
	struct stat st;
	ssize_t n;

	if (!source || source[0] == '/' || lstat(source, &st) < 0)
		return strdup(source ? source : "none");
	snprintf(link, sizeof(link), "/proc/%d/cwd", vu_mod_gettid());
	n = readlink(link, cwd, sizeof(cwd) - 1);
	if (n <= 0)
		return strdup(source);
	cwd[n] = '\0';
	if (asprintf(&abs, "%s/%s", strcmp(cwd, "/") ? cwd : "", source) < 0)
		return NULL;
	return abs;
}

/* Is submodule @type loaded already, and unable to serve two mounts (global state)? */
static bool vufuse_busy(const char *type)
{
	void *h = vu_mod_dlopen(type, RTLD_NOW | RTLD_NOLOAD);
	bool busy;

	if (!h)
		return false;
	busy = dlsym(h, "fuse_reentrant_tag") == NULL;
	dlclose(h);
	return busy;
}

static int vufuse_prepare(struct fuse *f, const char *source, const char *target,
			  const char *type, unsigned long flags, const char *data)
{
	char *fmt = NULL, *opts = NULL, *src = NULL;
	int ret = -1;

	if (vufuse_split_opts(data, flags & VUFUSE_OPTFLAGS, mountflag_strings, &fmt, &opts) < 0) {
		printk(KERN_ERR "vufuse: bad options \"%s\" (an unterminated quote or empty fmt=)\n",
		       data);
		return -1;
	}
	src = vufuse_source(source);
	if (!src) {
		errno = ENOMEM;
		goto out;
	}
	f->argv = vufuse_build_argv(fmt, type, opts, src, target, &f->argc);
	if (!f->argv) {
		printk(KERN_ERR "vufuse: bad fmt=%s\n", fmt);
		goto out;
	}
	ret = 0;
out:
	free(fmt);
	free(opts);
	free(src);
	return ret;
}

int vu_vufuse_mount(const char *source, const char *target, const char *filesystemtype,
		    unsigned long mountflags, const void *data)
{
	struct fuse *f;
	int e;

	if (vufuse_busy(filesystemtype)) {
		printk(KERN_ERR "vufuse: %s is mounted already and not reentrant\n",
		       filesystemtype);
		errno = EBUSY;
		return -1;
	}
	f = calloc(1, sizeof(*f));
	if (!f) {
		errno = ENOMEM;
		return -1;
	}
	pthread_mutex_init(&f->lock, NULL);
	f->mountflags = mountflags;
	if (vufuse_prepare(f, source, target, filesystemtype, mountflags, data) < 0)
		goto fail;
	f->dlhandle = vu_mod_dlopen(filesystemtype, RTLD_NOW);
	if (!f->dlhandle) {
		printk(KERN_ERR "vufuse: cannot load submodule %s (see the log)\n", filesystemtype);
		errno = ENODEV;
		goto fail;
	}
	/* dlsym returns an object pointer: POSIX guarantees the conversion */
	void *m = dlsym(f->dlhandle, "main");

	memcpy(&f->main, &m, sizeof(m));
	if (!f->main) {
		printk(KERN_ERR "vufuse: submodule %s has no main: not a FUSE program\n",
		       filesystemtype);
		errno = ENOEXEC;
		goto fail;
	}
	pthread_mutex_lock(&f->lock);
	if (vufuse_run_start(f) < 0) {
		pthread_mutex_unlock(&f->lock);
		if (f->state == VUFUSE_ENDED)
			printk(KERN_ERR "vufuse: %s: main ended with %d before serving\n",
			       filesystemtype, f->mainret);
		vufuse_run_finish(f);
		errno = EINVAL;
		goto fail;
	}
	vufuse_fs_init(f);
	pthread_mutex_unlock(&f->lock);
	if (!vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			  vu_mod_getservice(), 0, NULL, f)) {
		e = errno;
		vufuse_end(f);
		errno = e;
		return -1;
	}
	printkdebug(F, "vufuse: %s mounted %s on %s, options %s", filesystemtype, source, target,
		    data ? (const char *)data : "");
	return 0;
fail:
	e = errno;
	vufuse_free(f);
	errno = e;
	return -1;
}

int vu_vufuse_umount2(const char *target, int flags)
{
	int ret = vuht_del(vu_mod_getht(), flags);

	(void)target;
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

void vu_vufuse_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct fuse *f = vuht_get_private_data(ht);

	(void)arg;
	(void)arglen;
	if (type == CHECKPATH && f)
		vufuse_end(f);
}

void *vu_vufuse_init(void)
{
	Dl_info info;

	/* our fuse_* must be found by the submodules we load (see above) */
	if (!dladdr(&vu_module, &info) || !info.dli_fname ||
	    !(vufuse_self = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL))) {
		printk(KERN_ERR "vufuse: cannot make the FUSE API global: %s\n", dlerror());
		errno = ELIBACC;
		return VU_INIT_FAILED;
	}
	debug_set_name(F, "VUFUSE");
	return NULL;
}

int vu_vufuse_fini(void *private)
{
	(void)private;
	debug_set_name(F, "");
	if (vufuse_self)
		dlclose(vufuse_self);
	vufuse_self = NULL;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs.c - the vufs module: its mounts (see vufs.h).
 *
 *   vu_insmod vufs; vumount -t vufs /home/me/tree /mnt; ls /mnt
 *
 *   vumount -t vufs -o cow /tmp/cowetc /etc    (modes: vufs.h)
 *
 * Each mount is one CHECKPATH entry whose private data is its struct
 * vufs; the methods (vufs_ops.c) find it through vu_get_ht_private_data().
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vufs_layer.h"

VU_PROTOTYPES(vufs)

struct vu_module_t vu_module = {
	.name = "vufs",
	.description =
		"vufs: a directory shown elsewhere, or patched over one (bind, merge, cow, mincow)",
	/* its fd is the real file and its fd methods the real calls */
	.flags = VU_MODULE_FDPASS,
};

/*
 * The except= paths are not in the mount: the real file system has them.
 * @arg is the path inside the mount ("" at its root), as VUOS gives it.
 */
static int vufs_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vufs *v = vuht_get_private_data(ht);

	if (!v || type != CHECKPATH)
		return 1;
	return !vufs_is_except(&v->o, arg);
}

/*
 * A relative source is relative to the cwd of the process that mounts.
 * It is not resolved with realpath(3): the C library would resolve it in
 * the real tree, and the source may be in an older virtual mount
 * (nesting); every call joins it with a path, which the hypervisor or the
 * kernel resolves.
 */
static int vufs_source(const char *source, char *buf, size_t size)
{
	char link[64], cwd[PATH_MAX];
	ssize_t n;
	int len;

	if (source[0] == '/') {
		len = snprintf(buf, size, "%s", source);
	} else {
		snprintf(link, sizeof(link), "/proc/%u/cwd", vu_mod_gettid());
		n = readlink(link, cwd, sizeof(cwd) - 1);
		if (n < 0)
			return -1;
		cwd[n] = '\0';
		len = snprintf(buf, size, "%s/%s", strcmp(cwd, "/") == 0 ? "" : cwd, source);
	}
	if (len < 0 || (size_t)len >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* "/" is "": SOURCE + "/etc" must be "/etc" */
	while (len > 0 && buf[len - 1] == '/')
		buf[--len] = '\0';
	return 0;
}

/*
 * As for a bind mount: a directory on a directory, anything else on
 * anything but a directory (a regular file as mount point). A mount point
 * that does not exist yet, in the view, takes either.
 */
static int vufs_kinds_match(const struct stat *src, const char *target)
{
	struct stat st;

	if (stat(target, &st) < 0)
		return errno == ENOENT ? 0 : -1;
	if (S_ISDIR(src->st_mode) != S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return -1;
	}
	return 0;
}

/* Remove the temporaries of copies that a dead daemon left in SOURCE/.-/. */
static void vufs_clean_tmp(struct vufs *v)
{
	struct dirent *de;
	DIR *d = opendir(v->meta);

	if (!d)
		return;
	while ((de = readdir(d))) {
		char p[PATH_MAX];
		int pid;

		if (sscanf(de->d_name, "\177cp.%d.", &pid) != 1 || pid <= 0 ||
		    (kill(pid, 0) < 0 && errno == EPERM) || (kill(pid, 0) == 0))
			continue;
		if (snprintf(p, sizeof(p), "%s/%s", v->meta, de->d_name) < (int)sizeof(p))
			unlink(p);
	}
	closedir(d);
}

int vu_vufs_mount(const char *source, const char *target, const char *filesystemtype,
		  unsigned long mountflags, const void *data)
{
	struct vufs *v = calloc(1, sizeof(*v));
	char err[PATH_MAX + 128];
	struct vuht_entry_t *ht;
	struct stat st;
	int e;

	if (!v) {
		errno = ENOMEM;
		return -1;
	}
	if (vufs_parse_opts(data, &v->o, err, sizeof(err)) < 0) {
		printk(KERN_ERR "vufs: %s\n", err);
		free(v);
		errno = EINVAL;
		return -1;
	}
	if (mountflags & MS_RDONLY)
		v->o.ro = true;
	if (vufs_source(source, v->source, sizeof(v->source)) < 0 ||
	    stat(*v->source ? v->source : "/", &st) < 0)
		goto fail;
	if (vufs_layered(v) && !S_ISDIR(st.st_mode)) {
		/* a patchwork needs a directory for its layer and its .-/ */
		printk(KERN_ERR "vufs: %s: the source of a %s mount must be a directory\n", source,
		       v->o.mode == VUFS_MERGE ? "merge" :
		       v->o.mode == VUFS_COW   ? "cow" :
						 "mincow");
		errno = EINVAL;
		goto fail;
	}
	if (vufs_kinds_match(&st, target) < 0)
		goto fail;
	v->srclen = strlen(v->source);
	if (vufs_source(target, v->target, sizeof(v->target)) < 0 ||
	    vufs_join(v->meta, sizeof(v->meta), v->source, "/.-", NULL) < 0)
		goto fail;
	pthread_mutex_init(&v->lock, NULL);
	if (vufs_writes_src(v) && !v->o.ro)
		vufs_clean_tmp(v);
	ht = vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			  vu_mod_getservice(), 0, v->o.nexcept ? vufs_confirm : NULL, v);
	if (!ht)
		goto fail;
	/*
	 * A bind is the real tree of its source: the kernel may run the calls
	 * under it there (vuht_redirect). Not with ro, which we enforce, nor
	 * except=, whose paths are another module's. At best an optimisation:
	 * a source the kernel cannot take (a virtual one) stays served here.
	 */
	if ((v->o.mode == VUFS_BIND || v->o.mode == VUFS_MOVE) && !v->o.ro && !v->o.nexcept &&
	    vuht_redirect(ht, *v->source ? v->source : "/") < 0)
		printk(KERN_INFO "vufs: %s is served by the module: %s\n", target, strerror(errno));
	return 0;
fail:
	e = errno;
	printk(KERN_NOTICE "vufs: cannot mount %s on %s: %s\n", source, target, strerror(e));
	vufs_free_opts(&v->o);
	free(v);
	errno = e;
	return -1;
}

int vu_vufs_umount2(const char *target, int flags)
{
	int ret = vuht_del(vu_mod_getht(), flags);

	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

void vu_vufs_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vufs *v = vuht_get_private_data(ht);

	if (type != CHECKPATH || !v)
		return;
	vufs_free_opts(&v->o);
	pthread_mutex_destroy(&v->lock);
	free(v);
}

void *vu_vufs_init(void)
{
	return NULL;
}

int vu_vufs_fini(void *private)
{
	return 0;
}

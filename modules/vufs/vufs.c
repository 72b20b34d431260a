// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs.c - the vufs module: its mounts (see vufs.h).
 *
 *   vu_insmod vufs; vumount -t vufs /home/me/tree /mnt; ls /mnt
 *
 * Each mount is one CHECKPATH entry whose private data is its struct
 * vufs; the methods (vufs_ops.c) find it through vu_get_ht_private_data().
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vufs.h"

VU_PROTOTYPES(vufs)

struct vu_module_t vu_module = {
	.name = "vufs",
	.description = "vufs: a directory shown at another place (bind, move)",
	/* its fd is the real file and its fd methods the real calls */
	.flags = VU_MODULE_FDPASS,
};

int vufs_path(const char *mpath, char *buf, size_t size)
{
	struct vufs *v = vu_get_ht_private_data();
	int n;

	if (!v) {
		errno = EINVAL;
		return -1;
	}
	/* the mount point itself is SOURCE; "" + "/" is the root */
	if (strcmp(mpath, "/") == 0 && v->srclen > 0)
		n = snprintf(buf, size, "%s", v->source);
	else
		n = snprintf(buf, size, "%s%s", v->source, mpath);
	if (n < 0 || (size_t)n >= size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

/*
 * The except= paths are not in the mount: the real file system has them.
 * @arg is the path inside the mount ("" at its root), as VUOS gives it.
 */
static int vufs_confirm(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vufs *v = vuht_get_private_data(ht);
	const char *inside = arg;

	if (!v || type != CHECKPATH)
		return 1;
	for (int i = 0; i < v->nexcept; i++) {
		size_t n = strlen(v->except[i]);

		if (strncmp(inside, v->except[i], n) == 0 &&
		    (inside[n] == '\0' || inside[n] == '/'))
			return 0;
	}
	return 1;
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

int vu_vufs_mount(const char *source, const char *target, const char *filesystemtype,
		  unsigned long mountflags, const void *data)
{
	struct vufs *v = calloc(1, sizeof(*v));
	struct stat st;
	int e;

	if (!v) {
		errno = ENOMEM;
		return -1;
	}
	if (vufs_parse_opts(data, v) < 0) {
		free(v);
		errno = EINVAL;
		return -1;
	}
	if (vufs_source(source, v->source, sizeof(v->source)) < 0 || stat(*v->source ?
	    v->source : "/", &st) < 0)
		goto fail;
	if (vufs_kinds_match(&st, target) < 0)
		goto fail;
	v->srclen = strlen(v->source);
	if (!vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
			  vu_mod_getservice(), 0, vufs_confirm, v))
		goto fail;
	return 0;
fail:
	e = errno;
	printk(KERN_NOTICE "vufs: cannot mount %s on %s: %s\n", source, target, strerror(e));
	vufs_free_opts(v);
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
	vufs_free_opts(v);
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

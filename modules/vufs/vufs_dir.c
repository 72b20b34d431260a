// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufs_dir.c - the merged listing of a directory of a patchwork mount:
 * the virtual layer first (SOURCE's reserved names hidden at the root),
 * then each real entry that is neither there nor deleted.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "vufs_dir.h"
#include "vufs_layer.h"

static int vufs_list_layer(struct vufs *v, const char *mpath, const char *dir, bool real,
			   struct vufs_list *l)
{
	struct dirent *de;
	DIR *d = opendir(dir);
	int ret = 0;

	if (!d)
		return errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	while ((de = readdir(d))) {
		char child[PATH_MAX];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(child, sizeof(child), "%s/%s", strcmp(mpath, "/") ? mpath : "",
			     de->d_name) >= (int)sizeof(child))
			continue;
		if (vufs_reserved(v, child))
			continue;
		if (real && (vufs_list_has(l, de->d_name) || vufs_deleted(v, child)))
			continue;
		if (vufs_list_add(l, de->d_name, de->d_ino, de->d_type) < 0) {
			ret = -1;
			break;
		}
	}
	closedir(d);
	return ret;
}

int vufs_merged_list(struct vufs *v, const char *mpath, bool dots, struct vufs_list *l)
{
	char vdir[PATH_MAX], rdir[PATH_MAX], parent[PATH_MAX];
	struct stat vst, rst;
	bool vdirp, rdirp;

	if (vufs_join(vdir, sizeof(vdir), v->source, mpath, NULL) < 0 ||
	    vufs_join(rdir, sizeof(rdir), v->target, mpath, NULL) < 0)
		return -1;
	vdirp = lstat(vdir, &vst) == 0 && S_ISDIR(vst.st_mode);
	/* a real directory shows where it is neither deleted nor masked by a virtual non-dir */
	rdirp = vufs_layered(v) && lstat(rdir, &rst) == 0 && S_ISDIR(rst.st_mode) &&
		!vufs_deleted(v, mpath);
	if (rdirp && !vdirp && lstat(vdir, &vst) == 0)
		rdirp = false;
	if (!vdirp && !rdirp) {
		errno = ENOTDIR;
		return -1;
	}
	if (dots) {
		struct stat pst;
		char ppath[PATH_MAX];

		vufs_list_add(l, ".", vdirp ? vst.st_ino : rst.st_ino, DT_DIR);
		vufs_parent(mpath, parent, sizeof(parent));
		/* the parent of the mount's root is outside: the real ".." */
		if (strcmp(mpath, "/") == 0) {
			if (vufs_join(ppath, sizeof(ppath), v->target, "/..", NULL) < 0)
				return -1;
		} else if (vufs_join(ppath, sizeof(ppath), vdirp ? v->source : v->target, parent,
				     NULL) < 0) {
			return -1;
		}
		vufs_list_add(l, "..", lstat(ppath, &pst) == 0 ? pst.st_ino : 0, DT_DIR);
	}
	if (vdirp && vufs_list_layer(v, mpath, vdir, false, l) < 0)
		return -1;
	if (rdirp && vufs_list_layer(v, mpath, rdir, true, l) < 0)
		return -1;
	return 0;
}

int vufs_merged_nonempty(struct vufs *v, const char *mpath)
{
	struct vufs_list l = { 0 };
	int ret = vufs_merged_list(v, mpath, false, &l);

	if (ret == 0)
		ret = l.n > 0;
	vufs_list_free(&l);
	return ret;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/* vufuseext2: the operations table, init and destroy. */
#include "fe2.h"

/* The state was opened before fuse_main_real and handed over as user data. */
static void *fe2_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	cfg->use_ino = 1;
	cfg->readdir_ino = 1;
	/* nobody else writes the image while it is mounted: keep the page cache */
	cfg->kernel_cache = 1;
	return fuse_get_context()->private_data;
}

/* umount: write everything back and mark the file system clean. */
static void fe2_destroy(void *data)
{
	struct fe2 *e = data;

	if (e && e->fs) {
		int ret = fe2_close(e);

		if (ret)
			fprintf(stderr, "vufuseext2: writing back failed: %d\n", ret);
	}
}

static int fe2_fsyncdir(const char *path, int datasync, struct fuse_file_info *fi)
{
	return fe2_fsync(path, datasync, fi);
}

const struct fuse_operations fe2_ops = {
	.init = fe2_init,
	.destroy = fe2_destroy,
	.getattr = fe2_getattr,
	.access = fe2_access,
	.chmod = fe2_chmod,
	.chown = fe2_chown,
	.utimens = fe2_utimens,
	.statfs = fe2_statfs,
	.opendir = fe2_opendir,
	.readdir = fe2_readdir,
	.releasedir = fe2_releasedir,
	.fsyncdir = fe2_fsyncdir,
	.mkdir = fe2_mkdir,
	.rmdir = fe2_rmdir,
	.open = fe2_open_op,
	.create = fe2_create,
	.read = fe2_read,
	.write = fe2_write,
	.truncate = fe2_truncate,
	.release = fe2_release,
	/* no .flush: nothing to do at close, and ENOSYS makes the kernel stop sending it */
	.fsync = fe2_fsync,
	.mknod = fe2_mknod,
	.unlink = fe2_unlink,
	.rename = fe2_rename,
	.link = fe2_link,
	.symlink = fe2_symlink,
	.readlink = fe2_readlink,
	.getxattr = fe2_getxattr,
	.setxattr = fe2_setxattr,
	.listxattr = fe2_listxattr,
	.removexattr = fe2_removexattr,
};

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuse_opts.h - the mount data of a FUSE mount, as libfuse passes it:
 * "fd=N,rootmode=M,user_id=U,group_id=G[,default_permissions][,allow_other]
 * [,max_read=N][,blksize=N]". Pure: unit tested on the host.
 */
#ifndef KMVIEW_FUSE_OPTS_H
#define KMVIEW_FUSE_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct fuse_mopts {
	int fd;
	mode_t rootmode;
	uid_t user_id;
	gid_t group_id;
	unsigned int max_read; /* 0: no limit of the server's */
	bool default_permissions;
	bool allow_other;
};

/*
 * fuse_mopts_parse() - parse @data (may be NULL). fd, rootmode, user_id
 * and group_id are required, as the kernel requires them. Returns 0, or
 * -EINVAL with a reason in @why (@whylen bytes).
 */
int fuse_mopts_parse(const char *data, struct fuse_mopts *o, char *why, size_t whylen);

/* The options the mount table shows ("user_id=U,group_id=G,..."), into @buf. */
void fuse_mopts_show(const struct fuse_mopts *o, char *buf, size_t len);

#endif

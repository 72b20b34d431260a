/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vufuseext2: an ext2/ext3/ext4 file system over libext2fs, written as a
 * FUSE 3 high-level file system. The same objects make the vufuse
 * submodule (vufuseext2.so) and the standalone program (fuseext2).
 */
#ifndef FE2_H
#define FE2_H

#define FUSE_USE_VERSION 31
#include <fuse3/fuse.h>
#include <ext2fs/ext2fs.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>

/* One mounted file system: the ops find it in fuse_get_context()->private_data. */
struct fe2 {
	ext2_filsys fs;
	pthread_mutex_t lock; /* libext2fs is not thread safe: one op at a time */
	bool rw;
	bool was_clean; /* VALID_FS was set at mount: set it again at umount */
	char *source;
};

/* Mount options (fe2_opts.c). */
struct fe2_opts {
	char *source;
	bool rw; /* rw+ was given */
	bool plain_rw; /* rw was given: ignored, as VUOS does */
	bool ro;
	bool allow_other; /* others may use the mount: the kernel checks modes */
	bool debug;
};
/* One comma-separated option word: 1 = ours (consumed), 0 = pass it to FUSE. */
int fe2_opt_word(struct fe2_opts *o, const char *word);
/* Read-write? Only with rw+, and ro wins. */
bool fe2_opts_rw(const struct fe2_opts *o);

/* Open and check (fe2_mount.c). msg gets a human reason on failure. */
int fe2_open(struct fe2 *e, const char *source, bool rw, char *msg, size_t msglen);
/* Write everything back (superblock, bitmaps, dirty inodes) and sync. */
int fe2_flush(struct fe2 *e);
/* Flush and close; marks the file system clean again when it was. */
int fe2_close(struct fe2 *e);

extern const struct fuse_operations fe2_ops;

/* The state of this mount, taken with its lock / released. */
struct fe2 *fe2_get(void);
void fe2_put(struct fe2 *e);

/* Helpers shared by the op files (fe2_util.c). */
int fe2_err(errcode_t err); /* libext2fs error -> -errno */
int fe2_lookup(ext2_filsys fs, const char *path, ext2_ino_t *ino);
/* Split path into parent inode and last name (name points into path). */
int fe2_parent(ext2_filsys fs, const char *path, ext2_ino_t *dir, const char **name);
int fe2_read_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in);
int fe2_write_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in);
/* A fresh inode (zeroed past the struct, so no stale in-inode xattrs). */
int fe2_write_new_inode(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in);

#define FE2_ATIME 1
#define FE2_MTIME 2
#define FE2_CTIME 4
#define FE2_CRTIME 8
void fe2_set_times(ext2_filsys fs, struct ext2_inode_large *in, int which,
		   const struct timespec *ts);
void fe2_now(struct timespec *ts);
void fe2_get_time(const struct ext2_inode_large *in, int which, struct timespec *ts);
void fe2_touch_dir(ext2_filsys fs, ext2_ino_t dir); /* mtime+ctime of a changed dir */
/* ext2fs_dir_iterate2, for inline directories too. */
errcode_t fe2_dir_iterate(ext2_filsys fs, ext2_ino_t dir, int flags,
			  int (*fn)(ext2_ino_t, int, struct ext2_dir_entry *, int, int, char *,
				    void *),
			  void *priv);
/* Room in dir for a name of len bytes, expanding the directory if needed. */
int fe2_dir_make_room(ext2_filsys fs, ext2_ino_t dir, size_t len);
int fe2_add_link(ext2_filsys fs, ext2_ino_t dir, const char *name, ext2_ino_t ino, int mode);
/* Drop a link of ino; frees it (blocks, xattrs, the inode) at the last one. */
int fe2_drop_link(ext2_filsys fs, ext2_ino_t ino);
int fe2_ftype(int mode); /* S_IF* -> EXT2_FT_* */
void fe2_set_owner(struct ext2_inode_large *in, uid_t uid, gid_t gid);
int fe2_dir_is_empty(ext2_filsys fs, ext2_ino_t dir);
/* Owner of a new inode: the caller, with the group of a set-group-ID dir. */
void fe2_inherit_owner(ext2_filsys fs, ext2_ino_t dir, struct ext2_inode_large *in);

/* The ops, one file per family. */
int fe2_getattr(const char *path, struct stat *st, struct fuse_file_info *fi);
int fe2_access(const char *path, int mask);
int fe2_chmod(const char *path, mode_t mode, struct fuse_file_info *fi);
int fe2_chown(const char *path, uid_t uid, gid_t gid, struct fuse_file_info *fi);
int fe2_utimens(const char *path, const struct timespec tv[2], struct fuse_file_info *fi);
int fe2_statfs(const char *path, struct statvfs *sv);

int fe2_opendir(const char *path, struct fuse_file_info *fi);
int fe2_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
		struct fuse_file_info *fi, enum fuse_readdir_flags flags);
int fe2_releasedir(const char *path, struct fuse_file_info *fi);
int fe2_mkdir(const char *path, mode_t mode);
int fe2_rmdir(const char *path);

int fe2_open_op(const char *path, struct fuse_file_info *fi);
int fe2_create(const char *path, mode_t mode, struct fuse_file_info *fi);
int fe2_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi);
int fe2_write(const char *path, const char *buf, size_t size, off_t off, struct fuse_file_info *fi);
int fe2_truncate(const char *path, off_t size, struct fuse_file_info *fi);
int fe2_release(const char *path, struct fuse_file_info *fi);
int fe2_fsync(const char *path, int datasync, struct fuse_file_info *fi);

int fe2_mknod(const char *path, mode_t mode, dev_t rdev);
int fe2_unlink(const char *path);
int fe2_rename(const char *from, const char *to, unsigned int flags);
int fe2_link(const char *from, const char *to);
int fe2_symlink(const char *target, const char *path);
int fe2_readlink(const char *path, char *buf, size_t size);

int fe2_getxattr(const char *path, const char *name, char *value, size_t size);
int fe2_setxattr(const char *path, const char *name, const char *value, size_t size, int flags);
int fe2_listxattr(const char *path, char *list, size_t size);
int fe2_removexattr(const char *path, const char *name);

/* Read through the block map, contiguous blocks at once (fe2_map.c). */
int fe2_read_mapped(ext2_filsys fs, ext2_ino_t ino, struct ext2_inode_large *in, char *buf,
		    size_t size, off_t off);

/* Whole blocks, allocated then written a run at a time (fe2_map.c). */
int fe2_write_mapped(ext2_filsys fs, ext2_ino_t ino, const char *buf, size_t size, off_t off);
/* Through libext2fs' file calls (fe2_file.c). */
int fe2_write_file(ext2_filsys fs, ext2_ino_t ino, const char *buf, size_t size, off_t off);

/* Create a node of mode (and rdev) in path's parent, owned by the caller. */
int fe2_new_node(ext2_filsys fs, const char *path, mode_t mode, dev_t rdev, ext2_ino_t *ino);

#endif

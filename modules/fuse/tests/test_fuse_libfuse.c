// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_fuse_libfuse.c - the fuse module's methods against Debian's real
 * libfuse3, on the host: a libfuse3 high-level passthrough file system
 * (over a temporary directory) serves a FUSE connection of the module,
 * given to libfuse as "/dev/fd/N" (libfuse then mounts nothing); N is a
 * SOCK_SEQPACKET socket whose other end two threads bridge to the
 * connection's dev_read and dev_write, as the server's read and write of
 * /dev/fuse would. The methods are called as the hypervisor calls them,
 * and what they see is compared with the directory itself.
 */
#define FUSE_USE_VERSION 31
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fuse.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fuse_mod.h"
#include "fuse_proto.h"
#include "tap.h"

VU_PROTOTYPES(fuse)
VU_KMVIEW_PROTOTYPES(fuse)

/* ---- what the hypervisor gives the module ---- */
struct vuht_entry_t *fuse_dev_path_ht, *fuse_dev_num_ht;
static struct fuse_conn *conn;
static char the_ht; /* the mount's entry: only its address matters */

struct vuht_entry_t *vu_mod_getht(void)
{
	return (struct vuht_entry_t *)&the_ht;
}

void *vuht_get_private_data(struct vuht_entry_t *ht)
{
	return ht == (struct vuht_entry_t *)&the_ht ? conn : NULL;
}

mode_t vu_mod_getumask(void)
{
	return 022;
}

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}

int _printkdebug_on(int index)
{
	(void)index;
	return 0;
}

int _printkdebug(int index, const char *fmt, ...)
{
	(void)index;
	(void)fmt;
	return 0;
}

void fuse_who(struct fuse_caller *who)
{
	who->uid = (uint32_t)geteuid();
	who->gid = (uint32_t)getegid();
	who->pid = (uint32_t)getpid();
}

void fuse_mount_drop(struct fuse_conn *c)
{
	(void)c;
}

/* ---- a libfuse3 passthrough over base ---- */
static char base[64];

static void real(char *buf, const char *path)
{
	snprintf(buf, PATH_MAX, "%s%s", base, path);
}

#define R(path) \
	char r_[PATH_MAX]; \
	real(r_, path)
#define RET(x) return (x) < 0 ? -errno : 0

static int p_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	R(path);
	(void)fi;
	RET(lstat(r_, st));
}

static int p_readdir(const char *path, void *buf, fuse_fill_dir_t fill, off_t off,
		     struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	struct dirent *d;
	DIR *dir;
	R(path);

	(void)off;
	(void)fi;
	(void)flags;
	dir = opendir(r_);
	if (!dir)
		return -errno;
	while ((d = readdir(dir)))
		fill(buf, d->d_name, NULL, 0, 0);
	closedir(dir);
	return 0;
}

static int p_open(const char *path, struct fuse_file_info *fi)
{
	int fd;
	R(path);

	fd = open(r_, fi->flags);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int p_create(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	int fd;
	R(path);

	/* as bindfs: the flags as they come, O_CREAT among them */
	fd = open(r_, fi->flags, mode);
	if (fd < 0)
		return -errno;
	fi->fh = (uint64_t)fd;
	return 0;
}

static int p_read(const char *path, char *buf, size_t size, off_t off, struct fuse_file_info *fi)
{
	ssize_t n = pread((int)fi->fh, buf, size, off);

	(void)path;
	return n < 0 ? -errno : (int)n;
}

static int p_write(const char *path, const char *buf, size_t size, off_t off,
		   struct fuse_file_info *fi)
{
	ssize_t n = pwrite((int)fi->fh, buf, size, off);

	(void)path;
	return n < 0 ? -errno : (int)n;
}

static int p_release(const char *path, struct fuse_file_info *fi)
{
	(void)path;
	close((int)fi->fh);
	return 0;
}

static int p_mkdir(const char *path, mode_t mode)
{
	R(path);
	RET(mkdir(r_, mode));
}

static int p_unlink(const char *path)
{
	R(path);
	RET(unlink(r_));
}

static int p_rmdir(const char *path)
{
	R(path);
	RET(rmdir(r_));
}

static int p_rename(const char *from, const char *to, unsigned int flags)
{
	char a[PATH_MAX], b[PATH_MAX];

	if (flags)
		return -EINVAL;
	real(a, from);
	real(b, to);
	RET(rename(a, b));
}

static int p_symlink(const char *target, const char *path)
{
	R(path);
	RET(symlink(target, r_));
}

static int p_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;
	R(path);

	n = readlink(r_, buf, size - 1);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	return 0;
}

static int p_truncate(const char *path, off_t size, struct fuse_file_info *fi)
{
	R(path);
	if (fi)
		RET(ftruncate((int)fi->fh, size));
	RET(truncate(r_, size));
}

static int p_chmod(const char *path, mode_t mode, struct fuse_file_info *fi)
{
	R(path);
	(void)fi;
	RET(chmod(r_, mode));
}

static int p_statfs(const char *path, struct statvfs *st)
{
	R(path);
	RET(statvfs(r_, st));
}

static int p_setxattr(const char *path, const char *name, const char *value, size_t size,
		      int flags)
{
	R(path);
	RET(lsetxattr(r_, name, value, size, flags));
}

static int p_getxattr(const char *path, const char *name, char *value, size_t size)
{
	ssize_t n;
	R(path);

	n = lgetxattr(r_, name, value, size);
	return n < 0 ? -errno : (int)n;
}

static const struct fuse_operations ops = {
	.getattr = p_getattr, .readdir = p_readdir,   .open = p_open,	    .create = p_create,
	.read = p_read,	      .write = p_write,	      .release = p_release, .mkdir = p_mkdir,
	.unlink = p_unlink,   .rmdir = p_rmdir,	      .rename = p_rename,   .symlink = p_symlink,
	.readlink = p_readlink, .truncate = p_truncate, .chmod = p_chmod,  .statfs = p_statfs,
	.setxattr = p_setxattr, .getxattr = p_getxattr,
};

/* ---- the bridge: the socket is the server's /dev/fuse ---- */
static int sv[2];

static void *to_server(void *arg)
{
	static char buf[FUSE_PROTO_IO_MAX + 4096];
	ssize_t n;

	(void)arg;
	while ((n = fuse_conn_dev_read(conn, buf, sizeof(buf))) > 0)
		if (write(sv[0], buf, (size_t)n) != n)
			break;
	shutdown(sv[0], SHUT_WR); /* the server's read gets 0: it exits its loop */
	return NULL;
}

static void *from_server(void *arg)
{
	static char buf[FUSE_PROTO_IO_MAX + 4096];
	ssize_t n;

	(void)arg;
	while ((n = read(sv[0], buf, sizeof(buf))) > 0)
		fuse_conn_dev_write(conn, buf, (size_t)n);
	return NULL;
}

static struct fuse *fs;

static void *server(void *arg)
{
	(void)arg;
	fuse_loop(fs);
	return NULL;
}

int main(void)
{
	char *argv[] = { "test", NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, argv);
	const struct fuse_caller who = { 0, 0, 1 };
	pthread_t t1, t2, t3;
	char dev[32], buf[300000], path[PATH_MAX];
	struct vu_stat st, rst;
	struct statfs sfs;
	void *fp = NULL;
	int fd, n, i;

	strcpy(base, "/tmp/test_fuse_libfuse.XXXXXX");
	if (!mkdtemp(base))
		return 1;
	snprintf(path, sizeof(path), "%s/hello", base);
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	if (write(fd, "hello, world\n", 13) != 13)
		return 1;
	close(fd);
	snprintf(path, sizeof(path), "%s/dir", base);
	mkdir(path, 0755);

	conn = fuse_conn_new();
	fuse_conn_start(conn, &who);
	socketpair(AF_UNIX, SOCK_SEQPACKET, 0, sv);
	snprintf(dev, sizeof(dev), "/dev/fd/%d", sv[1]);
	fs = fuse_new(&args, &ops, sizeof(ops), NULL);
	ok(fs != NULL, "libfuse3: fuse_new");
	is_long(fuse_mount(fs, dev), 0, "fuse_mount on /dev/fd/N: no mount(2)");
	pthread_create(&t1, NULL, to_server, NULL);
	pthread_create(&t2, NULL, from_server, NULL);
	pthread_create(&t3, NULL, server, NULL);

	is_long(vu_fuse_lstat("/", &st, 0, -1, NULL), 0, "lstat of the root (waits for INIT)");
	is_long(fuse_conn_get_state(conn), FUSE_CONN_RUNNING, "libfuse3 answered INIT");
	is_long(conn->minor, FUSE_PROTO_MINOR, "at our minor");
	ok(S_ISDIR(st.st_mode), "the root is a directory");
	is_long(vu_fuse_lstat("/hello", &st, 0, -1, NULL), 0, "lstat /hello");
	is_long(st.st_size, 13, "its size");
	lstat(path, &rst);
	is_long(vu_fuse_lstat("/dir", &st, 0, -1, NULL), 0, "lstat /dir");
	is_long(st.st_mode, rst.st_mode, "its mode, as the directory's");
	is_long(vu_fuse_lstat("/nope", &st, 0, -1, NULL), -1, "lstat of a missing file");
	is_long(errno, ENOENT, "ENOENT");
	is_long(vu_fuse_lstat("/hello/x", &st, 0, -1, NULL), -1, "a path through a file");
	is_long(errno, ENOTDIR, "ENOTDIR");

	fd = vu_fuse_open("/hello", O_RDONLY, 0, &fp);
	ok(fd >= 0 && fp, "open /hello");
	memset(buf, 0, 64);
	is_long(vu_fuse_read(fd, buf, 64, fp), 13, "read it");
	is_str(buf, "hello, world\n", "the content");
	is_long(vu_fuse_read(fd, buf, 64, fp), 0, "then EOF");
	is_long(vu_fuse_pread64(fd, buf, 5, 7, 0, fp), 5, "pread at 7");
	ok(memcmp(buf, "world", 5) == 0, "the bytes at 7");
	is_long(vu_fuse_lseek(fd, 0, SEEK_END, fp), 13, "SEEK_END: the size");
	is_long(vu_fuse_lstat("/hello", &st, 0, fd, fp), 0, "fstat");
	is_long(st.st_size, 13, "its size");
	is_long(vu_fuse_write(fd, "x", 1, fp), -1, "write on O_RDONLY");
	is_long(errno, EBADF, "EBADF");
	is_long(vu_fuse_close(fd, fp), 0, "close");

	fd = vu_fuse_open("/", O_RDONLY | O_DIRECTORY, 0, &fp);
	ok(fd >= 0, "opendir /");
	{
		char names[256] = "";
		struct dirent64 *d;
		int len;

		while ((len = vu_fuse_getdents64(fd, (struct dirent64 *)buf, 4096, fp)) > 0)
			for (i = 0; i < len; i += d->d_reclen) {
				d = (struct dirent64 *)(buf + i);
				if (d->d_name[0] != '.') {
					strcat(names, d->d_name);
					strcat(names, " ");
				}
			}
		is_long(len, 0, "getdents64 until the end");
		ok(strcmp(names, "hello dir ") == 0 || strcmp(names, "dir hello ") == 0,
		   "the entries (%s)", names);
		is_long(vu_fuse_lseek(fd, 0, SEEK_SET, fp), 0, "rewind");
		len = vu_fuse_getdents64(fd, (struct dirent64 *)buf, 4096, fp);
		ok(len > 0, "and read again");
	}
	is_long(vu_fuse_close(fd, fp), 0, "closedir");

	/* create, write, truncate, rename, unlink */
	fd = vu_fuse_open("/dir/new", O_WRONLY | O_CREAT | O_EXCL, 0666, &fp);
	ok(fd >= 0, "O_CREAT|O_EXCL of a new file (CREATE)");
	for (i = 0; i < (int)sizeof(buf); i++)
		buf[i] = (char)(i * 7);
	is_long(vu_fuse_write(fd, buf, sizeof(buf), fp), sizeof(buf),
		"a 300000-byte write (in 128 KiB requests)");
	is_long(vu_fuse_close(fd, fp), 0, "close");
	snprintf(path, sizeof(path), "%s/dir/new", base);
	lstat(path, &rst);
	is_long(rst.st_size, sizeof(buf), "the file has it all");
	is_long(rst.st_mode & 0777, 0644, "mode 0666 less the umask");
	{
		static char back[300000];

		fd = vu_fuse_open("/dir/new", O_RDONLY, 0, &fp);
		is_long(vu_fuse_read(fd, back, sizeof(back), fp), sizeof(back), "read it back");
		ok(memcmp(buf, back, sizeof(buf)) == 0, "the same bytes");
		vu_fuse_close(fd, fp);
	}
	is_long(vu_fuse_open("/dir/new", O_WRONLY | O_CREAT | O_EXCL, 0666, &fp), -1,
		"O_EXCL of an existing file");
	is_long(errno, EEXIST, "EEXIST");
	fd = vu_fuse_open("/dir/new", O_WRONLY | O_TRUNC, 0, &fp);
	ok(fd >= 0, "O_TRUNC");
	vu_fuse_close(fd, fp);
	lstat(path, &rst);
	is_long(rst.st_size, 0, "truncates (SETATTR)");
	fd = vu_fuse_open("/dir/new", O_WRONLY | O_APPEND, 0, &fp);
	vu_fuse_write(fd, "ab", 2, fp);
	vu_fuse_write(fd, "cd", 2, fp);
	vu_fuse_close(fd, fp);
	lstat(path, &rst);
	is_long(rst.st_size, 4, "O_APPEND writes");
	is_long(vu_fuse_truncate("/dir/new", 1, -1, NULL), 0, "truncate");
	lstat(path, &rst);
	is_long(rst.st_size, 1, "to 1");
	is_long(vu_fuse_chmod("/dir/new", 0600, -1, NULL), 0, "chmod");
	lstat(path, &rst);
	is_long(rst.st_mode & 0777, 0600, "the mode");
	is_long(vu_fuse_rename("/dir/new", "/moved", 0), 0, "rename");
	is_long(vu_fuse_lstat("/moved", &st, 0, -1, NULL), 0, "the new name is there");
	is_long(vu_fuse_lstat("/dir/new", &st, 0, -1, NULL), -1, "the old is not");
	is_long(vu_fuse_rename("/moved", "/x", RENAME_NOREPLACE), -1, "renameat2 flags");
	is_long(errno, EINVAL, "the passthrough's EINVAL");
	is_long(vu_fuse_symlink("moved", "/link"), 0, "symlink");
	memset(buf, 0, 64);
	is_long(vu_fuse_readlink("/link", buf, 64), 5, "readlink");
	is_str(buf, "moved", "its target");
	is_long(vu_fuse_mkdir("/d2", 0777), 0, "mkdir");
	snprintf(path, sizeof(path), "%s/d2", base);
	lstat(path, &rst);
	is_long(rst.st_mode & 0777, 0755, "mode 0777 less the umask");
	is_long(vu_fuse_rmdir("/d2"), 0, "rmdir");
	is_long(vu_fuse_unlink("/link"), 0, "unlink");
	is_long(vu_fuse_unlink("/link"), -1, "unlink again");
	is_long(errno, ENOENT, "ENOENT");
	is_long(vu_fuse_statfs("/", &sfs, -1, NULL), 0, "statfs");
	is_long(sfs.f_type, 0x65735546, "FUSE_SUPER_MAGIC");
	is_long(vu_fuse_access("/moved", R_OK, 0), 0, "access (no ACCESS in libfuse's high level)");
	n = (int)vu_fuse_lgetxattr("/moved", "user.nope", buf, 64, -1, NULL);
	ok(n == -1 && (errno == ENODATA || errno == EOPNOTSUPP), "getxattr of nothing: %s",
	   strerror(errno));

	/* the server goes: every call ENOTCONN, no hang */
	fuse_conn_release(conn);
	is_long(vu_fuse_lstat("/moved", &st, 0, -1, NULL), -1, "after the release");
	is_long(errno, ENOTCONN, "ENOTCONN");
	pthread_join(t1, NULL);
	pthread_join(t3, NULL);
	close(sv[1]);
	shutdown(sv[0], SHUT_RDWR);
	pthread_join(t2, NULL);
	fuse_destroy(fs);
	fuse_opt_free_args(&args);
	fuse_conn_put(conn);
	snprintf(path, sizeof(path), "rm -rf %s", base);
	if (system(path) != 0)
		return 1;
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

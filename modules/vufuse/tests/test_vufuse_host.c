// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vufuse_host.c - vufuse.so and its submodules run by a stand-in of
 * the hypervisor (the module API functions vufuse calls, defined here):
 * mount and umount, every kind of method on vufusereal (a directory of
 * /tmp) and vufusenull, ro, the errors of a mount. The real hypervisor
 * and kernel are the VM test's (selftests/kmview/vufuse.sh).
 */
#include <dirent.h>
#include <stddef.h>
#include <stdbool.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <vumodule.h>

#include "tap.h"

/* The stand-in: one current entry, whose private data is the mount's. */
struct vuht_entry_t {
	void *private;
	bool deleted;
};

static struct vuht_entry_t *cur;
static struct vuht_entry_t entries[8];
static int nentries;
static void *vufuse;

char *mountflag_strings[32] = { "ro", "nosuid", "nodev", "noexec", "sync" };

int printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("# ");
	vprintf(fmt[0] == '\001' ? fmt + 2 : fmt, ap);
	va_end(ap);
	return 0;
}

void _debug_set_name(int index, const char *s)
{
	(void)index;
	(void)s;
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

void *vu_mod_dlopen(const char *modname, int flags)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s.so", TEST_MODULE_DIR, modname);
	if (access(path, F_OK) < 0)
		snprintf(path, sizeof(path), "%s/%s.so", TEST_SUBMODULE_DIR, modname);
	return dlopen(path, flags);
}

struct vuht_entry_t *vu_mod_getht(void)
{
	return cur;
}

pid_t vu_mod_gettid(void)
{
	return getpid();
}

mode_t vu_mod_getumask(void)
{
	return 022;
}

void *vuht_get_private_data(struct vuht_entry_t *ht)
{
	return ht ? ht->private : NULL;
}

struct vu_service_t *vuht_get_service(struct vuht_entry_t *ht)
{
	(void)ht;
	return NULL;
}

struct vuht_entry_t *vuht_pathadd(uint8_t type, const char *source, const char *path,
				  const char *fstype, unsigned long mountflags,
				  const char *mountopts, struct vu_service_t *service,
				  int vuflags, confirmfun_t confirmfun,
				  void *private_data)
{
	struct vuht_entry_t *e = &entries[nentries++];

	e->private = private_data;
	return e;
}

/* vuht_del: the entry goes, its cleanup runs (nothing else uses it here). */
int vuht_del(struct vuht_entry_t *ht, int flags)
{
	void (*cleanup)(uint8_t, void *, int, struct vuht_entry_t *);
	void *sym = dlsym(vufuse, "vu_vufuse_cleanup");

	(void)flags;
	memcpy(&cleanup, &sym, sizeof(sym));
	ht->deleted = true;
	cleanup(CHECKPATH, NULL, 0, ht);
	return 0;
}

/* The methods, by name, as the hypervisor finds them. */
#define M(name, type) type = fn(#name)
static void *fn(const char *name)
{
	char sym[64];

	snprintf(sym, sizeof(sym), "vu_vufuse_%s", name);
	return dlsym(vufuse, sym);
}

static int (*m_mount)(const char *, const char *, const char *, unsigned long, const void *);
static int (*m_umount2)(const char *, int);
static int (*m_lstat)(char *, struct stat *, int, int, void *);
static int (*m_open)(const char *, int, mode_t, void **);
static int (*m_close)(int, void *);
static ssize_t (*m_read)(int, void *, size_t, void *);
static ssize_t (*m_write)(int, const void *, size_t, void *);
static ssize_t (*m_pread)(int, void *, size_t, off_t, int, void *);
static off_t (*m_lseek)(int, off_t, int, void *);
static int (*m_getdents)(unsigned int, struct dirent64 *, unsigned int, void *);
static int (*m_mkdir)(const char *, mode_t);
static int (*m_rmdir)(const char *);
static int (*m_unlink)(const char *);
static int (*m_rename)(const char *, const char *, int);
static int (*m_symlink)(const char *, const char *);
static ssize_t (*m_readlink)(char *, char *, size_t);
static int (*m_statfs)(const char *, struct statfs *, int, void *);
static int (*m_truncate)(const char *, off_t, int, void *);
static int (*m_access)(char *, int, int);
static int (*m_fsync)(int, void *);
static int (*m_setxattr)(const char *, const char *, const void *, size_t, int, int, void *);
static ssize_t (*m_getxattr)(const char *, const char *, void *, size_t, int, void *);

static void bind_methods(void)
{
	memcpy(&m_mount, &(void *){ fn("mount") }, sizeof(void *));
	memcpy(&m_umount2, &(void *){ fn("umount2") }, sizeof(void *));
	memcpy(&m_lstat, &(void *){ fn("lstat") }, sizeof(void *));
	memcpy(&m_open, &(void *){ fn("open") }, sizeof(void *));
	memcpy(&m_close, &(void *){ fn("close") }, sizeof(void *));
	memcpy(&m_read, &(void *){ fn("read") }, sizeof(void *));
	memcpy(&m_write, &(void *){ fn("write") }, sizeof(void *));
	memcpy(&m_pread, &(void *){ fn("pread64") }, sizeof(void *));
	memcpy(&m_lseek, &(void *){ fn("lseek") }, sizeof(void *));
	memcpy(&m_getdents, &(void *){ fn("getdents64") }, sizeof(void *));
	memcpy(&m_mkdir, &(void *){ fn("mkdir") }, sizeof(void *));
	memcpy(&m_rmdir, &(void *){ fn("rmdir") }, sizeof(void *));
	memcpy(&m_unlink, &(void *){ fn("unlink") }, sizeof(void *));
	memcpy(&m_rename, &(void *){ fn("rename") }, sizeof(void *));
	memcpy(&m_symlink, &(void *){ fn("symlink") }, sizeof(void *));
	memcpy(&m_readlink, &(void *){ fn("readlink") }, sizeof(void *));
	memcpy(&m_statfs, &(void *){ fn("statfs") }, sizeof(void *));
	memcpy(&m_truncate, &(void *){ fn("truncate") }, sizeof(void *));
	memcpy(&m_access, &(void *){ fn("access") }, sizeof(void *));
	memcpy(&m_fsync, &(void *){ fn("fsync") }, sizeof(void *));
	memcpy(&m_setxattr, &(void *){ fn("lsetxattr") }, sizeof(void *));
	memcpy(&m_getxattr, &(void *){ fn("lgetxattr") }, sizeof(void *));
}

static long err(long r)
{
	return r < 0 ? -errno : r;
}

/* Mount and make its entry the current one; the result as -errno. */
static long mount_as(const char *src, const char *type, unsigned long flags, const char *data)
{
	int before = nentries;
	long r = err(m_mount(src, "/mnt", type, flags, data));

	if (r == 0 && nentries == before + 1)
		cur = &entries[before];
	return r;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sort the words of @s in place. */
static void sort_words(char *s)
{
	char copy[512], *w[32], *save;
	int n = 0;

	snprintf(copy, sizeof(copy), "%s", s);
	for (char *t = strtok_r(copy, " ", &save); t && n < 32; t = strtok_r(NULL, " ", &save))
		w[n++] = t;
	qsort(w, n, sizeof(w[0]), cmp);
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		strcat(s, i ? " " : "");
		strcat(s, w[i]);
	}
}

/* The names getdents64 gives for @path, sorted, joined by spaces. */
static const char *names(const char *path)
{
	static char out[512];
	union {
		struct dirent64 d;
		char b[256];
	} u;
	char *buf = u.b;
	void *priv = NULL;
	int fd = m_open(path, O_RDONLY | O_DIRECTORY, 0, &priv), n;

	out[0] = '\0';
	if (fd < 0)
		return strerror(errno);
	/* a small buffer: several calls, offsets kept between them */
	while ((n = m_getdents(fd, &u.d, 64, priv)) > 0)
		for (int off = 0; off < n;) {
			const char *name = buf + off + offsetof(struct dirent64, d_name);
			unsigned short reclen;

			memcpy(&reclen, buf + off + offsetof(struct dirent64, d_reclen),
			       sizeof(reclen));
			if (strcmp(name, ".") && strcmp(name, "..")) {
				strcat(out, out[0] ? " " : "");
				strcat(out, name);
			}
			off += reclen;
		}
	m_close(fd, priv);
	sort_words(out);
	return out;
}

int main(void)
{
	char dir[] = "/tmp/kmview-vufuse.XXXXXX", p[300], buf[64];
	struct stat st, real;
	struct statfs sf;
	void *priv = NULL, *(*init)(void);
	int fd;

	if (!mkdtemp(dir))
		return 1;
	snprintf(p, sizeof(p), "%s/hello", dir);
	fd = open(p, O_CREAT | O_WRONLY, 0644);
	if (fd < 0 || write(fd, "hello world\n", 12) != 12)
		return 1;
	close(fd);

	snprintf(p, sizeof(p), "%s/vufuse.so", TEST_MODULE_DIR);
	vufuse = dlopen(p, RTLD_NOW | RTLD_LOCAL);
	ok(vufuse != NULL, "vufuse.so loads RTLD_LOCAL, as the hypervisor loads it");
	if (!vufuse) {
		printf("# %s\n", dlerror());
		return tap_done();
	}
	bind_methods();
	memcpy(&init, &(void *){ dlsym(vufuse, "vu_vufuse_init") }, sizeof(void *));
	ok(init() != VU_INIT_FAILED, "init: vufuse makes its FUSE API global");

	is_long(mount_as(dir, "vufusereal", 0, NULL), 0, "vufusereal mounts a directory");
	ok(dlopen("libfuse3.so.3", RTLD_NOW | RTLD_NOLOAD) == NULL,
	   "libfuse3 is not loaded: the submodule's fuse_* are vufuse's");
	is_long(err(m_lstat("/hello", &st, 0, -1, NULL)), 0, "lstat through fuse getattr");
	snprintf(p, sizeof(p), "%s/hello", dir);
	stat(p, &real);
	ok(st.st_ino == real.st_ino && st.st_size == 12, "the real file's inode and size");
	is_long(err(m_lstat("/nope", &st, 0, -1, NULL)), -ENOENT, "a missing file: ENOENT");
	fd = m_open("/hello", O_RDONLY, 0, &priv);
	ok(fd >= 0 && priv, "open: a file with its fuse_file_info");
	memset(buf, 0, sizeof(buf));
	is_long(m_read(fd, buf, 5, priv), 5, "read 5");
	is_long(m_read(fd, buf + 5, 50, priv), 7, "read the rest: the offset is kept");
	is_str(buf, "hello world\n", "the content");
	is_long(m_lseek(fd, 0, SEEK_END, priv), 12, "SEEK_END: the size");
	is_long(m_lseek(fd, 3, SEEK_DATA, priv), 3, "SEEK_DATA: the file system's lseek");
	is_long(m_lseek(fd, 0, SEEK_HOLE, priv), 12, "SEEK_HOLE: at the end");
	is_long(err(m_lseek(fd, 20, SEEK_DATA, priv)), -ENXIO, "SEEK_DATA past the end: ENXIO");
	is_long(m_pread(fd, buf, 5, 6, 0, priv), 5, "pread at 6");
	is_long(m_write(fd, "x", 1, priv), -1, "write on O_RDONLY");
	is_long(errno, EBADF, "EBADF");
	is_long(err(m_close(fd, priv)), 0, "close: flush and release");

	fd = m_open("/new", O_WRONLY | O_CREAT | O_EXCL, 0600, &priv);
	ok(fd >= 0, "O_CREAT: create");
	is_long(m_write(fd, "abc", 3, priv), 3, "write");
	is_long(err(m_fsync(fd, priv)), 0, "fsync");
	is_long(err(m_truncate("/new", 2, fd, priv)), 0, "ftruncate");
	m_close(fd, priv);
	snprintf(p, sizeof(p), "%s/new", dir);
	ok(stat(p, &real) == 0 && real.st_size == 2 && (real.st_mode & 0777) == 0600,
	   "the real file was made, 2 bytes, mode 0600");
	is_long(err(m_open("/new", O_WRONLY | O_CREAT | O_EXCL, 0600, &priv)), -EEXIST,
		"O_EXCL on an existing file: EEXIST");
	is_long(err(m_open("/new", O_RDONLY | O_DIRECTORY, 0, &priv)), -ENOTDIR,
		"O_DIRECTORY on a file: ENOTDIR");
	is_long(err(m_mkdir("/d", 0755)), 0, "mkdir");
	is_long(err(m_rename("/new", "/d/moved", 0)), 0, "rename");
	is_long(err(m_rename("/hello", "/d/moved", RENAME_NOREPLACE)), -EEXIST,
		"rename flags reach the file system (NOREPLACE: EEXIST)");
	is_long(err(m_symlink("hello", "/link")), 0, "symlink");
	memset(buf, 0, sizeof(buf));
	is_long(m_readlink("/link", buf, 3), 3, "readlink, cut to the buffer");
	is_long(m_readlink("/link", buf, sizeof(buf)), 5, "readlink: its length");
	is_str(names("/"), "d hello link", "getdents64 in several calls: every entry once");
	is_str(names("/d"), "moved", "a subdirectory");
	is_long(err(m_statfs("/", &sf, -1, NULL)), 0, "statfs");
	is_long(sf.f_type, 0x65735546, "FUSE's magic");
	is_long(err(m_access("/hello", W_OK, 0)), 0, "access W_OK");
	/* user xattrs: where /tmp has none (tmpfs before 6.6), the same error as the real file */
	snprintf(p, sizeof(p), "%s/hello", dir);
	long real_set = setxattr(p, "user.k", "v", 1, 0) < 0 ? -errno : 0;
	is_long(err(m_setxattr("/hello", "user.k2", "w", 1, 0, -1, NULL)), real_set,
		"setxattr: as on the real file (%ld)", real_set);
	memset(buf, 0, sizeof(buf));
	is_long(err(m_getxattr("/hello", "user.k2", buf, sizeof(buf), -1, NULL)),
		real_set ? real_set : 1, "getxattr: its value, or the same error");
	is_long(mount_as("none", "vufusenull", 0, NULL), 0, "vufusenull beside it");
	is_long(err(m_getxattr("/", "user.k", buf, sizeof(buf), -1, NULL)), -EOPNOTSUPP,
		"an fs without getxattr: EOPNOTSUPP, as FUSE says");
	is_long(err(m_umount2("/mnt", 0)), 0, "umount it");
	cur = &entries[0];
	is_long(err(m_unlink("/d/moved")), 0, "unlink");
	is_long(err(m_rmdir("/d")), 0, "rmdir");
	snprintf(p, sizeof(p), "%s/d", dir);
	ok(access(p, F_OK) < 0 && errno == ENOENT, "gone from the real directory");
	is_long(err(m_umount2("/mnt", 0)), 0, "umount: main ends");

	is_long(mount_as(dir, "vufusereal", MS_RDONLY, NULL), 0, "ro mount");
	is_long(err(m_mkdir("/d", 0755)), -EROFS, "mkdir: EROFS");
	is_long(err(m_open("/hello", O_WRONLY, 0, &priv)), -EROFS, "open for writing: EROFS");
	is_long(err(m_open("/x", O_RDONLY | O_CREAT, 0644, &priv)), -EROFS, "create: EROFS");
	is_long(err(m_access("/hello", W_OK, 0)), -EROFS, "access W_OK: EROFS");
	fd = m_open("/hello", O_RDONLY, 0, &priv);
	ok(fd >= 0, "reading is fine");
	m_close(fd, priv);
	is_long(err(m_umount2("/mnt", 0)), 0, "umount");

	is_long(mount_as("none", "vufusenull", 0, NULL), 0, "vufusenull (fuse_new, fuse_loop)");
	is_long(err(m_lstat("/", &st, 0, -1, NULL)), 0, "its root");
	ok(S_ISDIR(st.st_mode), "a directory");
	is_str(names("/"), "", "empty");
	fd = m_open("/", O_RDONLY | O_DIRECTORY, 0, &priv);
	is_long(err(m_lseek(fd, 0, SEEK_END, priv)), -EINVAL, "a directory seeks with SEEK_SET only");
	is_long(m_lseek(fd, 0, SEEK_SET, priv), 0, "rewinddir");
	m_close(fd, priv);
	is_long(err(m_mkdir("/d", 0755)), -ENOSYS, "mkdir without the operation: ENOSYS");
	is_long(err(m_open("/f", O_WRONLY | O_CREAT, 0644, &priv)), -ENOSYS,
		"create without create or mknod: ENOSYS");
	is_long(err(m_umount2("/mnt", 0)), 0, "umount");

	is_long(mount_as(dir, "vufusereal", 0, "fmt=%N %S %T"), 0, "fmt= without -o");
	is_long(err(m_lstat("/hello", &st, 0, -1, NULL)), 0, "serves");
	is_long(err(m_umount2("/mnt", 0)), 0, "umount");

	is_long(mount_as("none", "vufusev30", 0, "fmt=%N %T"), 0,
		"FUSE_USE_VERSION 30: fuse_parse_cmdline_30, fuse_new_30, fuse_loop_mt_31");
	fd = m_open("/v30", O_RDONLY, 0, &priv);
	memset(p, 0, sizeof(p));
	ok(fd >= 0 && m_read(fd, p, sizeof(p) - 1, priv) > 0, "its file reads");
	is_str(p, "init saw user\nop sees init\n",
	       "private_data: fuse_new's in init, then what init returned");
	m_close(fd, priv);
	is_long(err(m_umount2("/mnt", 0)), 0, "umount");

	is_long(mount_as(dir, "vufusenosuch", 0, NULL), -ENODEV, "an unknown submodule: ENODEV");
	is_long(mount_as(dir, "vufusereal", 0, "fmt=\"%N"), -EINVAL, "a bad fmt=: EINVAL");
	is_long(mount_as("/nonexistent", "vufusereal", 0, NULL), -EINVAL,
		"main fails (no SOURCE): EINVAL");
	is_long(mount_as(dir, "vufusereal", 0, "bogus"), -EINVAL,
		"an option fuse_new does not know: EINVAL");
	is_long(nentries, 6, "no entry was left by a failed mount");

	is_long(mount_as(dir, "vufusereal", 0, NULL), 0, "a mount again after the failures");
	is_long(err(m_lstat("/hello", &st, 0, -1, NULL)), 0, "serves");
	is_long(err(m_umount2("/mnt", 0)), 0, "umount");
	snprintf(p, sizeof(p), "rm -rf %s", dir);
	if (system(p) != 0)
		return 1;
	return tap_done();
}

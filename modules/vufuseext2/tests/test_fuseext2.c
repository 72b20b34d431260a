// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Host test of vufuseext2: no mount. Each case mkfs's an image, opens it
 * with fe2_open, calls the fuse_operations directly (fuse_get_context is
 * this file's), closes it (destroy), then asks e2fsck -fn and debugfs.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include "fe2.h"

static struct fuse_context ctx;

struct fuse_context *fuse_get_context(void)
{
	return &ctx;
}

static int failures;
static const char *cur;

#define CHECK(cond)                                                                               \
	do {                                                                                      \
		if (!(cond)) {                                                                    \
			fprintf(stderr, "FAIL [%s] %s:%d: %s\n", cur, __FILE__, __LINE__, #cond); \
			failures++;                                                               \
		}                                                                                 \
	} while (0)
#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		long long _a = (long long)(a), _b = (long long)(b);                                \
		if (_a != _b) {                                                                    \
			fprintf(stderr, "FAIL [%s] %s:%d: %s == %lld, want %lld\n", cur, __FILE__, \
				__LINE__, #a, _a, _b);                                             \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

static char img[256];

static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Output of a command, NUL-terminated, in a malloc'd buffer. */
static char *run_out(const char *fmt, ...)
{
	char cmd[1024];
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	va_list ap;
	FILE *p;
	size_t n;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	p = popen(cmd, "r");
	while (p && (n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2)
			buf = realloc(buf, cap *= 2);
	}
	if (p)
		pclose(p);
	buf[len] = '\0';
	return buf;
}

static void mkimg(const char *type, const char *extra)
{
	CHECK_EQ(sh("rm -f %s && mkfs.%s -q -F %s %s 32M >/dev/null 2>&1", img, type, extra, img),
		 0);
}

static int fsck_clean(void)
{
	return sh("e2fsck -fn %s >/tmp/fe2-fsck.log 2>&1 || { cat /tmp/fe2-fsck.log; exit 1; }",
		  img) == 0;
}

static char *debugfs_cat(const char *path)
{
	return run_out("debugfs -R 'cat %s' %s 2>/dev/null", path, img);
}

static struct fe2 *mount_img(bool rw)
{
	static struct fe2 e;
	struct fuse_config cfg = { 0 };
	struct fuse_conn_info conn = { 0 };
	char msg[256];
	int ret = fe2_open(&e, img, rw, msg, sizeof(msg));

	if (ret) {
		fprintf(stderr, "[%s] fe2_open: %s\n", cur, msg);
		return NULL;
	}
	ctx.private_data = &e;
	ctx.uid = 1000;
	ctx.gid = 1000;
	CHECK(fe2_ops.init(&conn, &cfg) == &e);
	CHECK(cfg.use_ino);
	return &e;
}

static void umount_img(struct fe2 *e)
{
	fe2_ops.destroy(e);
	CHECK(e->fs == NULL);
}

static int create_write(const char *path, const void *data, size_t len, off_t off)
{
	struct fuse_file_info fi = { .flags = O_WRONLY | O_CREAT };
	int ret = fe2_ops.create(path, 0644, &fi);

	if (ret)
		return ret;
	ret = fe2_ops.write(path, data, len, off, &fi);
	fe2_ops.release(path, &fi);
	return ret == (int)len ? 0 : (ret < 0 ? ret : -EIO);
}

static int read_at(const char *path, void *buf, size_t len, off_t off)
{
	struct fuse_file_info fi = { .flags = O_RDONLY };
	int ret = fe2_ops.open(path, &fi);

	if (ret)
		return ret;
	ret = fe2_ops.read(path, buf, len, off, &fi);
	fe2_ops.release(path, &fi);
	return ret;
}

static struct stat st_of(const char *path, int *ret)
{
	struct stat st;

	memset(&st, 0, sizeof(st));
	*ret = fe2_ops.getattr(path, &st, NULL);
	return st;
}

/* readdir with a filler that takes only `room` entries per call, like a small buffer. */
struct names {
	char n[1024][64];
	off_t off[1024];
	int count, room, taken;
};

static int filler(void *buf, const char *name, const struct stat *st, off_t off,
		  enum fuse_fill_dir_flags flags)
{
	struct names *ns = buf;

	if (ns->taken == ns->room || ns->count == 1024)
		return 1;
	snprintf(ns->n[ns->count], 64, "%s", name);
	ns->off[ns->count++] = off;
	ns->taken++;
	return 0;
}

static int list_dir(const char *path, struct names *ns, int room)
{
	struct fuse_file_info fi = { 0 };
	off_t off = 0;
	int ret = fe2_ops.opendir(path, &fi);

	ns->count = 0;
	ns->room = room;
	while (!ret) {
		int before = ns->count;

		ns->taken = 0;
		ret = fe2_ops.readdir(path, ns, filler, off, &fi, 0);
		if (ns->count == before)
			break;
		off = ns->off[ns->count - 1];
	}
	fe2_ops.releasedir(path, &fi);
	return ret;
}

static int has_name(struct names *ns, const char *name)
{
	int n = 0;

	for (int i = 0; i < ns->count; i++)
		n += strcmp(ns->n[i], name) == 0;
	return n;
}

static void test_fs(const char *type, const char *extra)
{
	char buf[8192], big[300], path[64];
	struct statvfs sv0, sv1;
	struct fuse_file_info fi;
	struct names *ns = calloc(1, sizeof(*ns));
	struct stat st;
	struct fe2 *e;
	bool extents;
	char *out;
	int ret;

	cur = type;
	mkimg(type, extra);
	e = mount_img(true);
	CHECK(e != NULL);
	if (!e) {
		free(ns);
		return;
	}
	CHECK_EQ(fe2_ops.statfs("/", &sv0), 0);
	extents = ext2fs_has_feature_extents(e->fs->super) &&
		  !ext2fs_has_feature_bigalloc(e->fs->super);

	/* files: create, write, read */
	CHECK_EQ(create_write("/a.txt", "hello, ext2\n", 12, 0), 0);
	CHECK_EQ(read_at("/a.txt", buf, sizeof(buf), 0), 12);
	CHECK(memcmp(buf, "hello, ext2\n", 12) == 0);
	st = st_of("/a.txt", &ret);
	CHECK_EQ(ret, 0);
	CHECK_EQ(st.st_size, 12);
	CHECK_EQ(st.st_mode, S_IFREG | 0644);
	CHECK_EQ(st.st_uid, 1000);
	CHECK_EQ(st.st_nlink, 1);
	fi = (struct fuse_file_info){ .flags = O_WRONLY | O_CREAT | O_EXCL };
	CHECK_EQ(fe2_ops.create("/a.txt", 0644, &fi), -EEXIST);

	/* a file larger than the 12 direct blocks, written in odd pieces */
	for (int i = 0; i < 100; i++) {
		memset(buf, 'A' + i % 26, 3000);
		fi = (struct fuse_file_info){ .flags = O_WRONLY };
		if (i == 0)
			CHECK_EQ(create_write("/big", buf, 3000, 0), 0);
		else {
			CHECK_EQ(fe2_ops.open("/big", &fi), 0);
			CHECK_EQ(fe2_ops.write("/big", buf, 3000, (off_t)i * 3000, &fi), 3000);
		}
	}
	CHECK_EQ(read_at("/big", buf, 3000, 99 * 3000), 3000);
	CHECK(buf[0] == 'A' + 99 % 26 && buf[2999] == 'A' + 99 % 26);

	/* two files written in turns (fragmented runs), read back at odd places */
	{
		static char pat[2][200000], got[70000];
		static const size_t offs[] = { 0, 1, 4095, 4096, 7000, 65535, 131071, 199999 };
		static const size_t lens[] = { 1, 100, 4096, 5000, 65536, 69999 };

		for (int f = 0; f < 2; f++)
			for (size_t i = 0; i < sizeof(pat[f]); i++)
				pat[f][i] = (char)(i * 7 + i / 4096 + f * 13);
		for (size_t o = 0; o < sizeof(pat[0]); o += 7000) {
			size_t n = sizeof(pat[0]) - o < 7000 ? sizeof(pat[0]) - o : 7000;

			for (int f = 0; f < 2; f++) {
				fi = (struct fuse_file_info){ .flags = O_WRONLY | O_CREAT };
				snprintf(path, sizeof(path), "/frag%d", f);
				if (o == 0)
					CHECK_EQ(fe2_ops.create(path, 0644, &fi), 0);
				else
					CHECK_EQ(fe2_ops.open(path, &fi), 0);
				CHECK_EQ(fe2_ops.write(path, pat[f] + o, n, o, &fi), n);
			}
		}
		for (size_t i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
			for (size_t j = 0; j < sizeof(lens) / sizeof(lens[0]); j++) {
				size_t want = sizeof(pat[1]) - offs[i] < lens[j] ?
						      sizeof(pat[1]) - offs[i] :
						      lens[j];

				CHECK_EQ(read_at("/frag1", got, lens[j], offs[i]), want);
				CHECK(memcmp(got, pat[1] + offs[i], want) == 0);
			}
		CHECK_EQ(read_at("/frag1", got, 10, 200000), 0);
	}

	/*
	 * two opens of one file, as a disk image's reader and writer: what one
	 * writes (sectors, a run across blocks), the other reads at once,
	 * before any fsync or release, even where it had read before
	 */
	{
		struct fuse_file_info wr = { .flags = O_RDWR }, rd = { .flags = O_RDONLY };
		static const off_t at[] = { 0, 512, 1024 * 1024 - 512, 6000 };
		static const size_t len[] = { 512, 512, 512, 9000 };
		static char sec[9000], got2[9000];

		CHECK_EQ(create_write("/two", "", 0, 0), 0);
		CHECK_EQ(fe2_ops.truncate("/two", 1024 * 1024, NULL), 0);
		CHECK_EQ(fe2_ops.open("/two", &wr), 0);
		CHECK_EQ(fe2_ops.open("/two", &rd), 0);
		for (size_t i = 0; i < sizeof(at) / sizeof(at[0]); i++) {
			CHECK_EQ(fe2_ops.read("/two", got2, len[i], at[i], &rd), len[i]);
			memset(sec, 'a' + (int)i, len[i]);
			CHECK_EQ(fe2_ops.write("/two", sec, len[i], at[i], &wr), len[i]);
			memset(got2, 0, sizeof(got2));
			CHECK_EQ(fe2_ops.read("/two", got2, len[i], at[i], &rd), len[i]);
			CHECK(memcmp(got2, sec, len[i]) == 0);
		}
		fe2_ops.release("/two", &rd);
		fe2_ops.release("/two", &wr);
	}

	/* whole-block writes (allocated, then written a run at a time) */
	{
		static char a[1 << 20], b[65536], got[1 << 20];

		for (size_t i = 0; i < sizeof(a); i++)
			a[i] = (char)(i % 251);
		memset(b, 'b', sizeof(b));
		CHECK_EQ(create_write("/aligned", a, sizeof(a), 0), 0);
		fi = (struct fuse_file_info){ .flags = O_WRONLY };
		CHECK_EQ(fe2_ops.open("/aligned", &fi), 0);
		CHECK_EQ(fe2_ops.write("/aligned", b, sizeof(b), 131072, &fi), sizeof(b));
		CHECK_EQ(fe2_ops.write("/aligned", b, 8192, 16 << 20, &fi), 8192);
		memcpy(a + 131072, b, sizeof(b));
		CHECK_EQ(read_at("/aligned", got, sizeof(got), 0), sizeof(got));
		CHECK(memcmp(got, a, sizeof(a)) == 0);
		CHECK_EQ(read_at("/aligned", got, 8192, (16 << 20) - 4096), 8192);
		CHECK(memcmp(got, "\0\0\0\0", 4) == 0 && memcmp(got + 4096, b, 4096) == 0);
		st = st_of("/aligned", &ret);
		CHECK_EQ(st.st_size, (16 << 20) + 8192);
		/* written 64 KiB at a time, it is still one extent (fresh image: contiguous) */
		for (int i = 0; i < 16; i++) {
			fi = (struct fuse_file_info){ .flags = O_WRONLY | O_CREAT };
			if (i == 0)
				CHECK_EQ(fe2_ops.create("/chunks", 0644, &fi), 0);
			CHECK_EQ(fe2_ops.write("/chunks", a, 65536, (off_t)i * 65536, &fi), 65536);
		}
		CHECK_EQ(read_at("/chunks", got, sizeof(got), 0), sizeof(got));
		for (int i = 0; i < 16; i++)
			CHECK(memcmp(got + i * 65536, a, 65536) == 0);
		CHECK(st.st_blocks < 3000); /* the hole is not allocated */
	}

	/* directories */
	CHECK_EQ(fe2_ops.mkdir("/d", 0755), 0);
	CHECK_EQ(fe2_ops.mkdir("/d", 0755), -EEXIST);
	CHECK_EQ(fe2_ops.mkdir("/d/sub", 0700), 0);
	st = st_of("/d", &ret);
	CHECK_EQ(st.st_mode, S_IFDIR | 0755);
	CHECK_EQ(st.st_nlink, 3);
	CHECK_EQ(create_write("/d/sub/f", "in sub", 6, 0), 0);
	CHECK_EQ(fe2_ops.rmdir("/d/sub"), -ENOTEMPTY);
	CHECK_EQ(fe2_ops.rmdir("/a.txt"), -ENOTDIR);
	CHECK_EQ(fe2_ops.unlink("/d"), -EISDIR);

	/* rename: a file into a dir, over an existing file, a dir across dirs */
	CHECK_EQ(fe2_ops.rename("/a.txt", "/d/b.txt", 0), 0);
	CHECK_EQ(st_of("/a.txt", &ret).st_size, 0);
	CHECK_EQ(ret, -ENOENT);
	CHECK_EQ(create_write("/x", "xxxx", 4, 0), 0);
	CHECK_EQ(create_write("/y", "yy", 2, 0), 0);
	CHECK_EQ(fe2_ops.rename("/x", "/y", RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(fe2_ops.rename("/x", "/y", 0), 0);
	CHECK_EQ(read_at("/y", buf, sizeof(buf), 0), 4);
	CHECK_EQ(fe2_ops.rename("/d/sub", "/sub2", 0), 0);
	CHECK_EQ(st_of("/d", &ret).st_nlink, 2);
	CHECK_EQ(st_of("/", &ret).st_nlink, 5); /* . .. lost+found d sub2 */
	CHECK_EQ(read_at("/sub2/f", buf, sizeof(buf), 0), 6);
	CHECK_EQ(fe2_ops.mkdir("/empty", 0755), 0);
	CHECK_EQ(fe2_ops.rename("/sub2", "/empty", 0), 0); /* over an empty dir */
	CHECK_EQ(fe2_ops.rename("/empty", "/empty/f/x", 0), -ENOTDIR);
	CHECK_EQ(fe2_ops.mkdir("/empty/in", 0755), 0);
	CHECK_EQ(fe2_ops.rename("/empty", "/empty/in/loop", 0), -EINVAL);
	CHECK_EQ(fe2_ops.rename("/d", "/empty", 0), -ENOTEMPTY);

	/* symlinks, fast and slow */
	CHECK_EQ(fe2_ops.symlink("d/b.txt", "/short"), 0);
	memset(big, 'l', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CHECK_EQ(fe2_ops.symlink(big, "/long"), 0);
	CHECK_EQ(fe2_ops.readlink("/short", buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, "d/b.txt") == 0);
	CHECK_EQ(fe2_ops.readlink("/long", buf, sizeof(buf)), 0);
	CHECK(strcmp(buf, big) == 0);
	st = st_of("/long", &ret);
	CHECK_EQ(st.st_mode & S_IFMT, S_IFLNK);
	CHECK_EQ(st.st_size, strlen(big));
	CHECK_EQ(fe2_ops.readlink("/d/b.txt", buf, sizeof(buf)), -EINVAL);

	/* hard links */
	CHECK_EQ(fe2_ops.link("/d/b.txt", "/hard"), 0);
	CHECK_EQ(st_of("/hard", &ret).st_nlink, 2);
	CHECK_EQ(fe2_ops.link("/d", "/dlink"), -EPERM);
	CHECK_EQ(create_write("/gone", "bye", 3, 0), 0);
	CHECK_EQ(fe2_ops.link("/gone", "/gone2"), 0);
	CHECK_EQ(fe2_ops.unlink("/gone"), 0);
	CHECK_EQ(fe2_ops.unlink("/gone2"), 0);
	CHECK_EQ(fe2_ops.unlink("/gone2"), -ENOENT);

	/* truncate, shorter and longer */
	CHECK_EQ(fe2_ops.truncate("/big", 5000, NULL), 0);
	CHECK_EQ(st_of("/big", &ret).st_size, 5000);
	CHECK_EQ(fe2_ops.truncate("/big", 100000, NULL), 0);
	CHECK_EQ(read_at("/big", buf, 10, 90000), 10);
	CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0\0\0", 10) == 0);
	CHECK_EQ(read_at("/big", buf, 10, 2995), 10);
	CHECK(buf[4] == 'A' && buf[5] == 'B');

	/* attributes */
	CHECK_EQ(fe2_ops.chmod("/hard", 04751, NULL), 0);
	CHECK_EQ(st_of("/hard", &ret).st_mode, S_IFREG | 04751);
	CHECK_EQ(fe2_ops.chown("/hard", 123, 456, NULL), 0);
	st = st_of("/hard", &ret);
	CHECK_EQ(st.st_uid, 123);
	CHECK_EQ(st.st_gid, 456);
	CHECK_EQ(st.st_mode, S_IFREG | 0751); /* chown drops set-user-ID */
	CHECK_EQ(fe2_ops.chown("/hard", 70000, -1, NULL), 0); /* 32-bit ids */
	CHECK_EQ(st_of("/hard", &ret).st_uid, 70000);
	{
		struct timespec tv[2] = { { 1000000000, 123456789 }, { 1500000000, 987654321 } };

		CHECK_EQ(fe2_ops.utimens("/hard", tv, NULL), 0);
		st = st_of("/hard", &ret);
		CHECK_EQ(st.st_atim.tv_sec, 1000000000);
		CHECK_EQ(st.st_mtim.tv_sec, 1500000000);
		/* nanoseconds where the inodes are large enough (256 bytes) */
		if (EXT2_INODE_SIZE(e->fs->super) > 128) {
			CHECK_EQ(st.st_atim.tv_nsec, 123456789);
			CHECK_EQ(st.st_mtim.tv_nsec, 987654321);
		}
		tv[0].tv_nsec = UTIME_OMIT;
		tv[1].tv_sec = 1600000000;
		tv[1].tv_nsec = 0;
		CHECK_EQ(fe2_ops.utimens("/hard", tv, NULL), 0);
		st = st_of("/hard", &ret);
		CHECK_EQ(st.st_atim.tv_sec, 1000000000);
		CHECK_EQ(st.st_mtim.tv_sec, 1600000000);
	}
	ctx.uid = 0;
	CHECK_EQ(fe2_ops.access("/hard", R_OK | W_OK), 0);
	ctx.uid = 1000;
	CHECK_EQ(fe2_ops.access("/hard", W_OK), -EACCES);
	CHECK_EQ(fe2_ops.access("/nothere", F_OK), -ENOENT);

	/* xattrs */
	CHECK_EQ(fe2_ops.setxattr("/d/b.txt", "user.color", "blue", 4, 0), 0);
	CHECK_EQ(fe2_ops.setxattr("/d/b.txt", "user.color", "red", 3, XATTR_CREATE), -EEXIST);
	CHECK_EQ(fe2_ops.setxattr("/d/b.txt", "user.none", "x", 1, XATTR_REPLACE), -ENODATA);
	memset(buf, 'v', 700);
	CHECK_EQ(fe2_ops.setxattr("/d/b.txt", "user.big", buf, 700, 0), 0);
	CHECK_EQ(fe2_ops.getxattr("/d/b.txt", "user.color", NULL, 0), 4);
	CHECK_EQ(fe2_ops.getxattr("/d/b.txt", "user.color", buf, 2), -ERANGE);
	CHECK_EQ(fe2_ops.getxattr("/d/b.txt", "user.color", buf, sizeof(buf)), 4);
	CHECK(memcmp(buf, "blue", 4) == 0);
	CHECK_EQ(fe2_ops.getxattr("/d/b.txt", "user.big", buf, sizeof(buf)), 700);
	ret = fe2_ops.listxattr("/d/b.txt", buf, sizeof(buf));
	CHECK_EQ(ret, sizeof("user.color") + sizeof("user.big"));
	CHECK(memmem(buf, ret, "user.color", 11) && memmem(buf, ret, "user.big", 9));
	CHECK_EQ(fe2_ops.removexattr("/d/b.txt", "user.big"), 0);
	CHECK_EQ(fe2_ops.removexattr("/d/b.txt", "user.big"), -ENODATA);
	CHECK_EQ(fe2_ops.getxattr("/d/b.txt", "user.big", NULL, 0), -ENODATA);
	CHECK_EQ(fe2_ops.setxattr("/y", "user.gone", "soon", 4, 0), 0);
	CHECK_EQ(fe2_ops.unlink("/y"), 0); /* its xattrs go with it */

	/* special files */
	CHECK_EQ(fe2_ops.mknod("/fifo", S_IFIFO | 0600, 0), 0);
	CHECK_EQ(fe2_ops.mknod("/null", S_IFCHR | 0666, makedev(1, 3)), 0);
	CHECK_EQ(fe2_ops.mknod("/bigdev", S_IFBLK | 0600, makedev(259, 70000)), 0);
	CHECK_EQ(st_of("/fifo", &ret).st_mode, S_IFIFO | 0600);
	st = st_of("/null", &ret);
	CHECK_EQ(st.st_mode, S_IFCHR | 0666);
	CHECK_EQ(st.st_rdev, makedev(1, 3));
	CHECK_EQ(st_of("/bigdev", &ret).st_rdev, makedev(259, 70000));

	/* a large sparse file: a block at 3 GiB, a hole before it */
	CHECK_EQ(create_write("/sparse", "END", 3, 3LL << 30), 0);
	st = st_of("/sparse", &ret);
	CHECK_EQ(st.st_size, (3LL << 30) + 3);
	CHECK(st.st_blocks < 200);
	CHECK_EQ(read_at("/sparse", buf, 4, (3LL << 30) - 1), 4);
	CHECK(memcmp(buf, "\0END", 4) == 0);
	CHECK_EQ(read_at("/sparse", buf, 4, 1LL << 30), 4);
	CHECK(memcmp(buf, "\0\0\0\0", 4) == 0);

	/* a directory of many blocks, listed in small pieces while it changes */
	CHECK_EQ(fe2_ops.mkdir("/many", 0755), 0);
	for (int i = 0; i < 300; i++) {
		snprintf(path, sizeof(path), "/many/file-with-a-long-name-%03d", i);
		CHECK_EQ(create_write(path, path, strlen(path), 0), 0);
	}
	CHECK_EQ(list_dir("/many", ns, 7), 0);
	CHECK_EQ(ns->count, 302);
	CHECK_EQ(has_name(ns, "."), 1);
	CHECK_EQ(has_name(ns, "file-with-a-long-name-299"), 1);
	{
		/* remove entries between two calls: the rest is listed once */
		struct fuse_file_info dfi = { 0 };
		off_t off;
		int seen;

		CHECK_EQ(fe2_ops.opendir("/many", &dfi), 0);
		ns->count = 0;
		ns->room = 50;
		ns->taken = 0;
		CHECK_EQ(fe2_ops.readdir("/many", ns, filler, 0, &dfi, 0), 0);
		off = ns->off[ns->count - 1];
		for (int i = 0; i < 300; i += 2) {
			snprintf(path, sizeof(path), "/many/file-with-a-long-name-%03d", i);
			CHECK_EQ(fe2_ops.unlink(path), 0);
		}
		ns->room = 1000;
		ns->taken = 0;
		CHECK_EQ(fe2_ops.readdir("/many", ns, filler, off, &dfi, 0), 0);
		seen = 0;
		for (int i = 1; i < 300; i += 2) {
			snprintf(path, sizeof(path), "file-with-a-long-name-%03d", i);
			CHECK_EQ(has_name(ns, path), 1);
			seen++;
		}
		CHECK_EQ(seen, 150);
	}
	CHECK_EQ(fe2_ops.fsync("/many", 0, NULL), 0);
	/* fsync wrote everything: the image is whole while still mounted */
	out = debugfs_cat("/many/file-with-a-long-name-299");
	CHECK(strcmp(out, "/many/file-with-a-long-name-299") == 0);
	free(out);
	CHECK(fsck_clean());
	CHECK_EQ(fe2_ops.statfs("/", &sv1), 0);
	CHECK(sv1.f_bfree < sv0.f_bfree);
	CHECK(sv1.f_ffree < sv0.f_ffree);
	umount_img(e);

	/* what the image says, without us */
	CHECK(fsck_clean());
	out = debugfs_cat("/d/b.txt");
	CHECK(strcmp(out, "hello, ext2\n") == 0);
	free(out);
	out = debugfs_cat("/hard");
	CHECK(strcmp(out, "hello, ext2\n") == 0);
	free(out);
	out = debugfs_cat("/empty/f");
	CHECK(strcmp(out, "in sub") == 0);
	free(out);
	out = debugfs_cat("/many/file-with-a-long-name-299");
	CHECK(strcmp(out, "/many/file-with-a-long-name-299") == 0);
	free(out);
	CHECK_EQ(sh("debugfs -R 'cat /aligned' %s 2>/dev/null | head -c 131080 | tail -c 8 | "
		    "grep -q '^...bbbbb$'",
		    img),
		 0);
	if (extents)
		CHECK_EQ(sh("test $(debugfs -R 'ex /chunks' %s 2>/dev/null | wc -l) = 2", img), 0);
	out = run_out("debugfs -R 'stat /sparse' %s 2>/dev/null", img);
	CHECK(strstr(out, "Size: 3221225475") != NULL);
	free(out);
	out = run_out("debugfs -R 'ea_get /d/b.txt user.color' %s 2>/dev/null", img);
	CHECK(strstr(out, "blue") != NULL);
	free(out);
	CHECK_EQ(sh("debugfs -R 'stat /long' %s 2>/dev/null | grep -q 'Fast link dest'", img), 1);
	CHECK_EQ(sh("debugfs -R 'stat /short' %s 2>/dev/null | grep -q 'Fast link dest'", img), 0);

	/* read back through us, read-only: nothing can be changed */
	e = mount_img(false);
	CHECK(e != NULL);
	if (e) {
		CHECK_EQ(read_at("/d/b.txt", buf, sizeof(buf), 0), 12);
		CHECK_EQ(create_write("/new", "x", 1, 0), -EROFS);
		CHECK_EQ(fe2_ops.mkdir("/nd", 0755), -EROFS);
		CHECK_EQ(fe2_ops.unlink("/d/b.txt"), -EROFS);
		CHECK_EQ(fe2_ops.chmod("/d/b.txt", 0600, NULL), -EROFS);
		CHECK_EQ(fe2_ops.setxattr("/d/b.txt", "user.x", "1", 1, 0), -EROFS);
		fi = (struct fuse_file_info){ .flags = O_RDWR };
		CHECK_EQ(fe2_ops.open("/d/b.txt", &fi), -EROFS);
		CHECK_EQ(fe2_ops.getxattr("/d/b.txt", "user.color", buf, sizeof(buf)), 4);
		umount_img(e);
	}
	CHECK(fsck_clean());

	/* e2fsck -D indexes the big directory (htree): add and remove in it */
	CHECK(sh("e2fsck -fyD %s >/dev/null 2>&1", img) <= 1);
	CHECK(fsck_clean());
	CHECK_EQ(sh("debugfs -R 'htree /many' %s 2>&1 | grep -q 'Root node dump'", img), 0);
	e = mount_img(true);
	if (e) {
		for (int i = 0; i < 400; i++) {
			snprintf(path, sizeof(path), "/many/another-file-with-a-long-name-%03d", i);
			CHECK_EQ(create_write(path, "n", 1, 0), 0);
		}
		for (int i = 0; i < 400; i += 3) {
			snprintf(path, sizeof(path), "/many/another-file-with-a-long-name-%03d", i);
			CHECK_EQ(fe2_ops.unlink(path), 0);
		}
		CHECK_EQ(list_dir("/many", ns, 1000), 0);
		CHECK_EQ(ns->count, 2 + 150 + 400 - 134);
		CHECK_EQ(fe2_ops.rename("/many/another-file-with-a-long-name-001", "/moved", 0), 0);
		CHECK_EQ(read_at("/moved", buf, sizeof(buf), 0), 1);
		umount_img(e);
	}
	CHECK(fsck_clean());

	/* and again rw: remove everything, the image is as clean as new */
	e = mount_img(true);
	if (e) {
		CHECK_EQ(fe2_ops.unlink("/sparse"), 0);
		CHECK_EQ(fe2_ops.unlink("/big"), 0);
		for (int i = 1; i < 300; i += 2) {
			snprintf(path, sizeof(path), "/many/file-with-a-long-name-%03d", i);
			CHECK_EQ(fe2_ops.unlink(path), 0);
		}
		for (int i = 2; i < 400; i++) {
			snprintf(path, sizeof(path), "/many/another-file-with-a-long-name-%03d", i);
			if (i % 3)
				CHECK_EQ(fe2_ops.unlink(path), 0);
		}
		CHECK_EQ(fe2_ops.rmdir("/many"), 0);
		CHECK_EQ(fe2_ops.statfs("/", &sv1), 0);
		umount_img(e);
	}
	CHECK(fsck_clean());
	free(ns);
}

/* Fill the file system: the writes end in ENOSPC, and the image stays clean. */
static void test_enospc(const char *type, const char *extra)
{
	static char chunk[131072];
	struct fuse_file_info fi = { .flags = O_WRONLY | O_CREAT };
	struct fe2 *e;
	off_t off = 0;
	int ret = 0;

	cur = "enospc";
	mkimg(type, extra);
	e = mount_img(true);
	CHECK(e != NULL);
	if (!e)
		return;
	memset(chunk, 'z', sizeof(chunk));
	CHECK_EQ(fe2_ops.create("/fill", 0644, &fi), 0);
	while (off < (64 << 20)) {
		ret = fe2_ops.write("/fill", chunk, sizeof(chunk), off, &fi);
		if (ret <= 0)
			break;
		off += ret;
	}
	CHECK_EQ(ret, -ENOSPC);
	CHECK(off > (16 << 20));
	fi = (struct fuse_file_info){ .flags = O_WRONLY | O_CREAT };
	CHECK_EQ(fe2_ops.create("/after", 0644, &fi), 0); /* an inode, no block */
	CHECK_EQ(fe2_ops.unlink("/fill"), 0);
	CHECK_EQ(create_write("/again", chunk, sizeof(chunk), 0), 0);
	umount_img(e);
	CHECK(fsck_clean());
}

static char *slurp(size_t *len)
{
	FILE *f = fopen(img, "rb");
	char *buf;

	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	buf = malloc(*len);
	if (fread(buf, 1, *len, f) != *len)
		*len = 0;
	fclose(f);
	return buf;
}

/* rw refused with a reason containing want; the image not touched; ro still works? */
static void expect_refused(const char *want, bool ro_ok)
{
	static struct fe2 e;
	size_t len0, len1;
	char *before = slurp(&len0), *after;
	char msg[256] = "";

	CHECK(fe2_open(&e, img, true, msg, sizeof(msg)) != 0);
	CHECK(strstr(msg, want) != NULL);
	fprintf(stderr, "[%s] refused as expected: %s\n", cur, msg);
	after = slurp(&len1);
	CHECK(len0 == len1 && memcmp(before, after, len0) == 0);
	free(after);
	if (ro_ok) {
		CHECK_EQ(fe2_open(&e, img, false, msg, sizeof(msg)), 0);
		fe2_close(&e);
	} else {
		CHECK(fe2_open(&e, img, false, msg, sizeof(msg)) != 0);
	}
	after = slurp(&len1);
	CHECK(len0 == len1 && memcmp(before, after, len0) == 0);
	free(after);
	free(before);
}

static void test_refusals(void)
{
	cur = "needs_recovery";
	mkimg("ext3", "");
	CHECK_EQ(sh("debugfs -w -R 'feature needs_recovery' %s >/dev/null 2>&1", img), 0);
	expect_refused("journal needs recovery", true);

	cur = "errors";
	mkimg("ext4", "");
	CHECK_EQ(sh("debugfs -w -R 'ssv state 3' %s >/dev/null 2>&1", img), 0);
	expect_refused("has errors", true);

	cur = "not-clean";
	mkimg("ext2", "");
	CHECK_EQ(sh("debugfs -w -R 'ssv state 0' %s >/dev/null 2>&1", img), 0);
	expect_refused("not cleanly unmounted", true);

	/* an ro_compat bit libext2fs does not know (ext2: no superblock checksum) */
	cur = "ro_compat";
	mkimg("ext2", "");
	CHECK_EQ(sh("printf '\\000\\000\\000\\200' | dd of=%s bs=1 seek=%d count=4 conv=notrunc "
		    "status=none",
		    img, 1024 + 0x64 + 0),
		 0);
	expect_refused("cannot write", true);

	cur = "corrupt";
	mkimg("ext4", "");
	CHECK_EQ(sh("printf '\\000\\000' | dd of=%s bs=1 seek=%d count=2 conv=notrunc status=none",
		    img, 1024 + 0x38),
		 0);
	expect_refused("Bad magic", false);

	cur = "missing";
	{
		static struct fe2 e;
		char msg[256] = "";

		CHECK(fe2_open(&e, "/nonexistent/image", false, msg, sizeof(msg)) != 0);
		CHECK(strstr(msg, "/nonexistent/image") != NULL);
	}
}

static void test_opts(void)
{
	struct fe2_opts o = { 0 };

	cur = "opts";
	CHECK(!fe2_opts_rw(&o));
	CHECK_EQ(fe2_opt_word(&o, "rw"), 1);
	CHECK(!fe2_opts_rw(&o)); /* plain rw: still read-only */
	CHECK_EQ(fe2_opt_word(&o, "nosuid"), 0);
	CHECK(!o.allow_other);
	CHECK_EQ(fe2_opt_word(&o, "allow_other"), 0); /* FUSE's too */
	CHECK(o.allow_other);
	CHECK_EQ(fe2_opt_word(&o, "rw+"), 1);
	CHECK(fe2_opts_rw(&o));
	CHECK_EQ(fe2_opt_word(&o, "ro"), 0);
	CHECK(!fe2_opts_rw(&o));
}

int main(void)
{
	snprintf(img, sizeof(img), "/tmp/fe2-test-%d.img", (int)getpid());
	test_opts();
	test_fs("ext2", "");
	test_fs("ext2", "-b 4096 -I 256");
	test_fs("ext3", "");
	test_fs("ext4", "");
	test_fs("ext4", "-O ^extent,^64bit,^metadata_csum -I 128");
	test_fs("ext4", "-O inline_data");
	test_fs("ext4", "-O bigalloc -C 16384");
	test_enospc("ext2", "");
	test_enospc("ext4", "");
	test_refusals();
	unlink(img);
	if (failures) {
		fprintf(stderr, "test_fuseext2: %d failures\n", failures);
		return 1;
	}
	printf("test_fuseext2: all passed\n");
	return 0;
}

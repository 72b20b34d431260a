// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_vufs_ops.c - vufs's methods on real directories, the daemon
 * stubbed (stub_daemon.c): what a member would see through cow, merge,
 * mincow and ro mounts, and what is left in the layers. Run as root, it
 * becomes nobody first, so that the real layer can refuse (mincow).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sched.h>
#include <stdbool.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>

#include "stub_daemon.h"
#include "tap.h"

VU_PROTOTYPES(vufs)

static char T[64];

static const char *P(const char *fmt, const char *rel)
{
	static char bufs[8][512];
	static int i;
	char *b = bufs[i++ % 8];

	snprintf(b, 512, fmt, T, rel);
	return b;
}
#define R(rel) P("%s/real%s", rel) /* the real layer */
#define S(rel) P("%s/src%s", rel) /* SOURCE */

static void put(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0 || write(fd, text, strlen(text)) < 0)
		perror(path);
	close(fd);
	chmod(path, mode);
}

static char *get(const char *path)
{
	static char buf[256];
	int fd = open(path, O_RDONLY);
	ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);

	if (fd >= 0)
		close(fd);
	if (n < 0)
		return "(none)";
	buf[n] = '\0';
	return buf;
}

/* What the mount shows of the file @mpath. */
static char *vget(const char *mpath)
{
	static char buf[256];
	void *fdp = NULL;
	int fd = vu_vufs_open(mpath, O_RDONLY, 0, &fdp);
	ssize_t n;

	if (fd < 0)
		return "(none)";
	n = vu_vufs_read(fd, buf, sizeof(buf) - 1, fdp);
	vu_vufs_close(fd, fdp);
	buf[n < 0 ? 0 : n] = '\0';
	return buf;
}

static int vput(const char *mpath, const char *text, int flags)
{
	void *fdp = NULL;
	int fd = vu_vufs_open(mpath, O_WRONLY | flags, 0644, &fdp);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = vu_vufs_write(fd, text, strlen(text), fdp);
	vu_vufs_close(fd, fdp);
	return n < 0 ? -1 : 0;
}

/* The merged listing of @mpath, sorted, space separated, read @chunk bytes at a time. */
static char *vls(const char *mpath, unsigned int chunk)
{
	static char out[1024];
	char buf[4096] __attribute__((aligned(8)));
	char *names[128];
	int n = 0, got;
	void *fdp = NULL;
	int fd = vu_vufs_open(mpath, O_RDONLY | O_DIRECTORY, 0, &fdp);

	out[0] = '\0';
	if (fd < 0)
		return "(none)";
	while ((got = vu_vufs_getdents64(fd, (void *)buf, chunk, fdp)) > 0) {
		for (int off = 0; off < got && n < 128;) {
			struct dirent64 *d = (void *)(buf + off);

			names[n++] = strdup(d->d_name);
			off += d->d_reclen;
		}
	}
	vu_vufs_close(fd, fdp);
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (strcmp(names[j], names[i]) < 0) {
				char *t = names[i];

				names[i] = names[j];
				names[j] = t;
			}
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, names[i]);
		free(names[i]);
	}
	return out;
}

static int vmount(const char *opts)
{
	char src[128], dst[128];

	snprintf(src, sizeof(src), "%s/src", T);
	snprintf(dst, sizeof(dst), "%s/real", T);
	return vu_vufs_mount(src, dst, "vufs", 0, opts);
}

/* The umount: the entry's cleanup frees the mount. */
static void vdone(void)
{
	if (stub_current())
		vu_vufs_cleanup(CHECKPATH, NULL, 0, vu_mod_getht());
	stub_use(NULL);
}

static void fresh(void)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd),
		 "rm -rf %s/src %s/real && mkdir -p %s/src %s/real/d %s/real/sub/deep", T, T, T, T,
		 T);
	if (system(cmd) != 0)
		exit(2);
	put(R("/f"), "hello\n", 0644);
	put(R("/d/g"), "g\n", 0644);
	put(R("/ro"), "ro\n", 0444);
	put(R("/sub/deep/x"), "x\n", 0644);
	symlink("f", R("/lnk"));
}

static int st_of(const char *mpath, struct stat *st)
{
	return vu_vufs_lstat((char *)mpath, st, 0, -1, NULL) < 0 ? -errno : 0;
}

static void test_cow(void)
{
	struct stat st, rst;
	char buf[4096] __attribute__((aligned(8)));
	void *fdp = NULL;
	int fd;

	fresh();
	lstat(R("/f"), &rst);
	is_long(vmount("cow"), 0, "cow mount");
	is_str(vget("/f"), "hello\n", "cow: the real file reads");
	is_long(vput("/f", "more\n", O_APPEND), 0, "append to it");
	is_str(vget("/f"), "hello\nmore\n", "the view has the change");
	is_str(get(R("/f")), "hello\n", "the real file is untouched");
	is_str(get(S("/f")), "hello\nmore\n", "the copy is in SOURCE");
	ok(lstat(S("/f"), &st) == 0 && st.st_mtime >= rst.st_mtime && (st.st_mode & 0777) == 0644,
	   "the copy keeps the mode");
	is_long(vput("/new", "n\n", O_CREAT | O_EXCL), 0, "a new file");
	ok(access(S("/new"), F_OK) == 0 && access(R("/new"), F_OK) < 0, "goes to SOURCE");
	is_long(vput("/f", "x", O_CREAT | O_EXCL), -EEXIST, "O_EXCL on a real file: EEXIST");
	/* delete: a whiteout */
	is_long(vu_vufs_unlink("/ro"), 0, "unlink a real file");
	is_long(st_of("/ro", &st), -ENOENT, "it is gone from the view");
	ok(access(R("/ro"), F_OK) == 0, "not from the real layer");
	ok(lstat(S("/.-/ro"), &st) == 0 && S_ISREG(st.st_mode), "a whiteout in SOURCE/.-/");
	is_long(vu_vufs_unlink("/ro"), -1, "unlink again: -1");
	is_long(errno, ENOENT, "ENOENT");
	is_long(vput("/ro", "back\n", O_CREAT | O_EXCL), 0, "make it again");
	is_str(vget("/ro"), "back\n", "the new one shows");
	is_long(vu_vufs_unlink("/ro"), 0, "and goes");
	is_long(st_of("/ro", &st), -ENOENT, "leaving the real one hidden");
	is_long(vu_vufs_unlink("/f"), 0, "unlink a copied file");
	is_long(st_of("/f", &st), -ENOENT, "gone: the real one is hidden too");
	/* directories */
	is_str(vls("/", 4096), ". .. d lnk new sub", "the root: merged, no .-, no duplicates");
	is_str(vls("/", 40), ". .. d lnk new sub", "the same, a few entries per call");
	is_long(vu_vufs_rmdir("/d"), -1, "rmdir of a real directory with a file");
	is_long(errno, ENOTEMPTY, "ENOTEMPTY");
	is_long(vu_vufs_unlink("/d/g"), 0, "unlink its file");
	is_str(vls("/d", 4096), ". ..", "empty in the view");
	is_long(vu_vufs_rmdir("/d"), 0, "then rmdir works");
	is_long(st_of("/d", &st), -ENOENT, "gone");
	is_long(vu_vufs_mkdir("/d", 0755), 0, "mkdir it again");
	is_str(vls("/d", 4096), ". ..", "the real entries stay deleted");
	ok(access(R("/d/g"), F_OK) == 0, "and are there for real");
	/* getdents offsets: lseek back to what a d_off said */
	fd = vu_vufs_open("/", O_RDONLY | O_DIRECTORY, 0, &fdp);
	{
		int n = vu_vufs_getdents64(fd, (void *)buf, 48, fdp);
		long off2 = -1; /* the d_off of the last entry read: where the next begins */

		for (int o = 0; o < n; o += ((struct dirent64 *)(buf + o))->d_reclen)
			off2 = ((struct dirent64 *)(buf + o))->d_off;
		char first[256] = "", again[256] = "";

		vu_vufs_getdents64(fd, (void *)buf, 24, fdp);
		memcpy(first, ((struct dirent64 *)buf)->d_name, sizeof(first) - 1);
		is_long(vu_vufs_lseek(fd, off2, SEEK_SET, fdp), off2, "seekdir to a d_off");
		vu_vufs_getdents64(fd, (void *)buf, 24, fdp);
		memcpy(again, ((struct dirent64 *)buf)->d_name, sizeof(again) - 1);
		is_str(again, first, "reads the same entry again");
	}
	vu_vufs_close(fd, fdp);
	/* rename across layers */
	is_long(vu_vufs_rename("/sub/deep/x", "/y", 0), 0, "rename a real file");
	is_str(vget("/y"), "x\n", "the new name has it");
	is_long(st_of("/sub/deep/x", &st), -ENOENT, "the old name is gone");
	is_str(get(R("/sub/deep/x")), "x\n", "the real file is untouched");
	put(R("/sub/deep/z"), "z\n", 0644);
	is_long(vu_vufs_rename("/sub", "/sub2", 0), 0, "rename a real directory: no EXDEV");
	is_str(vget("/sub2/deep/z"), "z\n", "its tree is at the new name");
	is_long(st_of("/sub2/deep/x", &st), -ENOENT, "without what was deleted in it");
	is_long(st_of("/sub", &st), -ENOENT, "the old name is gone");
	is_long(vu_vufs_rename("/y", "/sub2", 0), -1, "a file onto a directory");
	is_long(errno, EISDIR, "EISDIR");
	/* hard links and symlinks */
	is_long(vu_vufs_link("/lnk", "/lnk2"), 0, "link a real symlink");
	ok(st_of("/lnk2", &st) == 0 && S_ISLNK(st.st_mode), "the link is a symlink");
	put(R("/h"), "h\n", 0644);
	is_long(vu_vufs_link("/h", "/h2"), 0, "link a real file");
	{
		struct stat a, b;

		ok(st_of("/h", &a) == 0 && st_of("/h2", &b) == 0 && a.st_ino == b.st_ino &&
			   a.st_nlink == 2,
		   "one file, two names");
	}
	is_long(vu_vufs_symlink("/etc/passwd", "/sl"), 0, "symlink");
	{
		char t[64] = "";
		ssize_t n = vu_vufs_readlink("/sl", t, sizeof(t));

		is_str(n > 0 ? (t[n] = 0, t) : "", "/etc/passwd", "readlink");
	}
	/* truncate and times copy up */
	put(R("/t"), "123456", 0644);
	is_long(vu_vufs_truncate("/t", 2, -1, NULL), 0, "truncate a real file");
	is_str(vget("/t"), "12", "the view is cut");
	is_str(get(R("/t")), "123456", "the real one is not");
	{
		struct timespec ts[2] = { { 1000, 0 }, { 2000, 0 } };

		put(R("/u"), "u", 0644);
		is_long(vu_vufs_utimensat(AT_FDCWD, "/u", ts, 0, -1, NULL), 0, "utimensat");
		ok(st_of("/u", &st) == 0 && st.st_mtime == 2000, "the view has the time");
		ok(lstat(R("/u"), &rst) == 0 && rst.st_mtime != 2000, "the real file not");
	}
	/* a reserved name */
	is_long(vput("/.-", "x", O_CREAT), -EPERM, "SOURCE/.- cannot be made through the view");
	vdone();
}

static void test_vstat(void)
{
	struct stat st;

	fresh();
	is_long(vmount("cow"), 0, "cow mount for the vstat checks");
	stub_caller_uid = 0;
	stub_caller_gid = 0;
	is_long(vput("/rootfile", "r\n", O_CREAT | O_EXCL), 0, "a caller of uid 0 makes a file");
	ok(st_of("/rootfile", &st) == 0 && st.st_uid == 0 && st.st_gid == 0,
	   "it is root's in the view");
	ok(lstat(S("/rootfile"), &st) == 0 && st.st_uid == geteuid(), "and the user's for real");
	is_long(vu_vufs_mknod("/null", S_IFCHR | 0666, makedev(1, 3)), 0, "mknod a char device");
	ok(st_of("/null", &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3) &&
		   (st.st_mode & 0777) == 0666,
	   "a char device 1,3 in the view");
	ok(lstat(S("/null"), &st) == 0 && S_ISREG(st.st_mode), "a plain file for real");
	is_long(vu_vufs_mknod("/sock", S_IFSOCK | 0755, 0), 0, "mknod a socket");
	ok(st_of("/sock", &st) == 0 && S_ISSOCK(st.st_mode), "a socket in the view");
	is_long(vu_vufs_mknod("/fifo", S_IFIFO | 0644, 0), 0, "mknod a fifo");
	ok(lstat(S("/fifo"), &st) == 0 && S_ISFIFO(st.st_mode), "a real fifo");
	is_long(vu_vufs_lchown("/f", 1234, 1234, -1, NULL), 0, "chown a real file as root");
	ok(st_of("/f", &st) == 0 && st.st_uid == 1234 && st.st_gid == 1234,
	   "it shows the new owner");
	is_str(get(S("/.-/f\177")), "uid 1234\ngid 1234\n", "recorded beside the copy");
	is_long(vu_vufs_chmod("/f", 04711, -1, NULL), 0, "chmod");
	ok(st_of("/f", &st) == 0 && (st.st_mode & 07777) == 04711, "the mode shows");
	ok(lstat(S("/f"), &st) == 0 && (st.st_mode & 0600) == 0600, "the copy stays readable");
	is_long(vu_vufs_rename("/f", "/f2", 0), 0, "rename");
	ok(st_of("/f2", &st) == 0 && st.st_uid == 1234 && (st.st_mode & 07777) == 04711,
	   "the record follows");
	is_long(vu_vufs_link("/f2", "/f3"), 0, "link");
	is_long(vu_vufs_lchown("/f3", 99, -1, -1, NULL), 0, "chown through the new name");
	ok(st_of("/f2", &st) == 0 && st.st_uid == 99, "the old name sees it (one record)");
	stub_caller_uid = 1000;
	stub_caller_gid = 1000;
	is_long(vu_vufs_lchown("/f2", 1000, -1, -1, NULL), -1, "a user cannot take a file");
	is_long(errno, EPERM, "EPERM");
	is_long(vu_vufs_chmod("/rootfile", 0777, -1, NULL), -1, "nor chmod root's");
	is_long(errno, EPERM, "EPERM");
	is_long(vu_vufs_mknod("/null2", S_IFCHR | 0666, makedev(1, 3)), -1,
		"nor make a device node");
	is_long(errno, EPERM, "EPERM");
	stub_caller_uid = (uid_t)-1;
	stub_caller_gid = (gid_t)-1;
	vdone();
	/* a second mount over the same SOURCE sees the same state */
	is_long(vmount("cow"), 0, "a second cow mount of the same SOURCE");
	ok(st_of("/null", &st) == 0 && S_ISCHR(st.st_mode), "sees the device");
	ok(st_of("/f2", &st) == 0 && st.st_uid == 99, "and the owners");
	vdone();
}

static void test_merge(void)
{
	struct stat st;

	fresh();
	put(S("/v"), "virtual\n", 0644);
	mkdir(S("/d"), 0755);
	put(S("/d/vg"), "vg\n", 0644);
	is_long(vmount("merge"), 0, "merge mount");
	is_str(vls("/d", 4096), ". .. g vg", "a directory of both layers");
	is_str(vget("/v"), "virtual\n", "a virtual file reads");
	is_long(vput("/v", "x", 0), -EROFS, "writing it: EROFS");
	is_long(vu_vufs_unlink("/v"), -1, "unlink of it");
	is_long(errno, EROFS, "EROFS");
	is_long(vput("/f", "real\n", O_TRUNC), 0, "a real file is written");
	is_str(get(R("/f")), "real\n", "for real");
	is_long(vput("/n", "n\n", O_CREAT | O_EXCL), 0, "a new file");
	ok(access(R("/n"), F_OK) == 0 && access(S("/n"), F_OK) < 0, "goes to the real layer");
	is_long(vu_vufs_unlink("/f"), 0, "unlink a real file");
	ok(access(R("/f"), F_OK) < 0, "for real");
	ok(lstat(S("/.-"), &st) < 0, "nothing is written in SOURCE");
	vdone();
}

static void test_mincow(void)
{
	struct stat st;

	fresh();
	is_long(vmount("mincow"), 0, "mincow mount");
	is_long(vput("/f", "in place\n", O_TRUNC), 0, "a writable real file");
	is_str(get(R("/f")), "in place\n", "is written for real");
	ok(lstat(S("/f"), &st) < 0, "nothing copied");
	if (geteuid() != 0) {
		is_long(vput("/ro", "copy\n", O_TRUNC), 0, "a read-only real file");
		is_str(get(R("/ro")), "ro\n", "is not written for real");
		is_str(vget("/ro"), "copy\n", "the view has the copy");
	}
	vdone();
}

static void test_ro_except(void)
{
	struct stat st;

	fresh();
	is_long(vmount("cow,ro"), 0, "cow,ro mount");
	is_long(vput("/f", "x", 0), -EROFS, "a write: EROFS");
	is_long(vu_vufs_mkdir("/nd", 0755), -1, "mkdir");
	is_long(errno, EROFS, "EROFS");
	is_long(vu_vufs_mkdir("/d", 0755), -1, "mkdir of what is there");
	is_long(errno, EEXIST, "EEXIST, as Linux says first");
	is_long(vu_vufs_unlink("/f"), -1, "unlink");
	is_long(errno, EROFS, "EROFS");
	is_long(vu_vufs_access("/f", W_OK, 0), -1, "access W_OK");
	is_long(errno, EROFS, "EROFS");
	ok(lstat(S("/.-"), &st) < 0, "nothing written in SOURCE");
	vdone();
	is_long(vmount("cow,merge"), -1, "cow,merge: refused");
	is_long(errno, EINVAL, "EINVAL");
	put(P("%s/afile%s", ""), "", 0644);
	{
		char src[128], dst[128];

		snprintf(src, sizeof(src), "%s/afile", T);
		snprintf(dst, sizeof(dst), "%s/real/f", T);
		is_long(vu_vufs_mount(src, dst, "vufs", 0, "cow"), -1, "cow of a file SOURCE");
		is_long(errno, EINVAL, "EINVAL");
		snprintf(src, sizeof(src), "%s/nosuch", T);
		is_long(vu_vufs_mount(src, dst, "vufs", 0, "cow"), -1, "a SOURCE that is not");
		is_long(errno, ENOENT, "ENOENT");
	}
}

static void test_copy_atomic(void)
{
	struct stat st;
	char big[256];
	pid_t pid;
	int fd, status;

	fresh();
	/* a copy killed midway leaves a temporary in .-/, nothing visible */
	snprintf(big, sizeof(big), "%s/real/big", T);
	fd = open(big, O_WRONLY | O_CREAT, 0644);
	ftruncate(fd, 64 << 20);
	close(fd);
	is_long(vmount("cow"), 0, "cow mount for the copy checks");
	pid = fork();
	if (pid == 0) {
		alarm(5);
		for (;;)
			vput("/big", "x", 0);
	}
	usleep(50000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	ok(lstat(S("/big"), &st) < 0 || st.st_size == 64 << 20,
	   "killed mid copy: no truncated file in SOURCE");
	{
		char p[256];

		snprintf(p, sizeof(p), "%s/src/.-/\177cp.%d.0", T, (int)pid);
		if (access(p, F_OK) != 0) {
			/* the copy finished before the kill: make the leftover by hand */
			mkdir(S("/.-"), 0700);
			put(p, "partial", 0600);
		}
		vdone();
		is_long(vmount("cow"), 0, "a new mount");
		ok(access(p, F_OK) != 0, "removes the temporary of the dead copy");
	}
	/* O_TRUNC copies no data: a file its owner may write but not read */
	put(R("/wo"), "secret", 0200);
	is_long(vput("/wo", "t", O_TRUNC), 0, "O_TRUNC of a write-only real file");
	ok(lstat(S("/wo"), &st) == 0 && st.st_size == 1, "the copy holds what was written");
	is_str(get(R("/wo")), "(none)", "the real one is unreadable");
	ok(lstat(R("/wo"), &st) == 0 && st.st_size == 6, "and untouched");
	is_long(vput("/big", "y", 0), 0, "a copy of 64 MiB");
	ok(lstat(S("/big"), &st) == 0 && st.st_size == 64 << 20, "whole");
	is_str(get(R("/big")), "", "the real file starts with a zero still");
	vdone();
}

/* SOURCE on a small tmpfs (@small, mounted by main as root): a copy-up that does not fit. */
static void test_enospc(bool small)
{
	char src[128], dst[128];
	struct stat st;
	int fd;

	if (!small) {
		printf("ok %d # SKIP no small tmpfs (not root, or no mount namespace)\n",
		       ++tap_count);
		return;
	}
	fresh();
	snprintf(src, sizeof(src), "%s/small", T);
	snprintf(dst, sizeof(dst), "%s/real", T);
	fd = open(R("/huge"), O_WRONLY | O_CREAT, 0644);
	ok(fd >= 0 && pwrite(fd, "H", 1, 0) == 1 && ftruncate(fd, 4 << 20) == 0,
	   "a real file of 4 MiB");
	close(fd);
	is_long(vu_vufs_mount(src, dst, "vufs", 0, "cow"), 0, "cow with SOURCE on a 1 MiB tmpfs");
	is_long(vput("/huge", "x", O_APPEND), -ENOSPC, "a write that needs a copy-up: ENOSPC");
	ok(st_of("/huge", &st) == 0 && st.st_size == 4 << 20, "the view shows the old file");
	is_str(vget("/huge"), "H", "whole");
	ok(lstat(P("%s/small/huge%s", ""), &st) < 0, "no copy in SOURCE");
	{
		DIR *d = opendir(P("%s/small/.-%s", ""));
		struct dirent *de;
		int left = 0;

		while (d && (de = readdir(d)))
			left += de->d_name[0] == '\177';
		if (d)
			closedir(d);
		is_long(left, 0, "no temporary left");
	}
	vdone();
}

/* Who may open, create, remove: the virtual modes and owners, for a caller who is not the user. */
static void test_perm(void)
{
	uid_t self = geteuid();

	fresh();
	is_long(vmount("cow"), 0, "cow mount for the permission checks");
	stub_caller_uid = 0;
	stub_caller_gid = 0;
	is_long(vput("/secret", "s", O_CREAT | O_EXCL), 0, "root makes a file");
	is_long(vu_vufs_chmod("/secret", 0600, -1, NULL), 0, "0600");
	is_long(vput("/theirs", "t", O_CREAT | O_EXCL), 0, "and another");
	is_long(vu_vufs_lchown("/theirs", 1234, 1234, -1, NULL), 0, "given to 1234");
	is_long(vu_vufs_chmod("/theirs", 0600, -1, NULL), 0, "0600 too");
	is_str(vget("/theirs"), "t", "root reads it: CAP_DAC_OVERRIDE");
	is_long(vu_vufs_mkdir("/box", 0755), 0, "root's 0755 directory");
	is_long(vu_vufs_mkdir("/sticky", 0755), 0, "another");
	is_long(vu_vufs_chmod("/sticky", 01777, -1, NULL), 0, "made sticky, 1777");
	is_long(vput("/sticky/rootfile", "r", O_CREAT | O_EXCL), 0, "a file of root's in it");
	stub_caller_uid = 1000;
	stub_caller_gid = 1000;
	is_str(vget("/secret"), "(none)", "1000 cannot read root's 0600 file");
	is_long(vput("/secret", "x", 0), -EACCES, "nor write it: EACCES");
	is_long(vu_vufs_access("/secret", R_OK, AT_EACCESS), -1, "access(R_OK) says so");
	is_long(errno, EACCES, "EACCES");
	is_long(vu_vufs_truncate("/secret", 0, -1, NULL), -1, "truncate: refused");
	is_long(vu_vufs_mkdir("/box/x", 0755), -1, "mkdir in root's 0755 directory: refused");
	is_long(errno, EACCES, "EACCES");
	is_long(vput("/sticky/mine", "m", O_CREAT | O_EXCL), 0, "a file of its own in the sticky one");
	is_long(vu_vufs_unlink("/sticky/mine"), 0, "and removes it");
	is_long(vu_vufs_unlink("/sticky/rootfile"), -1, "not root's file there");
	is_long(errno, EPERM, "EPERM (the sticky bit)");
	stub_caller_uid = self;
	stub_caller_gid = getegid();
	is_str(vget("/secret"), "s", "the owner of SOURCE, as itself, reads its copy (cow's rule)");
	is_long(vput("/secret", "s2", O_TRUNC), 0, "and writes it");
	stub_caller_uid = (uid_t)-1;
	stub_caller_gid = (gid_t)-1;
	vdone();
}

static void run_all(bool small)
{
	test_cow();
	test_vstat();
	test_perm();
	test_merge();
	test_mincow();
	test_ro_except();
	test_copy_atomic();
	test_enospc(small);
}

/*
 * As root: the checks run in a child, in a mount namespace of its own
 * (with a small tmpfs) and as nobody, so that the real layer can say no;
 * the parent removes what is left.
 */
int main(void)
{
	char cmd[128];
	int status = 0;

	strcpy(T, "/tmp/vufs-ops.XXXXXX");
	if (!mkdtemp(T))
		return 2;
	if (geteuid() == 0) {
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			char p[128];
			bool small;

			snprintf(p, sizeof(p), "%s/small", T);
			small = mkdir(p, 0755) == 0 && unshare(CLONE_NEWNS) == 0 &&
				mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
				mount("tmpfs", p, "tmpfs", 0, "size=1m,mode=0777") == 0;
			if (chown(T, 65534, 65534) < 0 || setgid(65534) < 0 || setuid(65534) < 0) {
				printf("not ok 1 - cannot become nobody\n");
				fflush(stdout);
				_exit(2);
			}
			run_all(small);
			status = tap_done();
			fflush(stdout);
			_exit(status);
		}
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			return 2;
		status = WIFEXITED(status) ? WEXITSTATUS(status) : 2;
	} else {
		run_all(false);
		status = tap_done();
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", T);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", T);
	return status;
}

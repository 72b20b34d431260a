// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vcalls.c - system calls with no C library wrapper in common use, made
 * on the paths given, printing one "what: result" line each, for the
 * shell tests to compare in a view and natively (procmounts.sh, calls.sh).
 *
 *   vcalls openat2 FILE NEWFILE   openat2 and its struct open_how checks
 *   vcalls close_range MNT FILE   close_range over fds of FILE, then umount2(MNT)
 *   vcalls ioctl FILE             FIONREAD, FIOQSIZE, FIONBIO, FIOCLEX, FIOASYNC, TCGETS
 *   vcalls offsets IN OUT         the offsets sendfile and copy_file_range write back
 *   vcalls getdents DIR           the old getdents(2): each name and type, sorted by the caller
 *   vcalls exec FILE ARGV0 ARG... execv(2) of FILE, argv ARGV0 ARG...; if it fails, its
 *                                 strerror (no shell's retry with /bin/sh on ENOEXEC)
 *
 * Build: cc -Wall -o vcalls vcalls.c
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/openat2.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <termios.h>
#include <unistd.h>

static void result(const char *what, long ret)
{
	if (ret < 0)
		printf("%s: %s\n", what, strerrorname_np(errno));
	else
		printf("%s: %ld\n", what, ret);
}

static long openat2_sz(const char *path, uint64_t flags, uint64_t mode, uint64_t resolve,
		       size_t size)
{
	unsigned char buf[64] = { 0 };
	struct open_how how = { .flags = flags, .mode = mode, .resolve = resolve };

	memcpy(buf, &how, sizeof(how));
	return syscall(SYS_openat2, AT_FDCWD, path, buf, size);
}

static int do_openat2(const char *file, const char *newfile)
{
	unsigned char big[40] = { 0 };
	struct open_how how = { .flags = O_RDONLY };
	char data[64] = "";
	struct stat st;
	long fd;

	fd = openat2_sz(file, O_RDONLY, 0, 0, sizeof(struct open_how));
	if (fd >= 0) {
		ssize_t n = read((int)fd, data, sizeof(data) - 1);

		data[n > 0 ? n : 0] = '\0';
		data[strcspn(data, "\n")] = '\0';
		printf("plain: read %s\n", data);
		close((int)fd);
	} else {
		result("plain", fd);
	}
	result("no such file", openat2_sz("/nonexistent-kmview/x", O_RDONLY, 0, 0, 24));
	fd = openat2_sz(file, O_RDONLY, 0, RESOLVE_NO_SYMLINKS, 24);
	result("RESOLVE_NO_SYMLINKS", fd);
	fd = openat2_sz(file, O_RDONLY, 0, RESOLVE_CACHED, 24);
	result("RESOLVE_CACHED", fd);
	result("mode without O_CREAT", openat2_sz(file, O_RDONLY, 0600, 0, 24));
	result("size 16", openat2_sz(file, O_RDONLY, 0, 0, 16));
	result("unknown resolve bit", openat2_sz(file, O_RDONLY, 0, 1ULL << 40, 24));
	/* a larger struct from a newer program: zeros are fine, anything else is not */
	memcpy(big, &how, sizeof(how));
	fd = syscall(SYS_openat2, AT_FDCWD, file, big, sizeof(big));
	result("size 40, zero tail", fd < 0 ? fd : 0);
	if (fd >= 0)
		close((int)fd);
	big[39] = 1;
	result("size 40, nonzero tail", syscall(SYS_openat2, AT_FDCWD, file, big, sizeof(big)));
	umask(022);
	fd = openat2_sz(newfile, O_WRONLY | O_CREAT | O_EXCL, 0664, 0, 24);
	if (fd >= 0 && fstat((int)fd, &st) == 0)
		printf("create: mode %o\n", st.st_mode & 07777);
	else
		result("create", fd);
	if (fd >= 0)
		close((int)fd);
	result("create again, O_EXCL", openat2_sz(newfile, O_WRONLY | O_CREAT | O_EXCL, 0664, 0, 24));
	return 0;
}

static int do_close_range(const char *mnt, const char *file)
{
	int fd[3], keep;
	char c;

	for (int i = 0; i < 3; i++) {
		fd[i] = open(file, O_RDONLY);
		if (fd[i] < 0) {
			result("open", -1);
			return 1;
		}
	}
	result("umount2 while open", umount2(mnt, 0));
	result("close_range", syscall(SYS_close_range, fd[0], fd[2], 0));
	for (int i = 0; i < 3; i++)
		result("read after close_range", read(fd[i], &c, 1));
	keep = open(file, O_RDONLY);
	result("close_range CLOEXEC", syscall(SYS_close_range, keep, keep, CLOSE_RANGE_CLOEXEC));
	printf("FD_CLOEXEC: %d\n", (fcntl(keep, F_GETFD) & FD_CLOEXEC) != 0);
	result("read after CLOEXEC", read(keep, &c, 1));
	result("umount2 with one open", umount2(mnt, 0));
	close(keep);
	result("umount2 after close", umount2(mnt, 0));
	return 0;
}

static int do_ioctl(const char *file)
{
	struct termios tio;
	long long qsize = -1;
	int fd = open(file, O_RDONLY), n = -1, on = 1;
	char c[2];

	if (fd < 0) {
		result("open", -1);
		return 1;
	}
	result("FIONREAD", ioctl(fd, FIONREAD, &n) < 0 ? -1 : n);
	if (read(fd, c, 2) != 2)
		return 1;
	result("FIONREAD after 2 bytes", ioctl(fd, FIONREAD, &n) < 0 ? -1 : n);
	result("FIOQSIZE", ioctl(fd, FIOQSIZE, &qsize) < 0 ? -1 : qsize);
	result("FIGETBSZ", ioctl(fd, FIGETBSZ, &n) < 0 ? -1 : n);
	result("FIONBIO", ioctl(fd, FIONBIO, &on));
	printf("O_NONBLOCK: %d\n", (fcntl(fd, F_GETFL) & O_NONBLOCK) != 0);
	result("FIOCLEX", ioctl(fd, FIOCLEX));
	printf("FD_CLOEXEC: %d\n", (fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0);
	result("FIOASYNC", ioctl(fd, FIOASYNC, &on));
	result("TCGETS", ioctl(fd, TCGETS, &tio));
	close(fd);
	return 0;
}

static int do_offsets(const char *in, const char *out)
{
	int fin = open(in, O_RDONLY), fout = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	loff_t oin = 3, oout = 7;
	off_t off = 2;

	if (fin < 0 || fout < 0) {
		result("open", -1);
		return 1;
	}
	result("copy_file_range", copy_file_range(fin, &oin, fout, &oout, 4, 0));
	printf("offsets: %lld %lld\n", (long long)oin, (long long)oout);
	printf("positions: %lld %lld\n", (long long)lseek(fin, 0, SEEK_CUR),
	       (long long)lseek(fout, 0, SEEK_CUR));
	result("copy_file_range, in offset only", copy_file_range(fin, &oin, fout, NULL, 2, 0));
	printf("offsets: %lld, position %lld\n", (long long)oin, (long long)lseek(fout, 0, SEEK_CUR));
	result("copy_file_range, flags 1", copy_file_range(fin, NULL, fout, NULL, 2, 1));
	result("sendfile", sendfile(fout, fin, &off, 3));
	printf("offset: %lld, positions: %lld %lld\n", (long long)off,
	       (long long)lseek(fin, 0, SEEK_CUR), (long long)lseek(fout, 0, SEEK_CUR));
	result("sendfile, offset pointer unmapped", sendfile(fout, fin, (off_t *)8, 3));
	close(fin);
	close(fout);
	return 0;
}

/* The old getdents: the type is the record's last byte. Small reads, so a
 * directory takes several calls. */
static int do_getdents(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY);
	char buf[256];
	long n;

	if (fd < 0) {
		result("open", -1);
		return 1;
	}
	while ((n = syscall(SYS_getdents, fd, buf, sizeof(buf))) > 0) {
		for (long pos = 0; pos < n;) {
			unsigned short reclen;

			memcpy(&reclen, buf + pos + 16, sizeof(reclen));
			printf("%s %d\n", buf + pos + 18, buf[pos + reclen - 1]);
			pos += reclen;
		}
	}
	result("getdents", n);
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 4 && strcmp(argv[1], "exec") == 0) {
		execv(argv[2], argv + 3);
		printf("%s\n", strerror(errno));
		return 1;
	}
	if (argc == 4 && strcmp(argv[1], "openat2") == 0)
		return do_openat2(argv[2], argv[3]);
	if (argc == 4 && strcmp(argv[1], "close_range") == 0)
		return do_close_range(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "ioctl") == 0)
		return do_ioctl(argv[2]);
	if (argc == 4 && strcmp(argv[1], "offsets") == 0)
		return do_offsets(argv[2], argv[3]);
	if (argc == 3 && strcmp(argv[1], "getdents") == 0)
		return do_getdents(argv[2]);
	fprintf(stderr, "usage: vcalls openat2 FILE NEWFILE | close_range MNT FILE | ioctl FILE | "
		"offsets IN OUT | getdents DIR | exec FILE ARGV0 ARG...\n");
	return 2;
}

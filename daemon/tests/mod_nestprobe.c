// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mod_nestprobe.c - a module for test_nest.c, built as Debian builds
 * (-D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -O2), so that its C library
 * calls are open64, __open64_2, __read_chk, fopen64, readdir64...
 *
 * It claims /probe (at insmod, so at an epoch that sees what was mounted
 * before). Every /probe/OP is a symlink whose target is what the probe
 * did when asked for it: OP on $NESTPROBE_DIR (a path of an older mount,
 * or a real one), through the module's own calls; "ERR step errno" when
 * one failed.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* struct dirent64 in vumodule.h, as VUOS builds its modules */
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>

#include <vumodule.h>

VU_PROTOTYPES(nestprobe)

struct vu_module_t vu_module = {
	.name = "nestprobe",
	.description = "a test of nesting: /probe/OP runs OP on $NESTPROBE_DIR",
};

static struct vuht_entry_t *probe_ht;
/* Not known at compile time: the fortified forms are called. */
static volatile size_t probe_len = 63;
static volatile int probe_rdonly = O_RDONLY;

#define FAIL(out, size, step)                                                   \
	do {                                                                    \
		snprintf(out, size, "ERR %s %d", step, errno);                  \
		return;                                                         \
	} while (0)

static const char *dir(void)
{
	const char *d = getenv("NESTPROBE_DIR");

	return d ? d : "/nonexistent";
}

static void at(char *buf, size_t size, const char *name)
{
	snprintf(buf, size, "%s/%s", dir(), name);
}

/* Read all of @fd into @out (a string). */
static void slurp(int fd, char *out, size_t size, const char *step)
{
	char b[64];
	size_t got = 0;
	ssize_t n;

	while ((n = read(fd, b, probe_len)) > 0 && got + (size_t)n < size) {
		memcpy(out + got, b, (size_t)n);
		got += (size_t)n;
	}
	if (n < 0)
		FAIL(out, size, step);
	out[got] = '\0';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void run(const char *op, char *out, size_t size)
{
	char p[PATH_MAX], q[PATH_MAX], r[PATH_MAX], b[64];
	struct stat st;
	int fd, fd2;

	at(p, sizeof(p), "hello");
	if (strcmp(op, "open64") == 0) {
		if ((fd = open(p, O_RDONLY)) < 0)
			FAIL(out, size, "open");
		slurp(fd, out, size, "read");
		close(fd);
	} else if (strcmp(op, "open2") == 0) {
		if ((fd = open(p, probe_rdonly)) < 0)
			FAIL(out, size, "__open64_2");
		slurp(fd, out, size, "read");
		close(fd);
	} else if (strcmp(op, "openat") == 0) {
		if ((fd = openat(AT_FDCWD, p, probe_rdonly)) < 0)
			FAIL(out, size, "__openat64_2");
		close(fd);
		if ((fd2 = open(dir(), O_RDONLY | O_DIRECTORY)) < 0)
			FAIL(out, size, "open dir");
		fd = openat(fd2, "hello", O_RDONLY);
		close(fd2);
		if (fd < 0)
			FAIL(out, size, "openat dirfd");
		slurp(fd, out, size, "read");
		close(fd);
	} else if (strcmp(op, "pread") == 0) {
		ssize_t n;

		if ((fd = open(p, O_RDONLY)) < 0)
			FAIL(out, size, "open");
		n = pread(fd, b, probe_len, 1);
		close(fd);
		if (n < 0)
			FAIL(out, size, "__pread64_chk");
		snprintf(out, size, "%.*s", (int)n, b);
	} else if (strcmp(op, "fopen") == 0) {
		FILE *f = fopen(p, "r");

		if (!f)
			FAIL(out, size, "fopen");
		if (!fgets(b, sizeof(b), f))
			FAIL(out, size, "fgets");
		fclose(f);
		snprintf(out, size, "%s", b);
	} else if (strcmp(op, "opendir") == 0) {
		char *names[16];
		int n = 0;
		size_t len = 0;
		struct dirent *e;
		DIR *d = opendir(dir());

		if (!d)
			FAIL(out, size, "opendir");
		while (n < 16 && (e = readdir(d)))
			if (e->d_name[0] != '.')
				names[n++] = strdup(e->d_name);
		closedir(d);
		qsort(names, (size_t)n, sizeof(names[0]), cmp_str);
		out[0] = '\0';
		for (int i = 0; i < n; i++) {
			len += (size_t)snprintf(out + len, size - len, "%s%s", i ? "," : "",
						names[i]);
			free(names[i]);
		}
	} else if (strcmp(op, "stat") == 0) {
		struct stat s2, s3, s4;
		struct statx sx;

		at(q, sizeof(q), "link");
		if (stat(p, &st) < 0 || lstat(q, &s2) < 0 || fstatat(AT_FDCWD, p, &s3, 0) < 0 ||
		    statx(AT_FDCWD, p, 0, STATX_SIZE, &sx) < 0)
			FAIL(out, size, "stat");
		if ((fd = open(p, O_RDONLY)) < 0 || fstat(fd, &s4) < 0)
			FAIL(out, size, "fstat");
		close(fd);
		snprintf(out, size, "%lld %c %lld %lld %llu", (long long)st.st_size,
			 S_ISLNK(s2.st_mode) ? 'L' : '-', (long long)s3.st_size,
			 (long long)s4.st_size, (unsigned long long)sx.stx_size);
	} else if (strcmp(op, "readlink") == 0) {
		ssize_t n;

		at(q, sizeof(q), "link");
		n = readlink(q, b, probe_len);
		if (n < 0)
			FAIL(out, size, "__readlink_chk");
		snprintf(out, size, "%.*s", (int)n, b);
	} else if (strcmp(op, "realpath") == 0) {
		char *rp;

		at(q, sizeof(q), "sub/../link");
		if (!(rp = realpath(q, NULL)))
			FAIL(out, size, "realpath");
		snprintf(out, size, "%s", rp);
		free(rp);
	} else if (strcmp(op, "access") == 0) {
		at(q, sizeof(q), "missing");
		if (access(p, R_OK) < 0 || faccessat(AT_FDCWD, p, R_OK, 0) < 0)
			FAIL(out, size, "access");
		snprintf(out, size, "%d", access(q, F_OK) < 0 ? errno : 0);
	} else if (strcmp(op, "write") == 0) {
		struct timespec ts[2] = { { 1000, 0 }, { 1000, 0 } };
		struct statfs sf;
		struct statvfs sv;

		at(q, sizeof(q), "newdir");
		if (mkdirat(AT_FDCWD, q, 0755) < 0)
			FAIL(out, size, "mkdirat");
		at(q, sizeof(q), "newdir/f");
		if ((fd = open(q, O_CREAT | O_WRONLY, 0644)) < 0)
			FAIL(out, size, "open O_CREAT");
		if (write(fd, "xyz", 3) != 3 || ftruncate(fd, 3) < 0)
			FAIL(out, size, "write");
		close(fd);
		at(r, sizeof(r), "newdir/g");
		if (renameat2(AT_FDCWD, q, AT_FDCWD, r, 0) < 0)
			FAIL(out, size, "renameat2");
		at(q, sizeof(q), "newdir/s");
		if (symlinkat("g", AT_FDCWD, q) < 0)
			FAIL(out, size, "symlinkat");
		at(q, sizeof(q), "newdir/h");
		if (linkat(AT_FDCWD, r, AT_FDCWD, q, 0) < 0)
			FAIL(out, size, "linkat");
		if (fchmodat(AT_FDCWD, r, 0600, 0) < 0)
			FAIL(out, size, "fchmodat");
		if (truncate(q, 2) < 0)
			FAIL(out, size, "truncate64");
		if (utimensat(AT_FDCWD, r, ts, 0) < 0)
			FAIL(out, size, "utimensat");
		if (statfs(dir(), &sf) < 0 || statvfs(dir(), &sv) < 0)
			FAIL(out, size, "statfs");
		snprintf(out, size, "done %d", sv.f_bsize > 0);
	} else if (strcmp(op, "unlink") == 0) {
		const char *names[] = { "newdir/s", "newdir/h", "newdir/g" };

		for (size_t i = 0; i < 3; i++) {
			at(q, sizeof(q), names[i]);
			if (unlinkat(AT_FDCWD, q, 0) < 0)
				FAIL(out, size, names[i]);
		}
		at(q, sizeof(q), "newdir");
		if (unlinkat(AT_FDCWD, q, AT_REMOVEDIR) < 0)
			FAIL(out, size, "rmdir");
		snprintf(out, size, "gone");
	} else if (strcmp(op, "fd") == 0) {
		if ((fd = open(p, O_RDONLY)) < 0)
			FAIL(out, size, "open");
		if (lseek(fd, 1, SEEK_SET) != 1)
			FAIL(out, size, "lseek64");
		fd2 = dup(fd);
		close(fd);
		if (fd2 < 0)
			FAIL(out, size, "dup");
		slurp(fd2, out, size, "read dup");
		if ((fcntl(fd2, F_GETFL) & O_ACCMODE) != O_RDONLY)
			FAIL(out, size, "F_GETFL");
		close(fd2);
	} else if (strcmp(op, "raw") == 0) {
		/* the system call itself is never rebound: it sees the real tree */
		fd = (int)syscall(__NR_openat, AT_FDCWD, p, O_RDONLY);
		snprintf(out, size, "%d", fd < 0 ? errno : 0);
		if (fd >= 0)
			close(fd);
	} else {
		snprintf(out, size, "ERR unknown-op 0");
	}
}

int vu_nestprobe_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	memset(buf, 0, sizeof(*buf));
	buf->st_mode = strcmp(pathname, "/") == 0 ? S_IFDIR | 0755 : S_IFLNK | 0777;
	buf->st_nlink = 1;
	return 0;
}

ssize_t vu_nestprobe_readlink(char *path, char *buf, size_t bufsiz)
{
	char out[512];
	size_t n;

	run(path + 1, out, sizeof(out));
	n = strlen(out);
	if (n > bufsiz)
		n = bufsiz;
	memcpy(buf, out, n);
	return (ssize_t)n;
}

void *vu_nestprobe_init(void)
{
	probe_ht = vuht_pathadd(CHECKPATH, "/", "/probe", "nestprobe", 0, "",
				vu_mod_getservice(), 0, NULL, NULL);
	return probe_ht ? NULL : VU_INIT_FAILED;
}

int vu_nestprobe_fini(void *private)
{
	if (probe_ht && vuht_del(probe_ht, MNT_FORCE) == 0)
		probe_ht = NULL;
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * iobench: the file I/O figures of bench_ext2.sh, in one process each (an
 * exec in the test guest costs as much as a small run).
 *
 *	iobench write FILE MIB     sequential write in 1 MiB blocks, then fsync
 *	iobench read FILE          sequential read in 1 MiB blocks
 *	iobench rand FILE COUNT    COUNT reads of 4 KiB at random aligned offsets
 *
 * Each prints the milliseconds it took.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#define MIB (1 << 20)

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int die(const char *what)
{
	perror(what);
	return 1;
}

int main(int argc, char **argv)
{
	static char buf[MIB];
	double t0;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: iobench write FILE MIB | read FILE | rand FILE COUNT\n");
		return 2;
	}
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i * 131 + 7);
	t0 = now_ms();
	if (strcmp(argv[1], "write") == 0 && argc == 4) {
		long n = atol(argv[3]);

		fd = open(argv[2], O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd < 0)
			return die(argv[2]);
		for (long i = 0; i < n; i++)
			if (write(fd, buf, MIB) != MIB)
				return die("write");
		if (fsync(fd) < 0)
			return die("fsync");
	} else if (strcmp(argv[1], "read") == 0) {
		ssize_t r;

		fd = open(argv[2], O_RDONLY);
		if (fd < 0)
			return die(argv[2]);
		while ((r = read(fd, buf, MIB)) > 0)
			;
		if (r < 0)
			return die("read");
	} else if (strcmp(argv[1], "rand") == 0 && argc == 4) {
		long n = atol(argv[3]);
		struct stat st;
		unsigned int seed = 42;

		fd = open(argv[2], O_RDONLY);
		if (fd < 0 || fstat(fd, &st) < 0 || st.st_size < 4096)
			return die(argv[2]);
		for (long i = 0; i < n; i++) {
			off_t off = (off_t)(rand_r(&seed) % (st.st_size / 4096)) * 4096;

			if (pread(fd, buf, 4096, off) != 4096)
				return die("pread");
		}
	} else {
		fprintf(stderr, "iobench: bad arguments\n");
		return 2;
	}
	close(fd);
	printf("%.0f\n", now_ms() - t0);
	return 0;
}

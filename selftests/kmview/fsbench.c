// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fsbench: per-operation cost of file calls on a tree, for `make bench`:
 * stat of every file, open+read+close of every file, and a getdents walk
 * of every directory. Run by bench_fs.sh on the same tree natively, in a
 * view, through a vufs bind, /unreal, proot and bwrap.
 *
 *	fsbench [-r rounds] [-n max] DIR    prints "stat open_read_close getdents" in ns/op
 *
 * -n: at most max files and max directories, an even sample of the tree
 * (the test guest is slow: a large tree would take minutes on slow paths).
 */
#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "bench_util.h"

#define MAXFILES 65536

static char *files[MAXFILES], *dirs[MAXFILES];
static int nfiles, ndirs;

static void collect(const char *dir)
{
	struct dirent *de;
	DIR *d = opendir(dir);

	if (!d || ndirs == MAXFILES)
		return;
	dirs[ndirs++] = strdup(dir);
	while ((de = readdir(d)) && nfiles < MAXFILES) {
		char path[PATH_MAX];

		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (de->d_type == DT_DIR)
			collect(path);
		else if (de->d_type == DT_REG)	/* a link may dangle */
			files[nfiles++] = strdup(path);
	}
	closedir(d);
}

/* keep @max of the @n names, evenly spread; return how many */
static int sample(char **names, int n, int max)
{
	int i;

	if (n <= max)
		return n;
	for (i = 0; i < max; i++)
		names[i] = names[(long)i * n / max];
	return max;
}

int main(int argc, char **argv)
{
	double t[3][16], start;
	int rounds = 5, max = MAXFILES, opt, r, i;
	char buf[4096];
	struct stat st;

	while ((opt = getopt(argc, argv, "r:n:")) != -1) {
		if (opt == 'r')
			rounds = atoi(optarg);
		if (opt == 'n')
			max = atoi(optarg);
	}
	if (optind != argc - 1 || rounds < 1 || rounds > 16 || max < 1) {
		fprintf(stderr, "usage: fsbench [-r rounds] [-n max] DIR\n");
		return 2;
	}
	collect(argv[optind]);
	if (!nfiles) {
		fprintf(stderr, "fsbench: no files under %s\n", argv[optind]);
		return 1;
	}
	nfiles = sample(files, nfiles, max);
	ndirs = sample(dirs, ndirs, max);
	for (r = 0; r < rounds; r++) {
		start = now_ns();
		for (i = 0; i < nfiles; i++)
			if (stat(files[i], &st))
				return 1;
		t[0][r] = (now_ns() - start) / nfiles;

		start = now_ns();
		for (i = 0; i < nfiles; i++) {
			int fd = open(files[i], O_RDONLY);

			if (fd < 0 || read(fd, buf, sizeof(buf)) < 0)
				return 1;
			close(fd);
		}
		t[1][r] = (now_ns() - start) / nfiles;

		start = now_ns();
		for (i = 0; i < ndirs; i++) {
			DIR *d = opendir(dirs[i]);

			if (!d)
				return 1;
			while (readdir(d))
				;
			closedir(d);
		}
		t[2][r] = (now_ns() - start) / ndirs;
	}
	printf("%.0f %.0f %.0f\n", median(t[0], rounds), median(t[1], rounds), median(t[2], rounds));
	return 0;
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The real workloads of `make bench`: gcc of a small project and tar x of
# a source tree, timed from inside (a view's start is not counted).
#
#   bench_work.sh init DIR        write the project to DIR/proj and the
#                                 tarball (the repository's sources) to
#                                 DIR/src.tar
#   bench_work.sh run ID DIR      build DIR/proj (gcc -O2, 4 units and a
#                                 link) and unpack DIR/src.tar into a fresh
#                                 DIR/x-ID; prints "wl.gcc.ID MS" and
#                                 "wl.tarx.ID MS"
set -u
now() { echo $(($(date +%s%N) / 1000000)); }

init() {
	local d=$1/proj i
	mkdir -p "$d"
	# Each unit includes the usual headers (a compiler's path work is
	# mostly looking them up) and has some code to optimise.
	for i in $(seq 1 3); do
		cat >"$d/u$i.c" <<-C
		#include <stdio.h>
		#include <stdlib.h>
		#include <string.h>
		#include <errno.h>
		#include <pthread.h>
		#include <sys/stat.h>
		#include <sys/types.h>
		#include <unistd.h>
		struct node$i { struct node$i *next; char name[32]; long v; };
		static int cmp$i(const void *a, const void *b)
		{
			const struct node$i *x = a, *y = b;
			return x->v < y->v ? -1 : x->v > y->v ? 1 : strcmp(x->name, y->name);
		}
		long unit$i(int n)
		{
			struct node$i *a = calloc(n, sizeof(*a));
			struct stat st;
			long s = 0;
			if (!a)
				return -errno;
			for (int k = 0; k < n; k++) {
				snprintf(a[k].name, sizeof(a[k].name), "n%d-%d", $i, k);
				a[k].v = (k * 2654435761u) % 1000;
			}
			qsort(a, n, sizeof(*a), cmp$i);
			for (int k = 0; k < n; k++)
				s += a[k].v * (k % 7) + strlen(a[k].name);
			if (stat(a[0].name, &st) == 0)
				s += st.st_size;
			free(a);
			return s;
		}
		C
	done
	{
		for i in $(seq 1 3); do echo "long unit$i(int n);"; done
		echo '#include <stdio.h>'
		echo 'int main(void) { long s = 0;'
		for i in $(seq 1 3); do echo "s += unit$i(100);"; done
		echo 'printf("%ld\n", s); return 0; }'
	} >"$d/main.c"
	local top
	top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
	tar cf "$1/src.tar" -C "$top" daemon include libvumod modules uapi
}

run() {
	local id=$1 d=$2 s g x
	rm -f "$d"/proj/*.o "$d/proj/prog" "$d/$id.err"
	s=$(now)
	(cd "$d/proj" && for c in *.c; do gcc -O2 -c "$c" || exit 1; done &&
		gcc -o prog ./*.o -lpthread) 2>>"$d/$id.err" || { echo "bench_work: gcc failed" >&2; return 1; }
	g=$(($(now) - s))
	rm -rf "$d/x-$id"
	mkdir "$d/x-$id"
	s=$(now)
	tar xf "$d/src.tar" -C "$d/x-$id" || return 1
	x=$(($(now) - s))
	rm -rf "$d/x-$id"
	echo "wl.gcc.$id $g"
	echo "wl.tarx.$id $x"
}

case ${1:-} in
init) init "$2" ;;
run) run "$2" "$3" ;;
*) echo "usage: bench_work.sh init DIR | run ID DIR" >&2; exit 2 ;;
esac

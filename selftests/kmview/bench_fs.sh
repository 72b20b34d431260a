#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Run inside a view by bench.sh: the file benchmarks of the same tree
# natively (outside any view: $BASE), in this view on the real path,
# through a vufs bind and through /unreal. Prints a table of ns per
# operation and the ratio to native.
set -u
top=$1 tree=$2 base=$3
fsb=$top/build/selftests/fsbench

. "$top/selftests/kmview/bench_ms.sh"

vu_insmod vufs unreal || exit 1
vumount -t vufs "$tree" /tmp/kmview-bench-bind || exit 1

read -r bs bo bg bf bt <<<"$base"
printf '%-34s %10s %10s %10s %8s %8s\n' "file calls (ns/op; 10 find, tar: ms)" stat open+read getdents find tar
row() {	# name dir
	local s o g f t
	read -r s o g <<<"$("$fsb" "$2")"
	f=$(ms find "$2")
	t=$(ms tar cf - "$2")
	printf '%-34s %10s %10s %10s %8s %8s\n' "$1" "$s" "$o" "$g" "$f" "$t"
	awk -v a="$s $o $g $f $t" -v b="$bs $bo $bg $bf $bt" 'BEGIN {
		split(a, x); split(b, y)
		printf "%-34s %10.2f %10.2f %10.2f %8.2f %8.2f\n", "  x native",
		       x[1] / y[1], x[2] / y[2], x[3] / y[3], x[4] / (y[4] ? y[4] : 1), x[5] / (y[5] ? y[5] : 1)
	}'
}
printf '%-34s %10s %10s %10s %8s %8s\n' "native, outside any view" "$bs" "$bo" "$bg" "$bf" "$bt"
row "in a view, real path" "$tree"
row "through a vufs bind" /tmp/kmview-bench-bind
row "through /unreal" "/unreal$tree"
vuumount /tmp/kmview-bench-bind

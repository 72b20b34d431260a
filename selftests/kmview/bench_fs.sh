#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_fs.sh ID DIR: the file benchmarks of one tree, as bench.sh runs
# them on every path to it (natively, in a view, through a vufs bind,
# /unreal, proot -b, bwrap --bind). Prints result lines for
# bench_table.awk: fs.stat.ID, fs.open.ID, fs.getdents.ID (ns per call,
# fsbench, on 1000 files and 1000 directories of the tree) and fs.find.ID, fs.tar.ID, fs.ls.ID (ms for find, tar c and
# ls -lR of DIR), fs.all.ID (the sum of the three).
set -u
id=$1 dir=$2
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$here/bench_ms.sh"

read -r s o g <<<"$("$here/../../build/selftests/fsbench" -r 3 -n 1000 "$dir")" || exit 1
[ -n "$g" ] || exit 1
f=$(ms find "$dir")
t=$(ms tar cf - "$dir")
l=$(ms ls -lR "$dir")
printf 'fs.%s.%s %s\n' stat "$id" "$s" open "$id" "$o" getdents "$id" "$g" \
	find "$id" "$f" tar "$id" "$t" ls "$id" "$l" all "$id" $((f + t + l))

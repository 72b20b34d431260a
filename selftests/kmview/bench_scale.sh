#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_scale.sh DIR: run in a view by bench.sh, the curves of `make bench`
# (scalebench prints them): the cost per call with 1, 10, 100 members at
# once, with 1, 100, 1000 vufs mounts, per entry of a directory of 1k, 10k,
# 100k entries listed through a bind, and of an fstat with 1, 100, 10k
# virtual files open. DIR holds what bench.sh made: small/file and the
# directories d1000, d10000, d100000. The native listings are bench.sh's.
set -u
d=$1
sb=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/selftests/scalebench
say() { echo "bench_scale: [${SECONDS}s] $*" >&2; }
vu_insmod vufs || exit 1
vumount -t vufs "$d/small" "$d/sbind" || exit 1
say "members"
"$sb" members members.getppid 20000 getppid 1 10 100 || exit 1
"$sb" members members.stat.real 2000 "stat:$d/small/file" 1 10 100 || exit 1
"$sb" members members.stat.bind 1000 "stat:$d/sbind/file" 1 10 100 || exit 1
say "mounts"
mkdir -p "$d/mnt"
"$sb" mounts mounts "$d/small" "$d/mnt" "$d/small/file" "$d/mnt/0/file" 1000 1 100 1000 || exit 1
say "directories"
for n in 1000 10000 100000; do
	vumount -t vufs "$d/d$n" "$d/dbind" || exit 1
	"$sb" list "dir.bind@$n" "$d/dbind" || exit 1
	vuumount "$d/dbind" || exit 1
done
say "virtual files"
# ro, nopassthrough: neither a redirect nor a real file handed over: each
# open is a virtual file of the daemon
vumount -t vufs -o ro,nopassthrough "$d/small" "$d/vbind" || exit 1
"$sb" vfiles vfiles "$d/vbind/file" 1000 1 100 10000 || exit 1
vuumount "$d/vbind"
vuumount "$d/sbind"

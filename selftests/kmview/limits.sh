#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The daemon's limits, as a workload meets them: thousands of virtual files
# open at once in a view (each holds a daemon fd), the mount count the
# kernel filter can hold, and more blocked calls than the pool once had
# workers.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-limits.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
mkdir -p "$S"
echo hello >"$S/a"
for i in $(seq 1 1000); do : >"$S/f$i"; done

kmv() { kmview -N -o "$LOG" "$@"; }

# ---- open files: 3 processes x 1000 placeholders, each a daemon fd ----
# Each process stays under its own soft limit (1024): only the daemon has
# them all, and it raised its own limit to the hard one.
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" || exit 1
	for p in 1 2 3; do
		( n=0
		  for i in $(seq 1 1000); do exec {fd}<"$2/m/f$i" && n=$((n + 1)) || break; done
		  echo "$n" >"$2/count$p.tmp" && mv "$2/count$p.tmp" "$2/count$p"
		  exec sleep 600 ) &
	done
	for p in 1 2 3; do while [ ! -e "$2/count$p" ]; do sleep 0.2; done; done
	echo $(cat "$2/count1" "$2/count2" "$2/count3")
	cat "$2/m/a"
	kill $(jobs -p)' sh "$S" "$T" 2>&1)
is "$out" "$(printf '1000 1000 1000\nhello')" "3000 virtual files open at once in a view"
is "$(kmv sh -c 'ulimit -Sn')" "$(ulimit -Sn)" "the command keeps the soft limit of open files"

# ---- mounts: one kernel prefix each; past what the kernel holds, ENOSPC ----
out=$(kmv bash -c 'vu_insmod vufs || exit 1
	n=0
	for i in $(seq 1 300); do vumount -t vufs "$1" "$2/m$i" 2>"$2/err" || break; n=$i; done
	echo "$n mounts"; grep -o "m248 type vufs: No space left on device" "$2/err"
	grep -c " $2/m[0-9]" /proc/mounts
	cat "$2/m1/a" "$2/m$n/a"
	vuumount "$2/m1" && vumount -t vufs "$1" "$2/again" && cat "$2/again/a"' sh "$S" "$T" 2>&1)
is "$out" "$(printf '247 mounts\nm248 type vufs: No space left on device\n247\nhello\nhello\nhello')" \
	"247 mounts, the 248th fails with ENOSPC, none is dropped; after a umount one fits again"
grep -q "a view has at most 247 mounts" "$LOG"
ok $? "the daemon says why"

# ---- the pool: more blocked calls than it once had workers (64) ----
mkfifo "$S/fifo"
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" || exit 1
	for i in $(seq 1 100); do cat "$2/m/fifo" >/dev/null & done
	sleep 2
	timeout 30 cat "$2/m/a" || echo "not served"
	exec 3>"$2/m/fifo"; exec 3>&-
	wait; echo "all readers done"' sh "$S" "$T" 2>&1)
is "$out" "$(printf 'hello\nall readers done')" \
	"100 opens of a FIFO wait in the daemon at once, and another member is served"

done_testing

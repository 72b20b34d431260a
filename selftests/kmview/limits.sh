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

done_testing

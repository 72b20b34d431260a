#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The cow benchmark, run by bench.sh as root in the test VM: one tree (the
# project's sources and a 64 MiB file) read and written three ways, each
# as the test user: natively, through a host overlayfs with the tree as
# its lower layer (mounted by root), and through a vufs cow mount of it
# in a view (the tree as the real layer, an empty SOURCE). Work: stat,
# open+read+close and getdents of every file and directory (fsbench,
# ns/op), ten `find` walks (ms), a sequential read of the 64 MiB file,
# which lives wholly in one layer (ms), a sequential write of a new one
# (ms), a `tar x` of the sources into the tree (ms). Warm caches: each
# read is done once before it is timed. Prints the table and the ratios
# to overlayfs (the issue's goal: reads within 1.5x of it).
set -u
top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
user=${KMVIEW_TEST_UID:-1000}
as_user=(setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp)
export PATH=$top/build/bin:$PATH

T=$(mktemp -d /tmp/kmview-bench-cow.XXXXXX)
O=$T/ovl
trap 'mountpoint -q "$O/merged" && umount -l "$O/merged"; rm -rf "$T"' EXIT
mkdir -p "$T/lower" "$T/cowsrc" "$O/upper" "$O/work" "$O/merged"
tar cf "$T/src.tar" -C "$top" modules daemon include
tar xf "$T/src.tar" -C "$T/lower"
head -c 64M /dev/urandom >"$T/lower/big"
chmod 755 "$T"
chown -R "$user:$user" "$T/lower" "$T/cowsrc" "$T/src.tar" "$O/upper"

# work DIR NAME: the seven figures, as the user, on DIR (the tree as this way shows it)
work='top=$1 D=$2 name=$3 tarball=$4
	. "$top/selftests/kmview/bench_ms.sh"
	cat "$D/big" >/dev/null
	read -r s o g <<<"$("$top/build/selftests/fsbench" "$D")"
	f=$(ms find "$D")
	r=$("$top/build/selftests/iobench" read "$D/big")
	w=$("$top/build/selftests/iobench" write "$D/w-$name" 64)
	a=$(date +%s%N)
	mkdir "$D/x-$name" && tar xf "$tarball" -C "$D/x-$name" && sync
	x=$((($(date +%s%N) - a) / 1000000))
	echo "$s $o $g $f $r $w $x"'

fmt='%-26s %8s %9s %9s %8s %8s %8s %8s\n'
row() { # NAME FIGURES
	local n=$1
	shift
	# shellcheck disable=SC2086,SC2059
	printf "$fmt" "$n" $*
}
ratio() { # NAME FIGURES BASE
	awk -v a="$2" -v b="$3" -v n="$1" 'BEGIN {
		split(a, x); split(b, y)
		printf "%-26s", n
		for (i = 1; i <= 7; i++)
			printf(i == 2 || i == 3 ? " %9.2f" : " %8.2f", x[i] / (y[i] ? y[i] : 1))
		printf "\n"
	}'
}

taskset_user=(taskset -c 0 "${as_user[@]}")
# shellcheck disable=SC2059
printf "$fmt" "cow tree (ns/op; ms)" stat open+read getdents "10 find" read64M write64M "tar x"
st=0
if mount -t overlay overlay -o "lowerdir=$T/lower,upperdir=$O/upper,workdir=$O/work" "$O/merged"; then
	ovl=$("${taskset_user[@]}" bash -c "$work" work "$top" "$O/merged" ovl "$T/src.tar")
	umount "$O/merged"
	row "host overlayfs" "$ovl"
else
	ovl=
	row "host overlayfs" "(cannot mount)"
fi
cow=$("${taskset_user[@]}" kmview -N bash -c 'vu_insmod vufs &&
	vumount -t vufs -o cow "$1/cowsrc" "$1/lower" || exit 1
	shift; bash -c "$@"' cow "$T" "$work" work "$top" "$T/lower" cow "$T/src.tar")
[ -n "$cow" ] || st=1
row "vufs cow in a view" "$cow"
[ -n "$ovl" ] && [ -n "$cow" ] && ratio "  x overlayfs" "$cow" "$ovl"
# native last: it writes into the tree itself
nat=$("${taskset_user[@]}" bash -c "$work" work "$top" "$T/lower" native "$T/src.tar")
row "native" "$nat"
[ -n "$cow" ] && ratio "  cow x native" "$cow" "$nat"
# the copies are in SOURCE, the tree has only what native wrote
[ -e "$T/cowsrc/w-cow" ] && ! [ -e "$T/lower/w-cow" ] || {
	echo "cow wrote outside its SOURCE"
	st=1
}
exit $st

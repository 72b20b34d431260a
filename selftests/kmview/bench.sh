#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`, in the test VM: the per-call costs side by side, as a table.
# Pinned to one CPU, as the figures of Documentation/design.md were.
top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
user=${KMVIEW_TEST_UID:-1000}
as_user=(setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp)
export PATH=$top/build/bin:$PATH

"${as_user[@]}" taskset -c 0 "$top/build/selftests/bench" "$@" || exit 1
echo

# File calls on a tree of 300 files in 30 directories: natively, then in a
# view on the real path, through a vufs bind and through /unreal.
tree=$(mktemp -d /tmp/kmview-bench-tree.XXXXXX)
for d in $(seq 1 30); do
	mkdir -p "$tree/d$d"
	for f in $(seq 1 10); do head -c $((d * 100 + f)) /dev/zero >"$tree/d$d/f$f"; done
done
chown -R "$user:$user" "$tree"
base="$("${as_user[@]}" taskset -c 0 "$top/build/selftests/fsbench" "$tree") \
$("${as_user[@]}" taskset -c 0 bash -c '. "$1"; echo $(ms find "$2") $(ms tar cf - "$2")' \
	bench "$top/selftests/kmview/bench_ms.sh" "$tree")"
"${as_user[@]}" taskset -c 0 kmview -N bash "$top/selftests/kmview/bench_fs.sh" "$top" "$tree" "$base"
st=$?
rm -rf "$tree"
echo

# An ext4 image through a loop mount, fuse2fs, fuseext2 (and vufuseext2 in
# a view): as root, which the loop mount and the kernel's FUSE need.
taskset -c 0 bash "$top/selftests/kmview/bench_ext2.sh" || st=1
echo; bash "$top/selftests/kmview/bench_cow.sh" || st=1
exit $st

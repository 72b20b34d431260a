#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fusereal and fusenull, the standalone builds of vufusereal and vufusenull
# (the same sources linked with libfuse3), under the kernel's FUSE, as root:
# the submodules' code runs unchanged as ordinary FUSE programs.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C

T=$(mktemp -d /tmp/kmview-kfuse.XXXXXX)
cleanup() {
	umount "$T/m" "$T/n" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

[ -e /dev/fuse ] || modprobe fuse 2>/dev/null
if [ ! -c /dev/fuse ] || ! grep -qw fuse /proc/filesystems; then
	skip "no /dev/fuse or no fuse file system in this kernel"
	done_testing
	exit
fi

mkdir -p "$T/src/dir" "$T/m" "$T/n"
echo hello >"$T/src/a"
fusereal "$T/src" "$T/m"
ok $? "fusereal mounts (and daemonizes)"
out=$(cat "$T/m/a"; ls "$T/m"; echo new >"$T/m/dir/f"; cat "$T/src/dir/f"; mv "$T/m/dir/f" "$T/m/g"
	ls "$T/src"; rm "$T/m/g"; stat -c %s "$T/m/a")
is "$out" "$(printf 'hello\na\ndir\nnew\na\ndir\ng\n6')" \
	"read, write, rename, rm, stat through the kernel's FUSE: the real directory"
grep -q " $T/m fuse" /proc/mounts
ok $? "the kernel's mount table has it"
umount "$T/m"
ok $? "umount"

fusenull "$T/n"
ok $? "fusenull mounts"
is "$(ls -a "$T/n"; mkdir "$T/n/d" 2>&1)" \
	"$(printf ".\n..\nmkdir: cannot create directory '%s': Function not implemented" "$T/n/d")" \
	"an empty root; mkdir is ENOSYS, as in vufuse"
umount "$T/n"
ok $? "umount"
fusereal "$T/missing" "$T/m" 2>/dev/null
[ $? -ne 0 ] && ! grep -q " $T/m " /proc/mounts
ok $? "fusereal with a missing source fails and mounts nothing"
done_testing

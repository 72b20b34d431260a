#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Symlinks inside a virtual tree, resolved by the daemon one component at
# a time as the kernel does: in the middle of a path, with ".." after
# them, chains and loops, and absolute targets, which are paths of the
# view: into the same mount, into another one, and back to real files.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-symlinks.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
W=$T/other
V=/kmview-nowhere/v
mkdir -p "$S/sub/deep" "$W"
echo hello >"$S/a"
echo inner >"$S/sub/b"
echo other >"$W/file"
ln -s sub "$S/ld"
ln -s sub/deep "$S/ldd"
ln -s ld/deep "$S/chain"
ln -s loop2 "$S/loop1"
ln -s loop1 "$S/loop2"
ln -s "$V/sub" "$S/abs"
ln -s /kmview-nowhere/w "$S/tow"
ln -s /etc "$S/toreal"

kmv() { kmview -N -o "$LOG" "$@"; }
in_view() {
	kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" && vumount -t vufs "$3" /kmview-nowhere/w ||
		exit 1; D=$2; '"$1" sh "$S" "$V" "$W" 2>&1
}
native() { bash -c 'D=$1; '"$1" sh "$S" 2>&1; }

same 'cat "$D/ld/b"; ls "$D/ld/"; stat -c %F "$D/ld" "$D/ld/"; ls "$D/chain"' \
	"a symlink in the middle of a path, a chain of them"
same 'ls "$D/ldd/.."; cat "$D/ldd/../b"' '".." after a symlink is the parent of its target'
same 'cd "$D/ld" && cat b && /bin/pwd -P | sed "s|.*/||"' "cd through a symlink"
same 'cat "$D/loop1/x"; cat "$D/loop1"; ls "$D/loop2/"' "a loop: ELOOP"
same 'cat "$D/a/"; cat "$D/a/."; ls -d "$D/sub/"; mkdir "$D/newdir/" && rmdir "$D/newdir/"' \
	"a trailing slash wants a directory"
is "$(in_view 'cat "$D/abs/b"; ls "$D/abs/"')" "$(printf 'inner\nb\ndeep')" \
	"an absolute target is a path of the view: into the same mount"
is "$(in_view 'cat "$D/tow/file"; readlink "$D/tow"')" "$(printf 'other\n/kmview-nowhere/w')" \
	"into another mount"
is "$(in_view 'head -c 5 "$D/toreal/os-release"')" "$(head -c 5 /etc/os-release)" \
	"and back to a real file"

grep -E 'ERROR' "$LOG" | sed 's/^/# daemon: /'
done_testing

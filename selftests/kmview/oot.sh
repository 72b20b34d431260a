#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# A module built out of the tree (oot/ootcat.c, built by oot/oot_build.sh
# against vumodule.h alone with Debian's default flags) loads in a view
# as an ordinary user, mounts, and nests: its own fopen64, open64 and
# __read_chk, stat64 and readdir64 on its source read an older vufs or
# unreal mount (paths that exist nowhere else). What it lacks is refused.
. "$(dirname "$0")/lib.sh"

OOT=$(cd "$(dirname "$0")/../../build/selftests/oot" 2>/dev/null && pwd)
T=$(mktemp -d /tmp/kmview-oot.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { KMVIEW_MODULE_PATH=$OOT kmview -N -o "$LOG" "$@"; }

if [ ! -e "$OOT/ootcat.so" ]; then
	skip "ootcat.so not built (make selftests)"
	done_testing
	exit
fi
mkdir -p "$T/src/sub"
printf 'first line\nsecond line\n' >"$T/src/f"
head -c 5000 /dev/urandom >"$T/src/sub/big"
ln -s f "$T/src/l"

out=$(kmv sh -c 'vu_insmod ootcat && vu_lsmod' 2>&1)
echo "$out" | grep -q '^ootcat: '
ok $? "vu_insmod of the out-of-tree module, as $(id -un)"

# ootcat on a vufs mount that exists only in the view
out=$(kmv sh -c 'vu_insmod vufs ootcat && vumount -t vufs "$1/src" /kmview-oot-a &&
	vumount -t ootcat /kmview-oot-a /kmview-oot-b || exit 1
	cat /kmview-oot-b/f; ls /kmview-oot-b; stat -c "%s %F" /kmview-oot-b/sub/big
	readlink /kmview-oot-b/l; cmp /kmview-oot-b/sub/big "$1/src/sub/big" && echo same' sh "$T" 2>&1)
is "$out" "$(printf 'first line\nsecond line\nf\nl\nsub\n5000 regular file\nf\nsame')" \
	"ootcat over a vufs mount: its fopen64/open64/__read_chk, stat64, readdir64 and readlink read it"

# and on unreal's /unreal
out=$(kmv sh -c 'vu_insmod unreal ootcat && vumount -t ootcat "/unreal$1/src" /kmview-oot-c &&
	cat /kmview-oot-c/f' sh "$T" 2>&1)
is "$out" "$(printf 'first line\nsecond line')" "ootcat over /unreal"

# the mount method's own stat64 of its source nests too: -x turns that off
out=$(KMVIEW_MODULE_PATH=$OOT kmview -N -x -o "$LOG" sh -c 'vu_insmod vufs ootcat &&
	vumount -t vufs "$1/src" /kmview-oot-a && vumount -t ootcat /kmview-oot-a /kmview-oot-b' \
	sh "$T" 2>&1)
echo "$out" | grep -q 'No such file or directory'
ok $? "kmview -x: its source is looked for in the real tree only (ENOENT)"

# what the module lacks: ENOSYS, and a log line; never run on a placeholder
out=$(kmv sh -c 'vu_insmod vufs ootcat && vumount -t vufs "$1/src" /kmview-oot-a &&
	vumount -t ootcat /kmview-oot-a /kmview-oot-b && chmod 644 /kmview-oot-b/f' sh "$T" 2>&1)
echo "$out" | grep -q 'Function not implemented'
ok $? "chmod on a module without the method: ENOSYS"
KMVIEW_MODULE_PATH=$OOT kmview -N -l 5 -o "$T/notice.log" sh -c 'vu_insmod vufs ootcat &&
	vumount -t vufs "$1/src" /kmview-oot-a && vumount -t ootcat /kmview-oot-a /kmview-oot-b &&
	chmod 644 /kmview-oot-b/f' sh "$T" >/dev/null 2>&1
grep -q 'chmod.* on virtual path .*/f is not served' "$T/notice.log"
ok $? "and the daemon says so in its log"
is "$(stat -c %a "$T/src/f")" "$(stat -c %a "$T/src/sub/big")" "the real file is untouched"

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vumount, vuumount and the vufs module: the life of a mount and its errors
# (the daemon survives each), and a vufs bind against the real tree: the
# same commands on SRC through the mount point and natively on a copy must
# print the same and leave the same tree.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-vufs.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
mkdir -p "$S/sub"
echo hello >"$S/a"

# kmview with the daemon's messages in $LOG, not mixed with the command's
kmv() { kmview -N -o "$LOG" "$@"; }

# ---- lifecycle ----
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-nowhere/v && cat /kmview-nowhere/v/a &&
	vuumount /kmview-nowhere/v && ls /kmview-nowhere/v' sh "$S" 2>&1)
echo "$out" | grep -q '^hello$' && echo "$out" | grep -q "cannot access '/kmview-nowhere/v'"
ok $? "vumount -t vufs on a mount point that does not exist, read through it, vuumount: gone"
is "$(kmv sh -c 'vu_insmod vufs && cd "$2" && vumount -t vufs src mnt && cat "$2/mnt/a"' sh "$S" "$T" 2>&1)" \
	"hello" "relative source and mount point"
is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufsxyz "$1" "$2/m" && cat "$2/m/a"' sh "$S" "$T" 2>&1)" \
	"hello" "type vufsxyz reaches vufs"
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" || exit 1
	exec 3<"$2/m/a"; vuumount "$2/m"; vu_rmmod vufs
	exec 3<&-; vuumount "$2/m" && vu_rmmod vufs && echo gone' sh "$S" "$T" 2>&1)
echo "$out" | grep -q "vuumount: $T/m: Device or resource busy" &&
	echo "$out" | grep -q 'vu_rmmod: vufs: Device or resource busy' && echo "$out" | grep -q '^gone$'
ok $? "EBUSY while a file is open (vuumount, and vu_rmmod while mounted), then both go"
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" || exit 1
	exec 3<"$2/m/a"; vuumount -d "$2/m" && cat <&3 && ls "$2/m"' sh "$S" "$T" 2>&1)
echo "$out" | grep -q '^hello$' && echo "$out" | grep -q "cannot access '$T/m'"
ok $? "vuumount -d while open: detached at once, the open file still reads"

# ---- errors: each clear, and the daemon serves on ----
errs=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" || exit 1
	vumount -t nosuchfs "$1" "$2"; echo "status $?"
	vumount -t nosuchfs "$1" "$2/m/x"; echo "status $?"
	vumount -t vufs "$2/missing" "$2/m3"; echo "status $?"
	vumount -t vufs "$1/a" "$2/m3"; echo "status $?"
	vumount -t vufs -o bogus "$1" "$2/m3"; echo "status $?"
	vumount -t vufs -o ro,,rw "$1" "$2/m3"; echo "status $?"
	vumount -x "$1" "$2/m3"; echo "status $?"
	vumount "$1"; echo "status $?"
	vuumount "$2/m/sub"; echo "status $?"
	cat "$2/m/a"' sh "$S" "$T" 2>&1)
chk() {
	echo "$errs" | grep -q -- "$1"
	local st=$?
	ok $st "$2"
	[ $st -eq 0 ] || echo "$errs" | sed 's/^/#   /'
}
chk "vumount: $S on $T type nosuchfs: Operation not permitted" \
	"an unknown type on a real mount point: the real mount(2), EPERM"
chk "vumount: $S on $T/m/x type nosuchfs: unknown file system type" \
	"an unknown type on a virtual mount point: ENODEV, said plainly"
chk "vumount: $T/missing on $T/m3 type vufs: No such file or directory" "a missing source: ENOENT"
chk "vumount: $S/a on $T/m3 type vufs: Not a directory" "a file as source: ENOTDIR"
chk "vumount: $S on $T/m3 type vufs: Invalid argument" "an unknown vufs option: EINVAL"
chk "vumount: bad option list 'ro,,rw'" "a malformed option list: a usage error"
chk "vumount: unknown option -x" "an unknown vumount option: a usage error"
chk "vumount: a source and a mount point are needed" "a missing operand: a usage error"
chk "vuumount: $T/m/sub: Invalid argument" "vuumount inside a mount, not a mount point: EINVAL"
is "$(echo "$errs" | grep -c '^status 1$')" 9 "each failed with status 1"
is "$(echo "$errs" | tail -n 1)" "hello" "and the daemon serves on"
grep -q 'vufs: unknown option "bogus"' "$LOG"
ok $? "the daemon's log says which option vufs refused"
out=$(vumount -t vufs "$S" "$T/m" 2>&1)
st=$?
[ $st -ne 0 ] && echo "$out" | grep -q 'vumount: not running in a kmview view'
ok $? "vumount outside a view fails clearly"
out=$(vuumount "$T/m" 2>&1)
st=$?
[ $st -ne 0 ] && echo "$out" | grep -q 'vuumount: not running in a kmview view'
ok $? "vuumount outside a view fails clearly"

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The file calls that move data between fds, openat2, close_range and
# ioctl on virtual files, as users make them: cp, cat, python's os
# functions and vcalls (a small C program), through a vufs bind and
# /unreal, compared with the same commands on real files. The vufs
# binds are mounted -o nopassthrough: the calls under test are the
# daemon's, on placeholders (through /unreal, files are passed through).
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-calls.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
mkdir -p "$S" "$T/nat" "$T/r1" "$T/r2" "$T/v"
head -c 1000000 /dev/urandom >"$S/big"
echo hello >"$S/a"
VC=$(cd "$(dirname "$0")/../../build/selftests" && pwd)/vcalls
PY=/usr/bin/python3
XF=$(cd "$(dirname "$0")" && pwd)/xfer.py

# -l 5: the refusals are notices
kmv() { kmview -N -l 5 -o "$LOG" "$@"; }

# ---- cp (coreutils 9.1 tries copy_file_range first) and cat ----
kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && cp "$2/m/big" "$2/from-bind" &&
	cp "$1/big" "$2/m/to-bind" && cp "$2/m/big" "$2/m/within"' sh "$S" "$T"
cmp -s "$S/big" "$T/from-bind"
ok $? "cp from a vufs bind to a real file"
cmp -s "$S/big" "$S/to-bind"
ok $? "cp from a real file into a vufs bind"
cmp -s "$S/big" "$S/within"
ok $? "cp within a vufs bind"
kmv sh -c 'vu_insmod unreal && cp "/unreal$1/big" "$2/from-unreal" && cp "$1/big" "/unreal$2/to-unreal"' \
	sh "$S" "$T"
cmp -s "$S/big" "$T/from-unreal" && cmp -s "$S/big" "$T/to-unreal"
ok $? "cp from and to /unreal"
is "$(kmv sh -c 'vu_insmod unreal && cat "/unreal$1/big" | md5sum' sh "$S")" "$(md5sum <"$S/big")" \
	"cat of a virtual file"
! grep -q "copy_file_range with a virtual file" "$LOG"
ok $? "no copy_file_range was refused (the real ends are regular files)"
# the daemon's debug lines name each call it gets: cp's copy_file_range is one of them
kmview -N -d s -l 7 -o "$T/debug.log" sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" &&
	cp "$2/m/big" "$2/from-bind2"' sh "$S" "$T"
n=$(grep -c "syscall 326 " "$T/debug.log")  # copy_file_range on x86-64
cmp -s "$S/big" "$T/from-bind2" && [ "$n" -ge 4 ]
ok $? "cp copies 1 MB with copy_file_range served by the daemon ($n calls of 256 KiB at most)"

# ---- python: sendfile, copy_file_range, splice ----
want=$($PY "$XF" same "$T/nat" "$T/r1" 2>&1)
got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && exec "$3" "$4" same "$2/m" "$2/r2"' \
	sh "$T/v" "$T" "$PY" "$XF" 2>&1)
is "$got" "$want" "os.sendfile and os.copy_file_range on virtual files: as on real files"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
for f in out rw app; do
	cmp -s "$T/nat/$f" "$T/v/$f"
	ok $? "  and the virtual file $f has the same content"
done
cmp -s "$T/r1/real" "$T/r2/real"
ok $? "  and the real file written by sendfile too"
got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && exec "$3" "$4" refused "$2/m"' \
	sh "$T/v" "$T" "$PY" "$XF" 2>&1)
is "$got" "sendfile to a pipe: EINVAL
splice to a pipe: EINVAL
splice from a pipe: EINVAL
splice between virtual files: EINVAL
the pipe still holds: b'xy'" "with a pipe at the other end: EINVAL, nothing moved"
grep -q "splice with a virtual file: a splice with a pipe is not served: EINVAL" "$LOG"
ok $? "  and the daemon says why in its log"

# ---- the offsets written back ----
want=$("$VC" offsets "$S/a" "$T/nat/off" 2>&1)
got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && "$3" offsets "$2/m/a" "$2/m/off"' \
	sh "$S" "$T" "$VC" 2>&1)
is "$got" "$want" "copy_file_range and sendfile write back their offsets as on real files"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
cmp -s "$T/nat/off" "$S/off"
ok $? "  and write the same bytes"

# ---- openat2 ----
want=$("$VC" openat2 "$S/a" "$T/nat/new" 2>&1 |
	sed -e 's/^RESOLVE_NO_SYMLINKS: .*/RESOLVE_NO_SYMLINKS: ENOSYS/' \
	    -e 's/^RESOLVE_CACHED: .*/RESOLVE_CACHED: EAGAIN/')
got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && "$3" openat2 "$2/m/a" "$2/m/new"' \
	sh "$S" "$T" "$VC" 2>&1)
is "$got" "$want" "openat2 on a virtual path: open_how checked, flags and mode honoured, resolve flags refused"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
is "$(stat -c %a "$S/new")" "644" "  the file it created, with the mode asked less the umask"
grep -q "openat2 of virtual path $T/m/a with resolve flags 0x4 is not served: ENOSYS" "$LOG"
ok $? "  the refusal is in the daemon's log"
got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && "$3" openat2 "$4/a" "$2/r1/new2"' \
	sh "$S" "$T" "$VC" "$S" 2>&1)
echo "$got" | grep -qx "RESOLVE_NO_SYMLINKS: [0-9]*" && echo "$got" | grep -qx "plain: read hello"
ok $? "openat2 on a real path in a view: native, resolve flags and all" ||
	echo "$got" | sed 's/^/#   /'


# ---- close_range over placeholders: the kernel closes them ----
got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && "$3" close_range "$2/m" "$2/m/a"' \
	sh "$S" "$T" "$VC" 2>&1)
is "$got" "umount2 while open: EBUSY
close_range: 0
read after close_range: EBADF
read after close_range: EBADF
read after close_range: EBADF
close_range CLOEXEC: 0
FD_CLOEXEC: 1
read after CLOEXEC: 1
umount2 with one open: EBUSY
umount2 after close: 0" "close_range closes virtual fds (EBADF after, and the daemon released them: umount2 works)"

# ---- ioctl ----
want=$("$VC" ioctl "$S/big" 2>&1)
got=$(kmv sh -c 'vu_insmod unreal && "$2" ioctl "/unreal$1/big"' sh "$S" "$VC" 2>&1)
is "$got" "$want" "ioctl FIONREAD, FIOQSIZE, FIGETBSZ, FIONBIO, FIOCLEX, FIOASYNC, TCGETS: as on the real file"
[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'

# ---- the old getdents(2): modules answer getdents64, the daemon rewrites ----
want=$("$VC" getdents "$S" 2>&1 | sort)
got=$(kmv sh -c 'vu_insmod unreal && "$2" getdents "/unreal$1"' sh "$S" "$VC" 2>&1 | sort)
is "$got" "$want" "the old getdents of a virtual directory: the same names and types as on the real one"

# ---- extended attributes: set, get, list, remove, as on the real file ----
# (tmpfs has user xattrs from 6.6 on: before, both sides say ENOTSUP)
XA='import os, sys
p = sys.argv[1]
for step in ("set", "get", "list", "create", "remove", "get", "remove"):
    try:
        if step == "set": os.setxattr(p, "user.k", b"v")
        elif step == "create": os.setxattr(p, "user.k", b"w", os.XATTR_CREATE)
        elif step == "get": print(os.getxattr(p, "user.k"))
        elif step == "list": print(os.listxattr(p))
        else: os.removexattr(p, "user.k")
    except OSError as e:
        print(step, os.strerror(e.errno))'
echo x >"$S/xa"
echo x >"$T/xa-native"
is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" && "$3" -c "$4" "$2/m/xa"' \
	sh "$S" "$T" "$PY" "$XA" 2>&1)" "$($PY -c "$XA" "$T/xa-native" 2>&1)" \
	"setxattr, getxattr, listxattr, removexattr through a vufs bind: as on a real file"

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# the daemon's log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

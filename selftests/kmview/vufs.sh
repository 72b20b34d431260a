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
# nopassthrough: a regular file passed through would hold nothing (fdpass.sh)
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" || exit 1
	exec 3<"$2/m/a"; vuumount "$2/m"; vu_rmmod vufs
	exec 3<&-; vuumount "$2/m" && vu_rmmod vufs && echo gone' sh "$S" "$T" 2>&1)
echo "$out" | grep -q "vuumount: $T/m: Device or resource busy" &&
	echo "$out" | grep -q 'vu_rmmod: vufs: Device or resource busy' && echo "$out" | grep -q '^gone$'
ok $? "EBUSY while a file is open (vuumount, and vu_rmmod while mounted), then both go"
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2/m" || exit 1
	exec 3<"$2/m/a"; vuumount -d "$2/m" && cat <&3 && ls "$2/m"' sh "$S" "$T" 2>&1)
echo "$out" | grep -q '^hello$' && echo "$out" | grep -q "cannot access '$T/m'"
ok $? "vuumount -d while open: detached at once, the open file still reads"

out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o except=/sub "$1" "$2/m" && cat "$2/m/a" &&
	ls "$2/m/sub"' sh "$S" "$T" 2>&1)
echo "$out" | grep -q '^hello$' && echo "$out" | grep -q "cannot access '$T/m/sub'"
ok $? "-o except=/sub: the rest is the source, sub is the real (missing) one"

out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1/a" /etc/hostname && vumount -t vufs "$1/a" /kmview-nowhere/f &&
	cat /etc/hostname && echo more >>/kmview-nowhere/f && cat "$1/a" && stat -c %F /kmview-nowhere/f &&
	cat /kmview-nowhere/f/x' sh "$S" 2>&1)
is "$out" "$(printf 'hello\nhello\nmore\nregular file\ncat: /kmview-nowhere/f/x: Not a directory')" \
	"a regular file as mount point: over a real file, and where nothing is"
echo hello >"$S/a"

# ---- errors: each clear, and the daemon serves on ----
errs=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" || exit 1
	vumount -t nosuchfs "$1" "$2"; echo "status $?"
	vumount -t nosuchfs "$1" "$2/m/x"; echo "status $?"
	vumount -t vufs "$2/missing" "$2/m3"; echo "status $?"
	vumount -t vufs "$1/a" "$2"; echo "status $?"
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
chk "vumount: $S/a on $T type vufs: Not a directory" "a file on a directory: ENOTDIR"
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

# ---- the differential test: the same changes natively and through vufs ----
B=$T/base
mkdir -p "$B/sub/deeper" "$B/empty"
printf 'hello\nworld\n' >"$B/a"
printf 'bee\n' >"$B/sub/b"
head -c 300000 /dev/urandom >"$B/big"
ln -s a "$B/rel"
chmod 600 "$B/sub/b"
cp -a "$B" "$T/native"
cp -a "$B" "$T/vsrc"
cp -a "$B" "$T/vsrc2"

# The same commands under root $1; every path printed is relative to it.
cat >"$T/mutate.sh" <<'MUTATE'
R=$1
{
echo "== ls"; ls -lnR --time-style=+ "$R"
echo "== chmod"; chmod 640 "$R/a"; chmod 700 "$R/sub"; chmod u+x "$R/rel"
chmod 644 "$R/missing"; stat -c '%n %a' "$R/a" "$R/sub" "$R/rel" "$R/rel" "$R/big"
echo "== touch"; touch -d '2020-01-02 03:04:05.123456789' "$R/a"; touch -h -d @1000000000 "$R/rel"
touch -m -d @1234567890 "$R/sub/b"; touch "$R/new"; touch -d @1 "$R/missingdir/x"
stat -c '%n %Y %y' "$R/a" "$R/sub/b"; stat -c '%n %Y' "$R/rel"; stat -L -c '%n %X' "$R/rel"
echo "== truncate"; truncate -s 3 "$R/a"; truncate -s 10000 "$R/big"; truncate -s 5 "$R/missing"
stat -c '%n %s' "$R/a" "$R/big" "$R/missing"; cat "$R/a"; echo
echo "== ln -s"; ln -s a "$R/sl"; ln -s /nowhere "$R/sl2"; ln -s sub/b "$R/sub/sl3"; ln -s a "$R/sl"
readlink "$R/sl" "$R/sl2" "$R/sub/sl3"; cat "$R/sl"; echo
echo "== ln"; ln "$R/a" "$R/hard"; ln "$R/missing" "$R/x"; ln "$R/sub" "$R/dirlink"
stat -c '%n %h' "$R/a" "$R/hard"
echo "== mkdir"; mkdir "$R/d1" "$R/d1/d2"; mkdir "$R/d1"; mkdir -m 711 "$R/d4"; mkdir "$R/no/such"
stat -c '%n %a %F' "$R/d1" "$R/d1/d2" "$R/d4"
echo "== mv"; mv "$R/new" "$R/d1/new2"; mv "$R/d1" "$R/d3"; mv "$R/missing" "$R/y"
mv "$R/sub/b" "$R/b2"; ls -R "$R/d3"
echo "== rm"; rm "$R/hard"; rm "$R/missing"; rm -r "$R/d4"; rmdir "$R/sub"; rm -rf "$R/d3/d2"
# not mkfifo -m: glibc's lchmod goes through /proc/self/fd/N, which the
# kernel does not forward for a placeholder (a known limit)
echo "== mkfifo"; mkfifo "$R/fifo"; chmod 600 "$R/fifo"; stat -c '%n %F %a' "$R/fifo"
mkfifo "$R/fifo"
echo "== chown"; chown "$(id -u):$(id -g)" "$R/a" && echo "chown to myself ok"; chown 0 "$R/a"
chgrp "$(id -g)" "$R/sub" && echo "chgrp ok"
echo "== sync"; sync "$R/a" && echo synced
# df's fstype is the mount table's: vufs in the view (procmounts.sh checks it)
echo "== statfs"; stat -f -c '%T %b %S' "$R" "$R/a"; df --output=size "$R/a" | tail -n 1
echo "== vector io"; python3 - "$R/vec" <<'PY'
import os, sys
p = sys.argv[1]
fd = os.open(p, os.O_RDWR | os.O_CREAT, 0o644)
print(os.writev(fd, [b"ab", b"", b"cdef"]), os.pwritev(fd, [b"XY", b"Z"], 1))
os.lseek(fd, 0, 0)
a, b = bytearray(2), bytearray(10)
print(os.readv(fd, [a, b]), bytes(a), bytes(b))
c = bytearray(3)
print(os.preadv(fd, [c], 2), bytes(c))
os.fsync(fd); os.fdatasync(fd); os.ftruncate(fd, 4); os.fchmod(fd, 0o600)
os.utime(fd, ns=(5000000000, 6000000000))
st = os.fstat(fd)
print(st.st_size, oct(st.st_mode), st.st_mtime_ns)
print(os.fstatvfs(fd).f_bsize > 0)
os.close(fd)
PY
echo "== after"; ls -lnR --time-style=+ "$R"; find "$R" | sort; md5sum "$R/big" "$R/a" "$R/vec"
} 2>&1 | sed "s|$R|R|g"
MUTATE

native=$(kmv bash "$T/mutate.sh" "$T/native" 2>&1)
virt=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" && exec bash "$3" "$2"' sh \
	"$T/vsrc" "$T/mnt" "$T/mutate.sh" 2>&1)
if [ "$native" = "$virt" ]; then
	ok 0 "chmod, touch, truncate, ln -s, ln, mkdir, mv, rm, mkfifo, chown, sync, statfs, readv/writev: the same through vufs"
else
	ok 1 "chmod, touch, truncate, ln -s, ln, mkdir, mv, rm, mkfifo, chown, sync, statfs, readv/writev: the same through vufs"
	diff <(echo "$native") <(echo "$virt") | sed 's/^/#   /' | head -60
fi
echo "$native" | grep -q 'chown to myself ok'
ok $? "the script itself ran"
tree() { (cd "$1" && find . -printf '%P %y %m %s %n %l\n' | sort && md5sum big a vec); }
is "$(tree "$T/vsrc")" "$(tree "$T/native")" "and the source tree is left as the native run left the copy"
# again with placeholders: the fd calls served by the daemon (fd passthrough off)
virt=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2" && exec bash "$3" "$2"' \
	sh "$T/vsrc2" "$T/mnt" "$T/mutate.sh" 2>&1)
if [ "$native" = "$virt" ]; then
	ok 0 "the same through vufs -o nopassthrough (placeholders)"
else
	ok 1 "the same through vufs -o nopassthrough (placeholders)"
	diff <(echo "$native") <(echo "$virt") | sed 's/^/#   /' | head -60
fi
is "$(tree "$T/vsrc2")" "$(tree "$T/native")" "and the source tree is left the same"

# ---- nesting: a vufs bind whose source is inside another vufs bind ----
N=$T/nest
mkdir -p "$N/inner/deep"
echo nested >"$N/inner/deep/f"
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-a &&
	vumount -t vufs /kmview-a/inner /kmview-b || exit 1
	cat /kmview-b/deep/f; echo new >/kmview-b/deep/g; ls /kmview-b/deep; cat "$1/inner/deep/g"
	stat -c "%s %F" /kmview-b/deep/g; mkdir /kmview-b/d; mv /kmview-b/deep/g /kmview-b/d/h
	ls "$1/inner/d"; rm /kmview-b/d/h; rmdir /kmview-b/d
	exec 3</kmview-b/deep/f; vuumount /kmview-a; exec 3<&-
	vuumount /kmview-b && vuumount /kmview-a && echo both gone' sh "$N" 2>&1)
is "$(echo "$out" | tr '\n' ' ')" "nested f g new 4 regular file h vuumount: /kmview-a: Device or resource busy both gone " \
	"nesting: read, create, list, stat, mkdir, rename, unlink through a bind of a bind; the inner mount is busy while a file through it is open"
[ ! -e "$N/inner/d" ] && [ ! -e "$N/inner/deep/g" ]
ok $? "and the real tree shows the changes"
out=$(kmview -N -x -o "$LOG" sh -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-a &&
	vumount -t vufs /kmview-a/inner /kmview-b' sh "$N" 2>&1)
echo "$out" | grep -q 'vumount: /kmview-a/inner on /kmview-b type vufs: No such file or directory'
ok $? "kmview -x: no nesting, the module sees the real tree only"

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

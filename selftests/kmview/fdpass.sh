#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Fd passthrough: a regular file opened through vufs or unreal (modules with
# VU_MODULE_FDPASS) is the real file in the member, so the kernel's fd link
# names the real path; with -o nopassthrough, on a read-only mount, for a
# directory and through nesting it stays a placeholder. The links are read
# as /proc/PID/fd/N: /proc/self/fd/N of a placeholder reads as its path in
# the view (daemon/core/fdlink.h), which would hide what the member holds. The same file
# operations natively, passed through and through placeholders must give
# the same results, and locks on a passed file are the real ones.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-fdpass.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
mkdir -p "$S/sub"
printf 'hello\n' >"$S/a"
PLACEHOLDER='anon_inode:[kmview]'

kmv() { kmview -N $KMV_ARGS -o "$LOG" "$@"; }
# kmv_vufs OPTS CMD [ARG...]: in a view with SRC mounted by vufs at $mnt
# ($T/m; with -o OPTS unless ""), run the bash command CMD with the ARGs
# as "$@"; $src is SRC.
kmv_vufs() {
	kmv bash -c 'o=$1 src=$2 mnt=$3 cmd=$4; shift 4
		vu_insmod vufs && vumount -t vufs ${o:+-o "$o"} "$src" "$mnt" || exit 1
		eval "$cmd"' sh "$1" "$S" "$T/m" "${@:2}"
}
PY=$(command -v /usr/bin/python3 || command -v python3 || true)
export PY

# ---- what the member holds ----
is "$(kmv_vufs "" 'exec 3<"$mnt/a"; readlink /proc/$$/fd/3' 2>&1)" "$S/a" \
	"a regular file through vufs: /proc/self/fd names the real file"
is "$(kmv_vufs nopassthrough 'exec 3<"$mnt/a"; readlink /proc/$$/fd/3' 2>&1)" "$PLACEHOLDER" \
	"-o nopassthrough: a placeholder"
is "$(kmv_vufs "" 'exec 3<"$mnt/sub"; readlink /proc/$$/fd/3' 2>&1)" "$PLACEHOLDER" \
	"a directory stays a placeholder"
is "$(kmv bash -c 'vu_insmod vufs && vumount -r -t vufs "$1" "$2" || exit 1
	exec 3<"$2/a"; readlink /proc/$$/fd/3' sh "$S" "$T/m" 2>&1)" "$PLACEHOLDER" \
	"a read-only mount keeps its files virtual"
is "$(kmv bash -c 'vu_insmod unreal && exec 3<"/unreal$1/a"; readlink /proc/$$/fd/3' sh "$S" 2>&1)" \
	"$S/a" "a regular file through /unreal: the real file"
is "$(kmv_vufs "" 'exec 3<>"$mnt/new"; readlink /proc/$$/fd/3; stat -c %s "$src/new"' 2>&1 |
	tr '\n' ' ')" "$S/new 0 " "a file created by the open is passed too"
rm -f "$S/new"
if [ -n "$PY" ]; then
	is "$(kmv_vufs "" '"$PY" - "$mnt/a" "$src/a" <<"PY"
import ctypes, fcntl, os, sys
libc = ctypes.CDLL(None, use_errno=True)
plain = libc.open(sys.argv[1].encode(), os.O_RDONLY)
cloexec = os.open(sys.argv[1], os.O_RDONLY | os.O_CLOEXEC)
for fd in (plain, cloexec):
    link = os.readlink("/proc/%d/fd/%d" % (os.getpid(), fd))
    print(link == sys.argv[2] or link, fcntl.fcntl(fd, fcntl.F_GETFD))
PY' 2>&1 | tr '\n' ' ')" "True 0 True 1 " "FD_CLOEXEC only if the open asked for O_CLOEXEC"
	opath='"$PY" -c "
import os, sys
fd = os.open(sys.argv[1], os.O_PATH)
print(os.readlink(\"/proc/%d/fd/%d\" % (os.getpid(), fd)), os.fstat(fd).st_size)
" "$mnt/a"'
	# the kernel redirects a bind's paths to the real tree (redirect.sh)
	is "$(kmv_vufs "" "$opath" 2>&1)" "$S/a 6" "an O_PATH open of a bind is the kernel's own, on the real file"
	is "$(KMV_ARGS=-R kmv_vufs "" "$opath" 2>&1)" "$PLACEHOLDER 6" \
		"... without the redirect (-R) a placeholder (the daemon cannot pass an O_PATH file)"
else
	skip "no python3"
	skip "no python3"
	skip "no python3"
fi

# ---- the same results natively, passed through and through placeholders ----
head -c 200000 /dev/urandom >"$S/big"
seq 1 50 >"$S/lines"
cp -a "$S" "$T/base"
cat >"$T/ops.sh" <<'OPS'
R=$1
{
echo "== cat"; cat "$R/a" "$R/lines" | md5sum
echo "== cp"; cp "$R/big" "$R/big2" && cmp "$R/big" "$R/big2" && md5sum <"$R/big2"
echo "== dd seek"; printf 'XY' | dd of="$R/a" bs=1 seek=2 conv=notrunc status=none; od -c "$R/a"
dd if="$R/big" bs=1000 skip=7 count=3 status=none | md5sum
printf 'Z' | dd of="$R/sparse" bs=1 seek=5000 status=none; stat -c %s "$R/sparse"
echo "== append"; echo one >>"$R/a"; echo two >>"$R/a"; cat "$R/a"
echo "== shared offset"; { read -r l1; (read -r l2; echo "$l2"); read -r l3; echo "$l1 $l3"; } <"$R/lines"
echo "== concurrent"
for w in 1 2 3; do (for i in $(seq 1 200); do echo "writer $w line $i"; done >>"$R/log") & done
(for i in $(seq 1 30); do cat "$R/big" >/dev/null; done) &
wait; sort "$R/log" | md5sum; wc -l <"$R/log"; rm "$R/log"
echo "== read and write one fd"; exec 4<>"$R/rw"; echo first >&4; cat <&4; echo second >&4
exec 4<&-; cat "$R/rw"
echo "== truncate by fd"; : >"$R/a"; stat -c %s "$R/a"
echo "== flock"; flock -n "$R/lines" -c "flock -n '$R/lines' -c true || echo busy"
echo "== mmap"; "$PY" - "$R/big2" <<'PY'
import hashlib, mmap, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
m = mmap.mmap(fd, 0)
print(hashlib.md5(m[:]).hexdigest())
m[0:4] = b"MMAP"; m.flush(); m.close(); os.close(fd)
print(open(sys.argv[1], "rb").read(4))
PY
echo "== after"; ls -l --time-style=+ "$R" | sed 's/^total.*//'; md5sum "$R"/* 2>&1
} 2>&1 | sed "s|$R|R|g"
OPS
if [ -z "$PY" ]; then
	skip "no python3"
	skip "no python3"
else
	cp -a "$T/base" "$T/native"
	native=$(kmv bash "$T/ops.sh" "$T/native" 2>&1)
	for opts in "" nopassthrough; do
		rm -rf "$S"
		cp -a "$T/base" "$S"
		virt=$(kmv_vufs "$opts" 'exec bash "$1" "$mnt"' "$T/ops.sh" 2>&1)
		name="cat, cp, dd with seek, append, a shared offset, concurrent writers, flock, mmap: the same through vufs${opts:+ -o $opts}"
		if [ "$native" = "$virt" ]; then
			ok 0 "$name"
		else
			ok 1 "$name"
			diff <(echo "$native") <(echo "$virt") | sed 's/^/#   /' | head -40
		fi
	done
	echo "$native" | grep -q '^busy$' && echo "$native" | grep -q "^b'MMAP'$"
	ok $? "the script itself ran"
fi

# ---- locks on a passed file are the real ones ----
rm -rf "$S"
cp -a "$T/base" "$S"
exec 7<"$S/a"
flock 7
is "$(kmv_vufs "" 'flock -n "$mnt/a" true; echo "flock $?"' 2>&1)" "flock 1" \
	"flock: a lock held outside the view is seen through a passed file"
flock -u 7
exec 7<&-
if [ -n "$PY" ]; then
	"$PY" -c 'import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
open(sys.argv[2], "w").close()
time.sleep(30)' "$S/a" "$T/locked" &
	holder=$!
	for _ in $(seq 50); do [ -e "$T/locked" ] && break; sleep 0.1; done
	got=$(kmv_vufs "" '"$PY" -c "
import errno, fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
try:
    fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    print(\"locked\")
except OSError as e:
    print(errno.errorcode[e.errno])
print(fcntl.fcntl(fd, fcntl.F_GETFL) & os.O_ACCMODE == os.O_RDWR)
" "$mnt/a"' 2>&1 | tr '\n' ' ')
	is "$got" "EAGAIN True " "fcntl locks (refused on a placeholder) are real on a passed file"
	kill $holder
	wait $holder 2>/dev/null
	got=$(kmv_vufs "" '"$PY" -c "
import fcntl, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
fcntl.lockf(fd, fcntl.LOCK_EX)
fcntl.lockf(fd, fcntl.LOCK_UN)
print(\"ok\")
" "$mnt/a"' 2>&1)
	is "$got" "ok" "a blocking fcntl lock that is free is taken at once"
else
	skip "no python3"
	skip "no python3"
fi

# ---- the mount and the module do not hold a passed file ----
out=$(kmv_vufs "" 'exec 3<"$mnt/a"; vuumount "$mnt" && echo unmounted; cat <&3; ls "$mnt/a"' 2>&1)
echo "$out" | grep -q '^unmounted$' && echo "$out" | grep -q '^hello$' &&
	echo "$out" | grep -q "cannot access '$T/m/a'"
ok $? "vuumount while a passed file is open: done, the file still reads"
out=$(kmv bash -c 'vu_insmod unreal; exec 3<"/unreal$1/a"; vu_rmmod unreal && echo removed; cat <&3' sh "$S" 2>&1)
is "$(echo "$out" | tr '\n' ' ')" "removed hello " "vu_rmmod unreal while a passed file is open: done, it still reads"

# ---- nesting: the outer module's fd stands for the inner file ----
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-fa && vumount -t vufs /kmview-fa/sub /kmview-fb || exit 1
	echo nested >/kmview-fb/f; exec 3</kmview-fb/f; readlink /proc/$$/fd/3; cat <&3
	exec 4</kmview-fa/sub/f; readlink /proc/$$/fd/4' sh "$S" 2>&1)
is "$(echo "$out" | tr '\n' ' ')" "$PLACEHOLDER nested $S/sub/f " \
	"through a bind of a bind: a placeholder (the inner mount passes its own)"
if [ -n "$PY" ]; then
	is "$(kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-fa &&
		vumount -t vufs /kmview-fa/sub /kmview-fb || exit 1
		"$PY" -c "import mmap, os; fd = os.open(\"/kmview-fb/f\", os.O_RDONLY); print(mmap.mmap(fd, 0, prot=mmap.PROT_READ)[:])"' \
		sh "$S" 2>&1)" "b'nested\\n'" "mmap of a nested file maps a copy"
else
	skip "no python3"
fi

# ---- mmap of a file that is not the module's own fd: a copy ----
if [ -n "$PY" ]; then
	got=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-fa &&
		vumount -t vufs /kmview-fa/sub /kmview-fb || exit 1
		echo copy >/kmview-fb/g; "$PY" -c "
import mmap, os
fd = os.open(\"/kmview-fb/g\", os.O_RDWR)
m = mmap.mmap(fd, 0, mmap.MAP_PRIVATE, mmap.PROT_READ | mmap.PROT_WRITE); m[0:1] = b\"C\"; print(m[:])
try:
    mmap.mmap(fd, 0)
except OSError as e:
    print(os.strerror(e.errno))
"; cat /kmview-fb/g' sh "$S" 2>&1)
	is "$got" "$(printf '%s\n' "b'Copy\\n'" "No such device" "copy")" \
		"through a bind of a bind: a private mapping of a copy; shared writable: ENODEV"
else
	skip "no python3"
fi

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

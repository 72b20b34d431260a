#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The fuse module: a virtual /dev/fuse, on which unmodified FUSE servers
# mount inside a view as an ordinary user: fusehello (libfuse3, written
# for this test), fuse2fs and bindfs (libfuse2), squashfuse (libfuse3),
# in the foreground (-f) and daemonized. Unmount with fusermount(3) -u and
# vuumount; the server's death (kill -9) fails a blocked client with
# ENOTCONN and unmounts; bad mount data is EINVAL with a log line.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-devfuse.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { timeout 60 kmview -N -l 6 -o "$LOG" "$@"; }
# the daemon's log of the last view, shown when a test fails
showlog() { [ "$tap_fail" = "$1" ] || sed 's/^/#   log: /' "$LOG" | tail -n 30; : >"$LOG"; }
HELLO=$(cd "$(dirname "$(command -v kmview)")/../selftests" && pwd)/fusehello
M=$T/mnt
mkdir -p "$M"
export M HELLO
# wait_for PATH: up to 10 s for PATH to exist (a daemonized server's mount)
WAIT='wait_for() { i=0; while [ ! -e "$1" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; }
# gone NAME: up to 10 s for the process NAME of this user to exit
gone() { i=0; while pgrep -u "$(id -u)" -x "$1" >/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
	pgrep -u "$(id -u)" -x "$1" >/dev/null && echo "$1 still runs"; }'
export WAIT

# ---- /dev/fuse ----
is "$(kmv sh -c 'vu_insmod fuse && stat -c "%F %t:%T %a" /dev/fuse' 2>&1)" \
	"character special file a:e5 666" "/dev/fuse in the view: char 10:229, mode 0666"

# ---- a libfuse3 program, foreground, fusermount3 -u ----
f=$tap_fail
is "$(kmv sh -c 'eval "$WAIT"; vu_insmod fuse || exit 1
	"$HELLO" -f "$M" 2>/dev/null & pid=$!
	wait_for "$M/hello"; cat "$M/hello"; ls "$M"
	grep " $M " /proc/mounts | cut -d" " -f1-3
	fusermount3 -u "$M"; wait $pid; echo "server exit $?"; ls "$M"' 2>&1)" \
	"$(printf 'hello, world\nhello\nfusehello %s fuse.fusehello\nserver exit 0' "$M")" \
	"fusehello -f: read, readdir, the mount table; fusermount3 -u ends the server"
showlog "$f"

# ---- daemonized; the first call waits for INIT; vuumount sends DESTROY ----
f=$tap_fail
is "$(kmv sh -c 'eval "$WAIT"; vu_insmod fuse || exit 1
	"$HELLO" "$M" 2>/dev/null || exit 1; cat "$M/hello"; stat -c "%s %F" "$M/hello"
	vuumount "$M" && gone fusehello; ls "$M"; echo done' 2>&1)" \
	"$(printf 'hello, world\n13 regular file\ndone')" \
	"fusehello daemonized: read at once after the mount; vuumount ends the server"
showlog "$f"

# ---- fuse2fs (libfuse2): read, write, unmount, e2fsck on the host ----
IMG=$T/ext4.img
mkdir -p "$T/tree/dir"
echo "from the host" >"$T/tree/dir/file"
mkfs.ext4 -q -F -d "$T/tree" "$IMG" 16M
export IMG
is "$(kmv sh -c 'eval "$WAIT"; vu_insmod fuse || exit 1
	fuse2fs -o fakeroot "$IMG" "$M" >/dev/null 2>&1 || exit 1; wait_for "$M/dir"
	cat "$M/dir/file"; echo "from the view" >"$M/new" && cat "$M/new"
	mkdir "$M/sub" && ln -s new "$M/sub/link" && readlink "$M/sub/link"
	fusermount -u "$M" && gone fuse2fs; ls "$M"' 2>&1)" \
	"$(printf 'from the host\nfrom the view\nnew')" \
	"fuse2fs -o fakeroot: read, write, mkdir, symlink; fusermount -u"
e2fsck -fn "$IMG" >/dev/null 2>&1
ok $? "e2fsck -fn: the image is clean after the unmount"
is "$(debugfs -R "cat /new" "$IMG" 2>/dev/null)" "from the view" "debugfs sees the file written"

# ---- bindfs (libfuse2) ----
S=$T/src
mkdir -p "$S/a"
echo one >"$S/a/one"
seq 1 20000 >"$S/big"
export S
is "$(kmv sh -c 'eval "$WAIT"; vu_insmod fuse || exit 1
	bindfs "$S" "$M" || exit 1; wait_for "$M/a"
	ls "$M" | tr "\n" " "; cat "$M/a/one"; cmp "$S/big" "$M/big" && echo same
	echo two >"$M/a/two"; cat "$S/a/two"; rm "$M/a/one"; ls "$S/a"
	fusermount -u "$M" && gone bindfs' 2>&1)" \
	"$(printf 'a big one\nsame\ntwo\ntwo')" "bindfs: ls, cat, cmp, write and rm reach the source"

# ---- squashfuse (libfuse3) ----
mksquashfs "$S" "$T/x.sqfs" -quiet -noappend >/dev/null 2>&1
export SQ=$T/x.sqfs
is "$(kmv sh -c 'eval "$WAIT"; vu_insmod fuse || exit 1
	squashfuse "$SQ" "$M" || exit 1; wait_for "$M/big"
	cmp "$S/big" "$M/big" && cmp "$S/a/two" "$M/a/two" && echo same
	(echo x >"$M/nope") 2>/dev/null || echo "read-only"
	fusermount3 -u "$M" && gone squashfuse' 2>&1)" \
	"$(printf 'same\nread-only')" "squashfuse: files compare, writes fail"

# ---- the server's death: ENOTCONN, no hang, unmounted ----
# (a read of a file opened before: a path call that fails in the middle of
# the walk finds the real directory once the mount is gone)
f=$tap_fail
is "$(kmv sh -c 'eval "$WAIT"; vu_insmod fuse || exit 1
	"$HELLO" -f "$M" 2>/dev/null & pid=$!
	wait_for "$M/hello"; exec 3<"$M/hello"; kill -STOP $pid
	cat <&3 2>"$M.err" & cat=$!
	sleep 1; kill -9 $pid; wait $cat; echo "cat exit $?"
	sed "s/^.*: //" "$M.err"; exec 3<&-; ls "$M"; grep -c " $M " /proc/mounts; echo done' 2>&1)" \
	"$(printf 'cat exit 1\nTransport endpoint is not connected\n0\ndone')" \
	"kill -9 of a server: the blocked read gets ENOTCONN, the mount goes"
showlog "$f"

# ---- bad mount data ----
MNT='import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
r = libc.mount(b"x", os.environ["M"].encode(), b"fuse", 0, sys.argv[1].encode())
print(r, os.strerror(ctypes.get_errno()) if r else "")'
export MNT
is "$(kmv sh -c 'vu_insmod fuse || exit 1
	python3 -c "$MNT" "rootmode=40000,user_id=1,group_id=1"
	python3 -c "$MNT" "fd=0,rootmode=40000,user_id=1,group_id=1" </dev/null
	exec 5</dev/fuse; python3 -c "$MNT" "fd=5,rootmode=40000,user_id=1,group_id=1,bogus"' 2>&1)" \
	"$(printf -- '-1 Invalid argument\n-1 Invalid argument\n-1 Invalid argument')" \
	"mount without fd=, with fd of another file, with an unknown option: EINVAL"
grep -q "fuse: mount .*missing fd=" "$LOG"
ok $? "  the log says fd= is missing"
grep -q "fd=0 is not an open virtual /dev/fuse" "$LOG"
ok $? "  and that fd=0 is not /dev/fuse"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# fuseext2, the standalone build of vufuseext2, under the kernel's FUSE (as
# root, outside any view): an ext4 image mounted rw+, a source tree copied
# in and read back, every kind of file made, umount, then e2fsck -fn and
# debugfs on the image; read-only by default and with a plain rw; rw+
# refused on an image whose journal needs recovery; a sparse file of an
# ext2 image with 1 KiB blocks. After umount the program writes the image
# back and exits: the test waits for it before e2fsck.
. "$(dirname "$0")/lib.sh"

top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
[ -e /dev/fuse ] || modprobe fuse 2>/dev/null
if [ ! -e /dev/fuse ]; then
	skip "no /dev/fuse in this kernel (modprobe fuse failed)"
	done_testing
	exit
fi
command -v fuseext2 >/dev/null || { ok 1 "fuseext2 is built"; done_testing; exit; }

T=$(mktemp -d /tmp/kmview-fuseext2.XXXXXX)
M=$T/mnt
mkdir -p "$M"
pid=
cleanup() {
	mountpoint -q "$M" && umount -l "$M"
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT

# start IMAGE OPTIONS...: fuseext2 in the foreground of a background job, until mounted
start() {
	local img=$1 i
	shift
	fuseext2 -f "$@" "$img" "$M" 2>"$T/err" &
	pid=$!
	for i in $(seq 1 100); do
		mountpoint -q "$M" && return 0
		kill -0 "$pid" 2>/dev/null || { pid=; return 1; }
		sleep 0.1
	done
	return 1
}
# stop: umount and wait for the program to write the image back and exit
stop() {
	umount "$M" || return 1
	wait "$pid"
	local st=$?
	pid=
	return $st
}

I=$T/ext4.img
mkfs.ext4 -q -F "$I" 64M >/dev/null
start "$I" -o rw+
ok $? "fuseext2 -o rw+ mounts an ext4 image"
grep -q " $M fuse.ext2 rw," /proc/mounts
ok $? "mounted read-write, type fuse.ext2"

src=$T/src
mkdir "$src"
cp -a "$top/modules" "$top/man" "$top/scripts" "$src/"
cp -a "$src/." "$M/"
ok $? "cp -a of a source tree into it"
diff -r -x lost+found "$src" "$M" >/dev/null
ok $? "the copy reads back the same"
(cd "$M" && ln -s modules/modules.mk short && ln -s "$(printf 'x%.0s' $(seq 1 200))" long &&
	ln man/kmview.1 hard && mkfifo fifo && mknod null c 1 3 && chmod 4711 hard &&
	mkdir -p a/b/c && mv a/b a/b2 && mv scripts a/b2/ && rm -rf a/b2/scripts/vm &&
	dd if=/dev/urandom of=rnd bs=1M count=3 status=none && truncate -s 1000 rnd &&
	touch -d '2001-02-03 04:05:06.123456789' man/kmview.1)
ok $? "symlinks, a hard link, a fifo, a device, chmod, mkdir -p, mv of dirs, rm -r, truncate"
is "$(stat -c '%s %h %a %F' "$M/hard" "$M/null" "$M/rnd" | tr '\n' ';')" \
	"$(stat -c '%s' "$src/man/kmview.1") 2 4711 regular file;0 1 644 character special file;1000 1 644 regular file;" \
	"stat sees sizes, links, modes and types"
is "$(stat -c '%y' "$M/man/kmview.1")" "2001-02-03 04:05:06.123456789 +0000" "nanosecond times"
chown 1234:5678 "$M/rnd"
is "$(stat -c '%u:%g' "$M/rnd")" "1234:5678" "chown"
is "$(python3 -c 'import os, sys
p = sys.argv[1]
os.setxattr(p, "user.color", b"blue")
os.setxattr(p, "user.gone", b"x")
os.removexattr(p, "user.gone")
print(sorted(os.listxattr(p)), os.getxattr(p, "user.color").decode())' "$M/rnd" 2>&1)" \
	"['user.color'] blue" "xattrs: set, remove, list, get"
df "$M" >/dev/null
ok $? "statfs"
echo synced >"$M/synced" && sync "$M/synced"
is "$(debugfs -R 'cat /synced' "$I" 2>/dev/null)" "synced" "sync FILE (fsync) writes the image back while mounted"
sum=$(cd "$M" && find . -type f ! -name fifo -exec sha256sum {} + | sort | sha256sum)
stop
ok $? "umount; fuseext2 exits 0"
fsck() {	# fsck IMAGE NAME: e2fsck -fn, its output shown when it is not clean
	e2fsck -fn "$1" >"$T/fsck" 2>&1
	local st=$?
	ok $st "$2"
	[ $st -eq 0 ] || sed 's/^/#   /' "$T/fsck"
}
fsck "$I" "e2fsck -fn is clean after it"
is "$(debugfs -R 'cat /modules/modules.mk' "$I" 2>/dev/null | sha256sum)" \
	"$(sha256sum <"$src/modules/modules.mk")" "debugfs reads a copied file"
is "$(debugfs -R 'stat /null' "$I" 2>/dev/null | grep -c 'Device major/minor number: 01:03')" 1 \
	"debugfs sees the device number"
debugfs -R 'ea_get /rnd user.color' "$I" 2>/dev/null | grep -q blue
ok $? "debugfs sees the xattr"

# read-only by default, and with a plain rw (VUOS's convention: only rw+ writes)
before=$(sha256sum <"$I")
for o in "" "-o rw"; do
	start "$I" $o
	ok $? "mounted with '${o:-no options}'"
	grep -q " $M fuse.ext2 ro," /proc/mounts
	ok $? "... read-only"
	touch "$M/new" 2>/dev/null
	ok $((!$?)) "... a write fails"
	is "$(cd "$M" && find . -type f ! -name fifo -exec sha256sum {} + | sort | sha256sum)" "$sum" \
		"... every file reads as written"
	stop
done
is "$(sha256sum <"$I")" "$before" "a read-only mount writes nothing"

# a journal that needs recovery: rw+ refused, clearly, nothing written
R=$T/rec.img
mkfs.ext3 -q -F "$R" 16M >/dev/null && debugfs -w -R 'feature needs_recovery' "$R" >/dev/null 2>&1
before=$(sha256sum <"$R")
msg=$(fuseext2 -f -o rw+ "$R" "$M" 2>&1)
st=$?
ok $((st == 0)) "rw+ of an image that needs recovery fails"
echo "$msg" | grep -q "journal needs recovery"
ok $? "... saying why: $msg"
is "$(sha256sum <"$R")" "$before" "... and writes nothing"
mountpoint -q "$M"
ok $((!$?)) "... and mounts nothing"

# ext2, 1 KiB blocks (block-mapped, triple indirect): a sparse file of 5 GiB
E=$T/ext2.img
mkfs.ext2 -q -F -b 1024 "$E" 32M >/dev/null
start "$E" -o rw+
ok $? "fuseext2 -o rw+ mounts an ext2 image"
printf 'tail' | dd of="$M/sparse" bs=1 seek=$((5 << 30)) status=none
ok $? "a write at 5 GiB"
is "$(stat -c %s "$M/sparse")" $(((5 << 30) + 4)) "... the size"
is "$(dd if="$M/sparse" bs=1 skip=$(((5 << 30) - 2)) count=6 status=none | od -An -c | tr -s ' ')" \
	" \0 \0 t a i l" "... a hole then the data"
stop
fsck "$E" "e2fsck -fn is clean on the ext2 image"

done_testing

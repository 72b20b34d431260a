#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The seed transcripts of disks and images (mission 000 and 001), end to end
# with the same commands, as an ordinary user: an ext2 image read-only then
# rw+, a ramdisk with mkfs.ext3, a partitioned disk image made with gdisk and
# an ext4 on its first partition, and the nested example (a partitioned image
# kept in an ext2 that lives on a ramdisk). What the view wrote is checked
# from the host side with e2fsprogs and sgdisk, outside any view.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-seeds.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }
# e2fsck -fn and debugfs of an image, as the host sees it
fsck_clean() { e2fsck -fn "$1" >"$T/fsck.out" 2>&1 || { sed 's/^/#   /' "$T/fsck.out"; false; }; }
host_cat() { debugfs -R "cat $2" "$1" 2>/dev/null; }

for t in mkfs.ext2 mkfs.ext3 mkfs.ext4 e2fsck debugfs gdisk sgdisk; do
	command -v $t >/dev/null || PATH=$PATH:/sbin:/usr/sbin
done

# ---- 001: an ext2 image, read-only: it appears, then it is gone ----
mkdir -p "$T/tree/bin" "$T/tree/etc" "$T/tree/usr"
echo "seed" >"$T/tree/etc/motd"
mkfs.ext2 -q -d "$T/tree" "$T/linux.img" 8M
mkdir "$T/mnt"
out=$(kmv bash -c 'vu_insmod vufuse && echo before: $(ls "$2") &&
	vumount -t vufuseext2 -o ro "$1" "$2" && echo during: $(ls "$2") && cat "$2/etc/motd" &&
	{ echo x >"$2/new" || echo refused; } && vuumount "$2" && echo after: $(ls "$2")' \
	sh "$T/linux.img" "$T/mnt" 2>&1)
is "$out" "before:
during: bin etc lost+found usr
seed
sh: line 3: $T/mnt/new: Read-only file system
refused
after:" "001: vumount -t vufuseext2 -o ro, ls, a write refused, vuumount"

# ---- 000: rw+, a file written, then the host sees it ----
out=$(kmv bash -c 'vu_insmod vufuse && vumount -t vufuseext2 -o rw+ "$1" "$2" &&
	echo ciao >"$2/hello" && cat "$2/hello" && vuumount "$2"' sh "$T/linux.img" "$T/mnt" 2>&1)
is "$out" "ciao" "000: vumount -o rw+, echo ciao > hello, vuumount"
fsck_clean "$T/linux.img"
ok $? "e2fsck -fn on the host: clean"
is "$(host_cat "$T/linux.img" /hello)" "ciao" "debugfs on the host reads /hello"

# the view exits without vuumount: what it wrote is on the image all the same
kmv bash -c 'vu_insmod vufuse && vumount -t vufuseext2 -o rw+ "$1" "$2" &&
	mkdir "$2/d" && echo late >"$2/d/f"' sh "$T/linux.img" "$T/mnt" >/dev/null 2>&1
fsck_clean "$T/linux.img" && [ "$(host_cat "$T/linux.img" /d/f)" = late ]
ok $? "a view that exits with the mount in place leaves a clean image with its file"

# ---- 000: a ramdisk, mkfs.ext3 on it, mounted rw+ ----
out=$(kmv bash -c 'vu_insmod vufuse vudev &&
	vumount -t vudevramdisk -o size=100M none /dev/ramdisk &&
	mkfs.ext3 -q /dev/ramdisk && vumount -t vufuseext2 -o rw+ /dev/ramdisk /mnt &&
	ls -l /mnt | sed -n "s/^\(d[^ ]*\) *[0-9]* \([a-z]*\) *\([a-z]*\).* \([^ ]*\)$/\1 \2 \3 \4/p" &&
	echo ciao >/mnt/hello && cat /mnt/hello && vuumount /mnt && vuumount /dev/ramdisk' 2>&1)
is "$out" "drwx------ root root lost+found
ciao" "000: ramdisk size=100M, mkfs.ext3, vufuseext2 rw+, ls -l shows lost+found of root"

# ---- 001: a 1 GiB file as a disk, gdisk, mkfs.ext4 on hda1 ----
truncate -s 1G "$T/disk"
out=$(kmv bash -c 'vu_insmod vudev vufuse && vumount -t vudevpartx "$1" /dev/hda &&
	printf "n\n\n\n+200M\n\nn\n\n\n\n\nw\nY\n" | gdisk /dev/hda >"$2/gdisk.out" 2>&1 &&
	stat -c "%F %t,%T" /dev/hda1 /dev/hda2 | sed "s/,[0-9a-f]*$//" &&
	mkfs.ext4 -q /dev/hda1 && vumount -t vufuseext2 -o rw+ /dev/hda1 /mnt &&
	echo ciao >/mnt/hello && ls /mnt && vuumount /mnt && vuumount /dev/hda' \
	sh "$T/disk" "$T" 2>&1)
[ "$(printf '%s\n' "$out" | sed -n 1,2p | grep -c '^block special file')" = 2 ] &&
	[ "$(printf '%s\n' "$out" | tail -n 2 | tr '\n' ' ')" = 'hello lost+found ' ]
st=$?
ok $st "001: vudevpartx on a 1 GiB file, gdisk makes two partitions, hda1 and hda2 are block devices, mkfs.ext4 hda1, rw+, a file"
[ $st = 0 ] || { printf '#   %s\n' "$out"; sed 's/^/#   gdisk: /' "$T/gdisk.out"; }
# the host sees the GPT the view wrote: the partitions the same gdisk dialogue
# makes on a plain file outside any view (the transcript's gdisk 1.0.3 ended
# the second at 2097118; Debian 12's aligns it), and the ext4 in the first
truncate -s 1G "$T/native"
printf "n\n\n\n+200M\n\nn\n\n\n\n\nw\nY\n" | gdisk "$T/native" >/dev/null 2>&1
parts() { sgdisk -p "$1" 2>/dev/null | awk '$1 ~ /^[0-9]+$/ {print $1, $2, $3}'; }
is "$(parts "$T/disk")" "$(parts "$T/native")" "sgdisk -p on the host: the partitions gdisk makes natively"
is "$(parts "$T/disk" | head -n1)" "1 2048 411647" "... the first one as in the transcript"
dd if="$T/disk" of="$T/hda1" bs=1M skip=1 count=200 status=none
fsck_clean "$T/hda1"
ok $? "e2fsck -fn on the host of partition 1: clean"
is "$(host_cat "$T/hda1" /hello)" "ciao" "debugfs on the host reads /hello of partition 1"

# ---- nested: a partitioned image in an ext2 on a ramdisk ----
# (no `sgdisk -q`: sgdisk 1.0.9 has no -q, and on an unknown option it
# silently does nothing and exits 0, so there would be no hdb1)
out=$(kmv bash -c 'vu_insmod vudev vufuse &&
	vumount -t vudevramdisk -o size=48M none /dev/ramdisk && mkfs.ext2 -q /dev/ramdisk &&
	mkdir -p "$1/outer" "$1/inner" && vumount -t vufuseext2 -o rw+ /dev/ramdisk "$1/outer" &&
	truncate -s 16M "$1/outer/disk.img" && vumount -t vudevpartx "$1/outer/disk.img" /dev/hdb &&
	sgdisk -n 1:0:0 /dev/hdb >/dev/null && mkfs.ext2 -q /dev/hdb1 &&
	vumount -t vufuseext2 -o rw+ /dev/hdb1 "$1/inner" && echo deep >"$1/inner/f" &&
	vuumount "$1/inner" && vumount -t vufuseext2 /dev/hdb1 "$1/inner" && cat "$1/inner/f" &&
	vuumount "$1/inner" && vuumount /dev/hdb && vuumount "$1/outer" && vuumount /dev/ramdisk &&
	echo unwound' sh "$T" 2>&1)
is "$out" "deep
unwound" "nested: ramdisk, ext2 on it, an image in that, partitioned, ext2 on hdb1, written, read back"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vudev and its submodules, as an ordinary user, with the real tools: the
# seed transcripts' ramdisk + mkfs.ext3 and partx + sgdisk + mkfs.ext4
# (the host then sees the GPT), MBR with logical partitions by sfdisk,
# the block ioctls through blockdev, the ends of a device, `ro`, and bad
# input (missing image, bad size, unknown submodule, a table that lies):
# clear errors, and the daemon goes on serving.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-vudev.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }
# check STATUS NAME: ok, and on failure the command's output ($out) and the log's end
check() {
	local st=$1
	shift
	ok "$st" "$@"
	[ "$st" -eq 0 ] || { echo "$out" | sed 's/^/#   out: /'; tail -5 "$LOG" | sed 's/^/#   log: /'; }
}
export PATH=$PATH:/sbin:/usr/sbin

# ---- vudevnull ----
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevnull none /dev/vnull &&
	stat -c "%F %a %u" /dev/vnull && echo hello >/dev/vnull && echo written &&
	cat /dev/vnull | wc -c' 2>&1)" \
	"$(printf 'character special file 600 %s\nwritten\n0' "$(id -u)")" \
	"vudevnull: a char device, mode 600, the user's; writes succeed, reads are EOF"
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevnull -o mode=0666,major=1,minor=42,uid=0 \
	none /dev/vnull && stat -c "%F %a %u %t:%T" /dev/vnull' 2>&1)" \
	"character special file 666 0 1:2a" "mode=, uid=, major=, minor= set its stat"
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevnull -o blkdev none /dev/vnull &&
	stat -c "%F" /dev/vnull' 2>&1)" "block special file" "blkdev makes it a block device"
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevnull none /dev/a && vumount -t vudevnull \
	-o mode=0400 none /dev/b && for f in /dev/a /dev/b; do [ -r $f ] && echo r; [ -w $f ] && echo w;
	[ -x $f ] || echo nx; done' 2>&1)" "$(printf 'r\nw\nnx\nr\nnx')" \
	"access(2) follows the mode: 0600 is rw-, 0400 r--"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevnull -o mode=999 none /dev/vnull' 2>&1)
echo "$out" | grep -q "Invalid argument"
ok $? "mode=999: EINVAL ($out)"

# ---- vudevramdisk: the first transcript ----
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=100M none /dev/ramdisk &&
	stat -c "%F" /dev/ramdisk && blockdev --getsize64 --getss --getpbsz --getro --getsz \
	/dev/ramdisk' 2>&1)" "$(printf 'block special file\n104857600\n512\n512\n0\n204800')" \
	"ramdisk size=100M: a block device; blockdev --getsize64 --getss --getpbsz --getro --getsz"
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk none /dev/ramdisk &&
	blockdev --getsize64 /dev/ramdisk' 2>&1)" "33554432" "the default size is 32 MiB"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=100M none /dev/ramdisk &&
	mkfs.ext3 /dev/ramdisk && e2fsck -fn /dev/ramdisk && echo "fsck: $?"' 2>&1)
echo "$out" | grep -q "Creating journal" && echo "$out" | grep -q "^fsck: 0$" &&
	echo "$out" | grep -q "102400 1k blocks\|25600 4k blocks"
check $? "mkfs.ext3 on the ramdisk, e2fsck -fn clean"

head -c 1048576 /dev/urandom >"$T/rand"
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=4M none /dev/rd &&
	dd if="$1" of=/dev/rd bs=64k seek=3 status=none && dd if=/dev/rd bs=64k skip=3 count=16 \
	status=none | cmp - "$1" && echo same' sh "$T/rand" 2>&1)" "same" \
	"dd a MiB in at 192 KiB and back out: cmp says the same"
PYBIG='import os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
data = os.urandom(3 << 20)
print("wrote", os.write(fd, data), "pwrote", os.pwrite(fd, data, 4 << 20))
print("read", len(os.pread(fd, 3 << 20, 0)), "same", os.pread(fd, 3 << 20, 4 << 20) == data)'
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=8M none /dev/rd &&
	python3 -c "$1" /dev/rd' sh "$PYBIG" 2>&1)" "$(printf 'wrote 3145728 pwrote 3145728\nread 3145728 same True')" \
	"a 3 MiB write, pwrite and pread move it all in one call, as on a block device"
PYEND='import errno, os, sys
fd = os.open(sys.argv[1], os.O_RDWR)
end = os.lseek(fd, 0, os.SEEK_END)
print("end", end, "read at end", len(os.pread(fd, 4096, end)), "across", len(os.pread(fd, 4096, end - 100)))
try:
    os.pwrite(fd, b"x" * 10, end)
except OSError as e:
    print("write at end", errno.errorcode[e.errno])
print("write across", os.pwrite(fd, b"y" * 300, end - 200))
try:
    os.lseek(fd, end + 1, os.SEEK_SET)
except OSError as e:
    print("seek past", errno.errorcode[e.errno])
os.fsync(fd)
print("fsync ok")'
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=1M none /dev/rd &&
	python3 -c "$1" /dev/rd' sh "$PYEND" 2>&1)" \
	"$(printf 'end 1048576 read at end 0 across 100\nwrite at end ENOSPC\nwrite across 200\nseek past EINVAL\nfsync ok')" \
	"the end: SEEK_END is the size, a read there 0, across it short; a write there ENOSPC, across it short"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=1M none /dev/rd &&
	blockdev --setro /dev/rd && blockdev --getro /dev/rd && { echo x >/dev/rd; } 2>&1;
	blockdev --setrw /dev/rd && echo x >/dev/rd && echo rw again' 2>&1)
echo "$out" | grep -q "^1$" && echo "$out" | grep -q "Read-only file system" &&
	echo "$out" | grep -q "rw again"
check $? "blockdev --setro: BLKROGET says 1, writes fail with EROFS; --setrw lets them again"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=foo none /dev/rd; echo "rc $?"
	vumount -t vudevramdisk -o size=1M none /dev/rd && echo alive' 2>&1)
echo "$out" | grep -q "Invalid argument" && echo "$out" | grep -q "^alive$" &&
	grep -q 'bad size "foo"' "$LOG"
check $? "size=foo: EINVAL, a log line, and the daemon goes on"

# ---- a ramdisk with mbr: partitions once a table is written ----
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=64M,mbr none /dev/rdm &&
	printf "label: dos\n,16M,83\n,,5\n,8M,83\n,8M,82\n" | sfdisk -q /dev/rdm &&
	stat -c "%n %F %t:%T" /dev/rdm1 /dev/rdm5 /dev/rdm6 && blockdev --getsize64 /dev/rdm5 &&
	{ stat /dev/rdm3 || echo "no rdm3"; }' 2>&1)
is "$out" "$(printf '/dev/rdm1 block special file 0:1\n/dev/rdm5 block special file 0:5\n/dev/rdm6 block special file 0:6\n8388608\nstat: cannot statx '"'"'/dev/rdm3'"'"': No such file or directory\nno rdm3')" \
	"ramdisk mbr: sfdisk writes primary + logical partitions, BLKRRPART shows rdm1, rdm5, rdm6"

# ---- vudevpartx: the second transcript ----
truncate -s 64M "$T/disk"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevpartx "$1" /dev/hda &&
	sgdisk -n 1:0:+8M -n 2:0:+16M /dev/hda >/dev/null && ls /dev/hda1 /dev/hda2 &&
	stat -c "%F %t:%T" /dev/hda1 && blockdev --getsize64 /dev/hda1 /dev/hda2 &&
	mkfs.ext4 -q /dev/hda1 && e2fsck -fn /dev/hda1 >/dev/null 2>&1 && echo "fsck: $?"' sh "$T/disk" 2>&1)
is "$out" "$(printf '/dev/hda1\n/dev/hda2\nblock special file 0:1\n8388608\n16777216\nfsck: 0')" \
	"partx: sgdisk -n makes hda1, hda2 (BLKRRPART); mkfs.ext4 on hda1, e2fsck clean"
grep -q "vudevpartx $T/disk: no partition table (bad MBR signature 0 0)" "$LOG"
check $? "  the empty image was logged: bad MBR signature 0 0"
out=$(sgdisk -p "$T/disk" 2>&1)
echo "$out" | grep -Eq '^ +1 +2048 +18431 +8\.0 MiB +8300' &&
	echo "$out" | grep -Eq '^ +2 +18432 +51199 +16\.0 MiB +8300'
check $? "the host sees the GPT written in the view (sgdisk -p)"
dd if="$T/disk" of="$T/p1" bs=512 skip=2048 count=16384 status=none
e2fsck -fn "$T/p1" >/dev/null 2>&1
check $? "  and the ext4 in partition 1 (e2fsck -fn of it on the host)"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevpartx "$1" /dev/hda &&
	fdisk -l /dev/hda | grep "^/dev/hda"; sgdisk -d 2 /dev/hda >/dev/null;
	ls /dev/hda2 2>&1; vuumount /dev/hda && vumount -t vudevpartx "$1" /dev/hda &&
	ls /dev/hda /dev/hda1 /dev/hda2 2>&1' \
	sh "$T/disk" 2>&1)
echo "$out" | grep -q "^/dev/hda1 *2048 *18431 *16384 *8M Linux filesystem" &&
	echo "$out" | grep -q "cannot access '/dev/hda2'" &&
	[ "$(echo "$out" | tail -3)" = "$(printf "ls: cannot access '/dev/hda2': No such file or directory\n/dev/hda\n/dev/hda1")" ]
check $? "a new mount reads the table; fdisk -l lists it; sgdisk -d 2 and a remount: hda2 gone"
out=$(kmv bash -c 'vu_insmod vudev && vumount -t vudevpartx "$1" /dev/hda && exec 3</dev/hda1 &&
	blockdev --rereadpt /dev/hda; exec 3<&-; blockdev --rereadpt /dev/hda && echo reread &&
	blockdev --flushbufs /dev/hda && echo flushed' \
	sh "$T/disk" 2>&1)
echo "$out" | grep -q "Device or resource busy" && echo "$out" | grep -q "^reread$" &&
	echo "$out" | grep -q "^flushed$"
check $? "BLKRRPART while a partition is open: EBUSY; once closed it rereads; BLKFLSBUF"
is "$(kmv python3 -c 'import fcntl, os, struct, sys
os.system("vu_insmod vudev && vumount -t vudevpartx " + sys.argv[1] + " /dev/hda")
fd = os.open("/dev/hda1", os.O_RDONLY)
h, s, c, start = struct.unpack("BBHL", fcntl.ioctl(fd, 0x0301, bytes(16)))
print(h, s, start, struct.unpack("L", fcntl.ioctl(fd, 0x1260, bytes(8)))[0])' "$T/disk" 2>&1)" \
	"255 63 2048 16384" "HDIO_GETGEO: 255 heads, 63 sectors, the partition's start; BLKGETSIZE"

# gdisk, interactively, as in the transcript: n, defaults, +8M, w, Y
truncate -s 32M "$T/gdisk"
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevpartx "$1" /dev/hdg &&
	printf "n\n\n\n+8M\n\nw\nY\n" | gdisk /dev/hdg && ls -l /dev/hdg1' sh "$T/gdisk" 2>&1)
echo "$out" | grep -q "The operation has completed successfully" &&
	echo "$out" | tail -1 | grep -Eq "^brw------- 1 [^ ]+ [^ ]+ 0, 1 .* /dev/hdg1$"
check $? "gdisk: n, w, Y writes the GPT; ls -l /dev/hdg1 shows brw------- 0, 1"

# ---- MBR with logical partitions in an image, and ro ----
truncate -s 32M "$T/mbr"
printf 'label: dos\nstart=2048,size=8192,type=83\nstart=10240,size=40960,type=5\nstart=12288,size=8192,type=83\nstart=22528,size=8192,type=82\n' |
	sfdisk -q "$T/mbr"
sum=$(md5sum <"$T/mbr")
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevpartx -o ro "$1" /dev/sdx &&
	ls /dev/sdx /dev/sdx1 /dev/sdx2 /dev/sdx5 /dev/sdx6 && { ls /dev/sdx3 2>/dev/null || echo "no sdx3"; } &&
	blockdev --getro /dev/sdx5 && blockdev --getsize64 /dev/sdx6 && { echo x >/dev/sdx5; } 2>&1;
	dd if=/dev/zero of=/dev/sdx bs=512 count=1 status=none 2>&1; echo end' sh "$T/mbr" 2>&1)
[ "$(echo "$out" | head -8)" = "$(printf '/dev/sdx\n/dev/sdx1\n/dev/sdx2\n/dev/sdx5\n/dev/sdx6\nno sdx3\n1\n4194304')" ] &&
	[ "$(echo "$out" | grep -c "Read-only file system")" = 2 ] && echo "$out" | grep -q "^end$"
check $? "an MBR image with logical partitions, -o ro: sdx1 sdx2 sdx5 sdx6, writes refused"
[ "$(md5sum <"$T/mbr")" = "$sum" ]
ok $? "  and the image is unchanged"

# ---- bad input ----
out=$(kmv sh -c 'vu_insmod vudev; vumount -t vudevpartx "$1/nothere" /dev/hdx; echo "rc $?"
	vumount -t vudevnosuch none /dev/hdy; echo "rc $?"; vumount -t vudevnull none /dev/z && echo alive' \
	sh "$T" 2>&1)
echo "$out" | grep -q "No such file or directory" && echo "$out" | grep -q "vudevnosuch: unknown file system type" &&
	echo "$out" | grep -q "^alive$" && grep -q "cannot open image $T/nothere: No such file" "$LOG" &&
	grep -q "no submodule vudevnosuch" "$LOG"
check $? "a missing image: ENOENT naming it in the log; vudevnosuch: ENODEV (unknown file system type); the daemon goes on"
# a table that lies: partition 2 runs past the end, 3 starts past it
truncate -s 8M "$T/liar"
python3 - "$T/liar" <<'EOF'
import struct, sys
with open(sys.argv[1], "r+b") as f:
    mbr = bytearray(512)
    for i, (start, n) in enumerate([(2048, 4096), (8192, 16384), (100000, 10)]):
        mbr[446 + 16 * i + 4] = 0x83
        mbr[446 + 16 * i + 8:446 + 16 * i + 16] = struct.pack("<II", start, n)
    mbr[510:512] = b"\x55\xaa"
    f.write(mbr)
EOF
out=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevpartx "$1" /dev/hdl && ls /dev/hdl1;
	ls /dev/hdl2 2>&1' sh "$T/liar" 2>&1)
echo "$out" | grep -q "^/dev/hdl1$" && echo "$out" | grep -q "cannot access '/dev/hdl2'" &&
	grep -q "partition 2 (sectors 8192+16384) is out of the disk (16384 sectors), dropped" "$LOG" &&
	grep -q "partition 3 (sectors 100000+10) is out of the disk" "$LOG"
check $? "a table that lies: partitions out of the disk are dropped, each with a log line"
is "$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=1M none /dev/rd &&
	vuumount /dev/rd && { stat /dev/rd 2>/dev/null || echo gone; }' 2>&1)" "gone" \
	"vuumount: the device is gone"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The ext2 image benchmark, as root in the test VM: one ext4 image, the
# same work on each way of mounting it: a loop mount (the kernel's ext4),
# fuse2fs and fuseext2 under the kernel's FUSE, and vufuseext2 in a view
# (the hook below: run once vufuse lands). Work: sequential write and read
# of a 64 MiB file in 1 MiB blocks, 4 KiB random reads, `tar x` of a small
# source tree. Each way starts from a fresh image and is remounted (caches
# dropped) between writing and reading. Prints ms, and the ratio to loop.
# Any row whose image e2fsck -fn finds unclean afterwards says so.
set -u
top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
iob=$top/build/selftests/iobench
export PATH=$top/build/bin:$PATH
RAND=${BENCH_EXT2_RAND:-2000}

T=$(mktemp -d /tmp/kmview-bench-ext2.XXXXXX)
M=$T/mnt
I=$T/img
mkdir -p "$M"
pid=
trap 'mountpoint -q "$M" && umount -l "$M"; rm -rf "$T"' EXIT
[ -e /dev/fuse ] || modprobe fuse 2>/dev/null
[ -e /dev/loop-control ] || modprobe loop 2>/dev/null
tar cf "$T/src.tar" -C "$top" modules daemon include

msnow() { echo $(($(date +%s%N) / 1000000)); }

# FUSE programs are started in the foreground of a background job, and
# waited for after umount: they write the image back after it returns.
fuse_up() { # PROGRAM ARGS...
	"$@" -f "$I" "$M" >>"$T/err" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do
		mountpoint -q "$M" && return 0
		sleep 0.1
	done
	return 1
}
fuse_down() { umount "$M" && wait "$pid"; }

mount_loop() { mount -o loop "$I" "$M"; }
umount_loop() { umount "$M"; }
mount_fuse2fs() { fuse_up fuse2fs -o rw,fakeroot; }
mount_fuseext2() { fuse_up fuseext2 -o rw+; }
umount_fuse() { fuse_down; }

# vufuseext2 in a view: the same work inside kmview, as the test user (the
# way users run it), mounted with vumount -t vufuseext2 -o rw+. Runs once
# build/modules/vufuse.so exists (vufuse is another part of issue 8); not
# run yet: when it lands, check its figures before trusting them.
user=${KMVIEW_TEST_UID:-1000}
# run_view NAME FILE MODULE MOUNT UMOUNT: the same work in a view, as the user;
# MOUNT and UMOUNT are shell commands with $I and $M.
run_view() {
	local name=$1 file=$2 module=$3 mnt=$4 umnt=$5 out
	if [ ! -e "$top/build/modules/$module.so" ]; then
		printf '%-34s %s\n' "$name" "(skipped: $module not built)"
		return 0
	fi
	mkfs.ext4 -q -F "$I" 256M >/dev/null 2>&1 || return 1
	chmod 755 "$T" && chown "$user:$user" "$I" "$M"
	out=$(setpriv --reuid="$user" --regid="$user" --clear-groups env HOME=/tmp \
		kmview -N bash -c '
		set -e
		msnow() { echo $(($(date +%s%N) / 1000000)); }
		iob=$1 I=$2 M=$3 tarball=$4 rand=$5 module=$6 mnt=$7 umnt=$8
		up() { eval "$mnt"; for _ in $(seq 100); do [ -e "$M/lost+found" ] && return; sleep 0.1; done; }
		vu_insmod "$module"
		up
		w=$("$iob" write "$M/f" 64)
		s=$(msnow)
		mkdir "$M/src" && tar xf "$tarball" -C "$M/src"
		x=$(($(msnow) - s))
		eval "$umnt"
		up
		r=$("$iob" read "$M/f")
		t=$("$iob" rand "$M/f" "$rand")
		eval "$umnt"
		echo "$w $r $t $x"' bench "$iob" "$I" "$M" "$T/src.tar" "$RAND" "$module" "$mnt" "$umnt" \
		2>"$T/err")
	if [ $? -ne 0 ] || [ -z "$out" ]; then
		printf '%-34s %s\n' "$name" "(failed: $(tail -n1 "$T/err"))"
		return 1
	fi
	e2fsck -fn "$I" >/dev/null 2>&1 || name="$name (e2fsck NOT clean)"
	read -r w r t x <<<"$out"
	printf '%-34s %10s %10s %12s %8s\n' "$name" "$w" "$r" "$t" "$x"
	echo "$out" >"$T/$file"
}

# run NAME MOUNT UMOUNT: the four figures on a fresh image
run() {
	local name=$1 up=$2 down=$3 w r x t s
	mkfs.ext4 -q -F "$I" 256M >/dev/null 2>&1 || return 1
	$up || { printf '%-34s %s\n' "$name" "(cannot mount: $(tail -n1 "$T/err" 2>/dev/null))"; return 1; }
	w=$("$iob" write "$M/f" 64) || w=-
	s=$(msnow)
	mkdir "$M/src" && tar xf "$T/src.tar" -C "$M/src" && sync
	x=$(($(msnow) - s))
	$down || return 1
	sync
	echo 3 >/proc/sys/vm/drop_caches
	$up || return 1
	r=$("$iob" read "$M/f") || r=-
	t=$("$iob" rand "$M/f" "$RAND") || t=-
	$down || return 1
	e2fsck -fn "$I" >/dev/null 2>&1 || name="$name (e2fsck NOT clean)"
	printf '%-34s %10s %10s %12s %8s\n' "$name" "$w" "$r" "$t" "$x"
	echo "$w $r $t $x" >"$T/$2"
}

ratio() { # NAME FILE: this row over the loop row
	[ -f "$T/$2" ] && [ -f "$T/mount_loop" ] || return 0
	awk -v a="$(cat "$T/$2")" -v b="$(cat "$T/mount_loop")" -v n="$1" 'BEGIN {
		split(a, x); split(b, y)
		printf "%-34s", n
		for (i = 1; i <= 4; i++)
			printf(i == 3 ? " %12.2f" : (i == 4 ? " %8.2f" : " %10.2f"), x[i] / (y[i] ? y[i] : 1))
		printf "\n"
	}'
}

printf '%-34s %10s %10s %12s %8s\n' "ext4 image (ms)" "write64M" "read64M" "rand4k x$RAND" "tar x"
run "loop mount (kernel ext4)" mount_loop umount_loop
run "fuse2fs, kernel FUSE" mount_fuse2fs umount_fuse
ratio "  x loop" mount_fuse2fs
run "fuseext2, kernel FUSE" mount_fuseext2 umount_fuse
ratio "  x loop" mount_fuseext2
run_view "vufuseext2 in a view" view_vufuse vufuse \
	'vumount -t vufuseext2 -o rw+ "$I" "$M"' 'vuumount "$M"'
ratio "  x loop" view_vufuse
# fuse2fs unchanged, through the view's virtual /dev/fuse (module fuse)
run_view "fuse2fs, virtual /dev/fuse" view_devfuse fuse \
	'fuse2fs -o rw,fakeroot "$I" "$M"' 'fusermount -u "$M"; sleep 1'
ratio "  x loop" view_devfuse

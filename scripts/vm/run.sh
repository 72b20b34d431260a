#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Boot a Debian kernel in QEMU/TCG with the host's / shared read-only over
# 9p, load a module, run one command in the guest and report a verdict.
#
#   scripts/vm/run.sh --kernel 6.1|6.12|<kver> --ko PATH --cmd "CMD" --out DIR
#                     [--timeout SECS] [--interactive] [--user UID]
#
#   --kernel       6.1: the installed /boot kernel (default); 6.12: the newest
#                  one scripts/vm/fetch-kernel.sh unpacked in build/kernels
#   --ko           the module to insmod before CMD and rmmod after it
#   --cmd          a bash command line, run as root in the repository
#   --out          results: console.log, log, stdout, dmesg, verdict
#   --timeout      seconds CMD may run in the guest (default 900; none
#                  when interactive); the host allows 120 s more
#   --interactive  CMD gets the serial console as its terminal (vm-shell);
#                  Ctrl-A x quits QEMU
#   --user         run CMD as this uid, HOME on a tmpfs
#
# Exit status: 0 only when the guest printed "KMVIEW-VERDICT: pass" and wrote
# 0 to the isa-debug-exit port (QEMU then exits with 1).  QEMU exiting 0 means
# the guest died or rebooted without a verdict: a failure.
#
# The guest side is scripts/vm/initramfs-init (busybox, mounts the host root)
# and scripts/vm/guest-init.sh (PID 1 after switch_root, runs the job).
# What the guest has to do is passed in DIR/job, not on the kernel command
# line, so CMD may contain any characters.  See scripts/vm/README.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# The physical path: the guest mounts tmpfs on /home and the like, and a
# symlink on the way (/home -> /data/home) would point into the wrong tree.
top=$(cd "$here/../.." && pwd -P)
B=${B:-$top/build}

kernel=6.1
ko=
cmd=
out=
timeout=
interactive=0
user=

die() { echo "run.sh: $*" >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--kernel|--ko|--cmd|--out|--timeout|--user)
		[ $# -ge 2 ] || die "$1 needs a value" ;;&
	--kernel) kernel=$2; shift 2 ;;
	--ko) ko=$2; shift 2 ;;
	--cmd) cmd=$2; shift 2 ;;
	--out) out=$2; shift 2 ;;
	--timeout) timeout=$2; shift 2 ;;
	--interactive) interactive=1; shift ;;
	--user) user=$2; shift 2 ;;
	-h|--help) sed -n '3,28p' "$0"; exit 0 ;;
	*) die "unknown argument: $1" ;;
	esac
done

[ -n "$ko" ] || die "--ko PATH is required"
[ -n "$cmd" ] || die "--cmd CMD is required"
[ -n "$out" ] || die "--out DIR is required"
[ -f "$ko" ] || die "no such module: $ko"
case $timeout in *[!0-9]*) die "--timeout wants seconds" ;; esac
case $user in *[!0-9]*) die "--user wants a numeric uid" ;; esac
# The guest sees the host's paths verbatim; the kernel command line and the
# job file are simpler without blanks.
case $top in *[[:space:]]*) die "the repository path must not contain blanks: $top" ;; esac

# --- which kernel -----------------------------------------------------------
# 6.1 is the host's installed Debian kernel; 6.12 is the newest one that
# scripts/vm/fetch-kernel.sh extracted under build/kernels/.  A full kernel
# release name selects exactly that one.
kroot=
case $kernel in
6.1)
	kver=${KVER:-$(ls /boot/vmlinuz-6.1.*-amd64 2>/dev/null | sed 's,.*/vmlinuz-,,' | sort -V | tail -n1)}
	;;
6.12)
	kver=$(ls -d "$B"/kernels/6.12.*/ 2>/dev/null | xargs -rn1 basename | sort -V | tail -n1)
	[ -n "$kver" ] || die "no 6.12 kernel under $B/kernels (run: make vm-check-6.12, or scripts/vm/fetch-kernel.sh)"
	;;
*)
	kver=$kernel
	;;
esac
[ -n "$kver" ] || die "no kernel found for --kernel $kernel"
if [ -d "$B/kernels/$kver/boot" ]; then
	kroot=$B/kernels/$kver
fi
vmlinuz=$kroot/boot/vmlinuz-$kver
moddir=$kroot/lib/modules/$kver
[ -r "$vmlinuz" ] || die "cannot read $vmlinuz"
[ -d "$moddir/kernel" ] || die "no modules in $moddir"

# --- initramfs --------------------------------------------------------------
# A static busybox and the modules needed to mount a virtio 9p share.  Which
# of them are built in differs per kernel (6.12 has virtio built in), so each
# is looked up: a file (.ko or .ko.xz) is packed, a modules.builtin entry is
# skipped, anything else is an error, except for names ending in "?": 6.12
# merged fscache into netfs.  Load order = dependency order for both kernels
# (6.12's 9pnet needs netfs, 6.1's fscache needs netfs). tun: /dev/net/tun
# for vunetvdestack's taps (the host's /lib/modules has no 6.12).
initramfs_mods="virtio_ring virtio virtio_pci_modern_dev virtio_pci_legacy_dev virtio_pci
	netfs fscache? 9pnet 9pnet_virtio 9p tun"

find_busybox() {
	if dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'ok installed'; then
		echo /bin/busybox
		return
	fi
	# Debian's dynamic busybox conflicts with busybox-static: take the
	# static binary out of the package without installing it.
	local d=$B/vm/busybox-static
	if [ ! -x "$d/bin/busybox" ]; then
		mkdir -p "$d"
		(cd "$d" && apt-get download busybox-static >&2 && dpkg -x busybox-static_*.deb .) ||
			die "no static busybox (apt-get download busybox-static failed)"
	fi
	echo "$d/bin/busybox"
}

build_initramfs() {
	local img=$B/vm/initramfs-$kver.gz busybox key m f name
	busybox=$(find_busybox)
	local files=()
	local optional
	for name in $initramfs_mods; do
		optional=0
		case $name in *\?) optional=1; name=${name%\?} ;; esac
		f=$(find "$moddir/kernel" -name "$name.ko" -o -name "$name.ko.xz" | head -n1)
		if [ -n "$f" ]; then
			files+=("$f")
		elif ! grep -q "/$name.ko\$" "$moddir/modules.builtin" && [ $optional = 0 ]; then
			die "$kver: module $name is neither a file nor built in"
		fi
	done
	# Rebuild whenever an input changes: the key covers the contents of
	# the init script and busybox, and each module's path, size and mtime.
	key=$({
		echo "$kver"
		sha256sum "$here/initramfs-init" "$busybox"
		for f in "${files[@]}"; do stat -c '%n %s %Y' "$f"; done
	} | sha256sum | cut -d' ' -f1)
	if [ -f "$img" ] && [ "$(cat "$img.key" 2>/dev/null)" = "$key" ]; then
		echo "$img"
		return
	fi
	local t
	t=$(mktemp -d "$B/vm/initramfs.XXXXXX")
	mkdir -p "$t"/{bin,dev,proc,sys,newroot,lib/modules}
	cp "$busybox" "$t/bin/busybox"
	ln -s busybox "$t/bin/sh"
	install -m 0755 "$here/initramfs-init" "$t/init"
	: > "$t/lib/modules/load-order"
	for f in "${files[@]}"; do
		name=$(basename "$f")
		case $name in
		*.xz) name=${name%.xz}; xz -dc "$f" > "$t/lib/modules/$name" ;;
		*) cp "$f" "$t/lib/modules/$name" ;;
		esac
		echo "$name" >> "$t/lib/modules/load-order"
	done
	(cd "$t" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) | gzip -1 > "$img.tmp"
	rm -rf "$t"
	mv "$img.tmp" "$img"
	echo "$key" > "$img.key"
	echo "$img"
}

mkdir -p "$B/vm"
initrd=$(build_initramfs)

# --- the job ----------------------------------------------------------------
mkdir -p "$out"
out=$(cd "$out" && pwd)
case $out in *[[:space:]]*) die "the output path must not contain blanks: $out" ;; esac
# build/ is shared: two runs of the same target must not mix their files.
exec 9> "$out/.lock"
if ! flock -n 9; then
	echo "run.sh: another run is using $out; waiting for it" >&2
	flock 9
fi
rm -f "$out"/{job,log,stdout,dmesg,verdict,console.log,kmview.ko}

# The guest mounts tmpfs on /tmp, /run, /var/tmp, /root and /home, hiding the
# host's files there, except the repository, which initramfs-init puts back
# at its own path: a module outside it in such a place is handed over
# through the out share instead.
ko=$(realpath "$ko")
case $ko in
"$top"/*)
	guest_ko=$ko
	;;
/tmp/*|/run/*|/var/tmp/*|/root/*|/home/*|/dev/*|/proc/*|/sys/*)
	cp "$ko" "$out/$(basename "$ko")"
	guest_ko=@OUT@/$(basename "$ko")
	;;
*)
	guest_ko=$ko
	;;
esac

if [ -z "$timeout" ]; then
	timeout=900
	[ "$interactive" = 1 ] && timeout=0
fi

rows=24 cols=80 term=vt100
if [ "$interactive" = 1 ] && [ -t 0 ]; then
	read -r rows cols < <(stty size 2>/dev/null || echo "24 80")
	term=${TERM:-vt100}
fi

{
	printf 'KMVIEW_CMD=%q\n' "$cmd"
	printf 'KMVIEW_KO=%q\n' "$guest_ko"
	printf 'KMVIEW_KVER=%q\n' "$kver"
	printf 'KMVIEW_TIMEOUT=%q\n' "$timeout"
	printf 'KMVIEW_INTERACTIVE=%q\n' "$interactive"
	printf 'KMVIEW_USER=%q\n' "$user"
	printf 'KMVIEW_DEBUG=%q\n' "${KMVIEW_VM_DEBUG:-0}"
	printf 'KMVIEW_ROWS=%q\nKMVIEW_COLS=%q\nKMVIEW_TERM=%q\n' "$rows" "$cols" "$term"
} > "$out/job"

# --- boot ------------------------------------------------------------------
# The QEMU line proven in /work/shared/design/test-vm.md.  slub_debug=FZPU
# adds redzones and poisoning to every slab; kmview.top tells the initramfs
# where the repository (and so guest-init.sh) is on the 9p root;
# KMVIEW_VM_APPEND adds parameters (make vm-check-debug: kasan_multi_shot).
append="console=ttyS0 panic=-1 oops=panic quiet loglevel=4 slub_debug=FZPU pci=noacpi"
append+=" kmview.top=$top${KMVIEW_VM_APPEND:+ $KMVIEW_VM_APPEND}"

# Interactive: mux QEMU's monitor onto the console, so that Ctrl-A x quits
# and Ctrl-A c reaches the monitor whatever the guest is doing.
serial=stdio
[ "$interactive" = 1 ] && serial=mon:stdio
qemu=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1G -nodefaults -no-user-config
	-nographic -no-reboot -serial "$serial" -kernel "$vmlinuz" -initrd "$initrd"
	-append "$append"
	-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap
	-virtfs "local,path=$out,mount_tag=out,security_model=none"
	-device isa-debug-exit,iobase=0xf4,iosize=0x04)

# The guest bounds the command itself; the host bound also covers boot,
# unload and a guest that hangs for good.  An interactive session has no
# bound unless --timeout asks for one (timeout 0 = none).
host_timeout=$((timeout + 120))
[ "$interactive" = 1 ] && [ "$timeout" = 0 ] && host_timeout=0
echo "run.sh: booting $kver (timeout ${timeout}s), output in $out" >&2
start=$(date +%s)
set +e
if [ "$interactive" = 1 ]; then
	timeout --foreground -k 10 "$host_timeout" "${qemu[@]}"
	rc=$?
else
	# QEMU must not read our stdin (make's).  The console goes to our
	# stdout and to DIR/console.log, without carriage returns and without
	# SeaBIOS's terminal resets (ESC c, ESC [2J), which would clear the
	# screen of whoever runs `make check`.
	timeout -k 10 "$host_timeout" "${qemu[@]}" < /dev/null |
		sed -u 's/\x1bc//g; s/\x1b\[[0-9;?]*[A-Za-z]//g; s/\r$//' |
		tee "$out/console.log"
	rc=${PIPESTATUS[0]}
fi
set -e
elapsed=$(( $(date +%s) - start ))

# The verdict file written by guest-init first, the console as a fallback.
verdict=$(grep -ahos 'KMVIEW-VERDICT: .*' "$out/verdict" "$out/console.log" |
	head -n1 | sed 's/^KMVIEW-VERDICT: //' | tr -d '\r' || true)
case $rc in
1)	result=pass ;;
0)	result=fail
	if [ "$interactive" = 1 ] && [ -z "$verdict" ]; then
		verdict="QEMU quit before the guest powered off (Ctrl-A x?)"
	else
		verdict="the guest rebooted or QEMU was killed before the exit port${verdict:+; it printed: $verdict}"
	fi ;;
124|137) result=fail; verdict="host timeout after ${host_timeout}s" ;;
*)	result=fail; [ $((rc & 1)) = 1 ] || verdict="qemu exited $rc" ;;
esac
# Both signals must agree: the port byte and the marker line.
if [ "$result" = pass ] && [ "$verdict" != pass ]; then
	result=fail
	verdict="exit code says pass but the verdict line says: ${verdict:-nothing}"
fi
case $result:$verdict in
pass:*) msg=pass ;;
fail:fail*) msg=$verdict ;;
*) msg="fail (${verdict:-no verdict line})" ;;
esac
echo "run.sh: $kver: $msg in ${elapsed}s; logs in $out" >&2
[ "$result" = pass ]

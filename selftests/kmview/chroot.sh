#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# chroot in a view, as an ordinary user: into a vufs mount whose mount
# point does not exist on the host, and into a real directory. The jail
# holds a static busybox; what runs in it uses shell builtins only (read,
# echo, globs, cd, pwd), so that every path it names goes through the
# virtual root.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-chroot.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
J=$T/jail
mkdir -p "$J/bin" "$J/etc" "$J/sub/deep"
cp /bin/busybox "$J/bin/busybox"
ln -s busybox "$J/bin/sh"
echo "inside the jail" >"$J/etc/hello"
ln -s /etc/hello "$J/sub/abs"
printf '#!/bin/sh\nread l </etc/hello; echo "script: $l"\n' >"$J/bin/hello"
chmod 755 "$J/bin/hello"

kmv() { kmview -N -o "$LOG" "$@"; }
# what the jailed shell runs: its files, the cwd, ".." at the root, a symlink
JAILED='read l </etc/hello; echo "$l"; echo /*; pwd; cd /sub/deep && pwd; cd ../../../..; pwd
	read l </sub/abs; echo "link: $l"; read l </../../etc/hello; echo "$l"
	[ -e /etc/os-release ] && echo "the host is visible" || echo "the host is hidden"'
WANT=$(printf '%s\n' "inside the jail" "/bin /etc /sub" / /sub/deep / "link: inside the jail" \
	"inside the jail" "the host is hidden")

is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-nowhere/jail &&
	chroot /kmview-nowhere/jail /bin/sh -c "$2"' sh "$J" "$JAILED" 2>&1)" "$WANT" \
	"chroot into a virtual tree: files, cwd, \"..\" and symlinks stay inside"
is "$(kmv sh -c 'vu_insmod vufs && chroot "$1" /bin/sh -c "$2"; head -c 5 /etc/os-release' \
	sh "$J" "$JAILED" 2>&1)" "$WANT
$(head -c 5 /etc/os-release)" "chroot into a real directory; its parent is not in it"
is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-nowhere/jail &&
	chroot /kmview-nowhere/jail /bin/hello' sh "$J" 2>&1)" "script: inside the jail" \
	"a #! script in the jail runs with the jail's /bin/sh"
out=$(kmv chroot "$J" /bin/sh -c 'echo in' 2>&1)
echo "$out" | grep -q "Operation not permitted"
ok $? "with no module loaded the view is transparent: chroot is the kernel's (EPERM)"
[ $? -eq 0 ] || echo "$out" | sed 's/^/#   /'

grep -E 'ERROR' "$LOG" | sed 's/^/# daemon: /'
done_testing

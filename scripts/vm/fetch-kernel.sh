#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Fetch Debian 12's newest 6.12 kernel (image, headers, kbuild) and unpack it
# under build/kernels/<kver>/ without installing it: installing a kernel
# package would run dkms for every registered module and touch /boot.
#
#   scripts/vm/fetch-kernel.sh [SERIES]      (SERIES defaults to 6.12)
#
# Prints the kernel release (e.g. 6.12.117+deb12-amd64) on stdout.  Results:
#   build/kernels/debs/*.deb                       the downloaded packages
#   build/kernels/<kver>/boot/vmlinuz-<kver>       the kernel
#   build/kernels/<kver>/lib/modules/<kver>/       its modules (.ko.xz)
#   build/kernels/<kver>/usr/src/linux-headers-<kver>   KDIR for out-of-tree builds
#
# Picks the newest ABI for which all four packages exist (the security
# archive sometimes carries an image before its headers, or the reverse).
# Without apt lists (no `apt-get update`) it falls back to what is unpacked.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
B=${B:-$top/build}
series=${1:-6.12}
kdir=$B/kernels
debs=$kdir/debs

say() { echo "fetch-kernel: $*" >&2; }

pkgs_for() {
	local abi=$1
	echo "linux-image-$abi-amd64-unsigned linux-headers-$abi-amd64 linux-headers-$abi-common linux-kbuild-$abi"
}

# Newest first; keep the first ABI whose four packages apt knows.
abi=
re="^linux-image-(${series//./\\.}\\.[0-9]+\\+deb12)-amd64-unsigned\$"
for cand in $(apt-cache pkgnames "linux-image-$series." 2>/dev/null |
		sed -En "s/$re/\\1/p" | sort -rV); do
	# shellcheck disable=SC2046
	if apt-cache show --no-all-versions $(pkgs_for "$cand") >/dev/null 2>&1; then
		abi=$cand
		break
	fi
done

if [ -z "$abi" ]; then
	kver=$(ls -d "$kdir/$series".*/ 2>/dev/null | xargs -rn1 basename | sort -V | tail -n1)
	if [ -n "$kver" ] && [ -e "$kdir/$kver/.unpacked" ]; then
		say "apt knows no complete $series kernel; using the unpacked $kver"
		echo "$kver"
		exit 0
	fi
	say "no linux-image-$series.*+deb12-amd64-unsigned with headers and kbuild (run apt-get update?)"
	exit 1
fi
kver=$abi-amd64
dest=$kdir/$kver
if [ -e "$dest/.unpacked" ]; then
	echo "$kver"
	exit 0
fi

mkdir -p "$debs"
want=()
for p in $(pkgs_for "$abi"); do
	ls "$debs/${p}_"*.deb >/dev/null 2>&1 || want+=("$p")
done
if [ ${#want[@]} -gt 0 ]; then
	say "downloading ${want[*]}"
	# As root apt cannot drop to _apt for a folder it does not own; the
	# download is still checked against the archive's signed lists.
	(cd "$debs" && apt-get download -q -o APT::Sandbox::User=root "${want[@]}" >&2)
fi

say "unpacking $kver into $dest"
tmp=$(mktemp -d "$kdir/unpack.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
for p in $(pkgs_for "$abi"); do
	dpkg -x "$(ls "$debs/${p}_"*.deb | sort -V | tail -n1)" "$tmp"
done

# The headers' Makefile includes the common half by absolute path
# (/usr/src/linux-headers-<abi>-common/Makefile); point it into this tree.
# Its scripts/ and tools/ links are relative and stay valid.
hdr=$tmp/usr/src/linux-headers-$kver
grep -q "^include /usr/src/" "$hdr/Makefile" ||
	{ say "unexpected $hdr/Makefile:"; cat "$hdr/Makefile" >&2; exit 1; }
sed -i "s,^include /usr/src/,include $dest/usr/src/," "$hdr/Makefile"
ln -sfn "../../../usr/src/linux-headers-$kver" "$tmp/lib/modules/$kver/build"
ln -sfn "../../../usr/src/linux-headers-$abi-common" "$tmp/lib/modules/$kver/source"

rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
touch "$dest/.unpacked"
echo "$kver"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# binfmt_fixtures.sh DIR - the foreign programs of vubinfmt.sh, made on the
# host before the VM runs (the VM sees the host's / read-only): Debian 12's
# static busybox for i386 and for armhf, as DIR/busybox-i386 and
# DIR/busybox-armhf, from `apt-get download busybox-static:ARCH` and
# `dpkg-deb -x`, never installed.
#
# The machine need not have the foreign architectures: if apt does not know
# the packages, the download runs on package lists of its own, for i386 and
# armhf only, under DIR/apt (an `apt-get update` there, as any user: the
# system's apt state is not touched). Done once: with both programs there it
# does nothing. When it cannot get them (offline, no archive) it says why in
# DIR/skip, which the test prints as its SKIP reason, and exits 0: the
# build does not fail for a fixture.
set -u

dir=${1:?usage: binfmt_fixtures.sh DIR}
mkdir -p "$dir" || exit 1
dir=$(cd "$dir" && pwd)
[ -x "$dir/busybox-i386" ] && [ -x "$dir/busybox-armhf" ] && exit 0

skip() {
	echo "$*" >"$dir/skip"
	echo "binfmt_fixtures: $* (vubinfmt.sh will skip the foreign programs)" >&2
	exit 0
}
for tool in apt-get dpkg-deb; do
	command -v "$tool" >/dev/null || skip "no $tool"
done

work=$dir/dl
rm -rf "$work"
mkdir -p "$work" || skip "cannot make $work"
trap 'rm -rf "$work"' EXIT
pkgs=(busybox-static:i386 busybox-static:armhf)

# The system's lists, if they have the foreign architectures; else lists of our own.
if ! (cd "$work" && apt-get -q download "${pkgs[@]}" >"$work/log" 2>&1); then
	apt=$dir/apt
	mkdir -p "$apt/lists/partial" "$apt/cache/archives/partial" || skip "cannot make $apt"
	opts=(-q -o APT::Architectures::=i386 -o APT::Architectures::=armhf
		-o Dir::State::Lists="$apt/lists" -o Dir::Cache="$apt/cache"
		-o Dir::State::Status=/dev/null -o Debug::NoLocking=1
		-o Acquire::Languages=none -o APT::Sandbox::User="$(id -un)")
	echo "binfmt_fixtures: apt-get update for i386 and armhf, in $apt" >&2
	timeout 300 apt-get "${opts[@]}" update >"$work/log" 2>&1 ||
		skip "apt-get update for i386 and armhf failed: $(grep -m1 '^[EW]:' "$work/log")"
	(cd "$work" && timeout 300 apt-get "${opts[@]}" download "${pkgs[@]}" >"$work/log" 2>&1) ||
		skip "apt-get download ${pkgs[*]} failed: $(grep -m1 '^E:' "$work/log")"
	# the lists are 50 MB: they are not needed once the programs are here
	rm -rf "$apt"
fi

for arch in i386 armhf; do
	deb=$(ls "$work"/busybox-static_*_"$arch".deb 2>/dev/null | head -n1)
	[ -n "$deb" ] || skip "no busybox-static .deb for $arch"
	mkdir -p "$work/$arch"
	dpkg-deb -x "$deb" "$work/$arch" || skip "dpkg-deb -x $deb failed"
	[ -f "$work/$arch/bin/busybox" ] || skip "no bin/busybox in $deb"
	install -m 0755 "$work/$arch/bin/busybox" "$dir/busybox-$arch.new" &&
		mv "$dir/busybox-$arch.new" "$dir/busybox-$arch" || skip "cannot install busybox-$arch"
done
rm -f "$dir/skip"
echo "binfmt_fixtures: $dir/busybox-i386 and $dir/busybox-armhf" >&2
exit 0

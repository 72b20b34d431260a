#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the debug kernel of `make vm-check-debug` from Debian's 6.1 source
# (/usr/src/linux-source-6.1.tar.xz, package linux-source-6.1), once:
#
#   scripts/vm/build-debug-kernel.sh [--config-only]
#
# Prints the kernel release on stdout; everything else goes to stderr and to
# build/kernels/debug-<hash>/build.log.  The cache key <hash> covers the
# config fragment (scripts/vm/debug-kernel.config), the base config and the
# source package's version: change either and the next run builds anew.
#
#   build/kernels/linux-source-<ver>/          the unpacked source (shared)
#   build/kernels/debug-<hash>/obj/            the build tree (O=); KDIR for
#                                              out-of-tree modules (M=)
#   build/kernels/debug-<hash>/boot/vmlinuz-<kver>
#   build/kernels/debug-<hash>/lib/modules/<kver>/   modules.builtin & co.
#   build/kernels/<kver> -> debug-<hash>       what run.sh --kernel <kver> finds
#
# The config is `make tinyconfig` plus the fragment (merge_config.sh), then
# olddefconfig; a fragment line that did not survive (a missing dependency,
# a misspelt name) fails the build before it starts.  --config-only stops
# after that check.  JOBS (default 2) is make's -j.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
B=${B:-$top/build}
JOBS=${JOBS:-2}
tarball=${KMVIEW_DEBUG_SRC:-/usr/src/linux-source-6.1.tar.xz}
fragment=$here/debug-kernel.config
base=tinyconfig
config_only=0
[ "${1:-}" = --config-only ] && config_only=1

say() { echo "build-debug-kernel: $*" >&2; }
die() { say "$*"; exit 1; }

[ -r "$tarball" ] || die "no $tarball: apt-get install linux-source-6.1"
# What a kernel build needs beyond build-essential (objtool links libelf).
need=()
for tool in bc bison flex; do
	command -v $tool >/dev/null || need+=($tool)
done
[ -e /usr/include/gelf.h ] || need+=(libelf-dev)
[ ${#need[@]} = 0 ] || die "missing: apt-get install ${need[*]}"
srcver=$(dpkg-query -W -f='${Version}' linux-source-6.1 2>/dev/null || true)
[ -n "$srcver" ] || srcver=$(stat -c '%s-%Y' "$tarball")

hash=$({ echo "$base"; echo "$srcver"; cat "$fragment"; } | sha256sum | cut -c1-16)
dir=$B/kernels/debug-$hash
if [ -e "$dir/.built" ]; then
	kver=$(cat "$dir/.built")
	ln -sfn "debug-$hash" "$B/kernels/$kver"
	echo "$kver"
	exit 0
fi

# --- the source, unpacked once per package version ---------------------------
src=$B/kernels/linux-source-$srcver
if [ ! -e "$src/.unpacked" ]; then
	say "unpacking $tarball into $src"
	rm -rf "$src" "$src.tmp"
	mkdir -p "$src.tmp"
	tar -xJf "$tarball" -C "$src.tmp" --strip-components=1
	touch "$src.tmp/.unpacked"
	mv "$src.tmp" "$src"
fi

mkdir -p "$dir"
log=$dir/build.log
: > "$log"
obj=$dir/obj
kmake() { make -C "$src" O="$obj" ARCH=x86_64 "$@" >> "$log" 2>&1; }

# --- the config ------------------------------------------------------------
say "configuring ($base + $(basename "$fragment")) in $obj"
rm -rf "$obj"
mkdir -p "$obj"
kmake "$base" || die "make $base failed; see $log"
"$src/scripts/kconfig/merge_config.sh" -m -O "$obj" "$obj/.config" "$fragment" >> "$log" 2>&1 ||
	die "merge_config.sh failed; see $log"
kmake olddefconfig || die "make olddefconfig failed; see $log"

# Every line of the fragment must be in the result, as written: "=y", a
# value, or "is not set" (absent counts as not set).
missing=()
while IFS= read -r line; do
	case $line in
	CONFIG_*=*)
		grep -qxF "$line" "$obj/.config" || missing+=("$line (got: $(grep -E "^(# )?${line%%=*}[= ]" "$obj/.config" || echo absent))")
		;;
	"# CONFIG_"*" is not set")
		sym=${line#\# }
		sym=${sym%% *}
		! grep -q "^$sym=" "$obj/.config" || missing+=("$line (got: $(grep "^$sym=" "$obj/.config"))")
		;;
	esac
done < "$fragment"
if [ ${#missing[@]} -gt 0 ]; then
	say "these options of $(basename "$fragment") did not survive olddefconfig:"
	printf '  %s\n' "${missing[@]}" >&2
	exit 1
fi
say "all $(grep -cE '^(CONFIG_|# CONFIG_.* is not set)' "$fragment") options of the fragment are in $obj/.config"
[ $config_only = 1 ] && exit 0

# --- build and lay it out like an unpacked Debian kernel --------------------
say "building with -j$JOBS (load: $(cut -d' ' -f1-3 /proc/loadavg)); log in $log"
start=$(date +%s)
kmake -j"$JOBS" bzImage modules || { tail -n 30 "$log" >&2; die "the kernel build failed; see $log"; }
kver=$(make -s -C "$src" O="$obj" ARCH=x86_64 kernelrelease)
rm -rf "$dir/boot" "$dir/lib"
install -D -m 0644 "$obj/arch/x86/boot/bzImage" "$dir/boot/vmlinuz-$kver"
kmake INSTALL_MOD_PATH="$dir" INSTALL_MOD_STRIP=1 modules_install ||
	die "modules_install failed; see $log"
# Everything is built in; run.sh still expects the directory.
mkdir -p "$dir/lib/modules/$kver/kernel"
elapsed=$(($(date +%s) - start))
say "built $kver in ${elapsed}s (load now: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$elapsed" > "$dir/build-seconds"
echo "$kver" > "$dir/.built"
ln -sfn "debug-$hash" "$B/kernels/$kver"
echo "$kver"

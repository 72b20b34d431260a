#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vuos-modules.sh - build VUOS 0.9.4's own modules, unchanged, against
# kmview's include/ only, with Debian's default flags, into
# build/vuos/modules/: the VM test vuos_modules.sh then loads them in a
# view. This is the proof that a VUOS module ports by recompiling.
#
# `make vuos-modules` runs it. The sources are read from $VUOS_SRC
# (default /work/vuos), never copied into this tree; without them it says
# so and exits 0, and the VM test skips.
#
# Usage: vuos-modules.sh OUTDIR LIBVUMOD_A
set -u
top=$(cd "$(dirname "$0")/.." && pwd -P)
VUOS_SRC=${VUOS_SRC:-/work/vuos}
CC=${CC:-gcc}
out=${1:?usage: $0 OUTDIR LIBVUMOD_A}
libvumod=${2:?usage: $0 OUTDIR LIBVUMOD_A}

if [ ! -f "$VUOS_SRC/include/vumodule.h" ] || [ ! -d "$VUOS_SRC/test_modules" ]; then
	echo "vuos-modules: SKIPPED: no VUOS source tree at VUOS_SRC=$VUOS_SRC"
	exit 0
fi
mkdir -p "$out"
rm -f "$out"/*.so

# Debian's default flags (dpkg-buildflags), and -I kmview's include only.
flags=(-std=gnu11 -D_GNU_SOURCE -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -O2 -Wall
	-Wno-unused-parameter -Wno-format -fPIC -shared -I"$top/include")
fail=0 built=0
# and VUOS's vudev submodules, for kmview's vudev (vudevvdi needs VirtualBox's headers: not built)
for src in "$VUOS_SRC"/test_modules/*.c "$VUOS_SRC"/vudev_modules/vudev{null,ramdisk,partx}.c; do
	[ -f "$src" ] || continue
	name=$(basename "$src" .c)
	libs=()
	grep -q '<stropt.h>' "$src" && libs=(-lstropt)
	# libvumod is linked in: the daemon does not provide it, VUOS's build links it
	grep -q '<libvumod.h>' "$src" && libs+=("$libvumod" -lvolatilestream)
	if "$CC" "${flags[@]}" -o "$out/$name.so" "$src" "${libs[@]}" 2>"$out/$name.log"; then
		built=$((built + 1))
		rm -f "$out/$name.log"
	else
		echo "vuos-modules: $name does not build:"
		sed 's/^/    /' "$out/$name.log"
		fail=$((fail + 1))
	fi
done
echo "vuos-modules: $built built into $out, $fail failed"
[ $fail -eq 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build kmview.ko against another kernel's headers without touching the
# objects of the default (6.1) build in kmod/:
#
#   scripts/vm/build-kmod.sh KDIR DIR
#
# DIR gets kmod/ (symlinks to the repository's kmod/*.c, *.h and Kbuild;
# objects land beside them) and uapi -> the repository's uapi/, so that
# kmod/Kbuild's -I$(src)/../uapi resolves as it does in the repository.
# Built with W=1 and -Werror; a modpost warning fails the build too.  BTF for
# modules is off: the extracted headers come without pahole's inputs.
# Prints the path of the module.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
top=$(cd "$here/../.." && pwd)
kdir=${1:?usage: build-kmod.sh KDIR DIR}
dir=${2:?usage: build-kmod.sh KDIR DIR}

mkdir -p "$dir/kmod"
dir=$(cd "$dir" && pwd)
ln -sfn "$top/uapi" "$dir/uapi"
# Fresh links each time: files added to or removed from kmod/ follow.
find "$dir/kmod" -maxdepth 1 -type l -delete
# Sources only: a generated file (kmview.mod.c) linked here would be
# rewritten through the link by this build and corrupt the one in kmod/.
for f in "$top"/kmod/*.c "$top"/kmod/*.h "$top"/kmod/Kbuild; do
	case $f in *.mod.c) continue ;; esac
	[ -e "$f" ] && ln -s "$f" "$dir/kmod/"
done

log=$dir/build.log
set +e
make -C "$kdir" M="$dir/kmod" CONFIG_DEBUG_INFO_BTF_MODULES= W=1 KCFLAGS=-Werror modules 2>&1 |
	tee "$log" >&2
rc=${PIPESTATUS[0]}
set -e
[ $rc = 0 ] || { echo "build-kmod: build against $kdir failed" >&2; exit $rc; }
if grep -q 'WARNING:' "$log"; then
	echo "build-kmod: the build against $kdir warned:" >&2
	grep 'WARNING:' "$log" >&2
	exit 1
fi
echo "$dir/kmod/kmview.ko"

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# vuos-compat.sh - do VUOS's own sources compile against kmview's include/?
#
# `make vuos-compat` runs it (not part of `make unit`: it needs a VUOS
# source tree, which kmview does not ship). Each C file of the chosen
# parts of the tree at $VUOS_SRC (default /work/vuos) is compiled with
# `gcc -fsyntax-only -Wall` and -I include only, as VUOS builds it
# (-std=gnu11 -D_GNU_SOURCE). A file fails on any error, and on the
# warnings that mean our headers do not match VUOS's: an undeclared
# function, a function pointer of another type, an int for a pointer.
# Other warnings are shown; those that VUOS's own headers do not give
# (when they can be used: they need libcap's <sys/capability.h>) are
# counted apart as "kmview-only", for a human to judge.
#
# Usage: vuos-compat.sh [-a] [-v]
#   default  the submodules (vudev_modules, vunet_modules, vumisc_modules)
#            and the commands (cmd/): the contract of vudev.h, vunet.h,
#            vumisc.h, libvumod.h and vulib.h
#   -a       also the modules themselves (vudev, vunet, vumisc, vufuse,
#            vubinfmt, vufs, vudevfuse, vufuse_modules, test_modules,
#            libvumod): mostly the contract of vumodule.h
#   -v       print every diagnostic, not only those of failing files
# Without a VUOS tree it says so and exits 0 (skipped).
set -u
top=$(cd "$(dirname "$0")/.." && pwd -P)
VUOS_SRC=${VUOS_SRC:-/work/vuos}
CC=${CC:-gcc}
all=0 verbose=0
while getopts av o; do
	case $o in
	a) all=1 ;;
	v) verbose=1 ;;
	*) echo "usage: $0 [-a] [-v]" >&2; exit 2 ;;
	esac
done

if [ ! -d "$VUOS_SRC/include" ] || [ ! -f "$VUOS_SRC/include/vumodule.h" ]; then
	echo "vuos-compat: SKIPPED: no VUOS source tree at VUOS_SRC=$VUOS_SRC"
	echo "vuos-compat: (unpack VUOS 0.9.4 there, or say where: make vuos-compat VUOS_SRC=dir)"
	exit 0
fi

parts="vudev_modules vunet_modules vumisc_modules cmd"
[ $all = 1 ] && parts="$parts vudev vunet vumisc vufuse vubinfmt vufs vudevfuse vufuse_modules \
test_modules libvumod"

flags=(-fsyntax-only -std=gnu11 -D_GNU_SOURCE -Wall -Wno-unused-parameter
	-ftrack-macro-expansion=0 -fno-diagnostics-show-caret -fdiagnostics-color=never
	-Werror=implicit-function-declaration -Werror=incompatible-pointer-types
	-Werror=int-conversion -Werror=implicit-int -Werror=return-type)

# The diagnostics in the file itself, without the column: what to compare.
located() { grep -E "^$1:[0-9]+:[0-9]+: (warning|error)" | sed -E 's/^([^:]+:[0-9]+):[0-9]+:/\1:/' | sort -u; }

# VUOS's own headers as the reference, if they compile here at all.
ref_ok=0
printf '#include <vumodule.h>\n' | "$CC" "${flags[@]}" -I"$VUOS_SRC/include" -x c - 2>/dev/null && ref_ok=1
[ $ref_ok = 1 ] || echo "vuos-compat: note: VUOS's own headers do not compile here (libcap-dev?): no kmview-only count"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0 failed=()
for part in $parts; do
	for src in "$VUOS_SRC/$part"/*.c; do
		[ -f "$src" ] || continue
		rel=${src#"$VUOS_SRC"/}
		# As VUOS's build: the part's own directory for its private
		# headers; a fuse submodule is told its name.
		own=(-I"$VUOS_SRC/$part")
		[ "$part" = vufuse_modules ] && own+=(-DPROGNAME="\"$(basename "$src" .c)\"")
		[ "$part" = vufuse ] && own+=(-D_FILE_OFFSET_BITS=64 -DFUSE_USE_VERSION=314)
		"$CC" "${flags[@]}" "${own[@]}" -I"$top/include" "$src" >"$tmp/out" 2>&1
		st=$?
		newer=""
		if [ $ref_ok = 1 ]; then
			"$CC" "${flags[@]}" "${own[@]}" -I"$VUOS_SRC/include" "$src" >"$tmp/ref" 2>&1
			located "$src" <"$tmp/out" >"$tmp/k"
			located "$src" <"$tmp/ref" >"$tmp/r"
			n=$(comm -23 "$tmp/k" "$tmp/r" | wc -l)
			[ "$n" -gt 0 ] && newer=" ($n kmview-only warnings)"
		fi
		missing=$(grep -oE 'fatal error: [^:]+: No such file' "$tmp/out" | head -n1 |
			sed -E 's/fatal error: (.*): No such file/\1/')
		if [ $st = 0 ]; then
			pass=$((pass + 1))
			echo "ok       $rel$newer"
		else
			fail=$((fail + 1))
			failed+=("$rel")
			if [ -n "$missing" ]; then
				echo "FAILED   $rel: <$missing> not found (a package of scripts/packages.txt missing?)"
			else
				echo "FAILED   $rel"
			fi
		fi
		if [ $st != 0 ] || [ $verbose = 1 ]; then
			grep -E '(warning|error):' "$tmp/out" | sed "s,^$VUOS_SRC/,,;s,^$top/,,;s/^/    /"
			if [ -n "$newer" ]; then
				echo "    kmview-only:"
				comm -23 "$tmp/k" "$tmp/r" | sed "s,^$VUOS_SRC/,,;s/^/      /"
			fi
		fi
	done
done
echo "vuos-compat: $pass passed, $fail failed"
[ $fail = 0 ] || { printf 'vuos-compat: failed: %s\n' "${failed[*]}"; exit 1; }
exit 0

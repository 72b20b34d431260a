#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# oot_build.sh - build ootcat.c as a third party would: in a directory of
# its own holding only the module and a copy of include/vumodule.h (no -I
# into the tree), with Debian's default flags and -Wall -Werror; then check
# that it calls the forms such a build makes (open64, __read_chk, fopen64,
# readdir64, stat64), which the nesting layer must rebind.
# Usage: oot_build.sh [OUT.so]: keep the module there (the VM test loads
# it); with no argument it is a unit test (TAP) and keeps nothing.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
out=$1
CC=${CC:-cc}
FLAGS="-Wall -Werror -D_FILE_OFFSET_BITS=64 -D_FORTIFY_SOURCE=2 -O2 -fPIC -shared"

t=$(mktemp -d /tmp/kmview-oot.XXXXXX)
trap 'rm -rf "$t"' EXIT
cp "$top/include/vumodule.h" "$here/ootcat.c" "$t/"
n=0
failed=0
ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $n - $2"; else echo "not ok $n - $2"; failed=$((failed + 1)); fi
}

# shellcheck disable=SC2086
(cd "$t" && $CC $FLAGS -o ootcat.so ootcat.c) >"$t/log" 2>&1
st=$?
ok $st "ootcat.c builds against vumodule.h alone: $FLAGS"
[ $st -eq 0 ] || sed 's/^/#   /' "$t/log"
undef=$(nm -D --undefined-only "$t/ootcat.so" 2>/dev/null | awk '{ print $2 }' | sed 's/@.*//')
for sym in open64 __read_chk fopen64 readdir64 stat64 lstat64; do
	echo "$undef" | grep -qx "$sym"
	ok $? "it calls $sym"
done
# what it needs of the hypervisor is vumodule.h's
extra=$(echo "$undef" | grep -E '^vu' | grep -vxE 'vuht_pathadd|vuht_del|vu_mod_getht|vuht_get_service|vuht_get_private_data' | tr '\n' ' ')
[ -z "$extra" ]
ok $? "and of the hypervisor only functions of vumodule.h${extra:+ (not: $extra)}"
if [ -n "$out" ] && [ $st -eq 0 ]; then
	mkdir -p "$(dirname "$out")" && cp "$t/ootcat.so" "$out"
fi
if [ -z "$out" ]; then
	echo "1..$n"
fi
[ "$failed" -eq 0 ]

# SPDX-License-Identifier: GPL-2.0-or-later
# ms PROGRAM ARGS... DIR: milliseconds for PROGRAM to walk DIR ten times in
# one run (DIR given ten times), less those of starting it (`--version`):
# in the test guest an exec over 9p costs as much as a small walk.
ms() {
	local dir=${!#} s e v i
	local args=("${@:1:$#-1}")
	for i in 1 2 3 4 5 6 7 8 9 10; do args+=("$dir"); done
	s=$(date +%s%N); "$1" --version >/dev/null; v=$(($(date +%s%N) - s))
	s=$(date +%s%N); "${args[@]}" 2>/dev/null | cat >/dev/null; e=$(($(date +%s%N) - s))
	echo $(((e - v) / 1000000))
}

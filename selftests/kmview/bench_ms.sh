# SPDX-License-Identifier: GPL-2.0-or-later
# ms PROGRAM ARGS...: milliseconds PROGRAM takes, its output thrown away
# through a pipe (tar does not read files it writes to /dev/null), less
# those of starting it (`PROGRAM --version`): in the test guest an exec
# over 9p costs as much as a small walk.
ms() {
	local s e v
	s=$(date +%s%N); "$1" --version >/dev/null 2>&1; v=$(($(date +%s%N) - s))
	s=$(date +%s%N); "$@" 2>/dev/null | cat >/dev/null; e=$(($(date +%s%N) - s))
	echo $(((e - v) / 1000000))
}

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The socket calls (daemon/sc/socket.c) against sockecho, a test module
# claiming AF_DECnet, which the kernel does not have: python in a view
# makes sockets of it and every call gets the module's answer; AF_INET
# stays native; msocket (-5) with and without a stack path. The checks
# are sockets.py's; this turns its PASS/FAIL lines into TAP.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-sockets.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
MOD=$(cd "$(dirname "$0")/../../build/selftests/modules" && pwd)/sockecho.so
PY=$(cd "$(dirname "$0")" && pwd)/sockets.py

# -l 5: the methods a module lacks are notices
kmv() { kmview -N -l 5 -o "$LOG" "$@"; }

tap_of() {	# the PASS/FAIL lines of sockets.py as TAP
	local line
	while IFS= read -r line; do
		case $line in
		PASS\ *) ok 0 "${line#PASS }" ;;
		FAIL\ *) ok 1 "${line#FAIL }" ;;
		*) echo "# $line" ;;
		esac
	done
}

tap_of < <(python3 "$PY" native-only 2>&1)
# the family first, with no path claimed (the filter has socket(2) for it
# alone), then a stack mounted at $T/stack for msocket's path form
mkdir "$T/stack"
tap_of < <(kmv sh -c 'vu_insmod "$1" && python3 "$2" && vumount -t sockecho none "$3" &&
	python3 "$2" stack "$3"' sh "$MOD" "$PY" "$T/stack" 2>&1)
grep -q 'getpeername on a virtual socket is not served: module sockecho has no getpeername' "$LOG"
ok $? "the method the module lacks is logged"

# every socket closed: nothing holds the module
out=$(kmv sh -c 'vu_insmod "$1" && python3 -c "import socket; socket.socket(12, 2).close()" &&
	vu_rmmod sockecho && echo removed' sh "$MOD" 2>&1)
is "$out" "removed" "a closed socket is the module's close: vu_rmmod then succeeds"
out=$(kmv bash -c 'vu_insmod "$1"
	python3 -c "import socket, os, time; s = socket.socket(12, 2); os.dup2(s.fileno(), 5)
os.execvp(\"sh\", [\"sh\", \"-c\", \"vu_rmmod sockecho; exec 5>&-; vu_rmmod sockecho && echo removed\"])"' \
	sh "$MOD" 2>&1)
echo "$out" | grep -q 'vu_rmmod: sockecho: Device or resource busy' && echo "$out" | grep -q '^removed$'
st=$?
ok $st "an open socket holds the module (EBUSY), its close lets it go"
[ $st -eq 0 ] || echo "$out" | sed 's/^/#   /'

done_testing

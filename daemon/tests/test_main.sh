#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# test_main.sh - the real kmview binary, start to end, over fake_kmview.so
# (a preloaded stand-in for /dev/kmview): options, rc files, the exit
# status, reaping, error messages, and one vuctl request served.
# Usage: test_main.sh [KMVIEW [FAKE_KMVIEW_SO]]; the build copies it next
# to fake_kmview.so, two levels below build/bin.
here=$(cd "$(dirname "$0")" && pwd)
KMVIEW=${1:-$here/../../bin/kmview}
FAKE=${2:-$here/fake_kmview.so}
n=0
failed=0

ok() {	# ok STATUS NAME
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		failed=$((failed + 1))
	fi
}

is() {	# is GOT WANT NAME
	[ "$1" = "$2" ]
	ok $? "$3"
	[ "$1" = "$2" ] || printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
}

kmv() {
	LD_PRELOAD=$FAKE "$KMVIEW" "$@"
}

t=$(mktemp -d /tmp/kmview-main.XXXXXX)
trap 'rm -rf "$t"' EXIT
export HOME=$t/home
mkdir -p "$HOME"

kmv -N sh -c 'exit 7'
is "$?" 7 "exits with the command's status"
kmv -N sh -c 'kill -TERM $$'
is "$?" 143 "128 + the signal that killed the command"
is "$(kmv -N sh -c 'echo out; echo err >&2' 2>&1)" "$(printf 'out\nerr')" \
	"the command's output passes through, nothing of kmview's"
is "$(kmv -N echo -N -x)" "-N -x" "options end at the command"
is "$(kmv -N -- echo hi)" "hi" "-- ends the options too"

echo 'echo user-rc' > "$HOME/.vurc"
is "$(kmv echo cmd)" "$(printf 'user-rc\ncmd')" "~/.vurc runs before the command"
is "$(kmv -N echo cmd)" "cmd" "-N runs no rc file"
echo 'echo rc-f; exit 3' > "$t/rc"
is "$(kmv -f "$t/rc" echo cmd 2>/dev/null)" "$(printf 'rc-f\ncmd')" \
	"-f replaces ~/.vurc; a failing rc file does not stop the command"
kmv -f "$t/rc" true 2>"$t/err" >/dev/null
grep -q "exited with status 3" "$t/err"
ok $? "a failing rc file is reported"
kmv -f "$t/missing" true 2>"$t/err"
is "$?" 0 "a missing -f file does not stop the command"
grep -q "missing" "$t/err"
ok $? "but it is reported"
rm "$HOME/.vurc"
kmv true 2>"$t/err"
is "$(cat "$t/err")" "" "missing /etc/vurc and ~/.vurc: silent"

start=$(date +%s%N)
kmv -N sh -c 'sleep 0.3 & exit 5'
st=$?
elapsed=$((($(date +%s%N) - start) / 1000000))
is "$st" 5 "the command's status even when it leaves children behind"
[ "$elapsed" -ge 280 ]
ok $? "kmview waits until the view is empty (${elapsed} ms)"

kmv -N /nonexistent/cmd 2>"$t/err"
is "$?" 127 "command not found: 127"
grep -q "cannot run /nonexistent/cmd" "$t/err"
ok $? "says which command"
kmv -N /etc 2>/dev/null
is "$?" 126 "command not executable: 126"

msg=$(FAKE_KMVIEW_OPEN_ERRNO=2 kmv -N true 2>&1)
is "$?" 1 "no /dev/kmview: exit 1"
is "$msg" "kmview: cannot open /dev/kmview: No such file or directory; load the module: modprobe kmview" \
	"and the message says what to do"
msg=$(FAKE_KMVIEW_OPEN_ERRNO=13 kmv -N true 2>&1)
is "$?" 1 "no access to /dev/kmview: exit 1"
echo "$msg" | grep -q "Permission denied.*udev"
ok $? "the message names the udev rule"
msg=$(FAKE_KMVIEW_ATTACH_ERRNO=16 kmv -N true 2>&1)
is "$?" 1 "ATTACH refused: exit 1"
echo "$msg" | grep -q "cannot join the view.*nested views"
ok $? "the message explains EBUSY"

FAKE_KMVIEW_VUCTL=1 FAKE_KMVIEW_LOG=$t/replies kmv -N true
is "$(cat "$t/replies" 2>/dev/null)" "reply unique=42 len=120 kind=1 retval=0" \
	"a vu_check() request is answered RETURN 0"
FAKE_KMVIEW_VUCTL=1 kmv -N -d s -o "$t/log" true
grep -q "\[s\] tid 1: syscall -4" "$t/log"
ok $? "-d s -o FILE logs the request to FILE"

# The daemon (the command's parent) may hold a file for each virtual file of
# the whole view: its soft limit of open files is the hard one; the command
# gets the limit kmview was started with.
hard=$(ulimit -Hn)
if [ "$hard" != unlimited ] && [ "$hard" -gt 200 ]; then
	is "$( (ulimit -Sn 100; kmv -N sh -c 'ulimit -Sn') )" 100 \
		"the command has the soft limit of open files kmview had"
	is "$( (ulimit -Sn 100; kmv -N sh -c \
		'sed -n "s/^Max open files *\([0-9]*\).*/\1/p" /proc/$PPID/limits') )" "$hard" \
		"the daemon's own soft limit is the hard limit ($hard)"
else
	ok 0 "# SKIP hard limit of open files $hard"
fi

kmv -l 9 true 2>/dev/null
is "$?" 1 "a bad option: exit 1"
kmv 2>/dev/null
is "$?" 1 "no command: exit 1"
is "$(kmv --help | head -1)" "Usage: kmview [options] command [args]" "--help"

# Nesting rebinds modules' calls only (nest_bind.c): the binary defines no
# C library function, so its own calls are the C library's.
libc_names=$(nm -D --defined-only "$KMVIEW" | awk '{ print $3 }' |
	grep -xE 'open|open64|openat|stat|stat64|lstat|fstat|read|write|close|fopen|opendir|readdir|access|readlink|mkdir|unlink|rename' |
	tr '\n' ' ')
is "$libc_names" "" "kmview exports no C library file function"

echo "1..$n"
[ "$failed" -eq 0 ]

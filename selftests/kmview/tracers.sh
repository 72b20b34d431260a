#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Tracers inside a view: strace -f and gdb run a workload that uses virtual
# files and it behaves as it does natively; a call a tracer skips
# (strace -e inject=) stays skipped and never becomes a management call.
# What a tracer sees of a forwarded call is in Documentation/design.md.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-tracers.XXXXXX)
trap 'rm -rf "$T"' EXIT
S=$T/src
V=$T/mnt
mkdir -p "$S/sub"
echo hello >"$S/a"
cp /bin/true "$S/true"

workload='cat "$1/a"; ls "$1"; cp "$1/a" "$1/b"; cat "$1/b"; rm "$1/b"; sh -c "cd \"$1/sub\" && pwd"'

want=$(sh -c "$workload" sh "$S" 2>&1 | sed "s|$S|D|g")
got=$(kmview -N sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" || exit 1
	strace -f -o "$3" sh -c "$4" sh "$2"' sh "$S" "$V" "$T/strace.log" "$workload" 2>&1 | sed "s|$V|D|g")
is "$got" "$want" "strace -f of a workload on virtual files: the same output as natively"
grep -q "openat(AT_FDCWD, \"$V/a\"" "$T/strace.log" && grep -q 'execve("[^"]*/cp"' "$T/strace.log"
ok $? "strace saw the virtual open and the children's execs"
n=$(grep -c '+++ exited with 0 +++' "$T/strace.log")
[ "$n" -ge 7 ]
ok $? "every traced process exited with 0 ($n)"
[ "$n" -ge 7 ] || tail -5 "$T/strace.log" | sed 's/^/# /'

is "$(kmview -N strace -qq -o /dev/null -e trace=getppid -e inject=getppid:retval=4242 \
	python3 -c 'import os; print(os.getppid())' 2>&1)" "4242" \
	"strace -e inject= skips a call in a view: the tracer's value, no management call"
out=$(kmview -N sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" || exit 1
	strace -qq -o /dev/null -e inject=mkdir,mkdirat:error=EPERM mkdir "$2/x"' sh "$S" "$V" 2>&1)
echo "$out" | grep -q 'Operation not permitted' && [ ! -e "$S/x" ]
ok $? "an injected error reaches the program, and the skipped mkdir made nothing"

out=$(kmview -N sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2" || exit 1
	gdb -q -batch -ex "set startup-with-shell off" -ex run --args "$2/true"' sh "$S" "$V" 2>&1)
echo "$out" | grep -q 'exited normally'
ok $? "gdb runs a program from a virtual tree to its end"
echo 'kill -SEGV $$' >"$T/segv.sh"
out=$(kmview -N gdb -q -batch -ex "set startup-with-shell off" -ex run -ex bt \
	--args /bin/sh "$T/segv.sh" 2>&1)
echo "$out" | grep -q 'received signal SIGSEGV' && echo "$out" | grep -q '^#0'
ok $? "gdb stops a program on a signal in a view and prints its backtrace"

done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The daemon's thread pool, end to end through a vufs bind: a member that
# blocks in a virtual call (flock, a FIFO) stalls no other member; a
# signal interrupts a waiting flock (EINTR without SA_RESTART, restarted
# with it); killing the daemon while calls are held kills the members.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-pool.XXXXXX)
trap 'rm -rf "$T"' EXIT
chmod 755 "$T"
LOG=$T/daemon.log
S=$T/src
M=$T/m
mkdir -p "$S/sub"
echo hello >"$S/a"
touch "$S/lockf" "$S/sub/x"
mkfifo "$S/fifo"
PF=$(cd "$(dirname "$0")/../.." && pwd)/build/selftests/pool_flock

kmv() { timeout 60 kmview -N -o "$LOG" "$@"; }

# A process that exists and is not a zombie waiting for its reaper.
alive() { [ -e "/proc/$1" ] && ! grep -q '^State:[[:space:]]*Z' "/proc/$1/status" 2>/dev/null; }

# ---- two members, one lock: the waiter blocks alone ----
# The holder keeps the lock until the third member has worked (the go
# file), so the order is fixed however slow the machine; with requests
# served one at a time, the waiter would stall the third member for good.
rm -f "$T/go"
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2" || exit 1
	flock "$2/lockf" -c "echo held; while [ ! -e $3/go ]; do sleep 0.1; done; echo unlocking" &
	sleep 1
	flock "$2/lockf" -c "echo waiter locked" &
	sleep 1
	ls "$2"; cat "$2/a"; ls "$2/sub"; echo worked; touch "$3/go"
	wait' sh "$S" "$M" "$T" 2>&1)
is "$out" "held
a
fifo
lockf
sub
hello
x
worked
unlocking
waiter locked" "one member holds the lock, one waits in flock, a third works through the bind meanwhile"

# ---- a signal interrupts a waiting flock ----
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2" || exit 1
	flock "$2/lockf" -c "sleep 4" &
	sleep 0.5
	start=$SECONDS
	flock -w 1 "$2/lockf" true; echo "flock -w: status $? after $((SECONDS - start))s"
	"$3" "$2/lockf" intr; echo "intr: status $?"
	wait' sh "$S" "$M" "$PF" 2>&1)
echo "$out" | sed 's/^/# /'
echo "$out" | grep -Eq '^flock -w: status 1 after [12]s$'
ok $? "flock -w 1 on a held lock: its timer interrupts the wait, it gives up after 1 s"
echo "$out" | grep -q '^flock: Interrupted system call after .* handler ran$' &&
	echo "$out" | grep -q '^intr: status 0$'
ok $? "a handler without SA_RESTART: flock fails with EINTR"

out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2" || exit 1
	flock "$2/lockf" -c "sleep 3" &
	sleep 0.5
	"$3" "$2/lockf" restart; echo "restart: status $?"
	wait' sh "$S" "$M" "$PF" 2>&1)
echo "$out" | sed 's/^/# /'
echo "$out" | grep -q '^flock: locked after .* handler ran$' &&
	echo "$out" | grep -q '^restart: status 0$'
ok $? "a handler with SA_RESTART: flock is restarted and gets the lock when it is free"

# ---- a FIFO: a reader blocked in open, then in read, stalls no one ----
out=$(kmv bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2" || exit 1
	cat "$2/fifo" >"$3/got" &
	sleep 0.5
	cat "$2/a"; ls "$2/sub"
	exec 4>"$2/fifo"
	sleep 0.5
	cat "$2/a"
	echo data >&4; exec 4>&-
	wait; cat "$3/got"' sh "$S" "$M" "$T" 2>&1)
is "$out" "hello
x
hello
data" "a reader waits in open and in read of a FIFO in the bind while others are served"

# ---- the daemon dies while calls are held in the pool ----
rm -f "$T"/pid.*
timeout 60 kmview -N -o "$LOG" bash -c 'vu_insmod vufs && vumount -t vufs -o nopassthrough "$1" "$2" || exit 1
	flock "$2/lockf" -c "echo \$\$ >$3/pid.holder; sleep 100" &
	sleep 0.5
	(echo $BASHPID >"$3/pid.waiter"; exec flock "$2/lockf" true) &
	(echo $BASHPID >"$3/pid.reader"; exec cat "$2/fifo") &
	echo $$ >"$3/pid.shell"
	wait' sh "$S" "$M" "$T" >/dev/null 2>&1 &
daemon=$!
for _ in $(seq 50); do
	[ -s "$T/pid.holder" ] && [ -s "$T/pid.waiter" ] && [ -s "$T/pid.reader" ] &&
		[ -s "$T/pid.shell" ] && break
	sleep 0.1
done
sleep 0.5
pids="$(cat "$T"/pid.* 2>/dev/null | tr '\n' ' ')"
is "$(echo $pids | wc -w)" 4 "four members, two of them waiting in virtual calls"
kill -KILL "$(pgrep -P "$daemon" -x kmview || echo "$daemon")" 2>/dev/null
# kmview under timeout: $daemon is timeout, its child the daemon
left=""
for _ in $(seq 50); do
	left=""
	for p in $pids; do alive "$p" && left="$left $p"; done
	[ -z "$left" ] && break
	sleep 0.1
done
is "$left" "" "the daemon killed: every member is gone"
wait "$daemon" 2>/dev/null

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# System calls a module owns by number (CHECKSC), with the test module
# sctest (modules/sctest.c): real programs (uname, id, hostname) show the
# real answers before vu_insmod and the module's after it, or a mount's
# when one claims them too; and calls nobody claims never reach the
# daemon (counted in its -d s log, one line per forwarded call).
. "$(dirname "$0")/lib.sh"

export KMVIEW_MODULE_PATH=${KMVIEW_MODULE_PATH:-$(cd "$(dirname "$0")/../../build/selftests/modules" && pwd)}
T=$(mktemp -d /tmp/kmview-scnum.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log

kmv() { kmview -N -o "$LOG" "$@"; }

real_node=$(uname -n)
real_uid=$(id -u)
[ "$real_uid" != 0 ] || { echo "# run as an ordinary user: uid 0 proves nothing here"; exit 1; }

# ---- before and after vu_insmod ----
is "$(kmv sh -c 'uname -n; id -u; id -g; hostname')" \
	"$(printf '%s\n%s\n%s\n%s' "$real_node" "$real_uid" "$(id -g)" "$real_node")" \
	"in a view with no module: the real nodename, uid, gid and hostname"
is "$(kmv sh -c 'vu_insmod sctest && uname -n && id -u && id -g && hostname')" \
	"$(printf 'sctest\n0\n0\nsctest')" "after vu_insmod sctest: the module's nodename and ids"
is "$(kmv sh -c 'vu_insmod sctest && uname -s -r')" "$(uname -s -r)" \
	"the fields the module leaves are the real ones"
out=$(kmv sh -c 'vu_insmod sctest && hostname virtual-host && hostname && uname -n' 2>&1)
is "$out" "$(printf 'virtual-host\nvirtual-host')" "hostname NAME, by sethostname: the view's name changes"
is "$(uname -n)" "$real_node" "and the real one does not"
out=$(kmv sh -c 'hostname virtual-host' 2>&1)
[ $? -ne 0 ] && [ "$(uname -n)" = "$real_node" ]
ok $? "without the module, hostname NAME is the kernel's: refused for a user"
is "$(kmv sh -c 'vu_insmod sctest && vu_rmmod sctest && uname -n && id -u')" \
	"$(printf '%s\n%s' "$real_node" "$real_uid")" "after vu_rmmod: real again"

# ---- the clock, by syscall(2): the C library's clock_gettime reads the
# vDSO without entering the kernel, where the clock source allows it (not
# in the test VM), and no module sees those reads ----
clk='import ctypes
class TS(ctypes.Structure):
    _fields_ = [("s", ctypes.c_long), ("ns", ctypes.c_long)]
libc = ctypes.CDLL(None, use_errno=True)
ts = TS()
libc.syscall(228, 0, ctypes.byref(ts))   # __NR_clock_gettime, CLOCK_REALTIME
print(ts.s)
print(libc.syscall(201, None))           # __NR_time'
now=$(date +%s)
kmv python3 -c "$clk" >"$T/clk"
{ read -r a; read -r b; } <"$T/clk"
[ $((a - now)) -ge 0 ] && [ $((a - now)) -lt 120 ] && [ $((b - now)) -ge 0 ] && [ $((b - now)) -lt 120 ]
ok $? "no module: clock_gettime and time by syscall are real ($a $b, now $now)"
got=$(kmv sh -c 'vu_insmod sctest && python3 -c "$1"' sh "$clk")
is "$got" "$(printf '1000000000\n1000000000')" "sctest: clock_gettime and time by syscall are the module's"

# ---- the vDSO: while a module owns the clocks, a program exec'd in the view
# is not told where the vDSO is (kmview.ko 1.4), so its C library's clock
# reads are system calls the module sees; other views keep theirs ----
ehdr='LD_SHOW_AUXV=1 /bin/true | grep -c "^AT_SYSINFO_EHDR"'
auxv='import struct
a = open("/proc/self/auxv", "rb").read()
print(sum(1 for i in range(0, len(a), 16) if struct.unpack_from("QQ", a, i)[0] == 33))'
is "$(kmv sh -c "$ehdr")" 1 "no module: the program is told of the vDSO"
is "$(kmv sh -c 'vu_insmod sctest && { sh -c "$1"; python3 -c "$2"; }' sh "$ehdr" "$auxv" 2>&1)" \
	"$(printf '0\n0')" "sctest owns the clocks: no AT_SYSINFO_EHDR on the stack nor in /proc/self/auxv"
is "$(kmv sh -c 'vu_insmod sctest && date +%s && python3 -c "import time; print(int(time.time()))"' 2>&1)" \
	"$(printf '1000000000\n1000000000')" "date and python's time.time, through the C library: the module's time"
is "$(kmv sh -c 'vu_insmod sctest && vu_rmmod sctest && sh -c "$1"' sh "$ehdr" 2>&1)" 1 \
	"vu_rmmod sctest: a program exec'd after it is told of the vDSO again"
kmv sh -c 'vu_insmod sctest && touch "$1/in" && while [ ! -e "$1/out" ]; do sleep 0.2; done' \
	sh "$T" &
for _ in $(seq 150); do [ -e "$T/in" ] && break; sleep 0.2; done
is "$(kmv sh -c "$ehdr")" 1 "while another view hides it, a view without a clock module keeps the vDSO"
touch "$T/out"
wait

# ---- a mount's wildcard claim, newer, wins ----
mkdir "$T/m"
is "$(kmv sh -c 'vu_insmod sctest && vumount -t sctest -o nodename=mounted,uid=42 none "$1" &&
	uname -n && id -u && id -g && vuumount "$1" && uname -n && id -u' sh "$T/m" 2>&1)" \
	"$(printf 'mounted\n42\n0\nsctest\n0')" \
	"a mount's wildcard entry takes uname and the uids (not the gids); vuumount gives them back"
is "$(kmv sh -c 'vu_insmod sctest && vumount -t sctest -o uid=7 none "$1" && uname -n && id -u' \
	sh "$T/m" 2>&1)" "$(printf 'sctest\n7')" \
	"its confirm function declines uname when no nodename is set"

# ---- calls nobody claims never reach the daemon ----
loop='import os
for i in range(300):
    os.getpid(); os.getppid(); os.getuid()'
count() { grep -c "syscall $1 (" "$LOG"; }
: >"$LOG"
kmv -d s python3 -c "$loop"
is "$(count 102)" 0 "no module: getuid stays in the kernel (no log line of the daemon)"
: >"$LOG"
kmv -d s sh -c 'vu_insmod sctest && python3 -c "$1"' sh "$loop"
n=$(count 102)
[ "$n" -ge 300 ]
ok $? "sctest owns getuid: each of the 300 reaches the daemon ($n lines)"
is "$(count 39)" 0 "getpid, unclaimed, never does"
is "$(count 110)" 0 "nor getppid"

done_testing

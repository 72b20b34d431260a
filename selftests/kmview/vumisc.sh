#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vumisc: the time and the system names of a view, as a user sees them.
# vumisctime: the files (base, frequency, offset; bad values are EINVAL and
# change nothing); date and python's time.time()/time.monotonic() (vDSO
# users: the view hides the vDSO from them) at frequency 10, measured
# against /proc/uptime, which is real; an offset of a day; `sleep 2` and
# time.sleep(2) at frequency 2 last about one real second; outside the
# view, and in another view meanwhile, time is real and the vDSO there.
# vumiscuname: uname -n, hostname, `hostname NAME`, setdomainname, the
# files, vuname; the host's names never change.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-vumisc.XXXXXX)
trap 'touch "$T/out"; rm -rf "$T"' EXIT
LOG=$T/daemon.log
M=$T/time
U=$T/uname
mkdir "$M" "$U"

kmv() { kmview -N -o "$LOG" "$@"; }

[ "$(id -u)" != 0 ] || { echo "# run as an ordinary user"; exit 1; }
real_node=$(uname -n)
real_dom=$(cat /proc/sys/kernel/domainname)

# within LO..HI (decimals)?
within() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }

mnt_time='vu_insmod vumisc && vumount -t vumisctime none "$M"'
export M U

# ---- the files, then an offset of a day ----
now=$(date +%s)
out=$(kmv bash -c "$mnt_time"' && ls "$M" && cat "$M/frequency" "$M/offset" "$M/base" &&
	echo 0.5 > "$M/frequency" && cat "$M/frequency" &&
	{ echo abc > "$M/frequency"; echo "st $?"; } &&
	{ echo 0 > "$M/frequency"; echo "st $?"; } &&
	{ echo -2 > "$M/frequency"; echo "st $?"; } &&
	{ echo 1x > "$M/offset"; echo "st $?"; } &&
	cat "$M/frequency" "$M/offset" &&
	echo 1 > "$M/frequency" && echo 86400 > "$M/offset" && date +%s &&
	python3 -c "import time; print(int(time.time())); print(time.monotonic() - float(open(\"/proc/uptime\").read().split()[0]))" &&
	python3 -c "import ctypes, time; ctypes.CDLL(None).prctl(4, 0); print(int(time.time()))" &&
	date -s @2000000000 >/dev/null && date +%s' 2>"$T/err")
{ read -r d; read -r p; read -r mono; read -r nd; read -r ds; } <<<"$(echo "$out" | tail -n5)"
is "$(echo "$out" | head -n -5)" "$(printf 'base\nfrequency\noffset\n1\n0.000000000\n0.000000000\n0.5\nst 1\nst 1\nst 1\nst 1\n0.5\n0.000000000')" \
	"vumisctime: base frequency offset; 1, 0, 0; 0.5 is taken, bad values refused and nothing changed"
is "$(grep -c 'Invalid argument' "$T/err")" 4 "each bad value is EINVAL (\"Invalid argument\")"
within $((d - now - 86400)) 0 60 && within $((p - now - 86400)) 0 60
ok $? "offset 86400: date +%s and time.time() are a day ahead ($d $p, now $now)"
within "${mono:-x}" -5 5
ok $? "the offset leaves the monotonic clock alone ($mono from /proc/uptime)"
within $((nd - now)) 0 60
ok $? "a process the daemon may not write into (PR_SET_DUMPABLE 0) reads the real clock, not an error ($nd)"
within $((ds - 2000000000)) 0 30
ok $? "date -s sets the view's wall clock ($ds)"

# ---- frequency 10: the clocks through the C library, against /proc/uptime ----
pace='import subprocess, time
def up(): return float(open("/proc/uptime").read().split()[0])
def date(): return float(subprocess.check_output(["date", "+%s.%N"]))
u0, t0, m0, d0 = up(), time.time(), time.monotonic(), date()
while up() - u0 < 2: pass
u1, t1, m1, d1 = up(), time.time(), time.monotonic(), date()
r = u1 - u0
print("%.2f %.2f %.2f" % ((t1 - t0) / r, (m1 - m0) / r, (d1 - d0) / r))'
ehdr='LD_SHOW_AUXV=1 /bin/true | grep -c "^AT_SYSINFO_EHDR"'
out=$(kmv sh -c "$mnt_time"' && echo 10 > "$M/frequency"; sh -c "$1"; python3 -c "$2"' \
	sh "$ehdr" "$pace" 2>&1)
{ read -r novdso; read -r rt rm rd; } <<<"$out"
is "$novdso" 0 "with vumisctime a program exec'd in the view is not told of the vDSO"
within "$rt" 8 12 && within "$rm" 8 12 && within "$rd" 7 13
ok $? "frequency 10: time.time, time.monotonic and date run 10 times as fast as real time ($rt $rm $rd)"

later=$(date +%s)
within $((later - now)) 0 60
ok $? "outside the view date is real ($later)"
is "$(python3 -c 'import time; print(abs(time.time() - '"$later"') < 60)')" True \
	"and so is python's time.time()"

# ---- sleeps at frequency 2 last half as long, in real time (/proc/uptime:
# the kernel's, never virtual), less what starting `sleep 0` costs ----
pysleep='import signal, time
def up(): return float(open("/proc/uptime").read().split()[0])
a = up(); time.sleep(2); print("%.2f" % (up() - a))
import select
a = up(); select.select([], [], [], 2); b = up(); select.poll().poll(2000); c = up()
select.epoll().poll(2); d = up()
print("%.2f %.2f %.2f" % (b - a, c - b, d - c))
class Woken(Exception): pass
def wake(*args): raise Woken()
signal.signal(signal.SIGALRM, wake)
signal.setitimer(signal.ITIMER_REAL, 0.3)
a = up()
try:
    time.sleep(100)
except Woken:
    print("woken %.1f" % (up() - a))
signal.alarm(2)
a = up()
try:
    time.sleep(100)
except Woken:
    print("%.2f" % (up() - a))'
out=$(kmv sh -c "$mnt_time"' && echo 2 > "$M/frequency" &&
	up() { read -r u _ </proc/uptime; printf "%s " "$u"; } &&
	up && sleep 0 && up && sleep 2 && up && echo && python3 -c "$1"' sh "$pysleep" 2>&1)
{ read -r u0 u1 u2; read -r s2; read -r sel pol epo; read -r woken w; read -r al; } <<<"$out"
o=$(awk -v a="$u0" -v b="$u1" 'BEGIN { print b - a }')
s1=$(awk -v a="$u1" -v b="$u2" -v o="$o" 'BEGIN { print b - a - o }')
within "$s1" 0.7 1.5
ok $? "frequency 2: sleep 2 takes about one real second ($s1 s, and $o s to start sleep 0)"
within "$s2" 0.95 1.6
ok $? "and python's time.sleep(2), an absolute CLOCK_MONOTONIC sleep, too ($s2 s)"
within "$sel" 0.95 1.6 && within "$pol" 0.95 1.6 && within "$epo" 0.95 1.6
ok $? "and the timeouts of select, poll and epoll_wait of 2 s ($sel $pol $epo s)"
[ "$woken" = woken ] && within "$w" 0.2 5
ok $? "a signal still interrupts a virtual sleep ($woken after $w s of time.sleep(100))"
within "$al" 0.9 1.6
ok $? "alarm(2) rings after about one real second ($al s)"

# ---- another view meanwhile keeps the vDSO and real time ----
kmv sh -c "$mnt_time"' && echo 86400 > "$M/offset" && touch "$1/in" &&
	while [ ! -e "$1/out" ]; do sleep 0.2; done' sh "$T" &
for _ in $(seq 150); do [ -e "$T/in" ] && break; sleep 0.2; done
is "$(kmv sh -c "$ehdr")" 1 "while a view has vumisctime, a view without it keeps the vDSO"
d=$(kmv date +%s)
within $((d - $(date +%s))) -5 5
ok $? "and real time ($d)"
touch "$T/out"
wait

# ---- vumiscuname ----
mnt_uname='vu_insmod vumisc && vumount -t vumiscuname none "$U"'
long=$(printf 'x%.0s' $(seq 70))
sethost='import ctypes, sys
libc = ctypes.CDLL(None, use_errno=True)
n = sys.argv[1].encode()
print("st", 0 if libc.sethostname(n, len(n)) == 0 else ctypes.get_errno())'
out=$(kmv bash -c "$mnt_uname"' && ls "$U" && cat "$U/nodename" && sh -c "$1";
	echo virt > "$U/nodename" && uname -n && hostname &&
	hostname newname && uname -n && cat "$U/nodename" &&
	echo 6.66.6-virtual > "$U/release" && uname -r &&
	python3 -c "import ctypes, os
libc = ctypes.CDLL(None, use_errno=True)
print(libc.setdomainname(b\"vdom\", 4))
b = ctypes.create_string_buffer(65); libc.getdomainname(b, 65); print(b.value.decode())" &&
	cat "$U/domainname" &&
	test "$(uname -snrvm)" = "$(vuname -snrvm)" && echo agree &&
	vuname -a | grep -c "^Linux newname 6.66.6-virtual " &&
	cat /proc/sys/kernel/hostname /proc/sys/kernel/osrelease /proc/sys/kernel/domainname &&
	echo viaproc > /proc/sys/kernel/hostname && uname -n && hostname newname &&
	{ echo "$2" > "$U/nodename"; echo "st $?"; }; python3 -c "$3" "$2"; uname -n;
	vuumount "$U" && hostname other; echo "st $?"; uname -n; vu_rmmod vumisc && echo rmmod' \
	sh "$ehdr" "$long" "$sethost" 2>"$T/err")
is "$(echo "$out" | head -n 18)" "$(printf 'domainname\nmachine\nnodename\nrelease\nsysname\nversion\n%s\n1\nvirt\nvirt\nnewname\nnewname\n6.66.6-virtual\n0\nvdom\nvdom\nagree\n1' "$real_node")" \
	"vumiscuname: the files, uname -n, hostname, hostname NAME, setdomainname, vuname agree; the vDSO stays"
is "$(echo "$out" | sed -n 19,22p)" "$(printf 'newname\n6.66.6-virtual\nvdom\nviaproc')" \
	"/proc/sys/kernel/hostname, osrelease, domainname show the view's names; writing hostname there sets it"
is "$(echo "$out" | tail -n +23)" "$(printf 'st 1\nst 22\nnewname\nst 1\n%s\nrmmod' "$real_node")" \
	"a 70-byte name is refused, by the file and by sethostname (EINVAL), nothing changes; after vuumount hostname NAME is the kernel's (refused for a user), and vu_rmmod vumisc works"
is "$(grep -c 'Invalid argument' "$T/err")" 1 "the file's refusal is EINVAL"
sed 's/^/# /' "$T/err"
is "$(uname -n) $(cat /proc/sys/kernel/hostname) $(cat /proc/sys/kernel/domainname)" \
	"$real_node $real_node $real_dom" "the host's names are unchanged"

done_testing

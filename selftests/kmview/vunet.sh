#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vunet and its submodules, as an ordinary user: two views on one
# vde_switch, each with a vunetvdestack stack set up at mount (ip=..,up);
# ip(8) sees vde0 with its address, the views ping each other and talk
# TCP, the same port is bound in both views and on the host, the host's
# stack is untouched; the sockets are the kernel's (handed over); children
# inherit the default stack; vunetnull refuses, vunetreal is the host's;
# a stack in use cannot be unmounted; bad URLs and a missing switch say
# why; the switch dying makes the network go down, nothing hangs.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-vunet.XXXXXX)
PIDS=()
cleanup() {
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
	[ -f "$T/sw.pid" ] && kill "$(cat "$T/sw.pid")" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }
PATH=$PATH:/sbin:/usr/sbin

if ! unshare -Urn true 2>/dev/null; then
	skip "no unprivileged user namespaces here: kernel.unprivileged_userns_clone=$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo '(none)') user.max_user_namespaces=$(cat /proc/sys/user/max_user_namespaces)"
	done_testing
	exit
fi
if ! command -v vde_switch >/dev/null || [ ! -w /dev/net/tun ]; then
	skip "no vde_switch, or /dev/net/tun not usable"
	done_testing
	exit
fi

vde_switch -d -s "$T/sw" -p "$T/sw.pid" -M "$T/sw.mgmt" 2>"$T/sw.err"
for _ in $(seq 50); do [ -S "$T/sw/ctl" ] && break; sleep 0.1; done
[ -S "$T/sw/ctl" ]
ok $? "vde_switch started by the test"

# stack NAME IP: the commands that mount a vunetvdestack stack at /dev/net/NAME
stack() { echo "vu_insmod vunet && vumount -t vunetvdestack -o ip=$2/24,ip6=fd00::${2##*.}/64,up vde://$T/sw /dev/net/$1"; }

# view B, in the background: a TCP echo server on port 5000 and a UDP one on 5001
cat >"$T/srv.py" <<'PY'
import socket, sys, os
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
t.bind(("10.0.0.2", 5000)); t.listen(1)
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("0.0.0.0", 5001))
open(sys.argv[1], "w").write(os.readlink("/proc/self/fd/%d" % t.fileno()) + "\n")
d, a = u.recvfrom(100); u.sendto(d.upper(), a)
c, _ = t.accept()
total = 0
while True:
    b = c.recv(65536)
    if not b: break
    total += len(b); c.sendall(b)
c.close()
PY
kmv sh -c "$(stack s 10.0.0.2) && vustack /dev/net/s python3 $T/srv.py $T/ready" \
	>"$T/b.out" 2>&1 &
PIDS+=($!)
for _ in $(seq 200); do [ -s "$T/ready" ] && break; sleep 0.1; done
[ -s "$T/ready" ]
ok $? "view B: a stack mounted with -o ip=10.0.0.2/24,up, a server in it"
[ -s "$T/ready" ] || sed 's/^/#   /' "$T/b.out" "$LOG"
grep -q '^socket:\[' "$T/ready"
ok $? "the server's socket is a kernel socket, not a placeholder ($(cat "$T/ready" 2>/dev/null))"

cat >"$T/cli.py" <<'PY'
import socket, hashlib, os
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.settimeout(10)
u.sendto(b"hello", ("10.0.0.2", 5001)); print("udp", u.recvfrom(100)[0].decode())
data = os.urandom(1 << 20)
c = socket.create_connection(("10.0.0.2", 5000), timeout=20)
got = bytearray()
for i in range(0, len(data), 65536):
    c.sendall(data[i:i + 65536])
    while len(got) < i + min(65536, len(data) - i):
        got += c.recv(65536)
c.shutdown(socket.SHUT_WR)
print("tcp", hashlib.sha256(got).hexdigest() == hashlib.sha256(data).hexdigest())
PY
# view A: the stack, ip, ping, the clients, the same port bound, the host's stack
out=$(kmv sh -c "$(stack s 10.0.0.1)"' &&
	stat -c "%f %F" /dev/net/s; echo ---
	vustack /dev/net/s ip addr show vde0; echo ---
	ip link; echo ---
	vustack /dev/net/s ping -c1 -W5 10.0.0.2 >/dev/null && echo ping ok; echo ---
	vustack /dev/net/s busybox ping -c1 -W5 10.0.0.2 >/dev/null && echo busybox ping ok; echo ---
	vustack /dev/net/s python3 '"$T/cli.py"'; echo ---
	vustack /dev/net/s ping -c1 -W2 fd00::2 >/dev/null 2>&1 && echo ping6 ok; echo ---
	vustack /dev/net/s sh -c "python3 -c \"import socket; s=socket.socket(); s.bind((\\\"0.0.0.0\\\", 5000)); print(\\\"bound\\\")\""; echo ---
	vustack /dev/net/s sh -c "sh -c \"ip -o addr show vde0\"" | grep -c 10.0.0.1; echo ---
	vustack /dev/net/s ip route; echo ---
	vustack /dev/net/s sh -c "ip addr add 10.0.1.1/24 dev vde0 && ip -6 addr add fd00:1::1/64 dev vde0 && ip -o addr show vde0"; echo ---
	vustack -f inet /dev/net/s python3 -c "import socket; s=socket.socket(socket.AF_UNIX); s.bind(\"\0kmview-vunet-unix\"); print(\"unix ok\")"
	' 2>&1)
part() { echo "$out" | awk -v n="$1" '/^---$/ { i++; next } i == n'; }
is "$(part 0)" "e1ff weird file" "stat: the mount point is a stack file (S_IFSTACK)"
part 1 | grep -q "inet 10.0.0.1/24"
ok $? "vustack STACK ip addr: vde0 with the address of the mount options"
[ $? = 0 ] || echo "$out" | sed 's/^/#   /'
! part 2 | grep -q vde0
ok $? "without vustack, ip link in the view is the host's: no vde0"
is "$(part 3)" "ping ok" "ping (iputils, unprivileged ICMP) from view A to view B"
is "$(part 4)" "busybox ping ok" "busybox ping too"
is "$(part 5)" "udp HELLO
tcp True" "UDP round trip and 1 MiB over TCP with its checksum, view to view"
# IPv6 across views: neighbour discovery goes unanswered in the 6.1 VM (not solved yet)
echo "$(part 6)" | grep -q "ping6 ok" && ok 0 "ping over IPv6 (ip6= at mount), view to view" ||
	skip "ping over IPv6 across views: known to fail (neighbour discovery), see kmview-vunet(7)"
is "$(part 7)" "bound" "port 5000 bound in view A while view B listens on it"
is "$(part 8)" "1" "a grandchild of vustack inherits the stack"
part 9 | grep -q "10.0.0.0/24 dev vde0"
ok $? "ip route: the stack's routes"
part 10 | grep -q "inet 10.0.1.1/24" && part 10 | grep -q "inet6 fd00:1::1/64"
ok $? "ip addr add and ip -6 addr add: a second address and an IPv6 one"
is "$(part 11)" "unix ok" "AF_UNIX stays the host's under vustack"
python3 -c 'import socket; s=socket.socket(); s.bind(("0.0.0.0", 5000)); print("host bound")' >"$T/h" 2>&1
is "$(cat "$T/h")" "host bound" "port 5000 free on the host's stack"
! ip link | grep -q vde0
ok $? "the host's ip link: no vde0"
wait "${PIDS[0]}"
ok $? "view B's server saw the whole transfer and ended"

# ifconfig (the netdevice ioctls), and the sockets kept virtual (-o nopassthrough):
# every call through vunet and the submodule, as in VUOS
cat >"$T/virt.py" <<'PY'
import socket, os
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("10.0.0.5", 6000))
print("kernel socket" if os.readlink("/proc/self/fd/%d" % u.fileno()).startswith("socket:") else "placeholder")
u.sendto(b"dgram", ("10.0.0.5", 6000)); print(u.recvfrom(10)[0].decode())
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
c = socket.create_connection(l.getsockname()); a, peer = l.accept(); c.sendall(b"stream")
print(a.recv(10).decode(), peer[0])
PY
out=$(kmv sh -c "vu_insmod vunet && vumount -t vunetvdestack -o ip=10.0.0.5/24,nopassthrough vde://$T/sw /dev/net/v &&
	vustack /dev/net/v ifconfig vde0 | grep -o 'inet 10.0.0.5'; vustack /dev/net/v python3 $T/virt.py" 2>&1)
is "$out" "inet 10.0.0.5
placeholder
dgram
stream 127.0.0.1" "ifconfig vde0; nopassthrough: placeholders, UDP and TCP through vunet's methods"

# kill -9 of a view: its stack goes with it, the other view's stays
# started from a subshell: not a job of this shell, whose kill would be reported
(kmview -N -o "$LOG" sh -c "$(stack s 10.0.0.3) && touch $T/c.ready && exec sleep 60" \
	>/dev/null 2>&1 & echo $! >"$T/c.pid")
cpid=$(cat "$T/c.pid") # the hypervisor itself
PIDS+=($cpid)
for _ in $(seq 200); do [ -e "$T/c.ready" ] && break; sleep 0.1; done
out=$(kmv sh -c "$(stack s 10.0.0.4)"' && vustack /dev/net/s ping -c1 -W5 10.0.0.3 >/dev/null && echo before ok
	kill -9 '"$cpid"'; sleep 1
	vustack /dev/net/s ping -c1 -W1 10.0.0.3 >/dev/null 2>&1 || echo after gone
	vustack /dev/net/s ping -c1 -W5 10.0.0.4 >/dev/null && echo self ok' 2>&1)
is "$out" "before ok
after gone
self ok" "kill -9 of a view while another pings it: its stack is gone, the other's works"

# slirp: DHCP from slirp's server, and the VM's loopback through slirp's gateway
python3 -c '
import socket, sys
l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
open(sys.argv[1], "w").write(str(l.getsockname()[1]))
c, _ = l.accept(); c.sendall(b"from the loopback"); c.close()' "$T/lo.port" &
PIDS+=($!)
for _ in $(seq 50); do [ -s "$T/lo.port" ] && break; sleep 0.1; done
out=$(kmv sh -c 'vu_insmod vunet && vumount -t vunetvdestack -o up slirp:// /dev/net/o &&
	vustack /dev/net/o busybox udhcpc -i vde0 -n -q -t 5 -s /bin/true 2>&1 | grep -o "lease of [0-9.]* obtained"
	vumount -t vunetvdestack -o ip=10.0.2.15/24,gw=10.0.2.2 slirp:// /dev/net/o2 &&
	vustack /dev/net/o2 python3 -c "import socket; print(socket.create_connection((\"10.0.2.2\", '"$(cat "$T/lo.port")"'), timeout=10).recv(100).decode())"' 2>&1)
is "$out" "lease of 10.0.2.15 obtained
from the loopback" "slirp://: udhcpc gets its lease; a server on the VM's loopback reached through slirp"

# no upcall after socket(): 300 UDP round trips on a stack's socket, traced
# (-d s logs every request the hypervisor gets): not one sendto or recvfrom
kmview -N -d s -o "$T/trace.log" sh -c "$(stack s 10.0.0.6) && vustack /dev/net/s python3 -c '
import socket
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((\"10.0.0.6\", 6001))
for i in range(300):
    u.sendto(b\"x\", (\"10.0.0.6\", 6001)); u.recvfrom(10)
print(\"done\")'" >"$T/trace.out" 2>&1
n=$(grep -c "syscall 4[45] (" "$T/trace.log")
grep -q "syscall 41 (0x2, " "$T/trace.log" && traced=socket || traced="no socket(2) traced"
is "$(cat "$T/trace.out") $traced $n" "done socket 0" \
	"300 UDP round trips after socket(2), which the trace shows: no sendto or recvfrom reaches the hypervisor"

# vunetnull, vunetreal, busy, defaults
out=$(kmv sh -c 'vu_insmod vunet && vumount -t vunetnull none /dev/net/null &&
	vumount -t vunetreal none /dev/net/real &&
	vustack /dev/net/null python3 -c "import socket
try: socket.socket()
except OSError as e: print(e.strerror)"
	vustack /dev/net/null sh -c "vustack /dev/net/real python3 -c \"import socket; socket.socket(); print(\\\"real ok\\\")\""
	vustack /dev/net/null sleep 3 & sleep 1; vuumount /dev/net/null; wait; vuumount /dev/net/null && echo unmounted' 2>&1)
is "$out" "Address family not supported by protocol
real ok
vuumount: /dev/net/null: Device or resource busy
unmounted" "vunetnull: EAFNOSUPPORT; vunetreal: the host's; vuumount of a stack in use: EBUSY, then unmounted"

# bad input
out=$(kmv sh -c "vu_insmod vunet; vumount -t vunetvdestack foo://x /dev/net/b; vumount -t vunetvdestack vde://$T/nosw /dev/net/b; vumount -t vunetvdestack -o ip=10.0.0.1/33 vde://$T/sw /dev/net/b; vumount -t vunetnosuch none /dev/net/b" 2>&1)
echo "$out" | grep -q "foo://x on /dev/net/b.*Protocol not supported" &&
	grep -q "no vdeplug plugin for 'foo://'" "$LOG"
ok $? "a bad URL: EPROTONOSUPPORT, the log names the missing plugin"
echo "$out" | grep -q "nosw on /dev/net/b.*No such file or directory" &&
	grep -q "nosw: no VDE switch there" "$LOG"
ok $? "a switch that does not exist: ENOENT, the log says so"
echo "$out" | grep -q "sw on /dev/net/b.*Invalid argument" && grep -q "bad value for ip: '10.0.0.1/33'" "$LOG"
ok $? "a bad option: EINVAL, the log names it"
echo "$out" | grep -q "none on /dev/net/b type vunetnosuch: unknown file system type" &&
	grep -q "no submodule vunetnosuch" "$LOG"
st=$?
ok $st "a submodule that does not exist: ENODEV, the log names it"
[ $st = 0 ] || echo "$out" | sed 's/^/#   /'

# the switch dies: vde0 goes down, the network is unreachable, nothing hangs
start=$SECONDS
out=$(timeout 60 kmview -N -o "$LOG" sh -c "$(stack s 10.0.0.1) && kill \$(cat $T/sw.pid) &&
	for i in \$(seq 50); do grep -q 'the VDE switch is gone' $LOG && break; sleep 0.1; done;
	vustack /dev/net/s ip -o link show vde0 | grep -c ',UP'
	vustack /dev/net/s ping -c1 -W2 10.0.0.2 >/dev/null 2>&1 || echo ping fails;
	vustack /dev/net/s python3 -c 'import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
try: s.connect((\"10.0.0.2\", 9)); print(\"connected\")
except OSError as e: print(e.strerror)'" 2>&1)
st=$?
is "$st $out" "0 0
ping fails
Network is unreachable" "the switch killed: vde0 down, ping fails, connect: ENETUNREACH"
grep -q "vde://$T/sw: the VDE switch is gone: vde0 is down" "$LOG"
ok $? "... and the log says why"
[ $((SECONDS - start)) -lt 50 ]
ok $? "nothing hangs"
done_testing

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# VUOS 0.9.4's own modules, compiled unchanged against kmview's include/
# (make vuos-modules, from a VUOS source tree that kmview does not ship),
# loaded in a view by an unprivileged user: each must do what it does in
# VUOS. Skipped when they were not built (no VUOS tree).
. "$(dirname "$0")/lib.sh"

VM=$(cd "$(dirname "$0")/../../build/vuos/modules" 2>/dev/null && pwd)
if [ -z "$VM" ] || [ ! -f "$VM/unreal.so" ]; then
	skip "VUOS's modules were not built (make vuos-modules needs VUOS_SRC)"
	done_testing
	exit
fi
T=$(mktemp -d /tmp/kmview-vuosmod.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
# VUOS's modules first in the module path: their unreal, not kmview's
kmv() { KMVIEW_MODULE_PATH=$VM kmview -N -o "$LOG" "$@"; }

# ---- unreal: /unreal is the real tree ----
got=$(kmv sh -c 'vu_insmod unreal && ls -la /unreal/etc | md5sum; cat /unreal/etc/passwd | md5sum' 2>&1)
want=$(sh -c 'ls -la /etc | md5sum; cat /etc/passwd | md5sum')
is "$got" "$want" "VUOS's unreal: ls -la and cat through /unreal are the real ones"
got=$(kmv sh -c 'vu_insmod unreal && vu_lsmod' 2>&1)
echo "$got" | grep -q '^unreal: '
ok $? "vu_lsmod lists VUOS's unreal"
echo hello > "$T/f"
got=$(kmv sh -c "vu_insmod unreal && echo more >> /unreal$T/f && mkdir /unreal$T/d &&
	mv /unreal$T/f /unreal$T/d/g && cat /unreal$T/d/g && rm -r /unreal$T/d" 2>&1)
is "$got" "hello
more" "writes, mkdir, rename and rm -r through VUOS's unreal"

# ---- unrealprw: VU_USE_PRW, the hypervisor keeps the offsets ----
got=$(kmv sh -c 'vu_insmod unrealprw && cat /unreal/etc/services | md5sum;
	tail -c 100 /unreal/etc/services | md5sum; dd if=/unreal/etc/services bs=7 skip=3 count=5 2>/dev/null | md5sum' 2>&1)
want=$(sh -c 'cat /etc/services | md5sum; tail -c 100 /etc/services | md5sum;
	dd if=/etc/services bs=7 skip=3 count=5 2>/dev/null | md5sum')
is "$got" "$want" "VUOS's unrealprw (VU_USE_PRW): cat, tail -c (SEEK_END), dd skip"
printf 'abc' > "$T/p"
got=$(kmv sh -c "vu_insmod unrealprw && printf def >> /unreal$T/p && cat /unreal$T/p" 2>&1)
is "$got" "abcdef" "an O_APPEND write through unrealprw lands at the end"

# ---- mountreal: vumount -t mountreal SRC DST ----
mkdir -p "$T/src/sub" "$T/mnt"
echo inside > "$T/src/sub/file"
got=$(kmv sh -c "vu_insmod mountreal && vumount -t mountreal $T/src $T/mnt && cat $T/mnt/sub/file &&
	ls $T/mnt && grep -c mountreal /proc/mounts" 2>&1)
is "$got" "inside
sub
1" "VUOS's mountreal: the source at the mount point, in the mount table"

# ---- unrealinfofs: pseudofiles of libvumod ----
mkdir -p "$T/info"
got=$(kmv sh -c "vu_insmod unrealinfofs && vumount -t unrealinfofs none $T/info && ls $T/info $T/info/dir &&
	readlink $T/info/dir/symlink && head -c 4 $T/info/date | wc -c" 2>&1)
is "$got" "$T/info:
date
dir

$T/info/dir:
printk
symlink
wronly
/etc/hostname
4" "VUOS's unrealinfofs: its tree, a symlink and a pseudofile's contents"
# -l 6: the module's printk has no level, which is KERN_INFO
kmv -l 6 sh -c "vu_insmod unrealinfofs && vumount -t unrealinfofs none $T/info && echo 42 > $T/info/dir/wronly" >/dev/null 2>&1
grep -q "wronly output = 42" "$LOG"
ok $? "a write to its pseudofile reaches the module (its printk is in the daemon's log)"

# ---- unrealuidgid: virtual ids, per process (CHECKSC and the inheritance upcalls) ----
py='import os
os.setresuid(0, 0, 0); os.setresgid(0, 0, 0)
print(os.getresuid(), os.getresgid(), flush=True)
os.system("id -u; id -g")
pid = os.fork()
if pid == 0:
    os.setresuid(1234, 1234, 1234); print("child", os.getuid(), flush=True); os._exit(0)
os.waitpid(pid, 0)
print("parent", os.getuid(), flush=True)'
got=$(kmv sh -c "id -u; vu_insmod unrealuidgid && python3 -c '$py'" 2>&1)
is "$got" "$(id -u)
(0, 0, 0) (0, 0, 0)
0
0
child 1234
parent 0" "VUOS's unrealuidgid: setresuid(0) in a view, inherited by children, a child's change its own"
got=$(kmv sh -c "vu_insmod unrealuidgid && id -u && touch $T/owned && stat -c %u $T/owned" 2>&1)
is "$got" "$(id -u)
$(id -u)" "without a setuid the ids are the real ones, and files are really the user's"

# ---- unrealsock: AF_INET, AF_INET6, AF_NETLINK served by the module (real sockets of the daemon) ----
py='import socket, threading
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0)); srv.listen(1)
port = srv.getsockname()[1]
def serve():
    c, _ = srv.accept(); c.sendall(c.recv(100).upper()); c.close()
t = threading.Thread(target=serve); t.start()
cl = socket.create_connection(("127.0.0.1", port))
cl.sendall(b"through unrealsock"); print(cl.recv(100).decode(), flush=True)
cl.close(); t.join()
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
u.sendto(b"dgram", u.getsockname()); print(u.recvfrom(10)[0].decode(), flush=True)'
got=$(kmv -l 6 sh -c "vu_insmod unrealsock && python3 -c '$py'" 2>&1)
is "$got" "THROUGH UNREALSOCK
dgram" "VUOS's unrealsock: a TCP connection and a datagram over the module's sockets"
got=$(kmv sh -c 'vu_insmod unrealsock && ip -o link show lo | cut -d" " -f2' 2>&1)
is "$got" "lo:" "ip link through unrealsock's AF_NETLINK socket"
got=$(kmv -d s -o "$T/socklog" sh -c 'vu_insmod unrealsock && python3 -c "import socket; socket.socket(socket.AF_UNIX).close()"' 2>&1)
grep -q "syscall 41 (0x1," "$T/socklog"
[ $? -ne 0 ]
ok $? "an AF_UNIX socket, which no module claims, never reaches the daemon"

# ---- netlinkdump: AF_NETLINK through the module, which logs what passes ----
got=$(kmv -l 7 sh -c 'vu_insmod netlinkdump && ip -o addr show lo | grep -c "inet 127.0.0.1"' 2>&1)
is "$got" "1" "VUOS's netlinkdump: ip addr works through it"

# ---- VUOS's vudev submodules under kmview's vudev (not in $VM: build/modules') ----
if [ -f "$VM/vudevramdisk.so" ]; then
	export PATH=$PATH:/sbin:/usr/sbin
	head -c 1048576 /dev/urandom >"$T/rand"
	got=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevramdisk -o size=16M none /dev/vrd &&
		blockdev --getsize64 /dev/vrd && dd if="$1" of=/dev/vrd bs=64k status=none &&
		dd if=/dev/vrd bs=64k count=16 status=none | cmp - "$1" && echo same &&
		vumount -t vudevnull none /dev/vn && echo x >/dev/vn && cat /dev/vn | wc -c' sh "$T/rand" 2>&1)
	is "$got" "$(printf '16777216\nsame\n0')" \
		"VUOS's vudevramdisk and vudevnull, under kmview's vudev: size, dd and cmp, EOF"
	truncate -s 16M "$T/img"
	sgdisk -n 1:0:+4M "$T/img" >/dev/null
	got=$(kmv sh -c 'vu_insmod vudev && vumount -t vudevpartx "$1" /dev/hdv &&
		blockdev --getsize64 /dev/hdv1' sh "$T/img" 2>&1)
	is "$got" "4194304" "VUOS's vudevpartx: the GPT partition of an image, BLKGETSIZE64"
else
	skip "VUOS's vudev submodules were not built"
fi

done_testing

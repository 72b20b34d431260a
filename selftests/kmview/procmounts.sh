#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# The mount table in a view: /proc/mounts, /proc/self/mounts, mountinfo,
# /etc/mtab, findmnt and mount show the real mounts and then the virtual
# ones; a mount's line goes with vuumount; outside the view nothing changes.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-pm.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
S=$T/src
mkdir -p "$S/sub" "$T/with space"
echo hello >"$S/a"

kmv() { kmview -N -o "$LOG" "$@"; }
PY=/usr/bin/python3

native=$(cat /proc/mounts)
native_info=$(cut -d' ' -f1 /proc/self/mountinfo | sort)

is "$(kmv cat /proc/mounts)" "$native" "a view with no mount shows the real table"
is "$(kmv sh -c 'vu_insmod vufs && cat /proc/mounts')" "$native" \
	"a module loaded, nothing mounted: the real table"

out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && cat /proc/mounts' sh "$S" "$T" 2>&1)
is "$(echo "$out" | tail -n 1)" "$S $T/m vufs rw 0 0" "cat /proc/mounts: the vufs mount is the last line"
is "$(echo "$out" | head -n -1)" "$native" "the real lines come first, unchanged"

for f in /proc/self/mounts /proc/thread-self/mounts /etc/mtab; do
	is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && tail -n 1 "$3"' sh "$S" "$T" "$f" 2>&1)" \
		"$S $T/m vufs rw 0 0" "$f shows it too"
done

out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -r -o except=/sub "$1" "$2/m" &&
	tail -n 1 /proc/mounts' sh "$S" "$T" 2>&1)
is "$out" "$S $T/m vufs ro,except=/sub 0 0" "read-only, with options; the except= path is no mount of its own"

out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/with space" && tail -n 1 /proc/mounts' \
	sh "$S" "$T" 2>&1)
is "$out" "$S $T/with\\040space vufs rw 0 0" "a space in the mount point is escaped as the kernel does"

# mountinfo: the parent is the real mount under the mount point, then a virtual one
parent=$(findmnt -n -o ID -T "$T")
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && vumount -t vufs "$1" "$2/m/sub" &&
	cat /proc/self/mountinfo' sh "$S" "$T" 2>&1)
l1=$(echo "$out" | tail -n 2 | head -n 1)
l2=$(echo "$out" | tail -n 1)
read -r id1 par1 _ <<<"$l1"
read -r id2 par2 _ <<<"$l2"
dev=$($PY -c 'import os, sys; s = os.stat(sys.argv[1]); print(f"{os.major(s.st_dev)}:{os.minor(s.st_dev)}")' "$S")
echo "$l1" | grep -Eq "^[0-9]+ $parent $dev / $T/m rw - vufs $S rw\$"
ok $? "mountinfo: the mount, its parent is the real mount of its directory ($parent), the device of its source ($dev)" ||
	echo "#   $l1"
is "$par2" "$id1" "mountinfo: a mount inside a virtual one has it as parent"
echo "$l2" | grep -q " $T/m/sub rw - vufs $S rw\$"
ok $? "mountinfo: the inner mount's line"
is "$(echo "$out" | head -n -2 | cut -d' ' -f1 | sort)" "$native_info" "mountinfo: the real lines are there"
[ "$id1" != "$id2" ] && ! echo "$native_info" | grep -qx "$id1"
ok $? "virtual mount ids are unique and not real ones"

# util-linux reads /proc/self/mountinfo
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && findmnt -n -o TARGET,FSTYPE,SOURCE "$2/m"' \
	sh "$S" "$T" 2>&1)
is "$(echo $out)" "$T/m vufs $S" "findmnt TARGET shows the virtual mount"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && findmnt -n -o TARGET -t vufs' \
	sh "$S" "$T" 2>&1)
is "$out" "$T/m" "findmnt -t vufs lists it"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && findmnt -n -o TARGET,FSTYPE -T "$2/m/a"' \
	sh "$S" "$T" 2>&1)
is "$(echo $out)" "$T/m vufs" "findmnt -T FILE finds the mount a file is in"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && df --output=fstype,target "$2/m/a" | tail -n 1' \
	sh "$S" "$T" 2>&1)
is "$(echo $out)" "vufs $T/m" "df FILE names the virtual mount"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && mount' sh "$S" "$T" 2>&1)
echo "$out" | grep -qx "$S on $T/m type vufs (rw)"
ok $? "mount lists it"

out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && vumount -t vufs "$1" "$2/n" &&
	vuumount "$2/m" && cat /proc/mounts; findmnt -n "$2/m" || echo "findmnt: none"' sh "$S" "$T" 2>&1)
is "$(echo "$out" | tail -n 2)" "$S $T/n vufs rw 0 0
findmnt: none" "after vuumount its line is gone, the other one stays"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && vuumount "$2/m" && cat /proc/mounts' \
	sh "$S" "$T" 2>&1)
is "$out" "$native" "after the last vuumount: the real table"

# the file: read-only, reads, seeks, and the real file's errors for the rest
cat >"$T/pm.py" <<'EOF'
import os
fd = os.open("/proc/self/mounts", os.O_RDONLY)
data = os.read(fd, 1 << 20)
print("lines", data.count(b"\n"))
os.lseek(fd, 0, os.SEEK_SET)
print("again", os.read(fd, 1 << 20) == data)
try:
    os.write(fd, b"x")
except OSError as e:
    print("write", e.strerror)
try:
    os.open("/proc/self/mounts", os.O_WRONLY)
except OSError as e:
    print("open for writing", e.strerror)
EOF
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && exec "$3" "$2/pm.py"' \
	sh "$S" "$T" "$PY" 2>&1)
lines=$(($(echo "$native" | wc -l) + 1))
is "$out" "lines $lines
again True
write Bad file descriptor
open for writing Permission denied" "read, seek, write refused; an open for writing gets the real error"
is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && stat -c %s /proc/mounts' sh "$S" "$T")" \
	"$(stat -c %s /proc/mounts)" "stat of /proc/mounts is the real one"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && cd /proc && cat self/mounts | tail -n 1' \
	sh "$S" "$T" 2>&1)
is "$out" "$S $T/m vufs rw 0 0" "relative to the cwd: cd /proc; cat self/mounts"

# outside the view, nothing changes while the view has its mount
kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" "$2/m" && touch "$2/ready" &&
	while [ ! -e "$2/done" ]; do sleep 0.1; done' sh "$S" "$T" &
pid=$!
for _ in $(seq 100); do [ -e "$T/ready" ] && break; sleep 0.1; done
is "$(cat /proc/mounts)" "$native" "outside the view, during its mount: the real table"
touch "$T/done"
wait $pid

done_testing

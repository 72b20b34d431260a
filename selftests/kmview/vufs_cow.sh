#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vufs patchworks, as an ordinary user: the seed's cow /etc (write,
# append, sed -i, rm; the host's /etc hashed before and after; the state
# kept for a second view), merge, mincow, except=, ro, a fakeroot with
# unrealuidgid (tar xp of root's files, mknod, chown), a daemon killed
# mid copy-up, bad options, and a differential workload (vufs_diff.py)
# natively and on bind, cow and merge mounts.
. "$(dirname "$0")/lib.sh"

export LC_ALL=C
T=$(mktemp -d /tmp/kmview-vufscow.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }
me=$(id -u)
DIFF=$(cd "$(dirname "$0")" && pwd)/vufs_diff.py

# the host's /etc: names, modes, owners, sizes, times, and what is readable
etc_hash() {
	{
		find /etc -xdev -printf '%p %m %u %g %s %T@ %y\n' 2>/dev/null | sort
		find /etc -xdev -type f -readable -print0 2>/dev/null | sort -z | xargs -0 sha256sum
	} | sha256sum
}

# ---- the seed: a cow /etc ----
before=$(etc_hash)
S=$T/cowetc
mkdir "$S"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1" /etc || exit 1
	echo kmview >/etc/kmview-new && cat /etc/kmview-new
	echo "# appended" >>/etc/hostname && tail -n1 /etc/hostname
	chmod 644 /etc/passwd && sed -e "/^root:/d" -i /etc/passwd && grep -c "^root:" /etc/passwd
	rm /etc/motd && ls /etc/motd
	ls /etc | grep -c "^\.-"' sh "$S" 2>&1)
is "$out" "kmview
# appended
0
ls: cannot access '/etc/motd': No such file or directory
0" "cow /etc: write, append, sed -i, rm, and no .- in the listing"
is "$(etc_hash)" "$before" "the host's /etc is untouched (hashed before and after)"
grep -q '^root:' /etc/passwd && [ -e /etc/motd ] && ! [ -e /etc/kmview-new ]
ok $? "... root is still in the host's passwd, motd is there, the new file is not"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1" /etc || exit 1
	cat /etc/kmview-new; grep -c "^root:" /etc/passwd; ls /etc/motd 2>&1; tail -n1 /etc/hostname' \
	sh "$S" 2>&1)
is "$out" "kmview
0
ls: cannot access '/etc/motd': No such file or directory
# appended" "a second view over the same SRC sees the same state"
[ -f "$S/.-/motd" ] && [ -f "$S/passwd" ] && [ "$(stat -c %u "$S/passwd")" = "$me" ]
ok $? "SRC holds the copy (the user's) and the whiteout in .-/"

# ---- merge ----
R=$T/real
V=$T/virt
mkdir -p "$R/d" "$V/d"
echo real >"$R/d/r"
echo virt >"$V/d/v"
echo virt >"$V/shadow"
echo real >"$R/shadow"
vbefore=$(find "$V" -printf '%p %s %T@\n' | sort | sha256sum)
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o merge "$1" "$2" || exit 1
	ls "$2/d" | tr "\n" " "; echo; cat "$2/shadow"
	echo x >>"$2/d/v"; echo x >>"$2/shadow"; rm "$2/d/v"
	echo new >"$2/d/n" && echo ok' sh "$V" "$R" 2>&1)
is "$out" "r v 
virt
sh: 3: cannot create $R/d/v: Read-only file system
sh: 3: cannot create $R/shadow: Read-only file system
rm: cannot remove '$R/d/v': Read-only file system
ok" "merge: one listing, the virtual layer first, its files EROFS, new files allowed"
[ "$(cat "$R/d/n")" = new ] && [ "$(find "$V" -printf '%p %s %T@\n' | sort | sha256sum)" = "$vbefore" ]
ok $? "... the new file is in the real layer, the virtual one is untouched"

# ---- mincow ----
M=$T/mincow
mkdir -p "$M/src" "$M/real"
echo w >"$M/real/w"
echo r >"$M/real/r"
chmod 444 "$M/real/r"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o mincow "$1/src" "$1/real" || exit 1
	echo W >"$1/real/w"; echo R >"$1/real/r"; cat "$1/real/w" "$1/real/r"' sh "$M" 2>&1)
is "$out" "W
R" "mincow: both files written in the view"
[ "$(cat "$M/real/w")" = W ] && [ "$(cat "$M/real/r")" = r ] && [ "$(cat "$M/src/r")" = R ] &&
	! [ -e "$M/src/w" ]
ok $? "... the writable one for real, the read-only one copied up"

# ---- except= ----
E=$T/except
mkdir -p "$E/src" "$E/real/keep"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow,except=/keep "$1/src" "$1/real" || exit 1
	echo a >"$1/real/a"; echo k >"$1/real/keep/k"' sh "$E" 2>&1)
[ -z "$out" ] && [ -e "$E/src/a" ] && ! [ -e "$E/real/a" ] && [ -e "$E/real/keep/k" ] &&
	! [ -e "$E/src/keep/k" ]
ok $? "except=/keep: the rest is cow, keep/ the real one"

# ---- ro ----
O=$T/ro
mkdir -p "$O/src" "$O/real"
echo o >"$O/real/o"
for opt in "-o cow,ro" "-r -o cow"; do
	out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs '"$opt"' "$1/src" "$1/real" || exit 1
		cat "$1/real/o"; echo x >>"$1/real/o"; mkdir "$1/real/n"; rm "$1/real/o"' sh "$O" 2>&1)
	is "$out" "o
sh: 2: cannot create $O/real/o: Read-only file system
mkdir: cannot create directory '$O/real/n': Read-only file system
rm: cannot remove '$O/real/o': Read-only file system" "vumount $opt: reads, every write EROFS"
done
[ -z "$(ls -A "$O/src")" ]
ok $? "... and nothing written in SRC"

# ---- bad options ----
errs=$(touch "$T/file"; kmv sh -c 'vu_insmod vufs
	vumount -t vufs -o cow,merge "$1" "$1/m"; echo "status $?"
	vumount -t vufs -o cow,except=tmp "$1" "$1/m"; echo "status $?"
	vumount -t vufs -o cow "$1/nosuch" "$1/m"; echo "status $?"
	vumount -t vufs -o cow "$1/file" "$1/m2"; echo "status $?"' sh "$T" 2>&1)
is "$(echo "$errs" | grep -c 'Invalid argument')" 3 "cow,merge, a relative except=, a file SRC: EINVAL"
echo "$errs" | grep -q "$T/nosuch on $T/m type vufs: No such file or directory"
ok $? "a SRC that does not exist: ENOENT"
grep -q 'cow and merge exclude each other' "$LOG" && grep -q 'except=tmp: the path must be absolute' "$LOG" &&
	grep -q 'the source of a cow mount must be a directory' "$LOG"
ok $? "... each said plainly in the daemon's log"

# ---- fakeroot: unrealuidgid + cow ----
F=$T/fake
mkdir -p "$F/src" "$F/real" "$F/build/usr/bin"
echo '#!/bin/sh' >"$F/build/usr/bin/tool"
chmod 4755 "$F/build/usr/bin/tool"
tar -C "$F/build" --owner=0 --group=0 --numeric-owner -cf "$F/a.tar" usr
out=$(kmv sh -c 'vu_insmod unrealuidgid vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	vusu -c "cd $1/real && { tar xpf $1/a.tar 2>$1/tar.err; ls -ln usr/bin | tail -n1 | cut -d\" \" -f1,3,4; }
		mknod null c 1 3 && ls -l null | cut -c1 && stat -c %t,%T null
		chown 1234:1234 usr/bin/tool && stat -c %u:%g usr/bin/tool
		touch mine && stat -c %u mine"' sh "$F" 2>&1)
is "$out" "-rwsr-xr-x 0 0
c
1,3
1234:1234
0" "vusu: tar xp keeps root's files (setuid too), mknod c, chown, a new file root's"
# glibc's fchmodat(AT_SYMLINK_NOFOLLOW), which tar uses for directories,
# is chmod("/proc/self/fd/N") of an O_PATH fd: for a virtual fd that is
# the placeholder, which the kernel refuses (man/kmview-vufs.7, LIMITS)
is "$(grep -v -e 'usr/bin: Cannot change mode' -e 'usr: Cannot change mode' \
	-e 'Exiting with failure status' "$F/tar.err")" "" \
	"tar's only complaints: the modes of the two directories (a known limit)"
owners=$(find "$F/src" -path "$F/src/.-" -prune -o -printf '%U\n' | sort -u)
is "$owners" "$me" "the files in SRC are all the user's"
[ -f "$F/src/null" ] && ! [ -c "$F/src/null" ]
ok $? "the device node is a plain file on the host"

# ---- a daemon killed mid copy-up ----
K=$T/kill
mkdir -p "$K/src" "$K/real"
head -c 1M /dev/urandom >"$K/chunk"
for _ in $(seq 64); do cat "$K/chunk"; done >"$K/real/big"
sum=$(sha256sum <"$K/real/big")
# kmview itself in the background (not a function's subshell): $! is the daemon
kmview -N -o "$LOG" sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1/src" "$1/real" && echo x >>"$1/real/big"' \
	sh "$K" >/dev/null 2>&1 &
daemon=$!
for _ in $(seq 100); do
	ls "$K/src/.-" 2>/dev/null | grep -q cp && break
	sleep 0.05
done
kill -KILL "$daemon" 2>/dev/null
wait "$daemon" 2>/dev/null
size=$(stat -c %s "$K/src/big" 2>/dev/null || echo none)
[ "$size" = none ] || [ "$size" = $((64 * 1048576 + 2)) ]
ok $? "killed mid copy: no truncated file visible in SRC (big: $size)"
is "$(sha256sum <"$K/real/big")" "$sum" "the real file is intact"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1/src" "$1/real" && stat -c %s "$1/real/big" &&
	ls -A "$1/src/.-" 2>/dev/null | grep -c cp' sh "$K" 2>&1)
size=$(echo "$out" | head -n1)
[ "$size" = $((64 * 1048576)) ] || [ "$size" = $((64 * 1048576 + 2)) ]
ok $? "a new view sees the whole file ($size)"
is "$(echo "$out" | tail -n1)" 0 "and the dead copy's temporary is gone"

# ---- differential: native, bind, cow, merge ----
mktree() { mkdir -p "$1/d" "$1/e" && printf hello >"$1/f" && echo g >"$1/d/g"; }
mktree "$T/native"
want=$(python3 "$DIFF" "$T/native" 2>&1)
for mode in bind cow merge; do
	mkdir -p "$T/$mode/src" "$T/$mode/real"
	if [ $mode = bind ]; then mktree "$T/$mode/src"; else mktree "$T/$mode/real"; fi
	got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o "$1" "$2/src" "$2/real" &&
		python3 "$3" "$2/real"' sh "$mode" "$T/$mode" "$DIFF" 2>&1)
	is "$got" "$want" "differential suite: $mode the same as native"
	[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
done
[ -d "$T/cow/real/d" ] && [ "$(cat "$T/cow/real/f")" = hello ] && [ -z "$(ls "$T/merge/src")" ]
ok $? "... cow left its real layer alone, merge its virtual one"

done_testing

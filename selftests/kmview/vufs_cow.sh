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

# a host tree: names, modes, owners, sizes, times, and what is readable
tree_hash() {
	{
		find "$1" -xdev -printf '%p %m %u %g %s %T@ %y\n' 2>/dev/null | sort
		find "$1" -xdev -type f -readable -print0 2>/dev/null | sort -z | xargs -0 sha256sum
	} | sha256sum
}
# /etc: every name's metadata (a write changes size or mtime) and the
# contents of the files the view changes; reading all of /etc over 9p
# under TCG took most of this test's time
etc_hash() {
	{
		find /etc -xdev -printf '%p %m %u %g %s %T@ %y\n' 2>/dev/null | sort
		sha256sum /etc/passwd /etc/hostname /etc/motd 2>&1
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
rbefore=$(tree_hash "$O/real")
for opt in "-o cow,ro" "-r -o cow"; do
	out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs '"$opt"' "$1/src" "$1/real" || exit 1
		cat "$1/real/o"; echo x >>"$1/real/o"; mkdir "$1/real/n"; rm "$1/real/o"' sh "$O" 2>&1)
	is "$out" "o
sh: 2: cannot create $O/real/o: Read-only file system
mkdir: cannot create directory '$O/real/n': Read-only file system
rm: cannot remove '$O/real/o': Read-only file system" "vumount $opt: reads, every write EROFS"
done
[ -z "$(ls -A "$O/src")" ] && [ "$(tree_hash "$O/real")" = "$rbefore" ]
ok $? "... and nothing written in SRC, the real tree untouched (hashed before and after)"

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
mkdir -p "$F/src" "$F/real"
# an archive of root's: directories of every kind of mode (tar sets them
# last, with fchmodat(AT_SYMLINK_NOFOLLOW), that is chmod of
# /proc/self/fd/N of an O_PATH fd), setuid, read-only and private files,
# a symlink, a hard link, a char device, a file of another owner
python3 - "$F/a.tar" <<'PY'
import io, sys, tarfile
def add(t, name, kind=tarfile.REGTYPE, mode=0o644, uid=0, gid=0, data=b"", **kw):
    i = tarfile.TarInfo(name)
    i.type, i.mode, i.uid, i.gid, i.mtime = kind, mode, uid, gid, 1000000000
    for k, v in kw.items():
        setattr(i, k, v)
    i.size = len(data)
    t.addfile(i, io.BytesIO(data) if data else None)
with tarfile.open(sys.argv[1], "w", format=tarfile.GNU_FORMAT) as t:
    add(t, "usr", tarfile.DIRTYPE, 0o755)
    add(t, "usr/bin", tarfile.DIRTYPE, 0o555)
    add(t, "usr/bin/tool", mode=0o4755, data=b"#!/bin/sh\n")
    add(t, "usr/bin/ro", mode=0o444, data=b"ro\n")
    add(t, "usr/bin/link", tarfile.SYMTYPE, 0o777, linkname="tool")
    add(t, "usr/bin/hard", tarfile.LNKTYPE, 0o444, linkname="usr/bin/ro")
    add(t, "usr/private", tarfile.DIRTYPE, 0o700)
    add(t, "usr/private/key", mode=0o600, data=b"secret\n")
    add(t, "usr/shared", tarfile.DIRTYPE, 0o2775, gid=50)
    add(t, "usr/shared/theirs", mode=0o640, uid=1234, gid=50, data=b"t\n")
    add(t, "usr/tmp", tarfile.DIRTYPE, 0o1777)
    add(t, "usr/null", tarfile.CHRTYPE, 0o666, devmajor=1, devminor=3)
PY
want='drwxr-xr-x 0 0 usr
dr-xr-xr-x 0 0 usr/bin
-r--r--r-- 0 0 usr/bin/hard
lrwxrwxrwx 0 0 usr/bin/link
-r--r--r-- 0 0 usr/bin/ro
-rwsr-xr-x 0 0 usr/bin/tool
crw-rw-rw- 0 0 usr/null
drwx------ 0 0 usr/private
-rw------- 0 0 usr/private/key
drwxrwsr-x 0 50 usr/shared
-rw-r----- 1234 50 usr/shared/theirs
drwxrwxrwt 0 0 usr/tmp'
out=$(kmv sh -c 'vu_insmod unrealuidgid vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	vusu -c "cd $1/real && tar xpf $1/a.tar && find usr -printf \"%M %U %G %p\n\" | sort -k4"' sh "$F" 2>&1)
is "$out" "$want" "vusu -c 'tar xpf': every mode and owner of root's archive, directories too, no complaint"
out=$(kmv sh -c 'vu_insmod unrealuidgid vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	vusu -c "cd $1/real && mknod null2 c 1 3 && ls -l null2 | cut -c1 && stat -c %t,%T null2
		chown 1234:1234 usr/bin/tool && stat -c %u:%g usr/bin/tool
		touch mine && stat -c %u mine"' sh "$F" 2>&1)
is "$out" "c
1,3
1234:1234
0" "a second view: mknod c, chown, a new file root's"
owners=$(find "$F/src" -path "$F/src/.-" -prune -o -printf '%U\n' | sort -u)
is "$owners" "$me" "the files in SRC are all the user's"
[ -f "$F/src/usr/null" ] && ! [ -c "$F/src/usr/null" ] && [ -f "$F/src/null2" ]
ok $? "the device nodes are plain files on the host"

# the fd links of virtual files name them (readlink, chmod through them)
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	cd "$1/real/usr" && exec 3<shared && readlink /proc/self/fd/3 /dev/fd/3 &&
	chmod 750 /proc/self/fd/3 && stat -c %a shared &&
	python3 -c "import os; os.chmod(\"tmp\", 0o755, follow_symlinks=False); print(oct(os.stat(\"tmp\").st_mode & 0o7777))"' \
	sh "$F" 2>&1)
is "$out" "$F/real/usr/shared
$F/real/usr/shared
2750
0o755" "/proc/self/fd/N of a virtual directory: readlink names it, chmod through it (coreutils keeps a directory's setgid), fchmodat(AT_SYMLINK_NOFOLLOW)"

# ---- permissions on virtual metadata ----
P=$T/perm
mkdir -p "$P/src" "$P/real"
pview() { kmv sh -c 'vu_insmod unrealuidgid vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	cd "$1/real" && eval "$2"' sh "$P" "$1" 2>&1; }
out=$(pview 'vusu -c "umask 022; echo s >secret; chmod 600 secret; echo o >other; chown 1234 other
	chmod 600 other; mkdir box sticky; chmod 1777 sticky; echo r >sticky/rootfile
	echo p >pub; chmod 644 pub; cat other"')
is "$out" "o" "the virtual root makes private files, and reads another user's 0600 one (CAP_DAC_OVERRIDE)"
out=$(pview 'vusu nobody -s /bin/sh -c "cat secret; echo x >>pub; echo n >box/new; test -r secret || echo not readable
	test -w pub || echo not writable; echo y >sticky/mine && rm sticky/mine && echo own removed
	rm -f sticky/rootfile; touch -d @0 pub; touch -c -d @0 pub; mv pub box/; cat pub"')
is "$out" "cat: secret: Permission denied
sh: 1: cannot create pub: Permission denied
sh: 1: cannot create box/new: Permission denied
not readable
not writable
own removed
rm: cannot remove 'sticky/rootfile': Operation not permitted
touch: cannot touch 'pub': Permission denied
touch: setting times of 'pub': Operation not permitted
mv: cannot move 'pub' to 'box/pub': Permission denied
p" "as nobody: the virtual modes and owners say no (EACCES, the sticky bit's EPERM), as the kernel would"
is "$(pview 'cat secret; echo x >>pub; cat pub')" "s
p
x" "the owner of SOURCE, as itself, keeps cow's rule: its copy is its own"

# ---- setuid of a virtual file, one file for two writers, nochcopy, xattrs ----
X=$T/misc
mkdir -p "$X/src" "$X/real"
cp "$(command -v id)" "$X/real/myid"
echo orig >"$X/real/f"
echo n >"$X/real/n"
xattr=no
python3 -c 'import os, sys; os.setxattr(sys.argv[1], "user.kmview", b"kept")' "$X/real/f" 2>/dev/null &&
	xattr=yes
out=$(kmv sh -c 'vu_insmod unrealuidgid vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	cd "$1/real" && vusu -c "chown 0:0 myid && chmod 4755 myid" &&
	vusu nobody -s /bin/sh -c "./myid -u; ./myid -ru"' sh "$X" 2>&1)
is "$out" "0
65534" "a setuid-root file of the view runs with the virtual euid 0 (the real uid stays nobody)"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1/src" "$1/real" || exit 1
	cd "$1/real" && exec 3>>f && echo a >&3 && echo b >>f && echo c >&3 && cat f' sh "$X" 2>&1)
is "$out" "orig
a
b
c" "two writers of one file in a view write one copy"
if [ $xattr = yes ]; then
	is "$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow "$1/src" "$1/real" &&
		echo x >>"$1/real/f" && python3 -c "import os, sys; print(os.getxattr(sys.argv[1], \"user.kmview\").decode())" \
		"$1/real/f"' sh "$X" 2>&1)" kept \
		"the copy keeps the real file's extended attributes"
else
	skip "the file system of /tmp takes no user xattrs"
fi
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o cow,nochcopy "$1/src" "$1/real" || exit 1
	chmod 600 "$1/real/n" && stat -c %a "$1/real/n"' sh "$X" 2>&1)
[ "$out" = 600 ] && ! [ -e "$X/src/n" ] && [ "$(stat -c %a "$X/real/n")" != 600 ]
ok $? "nochcopy: chmod of a real file is recorded, not copied, the host file keeps its mode"

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
	# what the mode must not write: cow its real layer, merge its virtual one
	keep=$T/$mode/real
	[ $mode = merge ] && keep=$T/$mode/src
	hbefore=$(tree_hash "$keep")
	got=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs -o "$1" "$2/src" "$2/real" &&
		python3 "$3" "$2/real"' sh "$mode" "$T/$mode" "$DIFF" 2>&1)
	is "$got" "$want" "differential suite: $mode the same as native"
	[ "$got" = "$want" ] || diff <(echo "$want") <(echo "$got") | sed 's/^/#   /'
	[ $mode = bind ] && continue
	is "$(tree_hash "$keep")" "$hbefore" "... $mode left its ${keep##*/} layer as it was (hashed before and after)"
done

done_testing

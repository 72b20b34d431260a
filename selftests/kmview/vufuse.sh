#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vufuse: FUSE 3 file systems as submodules, as an ordinary user. The same
# commands on a directory through vufusereal and natively on a copy print
# the same and leave the same tree; ro, vufusenull (ENOSYS for what it
# lacks), the errors of a mount (each clear, the daemon serves on), fmt=,
# and nesting: a source that only the view has.
. "$(dirname "$0")/lib.sh"
export LC_ALL=C # the quotes of the messages compared below

T=$(mktemp -d /tmp/kmview-vufuse.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }

B=$T/base
mkdir -p "$B/sub/deeper" "$B/empty"
printf 'hello\nworld\n' >"$B/a"
printf 'bee\n' >"$B/sub/b"
head -c 300000 /dev/urandom >"$B/big"
ln -s a "$B/rel"
chmod 600 "$B/sub/b"
cp -a "$B" "$T/native"
cp -a "$B" "$T/vsrc"

# The same commands under root $1; every path printed is relative to it.
cat >"$T/mutate.sh" <<'MUTATE'
R=$1
{
echo "== ls"; ls -lnR --time-style=+ "$R"; ls -a "$R/empty"
echo "== cat"; cat "$R/a" "$R/rel" "$R/sub/b"; md5sum "$R/big"; cat "$R/missing"
echo "== stat"; stat -c '%n %s %a %F %h' "$R/a" "$R/sub" "$R/big"; stat -c '%n %F %N' "$R/rel"
echo "== write"; echo more >>"$R/a"; printf 'x%.0s' $(seq 5000) >"$R/new"; cat "$R/a"
dd if=/dev/zero of="$R/big" bs=1000 seek=7 count=3 conv=notrunc status=none
stat -c '%n %s' "$R/new" "$R/big"; md5sum "$R/big"
echo "== chmod"; chmod 640 "$R/a"; chmod 700 "$R/sub"; stat -c '%n %a' "$R/a" "$R/sub"
echo "== touch"; touch -d '2020-01-02 03:04:05.123456789' "$R/a"; touch -m -d @1234567890 "$R/sub/b"
stat -c '%n %Y %y' "$R/a" "$R/sub/b"
echo "== truncate"; truncate -s 3 "$R/a"; truncate -s 10000 "$R/big"; stat -c '%n %s' "$R/a" "$R/big"
echo "== ln -s"; ln -s a "$R/sl"; readlink "$R/sl"; cat "$R/sl"; echo
echo "== ln"; ln "$R/a" "$R/hard"; stat -c '%n %h' "$R/a" "$R/hard"
echo "== mkdir"; mkdir "$R/d1" "$R/d1/d2"; mkdir "$R/d1"; mkdir -m 711 "$R/d4"; mkdir "$R/no/such"
stat -c '%n %a %F' "$R/d1" "$R/d1/d2" "$R/d4"
echo "== mv"; mv "$R/new" "$R/d1/new2"; mv "$R/d1" "$R/d3"; mv "$R/missing" "$R/y"
mv "$R/sub/b" "$R/b2"; ls -R "$R/d3"
echo "== rm"; rm "$R/hard"; rm "$R/missing"; rm -r "$R/d4"; rmdir "$R/sub"; rm -rf "$R/d3/d2"
echo "== mkfifo"; mkfifo "$R/fifo"; stat -c '%n %F' "$R/fifo"
echo "== sync"; sync "$R/a" && echo synced
echo "== big dir"; mkdir "$R/many"; for i in $(seq 300); do : >"$R/many/file-with-a-long-name-$i"; done
ls "$R/many" | wc -l; ls -U "$R/many" | sort | md5sum; rm -r "$R/many"
echo "== after"; ls -lnR --time-style=+ "$R"; find "$R" | sort
} 2>&1 | sed "s|$R|R|g"
MUTATE

native=$(kmv bash "$T/mutate.sh" "$T/native" 2>&1)
virt=$(kmv sh -c 'vu_insmod vufuse && vumount -t vufusereal "$1" "$2" && exec bash "$3" "$2"' sh \
	"$T/vsrc" "$T/mnt" "$T/mutate.sh" 2>&1)
name="ls, cat, stat, write, chmod, touch, truncate, ln -s, ln, mkdir, mv, rm, mkfifo, sync: the same through vufusereal"
if [ "$native" = "$virt" ]; then
	ok 0 "$name"
else
	ok 1 "$name"
	diff <(echo "$native") <(echo "$virt") | sed 's/^/#   /' | head -60
fi
echo "$native" | grep -q '^synced$'
ok $? "the script itself ran"
tree() { (cd "$1" && find . -printf '%P %y %m %s %n %l\n' | sort && md5sum big a); }
is "$(tree "$T/vsrc")" "$(tree "$T/native")" "and the source is left as the native run left the copy"

S=$T/src
mkdir -p "$S/dir"
echo hello >"$S/a"
out=$(kmv sh -c 'vu_insmod vufuse && vumount -t vufusereal "$1" "$2/m" || exit 1
	stat -f -c %T "$2/m"; stat -c %i "$2/m/a"; grep " $2/m " /proc/mounts | cut -d" " -f1-3
	vu_rmmod vufuse; vuumount "$2/m" && ls "$2/m"; vu_rmmod vufuse && vu_lsmod' sh "$S" "$T" 2>&1)
is "$out" "$(printf 'fuseblk\n%s\n%s %s vufusereal\n%s\nls: cannot access %s: No such file or directory' \
	"$(stat -c %i "$S/a")" "$S" "$T/m" "vu_rmmod: vufuse: Device or resource busy" "'$T/m'")" \
	"statfs says FUSE, the source's inode, /proc/mounts has it; vu_rmmod busy; vuumount, vu_rmmod: gone"

out=$(kmv sh -c 'vu_insmod vufuse && vumount -t vufusereal -o ro "$1" "$2/m" || exit 1
	cat "$2/m/a"; echo x >"$2/m/a"; touch "$2/m/new"; mkdir "$2/m/d"; rm "$2/m/a"; mv "$2/m/a" "$2/m/b"
	chmod 600 "$2/m/a"; ln -s a "$2/m/l"' sh "$S" "$T" 2>&1)
want="hello"
for w in "sh: 2: cannot create $T/m/a: Read-only file system" \
	"touch: cannot touch '$T/m/new': Read-only file system" \
	"mkdir: cannot create directory '$T/m/d': Read-only file system" \
	"rm: cannot remove '$T/m/a': Read-only file system" \
	"mv: cannot move '$T/m/a' to '$T/m/b': Read-only file system" \
	"chmod: changing permissions of '$T/m/a': Read-only file system" \
	"ln: failed to create symbolic link '$T/m/l': Read-only file system"; do
	want="$want
$w"
done
is "$out" "$want" "-o ro: reads work, every change is EROFS"
is "$(cat "$S/a")" "hello" "and the source is unchanged"

out=$(kmv sh -c 'vu_insmod vufuse && vumount -t vufusenull none "$1/n" || exit 1
	ls -a "$1/n"; stat -c "%F %a" "$1/n"; mkdir "$1/n/d"; touch "$1/n/f"; cat "$1/n/x"
	vuumount "$1/n" && echo unmounted' sh "$T" 2>&1)
is "$out" "$(printf '.\n..\ndirectory 755\n%s\n%s\n%s\nunmounted' \
	"mkdir: cannot create directory '$T/n/d': Function not implemented" \
	"touch: cannot touch '$T/n/f': Function not implemented" \
	"cat: $T/n/x: No such file or directory")" \
	"vufusenull: an empty root; what it lacks is ENOSYS, as under FUSE"

out=$(kmv sh -c 'vu_insmod vufuse && vumount -t vufusereal -o "fmt=%N %S %T" "$1" "$2/m" &&
	cat "$2/m/a"' sh "$S" "$T" 2>&1)
is "$out" "hello" "fmt=: the argv main gets"

# nesting: the source exists only in the view (a vufs bind where nothing is)
out=$(kmv sh -c 'vu_insmod vufs vufuse 2>/dev/null || { vu_insmod vufs && vu_insmod vufuse; } || exit 1
	vumount -t vufs "$1" /kmview-nowhere/v && vumount -t vufusereal /kmview-nowhere/v "$2/m" || exit 1
	cat "$2/m/a"; echo new >"$2/m/dir/f"; cat "$1/dir/f"; ls "$2/m"' sh "$S" "$T" 2>&1)
is "$out" "$(printf 'hello\nnew\na\ndir')" \
	"nesting: a source inside another mount, read and written through the view"

# errors: each clear, and the daemon serves on
errs=$(kmv sh -c 'vu_insmod vufuse || exit 1
	vumount -t vufusenosuch "$1" "$2/m"; echo "status $?"
	vumount -t vufusereal -o bogus "$1" "$2/m"; echo "status $?"
	vumount -t vufusereal "$2/missing" "$2/m"; echo "status $?"
	vumount -t vufusereal -o "fmt=\"%N" "$1" "$2/m"; echo "status $?"
	vumount -t vufusereal "$1" "$2/m" && cat "$2/m/a"' sh "$S" "$T" 2>&1)
chk() {
	echo "$errs" | grep -q -- "$1"
	local st=$?
	ok $st "$2"
	[ $st -eq 0 ] || echo "$errs" | sed 's/^/#   /'
}
chk "vumount: $S on $T/m type vufusenosuch: unknown file system type" \
	"an unknown submodule: ENODEV"
chk "vumount: $S on $T/m type vufusereal: Invalid argument" "an option fuse_new refuses: EINVAL"
chk "vumount: $T/missing on $T/m type vufusereal: Invalid argument" \
	"a submodule whose main fails (no source): EINVAL"
is "$(echo "$errs" | grep -c '^status 1$')" 4 "each failed with status 1"
is "$(echo "$errs" | tail -n 1)" "hello" "and the daemon serves on"
# main's own messages are on the daemon's stderr, as a FUSE program's on its terminal
chk 'fuse: unknown option(s): `-o bogus' "fuse_new says which option it refused"
chk "fusereal: $T/missing: No such file or directory" "fusereal says why it failed"
grep -q 'vufuse: vufusereal: main ended with 1 before serving' "$LOG" &&
	grep -q 'submodule vufusenosuch not found' "$LOG"
ok $? "the daemon's log says main failed, and which submodule is missing"

# flush: vufusemark (a test submodule) keeps /data in memory and writes it
# to SOURCE at fsync, at destroy (+ "destroyed"), and after fuse_main
# returns (+ "main ended")
MP=$(cd "$(dirname "$(command -v kmview)")/../selftests/modules" && pwd)
kmvm() { KMVIEW_MODULE_PATH=$MP kmv "$@"; }
: >"$T/mark"
out=$(kmvm sh -c 'vu_insmod vufuse && vumount -t vufusemark "$1" "$2/x" || exit 1
	echo one >"$2/x/data"; cat "$1"; echo --; sync -f "$2/x/data"; cat "$1"; echo --
	echo two >"$2/x/data"; sync; cat "$1"; echo --; vuumount "$2/x"; cat "$1"' sh "$T/mark" "$T" 2>&1)
is "$out" "$(printf -- '--\none\n--\ntwo\n--\ntwo\ndestroyed\nmain ended')" \
	"nothing written before asked; syncfs and sync(2) reach it; vuumount: destroy, then main ends"
: >"$T/mark"
kmvm sh -c 'vu_insmod vufuse && vumount -t vufusemark "$1" "$2/x" && echo two >"$2/x/data"' \
	sh "$T/mark" "$T" >/dev/null 2>&1
is "$(cat "$T/mark")" "$(printf 'two\ndestroyed\nmain ended')" \
	"the view ends without vuumount: destroy runs, main ends"
: >"$T/mark"
kmvm sh -c 'vu_insmod vufs && vu_insmod vufuse && vumount -t vufs "$1" /kmview-nowhere/v &&
	vumount -t vufusemark /kmview-nowhere/v/mark "$1/x" && echo three >"$1/x/data"' \
	sh "$T" >/dev/null 2>&1
is "$(cat "$T/mark")" "$(printf 'three\ndestroyed\nmain ended')" \
	"and with SOURCE on another mount: written through the view at the end"

done_testing

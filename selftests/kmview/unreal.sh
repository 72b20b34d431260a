#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# unreal is whole: every path call the real tree supports works through
# /unreal, as an ordinary user. One script of calls runs on a real tree
# natively and on an identical tree through /unreal in a view; the two
# outputs (results, errors, attributes) must be the same, and the calls
# must have changed the real tree. link, symlink, rename (and renameat2's
# RENAME_NOREPLACE), mkfifo and mknod, chmod, chown to oneself (and to
# root: EPERM), utimensat (also on a symlink), truncate, the user.*
# xattrs, statfs, readlink, access, mkdir/rmdir/unlink, and the fd and
# *at calls on a directory fd, which stays virtual.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-unreal.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
PY=$(command -v python3 || true)
if [ -z "$PY" ]; then
	skip "no python3"
	done_testing
	exit
fi

for d in real virt; do
	mkdir -p "$T/$d/sub"
	printf 'hello\nworld\n' >"$T/$d/a"
	echo b >"$T/$d/sub/b"
done

cat >"$T/calls.sh" <<'CALLS'
R=$1
echo "== link"; ln "$R/a" "$R/hl" 2>&1; stat -c '%h %s' "$R/a" "$R/hl"; ln "$R/a" "$R/hl" 2>&1
echo "== symlink"; ln -s a "$R/sl" 2>&1; readlink "$R/sl"; stat -c '%F' "$R/sl"; cat "$R/sl"
ln -s a "$R/sl" 2>&1
echo "== rename"; mv "$R/sl" "$R/sl2" 2>&1; ls "$R"
echo x >"$R/n1"; echo y >"$R/n2"; mv -n "$R/n1" "$R/n2" 2>&1; cat "$R/n2"
mv "$R/n1" "$R/sub/n1" && ls "$R/sub"; mv "$R/missing" "$R/m2" 2>&1
# (not mkfifo -m: its chmod goes through /proc/self/fd of an O_PATH placeholder, a known limit)
echo "== fifo and mknod"; mkfifo "$R/fifo" 2>&1 && chmod 640 "$R/fifo"; stat -c '%F %a' "$R/fifo"
python3 -c 'import os, stat, sys; os.mknod(sys.argv[1], 0o600 | stat.S_IFREG); print(oct(os.stat(sys.argv[1]).st_mode))' "$R/node" 2>&1
echo "== chmod"; chmod 640 "$R/a" 2>&1; stat -c '%a' "$R/a"; chmod 755 "$R/missing" 2>&1
echo "== chown"; chown "$(id -u):$(id -g)" "$R/a" 2>&1; echo "status $?"
chown -h "$(id -u)" "$R/sl2" 2>&1; echo "status $?"; chown 0 "$R/a" 2>&1; echo "status $?"
echo "== utime"; touch -d @1000000 "$R/a" 2>&1; stat -c '%X %Y' "$R/a"
touch -h -d @2000000 "$R/sl2" 2>&1; stat -c '%Y' "$R/sl2"; stat -L -c '%Y' "$R/sl2"
echo "== truncate"; truncate -s 3 "$R/a" 2>&1; stat -c %s "$R/a"; cat "$R/a"; echo
truncate -s 0 "$R/missing/x" 2>&1
echo "== xattr"; python3 -c '
import os, sys
p = sys.argv[1]
def t(what, f):
    try:
        print(what, f())
    except OSError as e:
        print(what, "error", e.errno)
t("set", lambda: os.setxattr(p, "user.k", b"val"))
t("get", lambda: os.getxattr(p, "user.k"))
t("list", lambda: sorted(x for x in os.listxattr(p) if x.startswith("user.")))
t("lget", lambda: os.getxattr(p, "user.k", follow_symlinks=False))
t("remove", lambda: os.removexattr(p, "user.k"))
t("get gone", lambda: os.getxattr(p, "user.k"))
' "$R/a"
echo "== statfs"; stat -f -c '%t %S %b' "$R"; stat -f -c '%t' "$R/a"
echo "== access"; for f in a sub missing fifo; do
	[ -e "$R/$f" ] && echo "$f e"; [ -r "$R/$f" ] && echo "$f r"; [ -w "$R/$f" ] && echo "$f w"
	[ -x "$R/$f" ] && echo "$f x"
done
echo "== mkdir rmdir unlink"; mkdir "$R/d" && mkdir "$R/d" 2>&1; rmdir "$R/d" && rmdir "$R/d" 2>&1
rmdir "$R/sub" 2>&1; rm "$R/hl" && stat -c %h "$R/a"; rm "$R/missing" 2>&1; rm "$R/fifo" "$R/node"
echo "== fd"; python3 -c '
import fcntl, os, sys
d = os.open(sys.argv[1], os.O_RDONLY | os.O_DIRECTORY)
def t(what, f):
    try:
        print(what, f())
    except OSError as e:
        print(what, "error", e.errno)
t("fstat dir", lambda: oct(os.fstat(d).st_mode))
t("fchmod", lambda: os.fchmod(d, 0o750))
t("mode", lambda: oct(os.stat(sys.argv[1]).st_mode))
t("fchown", lambda: os.fchown(d, os.getuid(), os.getgid()))
t("futimens", lambda: os.utime(d, (3000, 4000)))
t("mtime", lambda: os.stat(d).st_mtime)
t("fstatvfs", lambda: os.fstatvfs(d).f_bsize > 0)
t("fsync", lambda: os.fsync(d))
t("flock", lambda: fcntl.flock(d, fcntl.LOCK_EX | fcntl.LOCK_NB))
t("unflock", lambda: fcntl.flock(d, fcntl.LOCK_UN))
t("fgetxattr", lambda: os.getxattr(d, "user.none"))
t("listdir", lambda: sorted(os.listdir(d)))
t("openat", lambda: os.read(os.open("sub/b", os.O_RDONLY, dir_fd=d), 10))
t("statat", lambda: os.stat("a", dir_fd=d).st_size)
t("mkdirat", lambda: os.mkdir("e", dir_fd=d))
t("symlinkat", lambda: os.symlink("a", "e/s", dir_fd=d))
t("readlinkat", lambda: os.readlink("e/s", dir_fd=d))
t("linkat", lambda: os.link("a", "e/h", src_dir_fd=d, dst_dir_fd=d))
t("renameat", lambda: os.rename("e/h", "e/h2", src_dir_fd=d, dst_dir_fd=d))
t("fchmodat", lambda: os.chmod("e/h2", 0o600, dir_fd=d))
t("utimensat nofollow", lambda: os.utime("e/s", (7, 7), dir_fd=d, follow_symlinks=False))
t("unlinkat", lambda: [os.unlink("e/" + n, dir_fd=d) for n in ("s", "h2")])
t("rmdirat", lambda: os.rmdir("e", dir_fd=d))
t("O_PATH fstat", lambda: os.fstat(os.open("a", os.O_PATH, dir_fd=d)).st_size)
t("fdatasync file", lambda: os.fdatasync(os.open("a", os.O_RDWR, dir_fd=d)))
' "$R"
CALLS

real=$(bash "$T/calls.sh" "$T/real" 2>&1 | sed "s|$T/real|R|g")
virt=$(kmview -N -o "$LOG" sh -c 'vu_insmod unreal && exec bash "$@"' sh "$T/calls.sh" \
	"/unreal$T/virt" 2>&1 | sed "s|/unreal$T/virt|R|g")
if [ "$real" = "$virt" ]; then
	ok 0 "every path call through /unreal as on the real tree"
else
	ok 1 "every path call through /unreal as on the real tree"
	diff <(echo "$real") <(echo "$virt") | sed 's/^/#   /' | head -60
fi
echo "$real" | grep -q '^fdatasync file None$'
ok $? "the calls ran to the end"
echo "$virt" | grep -qE 'Function not implemented|error 38$'
ok $((!$?)) "nothing answered ENOSYS"

# and the real tree under /unreal changed as the calls said
tree() { (cd "$1" && find . -printf '%p %y %m %s %n\n' | sort); }
is "$(tree "$T/virt")" "$(tree "$T/real")" "the real tree behind /unreal changed as the native one"
is "$(stat -c '%a %h %s' "$T/virt/a")" "600 1 3" "a: chmod (through its link e/h2), truncate, the links gone"
is "$(readlink "$T/virt/sl2")" "a" "the symlink made through /unreal, renamed"

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

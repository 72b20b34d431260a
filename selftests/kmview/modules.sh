#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# Hypervisor modules: the life of a module (vu_insmod, vu_lsmod, vu_rmmod
# and their errors), and the unreal module against the real tree: the same
# commands on /unreal/DIR and on DIR must print the same, errors included.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-modules.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log

# kmview with the daemon's messages in $LOG, not mixed with the command's
kmv() { kmview -N -o "$LOG" "$@"; }

# ---- lifecycle ----
out=$(kmv sh -c 'vu_insmod unreal && vu_lsmod' 2>&1)
echo "$out" | grep -q '^unreal: '
ok $? "vu_insmod unreal, then vu_lsmod lists it"
out=$(kmv sh -c 'vu_insmod unreal; vu_insmod unreal' 2>&1)
echo "$out" | grep -q 'vu_insmod: unreal: File exists'
ok $? "a second vu_insmod of the same module: EEXIST"
out=$(kmv sh -c 'vu_insmod no_such_module' 2>&1)
st=$?
[ $st -ne 0 ] && echo "$out" | grep -q 'no_such_module: No such file or directory'
ok $? "vu_insmod of an unknown module: ENOENT"
out=$(kmv sh -c 'vu_insmod unreal && vu_rmmod unreal && vu_lsmod && ls /unreal' 2>&1)
echo "$out" | grep -q "cannot access '/unreal'"
ok $? "vu_rmmod unreal: it is gone, and /unreal with it"
out=$(kmv sh -c 'vu_rmmod unreal' 2>&1)
st=$?
[ $st -ne 0 ] && echo "$out" | grep -q 'vu_rmmod: unreal: module not loaded'
ok $? "vu_rmmod of a module not loaded: ENOENT"
# a directory: a regular file would be passed through (fdpass.sh), holding nothing
out=$(kmv bash -c 'vu_insmod unreal; exec 3</unreal/etc; vu_rmmod unreal; exec 3<&-; vu_rmmod unreal && echo removed' 2>&1)
echo "$out" | grep -q 'vu_rmmod: unreal: Device or resource busy' && echo "$out" | grep -q '^removed$'
ok $? "vu_rmmod while a file of the module is open: EBUSY, then it goes"
out=$(vu_insmod unreal 2>&1)
st=$?
[ $st -ne 0 ] && echo "$out" | grep -q 'not running in a kmview view'
ok $? "vu_insmod outside a view fails clearly"
is "$(kmv sh -c 'vu_lsmod')" "" "vu_lsmod with no module prints nothing"

# ---- the differential test ----
D=$T/tree
mkdir -p "$D/sub/deeper" "$D/empty" "$T/out"
printf 'hello\nworld\n' >"$D/a"
printf 'bee\n' >"$D/sub/b"
: >"$D/sub/deeper/zero"
head -c 300000 /dev/urandom >"$D/big"
ln -s a "$D/rel"
ln -s "$D/sub/b" "$D/abs"
ln -s nowhere "$D/dangling"
chmod 600 "$D/sub/b"

# The same commands under root $1; paths printed are made relative to it.
cat >"$T/probe.sh" <<'PROBE'
R=$1
OUT=$2
echo "== ls"; ls -la "$R" "$R/sub" 2>&1
echo "== ls -R"; ls -lR "$R" 2>&1
echo "== ls missing"; ls "$R/missing" 2>&1
echo "== cat"; cat "$R/a" "$R/sub/b" "$R/rel" "$R/abs" "$R/missing" "$R/dangling" 2>&1
echo "== stat"; stat -c '%n %s %f %u %g %h %i %Y %F' "$R" "$R/a" "$R/rel" "$R/abs" "$R/sub" \
	"$R/missing" 2>&1
echo "== stat -L"; stat -L -c '%n %s %f %i %F' "$R/rel" "$R/abs" "$R/dangling" 2>&1
echo "== readlink"; readlink "$R/rel" "$R/abs" "$R/a" 2>&1; echo "status $?"
echo "== test"; for f in a sub missing rel dangling; do
	[ -e "$R/$f" ] && echo "$f e"; [ -d "$R/$f" ] && echo "$f d"; [ -L "$R/$f" ] && echo "$f L"
	[ -r "$R/$f" ] && echo "$f r"; [ -x "$R/$f" ] && echo "$f x"
done
echo "== find"; find "$R" | sort; find "$R" -type f -size +1k; find "$R" -name '*b*' | sort
echo "== head"; head -c 1000 "$R/big" | md5sum; head -n 1 "$R/a"; tail -c 7 "$R/big" | md5sum
echo "== wc"; wc "$R/a" "$R/big" 2>&1; wc -c <"$R/big"
echo "== md5"; md5sum "$R/big" "$R/a"
echo "== cp"; rm -f "$OUT"; cp "$R/big" "$OUT" && cmp "$OUT" "$R/big" && echo same
echo "== tar"; tar cf - "$R" 2>/dev/null | tar tvf - | sort
echo "== du"; du -a "$R" | sort -k2
PROBE

real=$(kmv bash "$T/probe.sh" "$D" "$T/out/copy1" 2>&1)
virt=$(kmv sh -c 'vu_insmod unreal && exec bash "$@"' sh "$T/probe.sh" "/unreal$D" "$T/out/copy2" 2>&1 |
	sed -e 's|/unreal/|/|g' -e 's|unreal/||g')
if [ "$real" = "$virt" ]; then
	ok 0 "ls, cat, stat, readlink, test, find, head, wc, md5sum, cp, tar, du: /unreal$D is $D"
else
	ok 1 "ls, cat, stat, readlink, test, find, head, wc, md5sum, cp, tar, du: /unreal$D is $D"
	diff <(echo "$real") <(echo "$virt") | sed 's/^/#   /' | head -60
fi
echo "$real" | grep -q '^same$'
ok $? "the probe itself ran (cp of a 300 kB file)"

# ---- changes through unreal land in the real tree ----
out=$(kmv sh -c '
	vu_insmod unreal || exit 1
	U=/unreal$1
	echo data >"$U/new" && mkdir "$U/newdir" && mv "$U/new" "$U/newdir/moved" &&
	cat "$U/newdir/moved" && rm "$U/newdir/moved" && rmdir "$U/newdir" && echo done' sh "$D" 2>&1)
is "$(echo "$out" | tr '\n' ' ')" "data done " "create, write, mkdir, rename, unlink, rmdir through /unreal"
[ ! -e "$D/newdir" ] && [ ! -e "$D/new" ]
ok $? "and the real tree shows it"
is "$(cat "$D/a")" "$(printf 'hello\nworld')" "the real files are untouched"

# (a method a module lacks is refused with ENOSYS: oot.sh; unreal has them all: unreal.sh)

# ---- the second mount of unreal, at a later epoch ----
is "$(kmv sh -c 'vu_insmod unreal && cat /unreal/unreal$1/a' sh "$D" 2>&1)" "$(cat "$D/a")" \
	"/unreal/unreal shows the real tree too"

# ---- execve and mmap of virtual files ----
# The copies go to a mkdtemp directory in $XDG_RUNTIME_DIR (a private one
# of the test here): E is where to find them.
export XDG_RUNTIME_DIR=$T/run
mkdir -m 0700 "$XDG_RUNTIME_DIR"
E="$XDG_RUNTIME_DIR/kmview-exec-*"
X=$(mktemp -d /tmp/kmview-exec-test.XXXXXX)
cp /bin/true "$X/true"
printf '#!/bin/sh\necho "script $1 ran"\n' >"$X/script.sh"
chmod 755 "$X/script.sh"
kmv sh -c 'vu_insmod unreal && "/unreal$1/true"' sh "$X" >/dev/null 2>&1
ok $? "exec of a copy of /bin/true through /unreal"
is "$(kmv sh -c 'vu_insmod unreal && for i in 1 2 3; do "/unreal$1/true"; done && ls $2 | wc -l
	touch "$1/true" && "/unreal$1/true" && ls $2 | wc -l' sh "$X" "$E" 2>&1)" "$(printf '1\n2')" \
	"three runs of an unchanged file use one copy; a changed file gets a new one"
is "$(kmv sh -c 'vu_insmod unreal && "/unreal$1/script.sh" arg' sh "$X" 2>&1)" \
	"$("$X/script.sh" arg)" "exec of a #! script through /unreal"
cp /bin/dash "$X/dash"
printf '#!/kmview-nowhere/b/dash -e\necho "$# $1"; readlink /proc/$$/exe\n' >"$X/vscript"
printf '#!/kmview-nowhere/b/vscript\n' >"$X/vscript2"
chmod 755 "$X/vscript" "$X/vscript2"
out=$(kmv sh -c 'vu_insmod vufs && vumount -t vufs "$1" /kmview-nowhere/b && /kmview-nowhere/b/vscript x &&
	/kmview-nowhere/b/vscript2' sh "$X" 2>&1)
echo "$out" | sed -n 1p | grep -qx '1 x' &&
	echo "$out" | sed -n 2p | grep -q "^$XDG_RUNTIME_DIR/kmview-exec-[^/]*/x[0-9]*/dash\$" &&
	echo "$out" | sed -n 3p | grep -q "^1 $XDG_RUNTIME_DIR/kmview-exec-"
ok $? "a #! interpreter that exists only in the view runs (as its copy), also through a #! script"
[ $? -eq 0 ] || echo "$out" | sed 's/^/#   /'
printf 'X = 6 * 7\n' >"$X/mymod.py"
PY=$(command -v /usr/bin/python3 || command -v python3 || true)
if [ -n "$PY" ]; then
	want=$("$PY" -c 'import sys; sys.path.insert(0, "'"$X"'"); import mymod; print(mymod.X)' 2>&1)
	rm -rf "$X/__pycache__"
	got=$(kmv sh -c 'vu_insmod unreal && "$2" -B -c "import sys; sys.path.insert(0, \"/unreal$1\"); import mymod; print(mymod.X)"' \
		sh "$X" "$PY" 2>&1)
	is "$got" "$want" "python3 imports a module from /unreal"
else
	skip "no python3"
fi
CC=$(command -v cc || command -v gcc || true)
if [ -n "$CC" ]; then
	printf 'int lib_value(void) { return 42; }\n' >"$X/lib.c"
	printf '#include <stdio.h>\nint lib_value(void);\nint main(void) { printf("value %%d\\n", lib_value()); return 0; }\n' >"$X/main.c"
	if "$CC" -shared -fPIC -o "$X/libkmvt.so" "$X/lib.c" 2>/dev/null &&
		"$CC" -o "$X/prog" "$X/main.c" -L"$X" -lkmvt 2>/dev/null; then
		want=$(LD_LIBRARY_PATH=$X "$X/prog" 2>&1)
		got=$(kmv sh -c 'vu_insmod unreal && LD_LIBRARY_PATH=/unreal$1 "/unreal$1/prog"' sh "$X" 2>&1)
		is "$got" "$want" "a program from /unreal linked against a library in /unreal (mmap)"
		got=$(kmv sh -c 'vu_insmod unreal && LD_LIBRARY_PATH=/unreal$1 "$1/prog"' sh "$X" 2>&1)
		is "$got" "$want" "a native program loading its library from /unreal (mmap)"
	else
		skip "cannot build the test program"
		skip "cannot build the test program"
	fi
else
	skip "no C compiler"
	skip "no C compiler"
fi
ls -d $E >/dev/null 2>&1
ok $((!$?)) "the daemon removes its exec copies when it exits"
is "$(kmv sh -c 'vu_insmod unreal && "/unreal$1/true" && stat -c "%a %U" $2' sh "$X" "$E" 2>&1)" \
	"700 $(id -un)" "the copies' directory is the user's, mode 0700"
rm -rf "$X"

if [ "$tap_fail" -ne 0 ] && [ -s "$LOG" ]; then
	echo "# daemon log:"
	tail -n 40 "$LOG" | sed 's/^/#   /'
fi
done_testing

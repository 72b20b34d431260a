#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vubinfmt, as an ordinary user: binfmt_misc's interface mounted in a view
# (register, status, one file per entry, Linux's syntax and text), an E
# entry for a script extension, an M entry with a mask, flag P, disabling
# and removing entries and the whole mount, bad register strings (EINVAL,
# nothing registered; O and C: ENOSYS; F: the interpreter checked), and the
# 2008 paper's demo: i386 and ARM static busyboxes run through
# qemu-user-static. The kernel's own binfmt_misc stays as it was.
. "$(dirname "$0")/lib.sh"

T=$(mktemp -d /tmp/kmview-vubinfmt.XXXXXX)
trap 'rm -rf "$T"' EXIT
LOG=$T/daemon.log
kmv() { kmview -N -o "$LOG" "$@"; }
# the foreign programs, made on the host (binfmt_fixtures.sh)
FX=$(dirname "$(command -v kmview)")/../selftests/binfmt
BM=/proc/sys/fs/binfmt_misc
# where the view mounts it: Linux's place, if this kernel has it
M=$BM
[ -d "$M" ] || { M=$T/binfmt_misc; mkdir "$M"; }
echo "# mount point $M"
host_state() { ls -A "$BM" 2>&1; grep binfmt_misc /proc/mounts; }
host_before=$(host_state)

# vcalls exec: execv(2), with no shell's fallback for ENOEXEC: what the exec gives is what it prints
VCALLS=$(dirname "$(command -v kmview)")/../selftests/vcalls
export VCALLS M T FX
# vb SCRIPT: SCRIPT run by bash in a view where vubinfmt is mounted on $M
vb() { kmv bash -c 'vu_insmod vubinfmt && vumount -t vubinfmt none "$M" || exit 1
	x() { "$VCALLS" exec "$@"; }
	reg() { local e; e=$( { printf "%s\n" "$1" >"$M/register"; } 2>&1 ); [ -z "$e" ] || echo "${e##*write error: }"; }
	'"$1" 2>&1; }

printf 'echo "E: $0 $*"\n' >"$T/prog.kmvsh"
printf '#kmv\necho "M: $0 $*"\n' >"$T/m1"
printf '#KMV\necho "M: $0 $*"\n' >"$T/m2"
printf '#KNV\necho "M: $0 $*"\n' >"$T/m3"
printf 'echo "P: $0 $*"\n' >"$T/p.kmvp"
printf 'echo "not executable"\n' >"$T/noexec.kmvsh"
chmod 755 "$T/prog.kmvsh" "$T/m1" "$T/m2" "$T/m3" "$T/p.kmvp"
E_LINE=':kmvsh:E::kmvsh::/bin/sh:'
M_LINE=':kmvm:M:1:KMV:\xdf\xdf\xdf:/bin/sh:'
export E_LINE M_LINE

# part N: the Nth section of $out, sections split by "--" lines (one view, several checks)
part() { awk -v n="$1" '/^--$/ { k++; next } k == n - 1' <<<"$out"; }
u=$(id -u)

# ---- the files; an E entry, an M entry with a mask, P; disable, enable, remove ----
out=$(vb 'ls "$M"; cat "$M/status"; stat -c "%A %u" "$M" "$M/register" "$M/status"; echo --
	reg "$E_LINE"; reg "$M_LINE"; ls "$M"; cat "$M/kmvsh" "$M/kmvm"; echo --
	x "$T/prog.kmvsh" name a b; "$T/prog.kmvsh" c; x "$T/m1" name x; x "$T/m2" name y
	x "$T/m3" name z; x "$T/noexec.kmvsh" n; echo --
	reg ":kmvp:E::kmvp::/bin/sh:P"; sed -n 3p "$M/kmvp"; x "$T/p.kmvp" name a; echo --
	echo 0 >"$M/kmvsh"; head -n1 "$M/kmvsh"; x "$T/prog.kmvsh" n a; x "$T/m1" n a
	echo 1 >"$M/kmvsh"; head -n1 "$M/kmvsh"; x "$T/prog.kmvsh" n a; echo --
	echo 0 >"$M/status"; cat "$M/status"; head -n1 "$M/kmvm"; x "$T/prog.kmvsh" n a; x "$T/m1" n a
	echo 1 >"$M/status"; cat "$M/status"; x "$T/m1" n a; echo --
	for c in 2 -2 on 00; do for f in status kmvsh; do
		e=$( { echo $c >"$M/$f"; } 2>&1 ); echo "${e##*: }"; done; done
	cat "$M/status"; head -n1 "$M/kmvsh"; echo --
	echo -1 >"$M/kmvsh"; echo -1 >"$M/kmvp"; ls "$M"; cat "$M/kmvsh" 2>&1 | sed "s/^cat: //"
	x "$T/prog.kmvsh" n a; x "$T/m1" n a; echo --
	reg "$E_LINE"; echo -1 >"$M/status"; ls "$M"; x "$T/m1" n a')
is "$(part 1)" "$(printf 'register\nstatus\nenabled\ndrwxr-xr-x %s\n--w------- %s\n-rw-r--r-- %s' \
	"$u" "$u" "$u")" "mounted: register (0200) and status (0644, enabled), the user's"
is "$(part 2)" "$(printf 'kmvm\nkmvsh\nregister\nstatus\n%s\n%s' \
		"$(printf 'enabled\ninterpreter /bin/sh\nflags: \nextension .kmvsh')" \
		"$(printf 'enabled\ninterpreter /bin/sh\nflags: \noffset 1\nmagic 4b4d56\nmask dfdfdf')")" \
	"two entries registered: a file each, read as Linux's (extension; offset, magic, mask)"
is "$(part 3)" "$(printf 'E: %s a b\nE: %s c\nM: %s x\nM: %s y\nExec format error\nPermission denied' \
		"$T/prog.kmvsh" "$T/prog.kmvsh" "$T/m1" "$T/m2")" \
	"E runs a .kmvsh with /bin/sh (argv[0] the path); M with mask \\xdf matches #kmv and #KMV, not #KNV; no x bit: EACCES"
is "$(part 4)" "$(printf 'flags: P\nP: %s name a' "$T/p.kmvp")" "flag P: argv[0] kept after the path"
is "$(part 5)" "$(printf 'disabled\nExec format error\nM: %s a\nenabled\nE: %s a' "$T/m1" "$T/prog.kmvsh")" \
	"0 to an entry disables it (ENOEXEC, the others still run), 1 enables it"
is "$(part 6)" "$(printf 'disabled\nenabled\nExec format error\nExec format error\nenabled\nM: %s a' "$T/m1")" \
	"0 to status disables every entry (each still reads enabled), 1 enables them"
is "$(part 7 | LC_ALL=C sort | uniq -c | sed 's/^ *//')" "$(printf '8 Invalid argument\n2 enabled')" \
	"other commands (2, -2, on, 00) to status or an entry: EINVAL, nothing changes"
is "$(part 8)" "$(printf 'kmvm\nregister\nstatus\n%s: No such file or directory\nExec format error\nM: %s a' \
		"$M/kmvsh" "$T/m1")" "-1 to an entry removes it"
is "$(part 9)" "$(printf 'register\nstatus\nExec format error')" "-1 to status removes them all"
is "$("$VCALLS" exec "$T/prog.kmvsh" name; "$VCALLS" exec "$T/m1" name)" \
	"$(printf 'Exec format error\nExec format error')" "outside the view the files do not exec"

# ---- bad register strings ----
bad=(':n:E::ext::/bin/sh' ':n:X::ext::/bin/sh:' '::E::ext::/bin/sh:' ':a/b:E::x::/bin/sh:'
	':n:M::ABC:\xff:/bin/sh:' ':n:M::\xzz::/bin/sh:' ':n:M:125:ABCD::/bin/sh:' ':n:E::ext:::'
	':n:E::ext::/bin/sh:Z' 'P:n:E::ext::/bin/sh:' 'garbage' ':n:M:-1:AB::/bin/sh:')
BAD=$(printf '%s\n' "${bad[@]}")
export BAD
out=$(vb 'while IFS= read -r s; do reg "$s"; done <<<"$BAD"; ls "$M"; echo --
	reg ":o:E::o::/bin/sh:O"; reg ":c:E::c::/bin/sh:C"; reg ":f:E::f::/no/such:F"
	reg ":g:E::g::/etc/passwd:F"; reg ":h:E::h::/bin:F"; reg ":r:E::r::sh:F"; reg "$E_LINE"
	reg "$E_LINE"; reg ":status:E::s::/bin/sh:"; reg ":ok:E::ok::/bin/sh:F"; ls "$M"')
is "$(part 1)" "$(printf 'Invalid argument\n%.0s' "${bad[@]}")$(printf '\nregister\nstatus')" \
	"${#bad[@]} bad register strings: each EINVAL, nothing registered"
is "$(part 2)" "$(printf '%s\n' 'Function not implemented' 'Function not implemented' \
		'No such file or directory' 'Permission denied' 'Permission denied' \
		'Function not implemented' 'File exists' 'File exists' kmvsh ok register status)" \
	"O, C: ENOSYS; F: an executable file (ENOENT, EACCES), an absolute path (ENOSYS); a name in use: EEXIST"
grep -q "vubinfmt: register o: flag O (open-binary) not supported" "$LOG"
ok $? "  O's refusal says why in the log"

# ---- the paper's demo: i386 and ARM through qemu-user ----
I386=':i386:M::\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00:\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff:/usr/bin/qemu-i386-static:F'
ARM_DEB=$(cat /usr/lib/binfmt.d/qemu-arm.conf 2>/dev/null)
export I386 ARM_DEB
if [ ! -x /usr/bin/qemu-i386-static ] || [ ! -x /usr/bin/qemu-arm-static ] || [ -z "$ARM_DEB" ]; then
	skip "qemu-user-static is not installed (scripts/packages.txt has it)"
	skip "qemu-user-static is not installed"
elif [ ! -x "$FX/busybox-i386" ] || [ ! -x "$FX/busybox-armhf" ]; then
	skip "no foreign busybox: $(cat "$FX/skip" 2>/dev/null || echo "$FX: not made (make selftests)")"
	skip "no foreign busybox"
else
	mkdir -p "$T/i386" "$T/arm" "$T/dir/sub"
	ln -s "$FX/busybox-i386" "$T/i386/ls"
	ln -s "$FX/busybox-armhf" "$T/arm/ls"
	: >"$T/dir/file"
	mkdir "$T/jail" && cp "$FX/busybox-i386" "$T/jail/busybox"
	start=$SECONDS
	out=$(vb 'cd "$T" && sh -c "i386/ls dir >/dev/null 2>&1 && echo runs without an entry" 2>/dev/null
		reg "$I386"; reg "$ARM_DEB"; reg "${ARM_DEB%:OPF}:PF"
		i386/ls dir; arm/ls dir; "$FX/busybox-i386" uname -m; "$FX/busybox-armhf" uname -m
		"$FX/busybox-armhf" echo hello from arm; sed -n 2,3p "$M/qemu-arm"
		/usr/sbin/chroot "$T/jail" /busybox echo in the jail; echo -1 >"$M/i386"; reg "${I386%:F}:"
		/usr/sbin/chroot "$T/jail" /busybox echo in the jail 2>&1 | sed "s/.*: //"; echo --
		echo 0 >"$M/i386"; sh -c "\"\$1\" echo no; echo status \$?" sh "$FX/busybox-i386" 2>/dev/null')
	want=$(printf '%s\n' 'Function not implemented' file sub file sub i686 armv7l \
		'hello from arm' 'interpreter /usr/libexec/qemu-binfmt/arm-binfmt-P' 'flags: PF' \
		'in the jail' 'No such file or directory')
	is "$(part 1)" "$want" \
		"i386 (F) and Debian's ARM line (O refused, then PF): ls and uname -m of static busyboxes, through qemu-user; in a chroot that has no qemu, F's is the view's, without F none ($((SECONDS - start))s)"
	[ "$(part 1)" = "$want" ] || tail -n 5 "$LOG" | sed 's/^/#   log: /'
	is "$(part 2)" "status 139" \
		"  the i386 entry disabled: the 32-bit program does not run in the view (SIGSEGV: compat calls are refused)"
fi

# ---- umount; the kernel's binfmt_misc ----
is "$(vb 'reg "$E_LINE"; x "$T/prog.kmvsh" n a; vuumount "$M" && x "$T/prog.kmvsh" n b
	ls "$M" | grep -c kmvsh')" \
	"$(printf 'E: %s a\nExec format error\n0' "$T/prog.kmvsh")" "after vuumount the entries are gone"
is "$(host_state)" "$host_before" "the kernel's binfmt_misc is as it was"

done_testing

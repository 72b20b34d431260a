#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# scripts/deps.sh, on lists of its own (KMVIEW_PACKAGES): silent when all is
# installed, the one `sudo apt-get install` line for a user, apt-get for
# root (a recording apt-get first in PATH), "a|b" alternatives.  TAP.

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
deps=$here/../deps.sh
n=0
fail=0
ok() {
	n=$((n + 1))
	if [ "$1" = 0 ]; then echo "ok $n $2"; else echo "not ok $n $2"; fail=$((fail + 1)); fi
}
is() {
	[ "$1" = "$2" ]
	ok $? "$3"
	[ "$1" = "$2" ] || printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
}

t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
chmod 755 "$t"
no=kmview-test-no-such-package
list() { printf '%s\n' "$@" > "$t/list"; chmod 644 "$t/list"; }
# As an ordinary user: nobody when this runs as root.
as_user=()
[ "$(id -u)" = 0 ] && as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)

list "# a comment" "" "bash   # the shell" coreutils
out=$(KMVIEW_PACKAGES=$t/list "${as_user[@]}" "$deps" 2>&1)
is "$?:$out" "0:" "everything installed: silent, status 0"

list bash "$no" coreutils "$no-2|$no-3"
out=$(KMVIEW_PACKAGES=$t/list "${as_user[@]}" "$deps" 2>/dev/null)
is "$?:$out" "1:sudo apt-get install $no $no-2" "a user gets the one sudo line for the missing ones, status 1"

list "$no|bash" "coreutils|$no"
out=$(KMVIEW_PACKAGES=$t/list "${as_user[@]}" "$deps" 2>&1)
is "$?:$out" "0:" "either alternative installed is enough"

list "$no" "# x" "bash|$no-2"
is "$(KMVIEW_PACKAGES=$t/list "$deps" --list | tr '\n' ' ')" "$no bash|$no-2 " "--list prints the entries"

if [ "$(id -u)" = 0 ]; then
	mkdir "$t/bin"
	printf '#!/bin/sh\necho "$*" >> %s/calls\n' "$t" > "$t/bin/apt-get"
	chmod 755 "$t/bin/apt-get"
	mkdir "$t/lists"
	list bash "$no" "$no-2|bash"
	PATH=$t/bin:$PATH KMVIEW_PACKAGES=$t/list KMVIEW_APT_LISTS=$t/lists "$deps" 2>/dev/null
	ok $? "root: apt-get succeeds, status 0"
	is "$(cat "$t/calls")" "$(printf 'update -q\ninstall -y -q --no-install-recommends %s' "$no")" \
		"root, no package lists: apt-get update, then install of the missing package only"
	: > "$t/calls"
	touch "$t/lists/deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages"
	PATH=$t/bin:$PATH KMVIEW_PACKAGES=$t/list KMVIEW_APT_LISTS=$t/lists "$deps" 2>/dev/null
	is "$(cat "$t/calls")" "install -y -q --no-install-recommends $no" \
		"root, fresh package lists: no apt-get update"
else
	for i in 1 2 3; do n=$((n + 1)); echo "ok $n # SKIP root's apt-get path (not root)"; done
fi

# The real list: every entry a package name (or alternatives) Debian knows.
bad=$("$deps" --list | tr '|' '\n' | grep -vE '^[a-z0-9][a-z0-9.+-]+$')
is "$bad" "" "scripts/packages.txt holds only package names"

echo "1..$n"
[ $fail = 0 ]

#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Make sure the Debian packages of scripts/packages.txt are installed.
#
#   scripts/deps.sh            install what is missing (as root), or say how
#   scripts/deps.sh --list     print the list, one package a line
#
# Every package installed: prints nothing, exits 0 (one dpkg-query call,
# cheap enough to run before every `make check`).  Some missing, as root:
# says which, runs apt-get update (unless the lists are less than an hour
# old) and apt-get install for them, exits 0 if that worked.  As any other user: prints the `sudo apt-get install ...` line
# that installs them and exits 1.
# KMVIEW_PACKAGES names another list, KMVIEW_APT_LISTS another apt lists
# directory (scripts/tests/test_deps.sh uses both).

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
list=${KMVIEW_PACKAGES:-$here/packages.txt}

say() { echo "deps: $*" >&2; }

# The lines of the list: comments and blanks dropped, one entry each.
entries() {
	local line
	while IFS= read -r line || [ -n "$line" ]; do
		line=${line%%#*}
		line=${line//[[:space:]]/}
		[ -n "$line" ] && echo "$line"
	done < "$list"
}

[ -r "$list" ] || { say "cannot read $list"; exit 2; }
mapfile -t want < <(entries)

if [ "${1:-}" = --list ]; then
	printf '%s\n' "${want[@]}"
	exit 0
elif [ $# -gt 0 ]; then
	say "usage: scripts/deps.sh [--list]"
	exit 2
fi

# Installed packages among every name the list mentions.  dpkg-query fails
# for a name it never heard of; its answer for the others still counts.
declare -A have=()
mapfile -t names < <(printf '%s\n' "${want[@]}" | tr '|' '\n')
while read -r name status; do
	[ "$status" = installed ] && have[$name]=1
done < <(dpkg-query -W -f='${Package} ${db:Status-Status}\n' "${names[@]}" 2>/dev/null || true)

missing=()
for entry in "${want[@]}"; do
	ok=0
	IFS='|' read -r -a alts <<< "$entry"
	for a in "${alts[@]}"; do
		[ -n "${have[$a]:-}" ] && ok=1
	done
	[ $ok = 1 ] || missing+=("${alts[0]}")
done
[ ${#missing[@]} = 0 ] && exit 0

if [ "$(id -u)" != 0 ]; then
	say "kmview needs these Debian packages, which are not installed: ${missing[*]}"
	say "install them, then run make again:"
	echo "sudo apt-get install ${missing[*]}"
	exit 1
fi

say "installing the Debian packages kmview needs: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# A fresh machine (a container, a cloud image) may have no package lists, or
# old ones; .ci/run has just updated them.
lists=${KMVIEW_APT_LISTS:-/var/lib/apt/lists}
if [ -z "$(find "$lists" -maxdepth 1 -name '*_Packages*' -mmin -60 2>/dev/null | head -n1)" ]; then
	apt-get update -q >&2
fi
apt-get install -y -q --no-install-recommends "${missing[@]}" >&2

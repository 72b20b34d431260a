#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# In the VM shell (`make vm-shell` runs `kmview bash` as uid 1000), man finds
# the project's pages: initramfs-init links the repository's flat man/ as a
# man1/ and a man7/, and guest-init.sh puts it first in MANPATH.
. "$(dirname "$0")/lib.sh"
top=$(cd "$(dirname "$0")/../.." && pwd -P)

# Every page of man/, by name, from inside a view (one view: each kmview
# start costs seconds under TCG).
names=()
for f in "$top"/man/*.[17]; do
	name=${f##*/}
	names+=("$name")
done
mapfile -t found < <(kmview -N sh -c 'for n; do man -w "${n##*.}" "${n%.*}" 2>&1 || echo "no page $n"; done' \
	sh "${names[@]}")
for i in "${!names[@]}"; do
	is "$(realpath -e "${found[$i]}" 2>&1)" "$top/man/${names[$i]}" "man -w finds man/${names[$i]}"
done

# And rendered, as `man kmview` shows it: its header and its NAME line.
page=$(kmview -N sh -c 'man -P cat kmview' 2>&1)
ok $? "man -P cat kmview exits 0"
echo "$page" | head -n1 | grep -qE '^KMVIEW\(1\) +User Commands +KMVIEW\(1\)$'
ok $? "the page starts with its .TH header"
echo "$page" | tr -s ' \n' '  ' | grep -qF 'NAME kmview - run a command in a VUOS view'
st=$?
ok $st "the page shows its NAME line"
[ $st = 0 ] || echo "$page" | head -n 12 | sed 's/^/#   /'
done_testing

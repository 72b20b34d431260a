#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# bench_doc.sh OUT.tar: the tree of bench.sh's file calls, made on the host
# by make bench: every tenth package's directory of /usr/share/doc (a
# realistic shape: copyright, changelogs, READMEs, examples, links), less
# its files over 256 KiB, as one tarball (the guest reads one file over 9p
# much faster than thousands). All of it would take the TCG guest most of
# an hour on the slow paths.
set -euo pipefail
out=$(realpath -m "$1")
cd /usr/share
find doc -mindepth 1 -maxdepth 1 | LC_ALL=C sort | awk 'NR % 10 == 1' >"$out.dirs"
{
	echo doc
	while read -r d; do find "$d" \( -type f -size +256k \) -prune -o -print; done <"$out.dirs"
} | LC_ALL=C sort | tar cf "$out.tmp" --no-recursion -T -
rm -f "$out.dirs"
mv "$out.tmp" "$out"

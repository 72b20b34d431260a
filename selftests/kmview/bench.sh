#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# `make bench`, in the test VM: the per-call costs side by side, as a table.
# Pinned to one CPU, as the figures of Documentation/design.md were.
top=${KMVIEW_TOP:-$(cd "$(dirname "$0")/../.." && pwd)}
user=${KMVIEW_TEST_UID:-1000}
exec setpriv --reuid="$user" --regid="$user" --clear-groups \
	taskset -c 0 "$top/build/selftests/bench" "$@"

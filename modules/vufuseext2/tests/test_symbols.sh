#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
# vufuseext2.so is a vufuse submodule: it must not link libfuse3 (vufuse
# provides the API), and the only FUSE names it needs are the public
# libfuse3 calls vufuse emulates. It exports main and fuse_reentrant_tag.
so=${1:-$(cd "$(dirname "$0")/../../.." && pwd)/build/modules/vufuseext2.so}
fail=0
check() { if [ "$1" = 0 ]; then echo "ok - $2"; else echo "not ok - $2"; fail=1; fi; }

[ -r "$so" ]
check $? "$so is built"
! readelf -d "$so" | grep -q 'NEEDED.*libfuse'
check $? "no libfuse in its NEEDED"
readelf -d "$so" | grep -q 'NEEDED.*libext2fs'
check $? "libext2fs in its NEEDED"
extra=$(nm -D --undefined-only "$so" | awk '{print $2}' | grep '^fuse_' |
	grep -vxE 'fuse_(get_context|main_real|opt_parse|opt_add_arg|opt_free_args)')
[ -z "$extra" ]
check $? "its FUSE names are the public calls vufuse emulates${extra:+ (also: $extra)}"
nm -D --defined-only "$so" | grep -qw main
check $? "exports main"
nm -D --defined-only "$so" | grep -qw fuse_reentrant_tag
check $? "exports fuse_reentrant_tag"
exit $fail

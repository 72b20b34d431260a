/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/exec.h - what execve's two files share: the real copy of a virtual
 * program (exec.c), and the exec of a claimed binary format (binfmt.c).
 */
#ifndef KMVIEW_DAEMON_SC_EXEC_H
#define KMVIEW_DAEMON_SC_EXEC_H

#include <stdbool.h>
#include <stddef.h>

#include "core/call.h"
#include "core/vpath.h"

/*
 * The real copy of the virtual program @t, named @name (made now, or one
 * made before): its path in @out. 0 or -errno.
 */
long vu_exec_real_copy(struct vu_call *call, struct vu_target *t, const char *name, char *out,
		       size_t size);

/*
 * execve/execveat of @t, path slot 0 of @call, resolved: if a CHECKBINFMT
 * entry claims the file, the reply runs its interpreter, and true. False:
 * none does (or none exists), the exec is the caller's to serve.
 */
bool vu_binfmt_exec(struct vu_call *call, struct vu_target *t);

#endif /* KMVIEW_DAEMON_SC_EXEC_H */

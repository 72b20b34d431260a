/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * module.h - the module loader: finding a module's shared object and
 * making a service of it (core/service.h).
 *
 * Methods are found by name when the module loads (vu_NAME_SYSCALL) and
 * may be replaced by the module itself at init (vu_syscall_handler).
 */
#ifndef KMVIEW_DAEMON_MODULE_H
#define KMVIEW_DAEMON_MODULE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/service.h"

/*
 * Where the shared object of @name is: @name itself if it has a '/',
 * else NAME.so (or @name, if it ends in .so) in the first directory of
 * the module path that has it: $KMVIEW_MODULE_PATH (colon-separated),
 * then the installed directory, then ../modules beside the kmview binary
 * (the build tree). 0, or -ENOENT.
 */
int vu_module_find(const char *name, char *out, size_t outlen);
/* The module path, as a colon-separated list (for messages). */
void vu_module_path(char *buf, size_t len);

/*
 * Load the shared object at @file and look up its vu_module and methods;
 * init is not run. -ENOEXEC (logged) if it is no module.
 */
int vu_service_load(const char *file, struct vu_service_t **out);

#endif /* KMVIEW_DAEMON_MODULE_H */

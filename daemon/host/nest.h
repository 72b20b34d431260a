/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nest.h - nesting: the calls modules make on files reach the modules
 * mounted before them (nest.c, nest_bind.c).
 */
#ifndef KMVIEW_DAEMON_NEST_H
#define KMVIEW_DAEMON_NEST_H

/* -x: a module's calls are always real. */
void vu_nest_disable(void);

/*
 * dlopen(@file, @flags) for a module or a submodule, then rebind the C
 * library's file functions in every object that dlopen loaded (the module
 * and the libraries it brought) to the nesting layer's. NULL and dlerror()
 * as dlopen.
 */
void *vu_nest_dlopen(const char *file, int flags);

#endif /* KMVIEW_DAEMON_NEST_H */

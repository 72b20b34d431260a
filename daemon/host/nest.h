/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nest.h - nesting: the calls modules make on files reach the modules
 * mounted before them (nest.c).
 */
#ifndef KMVIEW_DAEMON_NEST_H
#define KMVIEW_DAEMON_NEST_H

/* -x: a module's calls are always real. */
void vu_nest_disable(void);

#endif /* KMVIEW_DAEMON_NEST_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * view.h - what identifies the view: its name (-V, vuname) and server id.
 */
#ifndef KMVIEW_DAEMON_VIEW_H
#define KMVIEW_DAEMON_VIEW_H

#include <stddef.h>

/* -EINVAL if name does not fit in struct vu_info.vu_name. */
int vu_view_set_name(const char *name);
void vu_view_get_name(char *buf, size_t len);
/* The hypervisor's pid in decimal, as umvu reports it. */
void vu_view_get_serverid(char *buf, size_t len);

#endif /* KMVIEW_DAEMON_VIEW_H */

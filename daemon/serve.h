/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * serve.h - the hypervisor's message loop.
 */
#ifndef KMVIEW_DAEMON_SERVE_H
#define KMVIEW_DAEMON_SERVE_H

#include "backend.h"

/* Serve until the view is empty: 0, or -errno if the backend failed. */
int vu_serve(struct vu_backend *be);
/* Handle one message: reply to it if it is a system call. */
void vu_serve_msg(struct vu_backend *be, const struct vu_msg *msg);

#endif /* KMVIEW_DAEMON_SERVE_H */

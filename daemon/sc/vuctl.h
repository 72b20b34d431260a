/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vuctl.h - the VUOS management call vuctl(cmd, ...) (vulib.h).
 */
#ifndef KMVIEW_DAEMON_VUCTL_H
#define KMVIEW_DAEMON_VUCTL_H

#include "core/call.h"

void vu_vuctl(struct vu_call *call);

#endif /* KMVIEW_DAEMON_VUCTL_H */

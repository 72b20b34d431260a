/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * open2.h - openat2's struct open_how, checked as the kernel checks it
 * (sc/open2.c).
 */
#ifndef KMVIEW_DAEMON_OPEN2_H
#define KMVIEW_DAEMON_OPEN2_H

#include <linux/openat2.h>

/* 0, or -EINVAL for flags, resolve bits or a mode the kernel refuses. */
int vu_open_how_check(const struct open_how *how);

#endif /* KMVIEW_DAEMON_OPEN2_H */

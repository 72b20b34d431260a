/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Validation of a reply's layout: pure logic on a buffer already copied
 * from the daemon, also compiled on the host for unit tests (kmod/tests/).
 */
#ifndef KMVIEW_REPLY_CHECK_H
#define KMVIEW_REPLY_CHECK_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#include <stdint.h>
#endif
#include <linux/kmview.h>

/* Most copy segments in one reply. */
#define KMVIEW_MAX_COPIES 64

int kmview_reply_check(const struct kmview_reply *r, size_t len);
const char *kmview_reply_path(const struct kmview_reply *r);
const struct kmview_copy *kmview_reply_copy(const struct kmview_reply *r, unsigned int i);

#endif /* KMVIEW_REPLY_CHECK_H */

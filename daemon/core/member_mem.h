/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * member_mem.h - copy arguments from and results to a member's memory,
 * while it is parked in request req. Every function returns -errno as the
 * system call would: -EFAULT for a bad address.
 */
#ifndef KMVIEW_DAEMON_MEMBER_MEM_H
#define KMVIEW_DAEMON_MEMBER_MEM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "backend/backend.h"

/* Exactly len bytes: 0 or -EFAULT. */
int vu_peek(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, void *buf, size_t len);
int vu_poke(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, const void *buf,
	    size_t len);
/*
 * A NUL-terminated string of at most size - 1 characters: its length,
 * -EFAULT, or -ENAMETOOLONG if no NUL fits in buf.
 */
ssize_t vu_peek_str(struct vu_backend *be, const struct vu_msg *req, uint64_t addr, char *buf,
		    size_t size);

#endif /* KMVIEW_DAEMON_MEMBER_MEM_H */

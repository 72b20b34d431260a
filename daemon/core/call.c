// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * call.c - the memory a request owns until its reply is sent.
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "core/call.h"

void *vu_call_alloc(struct vu_call *call, size_t len)
{
	void *p;

	if (call->nowned >= sizeof(call->owned) / sizeof(call->owned[0]))
		return NULL;
	p = malloc(len ? len : 1);
	if (p)
		call->owned[call->nowned++] = p;
	return p;
}

int vu_call_copy_out(struct vu_call *call, uint64_t addr, const void *data, size_t len)
{
	void *buf;

	if (call->reply.ncopy >= VU_CALL_MAX_COPIES)
		return -E2BIG;
	buf = vu_call_alloc(call, len);
	if (!buf)
		return -ENOMEM;
	memcpy(buf, data, len);
	call->copies[call->reply.ncopy] = (struct vu_copy){ addr, buf, len };
	call->reply.ncopy++;
	call->reply.copy = call->copies;
	return 0;
}

void vu_call_free(struct vu_call *call)
{
	while (call->nowned > 0)
		free(call->owned[--call->nowned]);
	if (call->has_tmpfd) {
		close(call->tmpfd);
		call->has_tmpfd = 0;
	}
	call->reply.copy = NULL;
	call->reply.ncopy = 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/scnum.c - which module owns a system call by its number (CHECKSC).
 */
#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "core/arch_table.h"
#include "core/member_mem.h"
#include "core/sysname.h"
#include "sc/scnum.h"

struct vuht_entry_t *vu_scnum_pick(struct vu_call *call)
{
	/* an int, as VUOS's confirm functions read it (vumisc compares *(int *)arg) */
	int key = (int)vu_arch_method(call->msg->nr);
	struct vuht_entry_t *ht = NULL;
	char buf[32];

	if (key != VU_M_none)
		ht = vuht_pick(CHECKSC, &key, sizeof(key), vu_epoch_get());
	vu_debug('c', "tid %d: sc: %s, method %s: %s", call->msg->tid,
		 vu_syscall_name(call->msg->nr, buf, sizeof(buf)),
		 vu_method_name((enum vu_method)key), ht ? ht->service->mod->name : "native");
	return ht;
}

bool vu_scnum_writable(struct vu_call *call, uint64_t addr)
{
	char path[32], byte;
	struct stat st;

	if (addr)
		return vu_peek(call->be, call->msg, addr, &byte, 1) != -EPERM;
	snprintf(path, sizeof(path), "/proc/%d/mem", (int)call->msg->tid);
	return stat(path, &st) == 0 && st.st_uid == geteuid();
}

bool vu_scnum_has(struct vu_call *call, struct vuht_entry_t *ht, enum vu_method m)
{
	char buf[32];

	if (ht->service->method[m])
		return true;
	vu_debug('c', "tid %d: %s is not served: module %s has no %s: ENOSYS", call->msg->tid,
		 vu_syscall_name(call->msg->nr, buf, sizeof(buf)), ht->service->mod->name,
		 vu_method_name(m));
	vu_call_return(call, -ENOSYS);
	return false;
}

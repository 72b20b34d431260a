/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * arch_table.h - which method serves each system call of this
 * architecture: vumodule.h's vu_arch_table, VUOS's vu_syscalls.conf.
 */
#ifndef KMVIEW_DAEMON_ARCH_TABLE_H
#define KMVIEW_DAEMON_ARCH_TABLE_H

#include <stdint.h>

#include "core/service.h"

/* vu_arch_table's size: every __NR_* of x86-64 is below it. */
#define VU_ARCH_NR 512

/* The method of syscall @nr (VU_M_none if none or out of range). */
enum vu_method vu_arch_method(long nr);
/* Set the bit of every syscall that method @m serves in @bitmap of @nbits bits. */
void vu_arch_syscalls_of(enum vu_method m, uint64_t *bitmap, unsigned int nbits);

#endif /* KMVIEW_DAEMON_ARCH_TABLE_H */

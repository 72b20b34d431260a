// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modctx.c - the request a serving thread is calling a module for.
 *
 * The state is per thread: a module's method runs in the thread that
 * serves the request, and a module's own threads start with none (they
 * set an entry with vu_mod_setht if they need one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/modcall.h"
#include "core/modctx.h"
#include "core/pcache.h"
#include "core/vfd.h"

static __thread struct vuht_entry_t *vu_cur_ht;
static __thread struct vu_call *vu_cur_call;
static __thread mode_t vu_cur_mode;
/* vu_modctx_set_mode_of: the target whose mode is found when asked */
static __thread struct vuht_entry_t *vu_mode_ht;
static __thread const char *vu_mode_path;
static __thread int vu_mode_flags;
static __thread struct vu_vfd *vu_cur_held[VU_MODCTX_HOLD];
static __thread unsigned int vu_cur_nheld;
__thread bool vu_modctx_in_reader;
static __thread bool vu_reader_refused;

void vu_modctx_begin(struct vu_call *call)
{
	vu_cur_call = call;
	vu_cur_mode = 0;
	vu_pcache_begin();
}

void vu_modctx_end(void)
{
	vu_cur_call = NULL;
	vu_cur_mode = 0;
	vu_pcache_end();
	while (vu_cur_nheld > 0)
		vu_vfd_unpin(vu_cur_held[--vu_cur_nheld]);
}

struct vu_vfd *vu_modctx_hold(uint64_t handle)
{
	struct vu_vfd *f;

	if (!vu_cur_call)
		return NULL;
	for (unsigned int i = 0; i < vu_cur_nheld; i++)
		if (vu_cur_held[i]->handle == handle)
			return vu_cur_held[i];
	if (vu_cur_nheld == VU_MODCTX_HOLD) {
		vu_log(LOG_NOTICE, "tid %d: a module asked of more than %d files in one request",
		       vu_cur_call->msg->tid, VU_MODCTX_HOLD);
		return NULL;
	}
	f = vu_vfd_pin(handle);
	if (f)
		vu_cur_held[vu_cur_nheld++] = f;
	return f;
}

void vu_modctx_set_reader(bool on)
{
	vu_modctx_in_reader = on;
	vu_reader_refused = false;
}

bool vu_modctx_refused(void)
{
	return vu_reader_refused;
}

/*
 * The methods that only look (and their confirm functions, VU_M_none) of
 * a module that says they never wait (VU_MODULE_QUICK_LOOKUP). close is
 * never refused, as a close not made is a file never closed: the reader
 * cannot make one (a request pins only files not released, and RELEASE
 * is the reader's own), but it must not lose one if it did.
 */
bool vu_modctx_reader_may(const struct vuht_entry_t *ht, enum vu_method m)
{
	bool quick = false;

	switch (m) {
	case VU_M_none:
	case VU_M_lstat:
	case VU_M_access:
	case VU_M_readlink:
	case VU_M_getdents64:
	case VU_M_lseek:
	case VU_M_statfs:
	case VU_M_statx:
	case VU_M_lgetxattr:
	case VU_M_llistxattr:
		quick = ht->service->mod && (ht->service->mod->flags & VU_MODULE_QUICK_LOOKUP);
		break;
	case VU_M_close:
		return true;
	default:
		break;
	}
	if (!quick) {
		if (!vu_reader_refused)
			vu_debug('a', "tid %d: %s of %s may wait: to a worker", (int)vu_mod_gettid(),
				 m == VU_M_none ? "the confirm function" : vu_method_name(m),
				 ht->service->mod ? ht->service->mod->name : "?");
		vu_reader_refused = true;
	}
	return quick;
}

struct vu_call *vu_modctx_call(void)
{
	return vu_cur_call;
}

void vu_modctx_set_mode(mode_t mode)
{
	vu_cur_mode = mode;
	vu_mode_ht = NULL;
}

void vu_modctx_set_mode_of(struct vuht_entry_t *ht, const char *mpath, int flags)
{
	vu_cur_mode = 0;
	vu_mode_ht = ht;
	vu_mode_path = mpath;
	vu_mode_flags = flags;
}

struct vuht_entry_t *vu_mod_getht(void)
{
	return vu_cur_ht;
}

struct vuht_entry_t *vu_mod_setht(struct vuht_entry_t *ht)
{
	struct vuht_entry_t *old = vu_cur_ht;

	vu_cur_ht = ht;
	return old;
}

pid_t vu_mod_gettid(void)
{
	return vu_cur_call ? vu_cur_call->msg->tid : 0;
}

mode_t vu_mod_getmode(void)
{
	struct vuht_entry_t *ht = vu_mode_ht;

	if (ht) {
		struct vu_stat st;
		long r;

		vu_mode_ht = NULL; /* once, and not again from the module's own lstat */
		r = vu_pcache_lstat(ht, vu_mode_path, &st, vu_mode_flags);
		vu_cur_mode = r == 0 ? st.st_mode : 0;
	}
	return vu_cur_mode;
}

int vu_mod_getsyscall_number(void)
{
	return vu_cur_call ? (int)vu_cur_call->msg->nr : -1;
}

syscall_arg_t vu_mod_getsyscall_arg(unsigned int narg)
{
	if (!vu_cur_call || narg >= 6)
		return 0;
	return (syscall_arg_t)vu_cur_call->msg->args[narg];
}

mode_t vu_umask_of(pid_t tid)
{
	char path[64], line[128];
	mode_t mask = 022;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)tid);
	f = fopen(path, "re");
	if (!f)
		return mask;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "Umask:", 6) == 0) {
			mask = (mode_t)strtoul(line + 6, NULL, 8) & 0777;
			break;
		}
	fclose(f);
	return mask;
}

mode_t vu_mod_getumask(void)
{
	pid_t tid = vu_mod_gettid();

	return tid > 0 ? vu_umask_of(tid) : 022;
}

void vu_mcall_missing(const struct vuht_entry_t *ht, const char *name)
{
	vu_debug('m', "tid %d: module %s has no method %s: ENOSYS", (int)vu_mod_gettid(),
		 ht->service->mod ? ht->service->mod->name : "?", name);
}

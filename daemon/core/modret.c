// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modret.c - clamp what modules return (see modret.h).
 *
 * The log lines are bounded: a broken method called in a loop would
 * otherwise fill the log; the first few say what is wrong, which is all
 * the module's author needs.
 */
#include <errno.h>
#include <stdatomic.h>

#include "base/log.h"
#include "core/modret.h"
#include "core/service.h"
#include "core/vuht.h"

#define VU_MODRET_LOG_MAX 16

static atomic_uint vu_modret_logged;

static const char *vu_modret_name(const struct vuht_entry_t *ht)
{
	return ht && ht->service && ht->service->mod ? ht->service->mod->name : "?";
}

static bool vu_modret_may_log(void)
{
	unsigned int n = atomic_fetch_add(&vu_modret_logged, 1);

	if (n == VU_MODRET_LOG_MAX)
		vu_log(LOG_WARNING, "more broken results from modules: no longer logged");
	return n < VU_MODRET_LOG_MAX;
}

bool vu_retval_ok(long v)
{
	return v >= 0 || (v >= -4095 && !(v <= -512 && v >= -530));
}

long vu_mod_errno(const struct vuht_entry_t *ht, const char *method, int err)
{
	if (err > 0 && vu_retval_ok(-(long)err))
		return -err;
	if (vu_modret_may_log())
		vu_log(LOG_WARNING, "module %s: %s failed with errno %d, which a system call "
		       "cannot return: EIO instead", vu_modret_name(ht), method, err);
	return -EIO;
}

long vu_mod_size(const struct vuht_entry_t *ht, const char *method, long ret, size_t max)
{
	if (ret < 0 || (unsigned long)ret <= max)
		return ret;
	if (vu_modret_may_log())
		vu_log(LOG_WARNING, "module %s: %s returned %ld for a buffer of %zu bytes: "
		       "%zu taken", vu_modret_name(ht), method, ret, max, max);
	return (long)max;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * service.c - the methods of a loaded module by name, and its references.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/modctx.h"
#include "core/service.h"
#include "core/vuht.h"

static const char *const vu_method_names[VU_NMETHODS] = {
	[VU_M_none] = "none",
#define VU_METHOD_NAME(m) [VU_M_##m] = #m,
	VU_METHODS(VU_METHOD_NAME)
#undef VU_METHOD_NAME
};

const char *vu_method_name(enum vu_method m)
{
	return (unsigned int)m < VU_NMETHODS ? vu_method_names[m] : "?";
}

int vu_method_by_name(const char *name)
{
	for (int m = VU_M_none + 1; m < VU_NMETHODS; m++)
		if (strcmp(vu_method_names[m], name) == 0)
			return m;
	return -1;
}

void vu_service_get(struct vu_service_t *s)
{
	__atomic_add_fetch(&s->refs, 1, __ATOMIC_RELAXED);
}

void vu_service_put(struct vu_service_t *s)
{
	if (!s || __atomic_sub_fetch(&s->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (s->dlhandle)
		dlclose(s->dlhandle);
	free(s);
}

/*
 * A cleanup runs as a method of its entry would: vu_mod_getht() is the
 * entry, and its file calls see the view at the entry's epoch (nesting).
 * It may run after the request that deleted the entry has left its
 * module (at the drop of its last use, or at the daemon's exit), when the
 * thread's epoch is "now": vufuse finishes its file system's main there,
 * and an image on another mount must still be written through the view.
 */
void vu_service_cleanup(struct vu_service_t *s, uint8_t type, void *obj, int objlen,
			struct vuht_entry_t *ht)
{
	struct vuht_entry_t *old;
	uint64_t epoch;

	if (!s || !s->cleanup)
		return;
	old = vu_mod_setht(ht);
	epoch = vu_epoch_set(ht->epoch);
	s->cleanup(type, obj, objlen, ht);
	vu_epoch_set(epoch);
	vu_mod_setht(old);
}

/* Written by modules whose vu_syscall_handler names no method: read by nobody. */
static syscall_t vu_unknown_method;

syscall_t *vu_syscall_handler_pointer(struct vu_service_t *service, char *name)
{
	int m = vu_method_by_name(name);

	if (!service || m < 0) {
		vu_log(LOG_WARNING, "module %s sets method \"%s\", which kmview does not know",
		       service && service->mod ? service->mod->name : "?", name);
		return &vu_unknown_method;
	}
	return &service->method[m];
}

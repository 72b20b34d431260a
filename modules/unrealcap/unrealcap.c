// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * unrealcap - virtual capabilities for the processes of a view, with the
 * real ids (VUOS's unrealcap; with virtual ids too, load unrealuidgid,
 * which keeps both). The kernel's rules (creds.h): the view's owner may
 * raise any capability, an exec of a program that is not root's drops
 * them, as Linux does for a file without file capabilities.
 *
 *   vu_insmod unrealcap; capsh --caps=cap_chown+eip -- -c 'getpcaps $$'
 */
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <vumodule.h>

#include "../unrealuidgid/vproc.h"

VU_PROTOTYPES(unrealcap)

struct vu_module_t vu_module = {
	.name = "unrealcap",
	.description = "virtual capabilities",
};

static const short owned[] = { __NR_capget, __NR_capset };
static struct vuht_entry_t *ht[2];

int vu_unrealcap_capget(cap_user_header_t hdrp, cap_user_data_t datap)
{
	return vproc_capget(hdrp, datap);
}

int vu_unrealcap_capset(cap_user_header_t hdrp, const cap_user_data_t datap)
{
	return vproc_capset(hdrp, datap);
}

void *vu_unrealcap_init(void)
{
	struct vu_service_t *s = vu_mod_getservice();
	void *other = vu_mod_dlopen("unrealuidgid", RTLD_NOW | RTLD_NOLOAD);

	if (other) {
		dlclose(other);
		printk(KERN_ERR "unrealcap: unrealuidgid is loaded and keeps capabilities already\n");
		errno = EBUSY;
		return VU_INIT_FAILED;
	}
	vproc_init();
	for (int i = 0; i < 2; i++) {
		int key = vu_arch_table[owned[i]];

		ht[i] = vuht_add(CHECKSC, &key, sizeof(key), s, 0, NULL, NULL);
	}
	return NULL;
}

int vu_unrealcap_fini(void *private)
{
	for (int i = 0; i < 2; i++)
		if (ht[i] && vuht_del(ht[i], MNT_FORCE) == 0)
			ht[i] = NULL;
	vproc_fini();
	return 0;
}

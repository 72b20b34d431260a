// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunet_default.c - the default stack of each address family, per
 * process, as VUOS's vunet keeps it: a table the process shares with the
 * children it makes (MOD_INH_CLONE hands its pointer over), copied the
 * first time one of them changes it. Each slot that names a stack is one
 * use of that stack: a stack some process still uses cannot be unmounted.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "vunet_impl.h"

struct vunet_defaults {
	int refs; /* processes sharing the table */
	struct vunet *stack[VUNET_NFAM];
};

/* One lock for every table: changes are rare (vustack), reads are a socket(2). */
static pthread_mutex_t vunet_def_lock = PTHREAD_MUTEX_INITIALIZER;
/* The table of the process this thread serves (module-api.md, per-process state). */
static __thread struct vunet_defaults *vunet_defs;

struct vunet *vunet_default_get(int domain)
{
	struct vunet *stack = NULL;

	if (domain < 0 || domain >= VUNET_NFAM)
		return NULL;
	pthread_mutex_lock(&vunet_def_lock);
	if (vunet_defs)
		stack = vunet_defs->stack[domain];
	pthread_mutex_unlock(&vunet_def_lock);
	return stack;
}

/* Free a stack whose entries are gone (called locked). */
static void vunet_free(struct vunet *stack)
{
	free(stack);
}

static void vunet_slot_set(struct vunet_defaults *d, int domain, struct vunet *stack)
{
	struct vunet *old = d->stack[domain];

	if (old && --old->uses == 0 && old->gone)
		vunet_free(old);
	d->stack[domain] = stack;
	if (stack)
		stack->uses++;
}

/* A table of this process's own, to change (called locked); NULL on ENOMEM. */
static struct vunet_defaults *vunet_defs_own(void)
{
	struct vunet_defaults *d;

	if (vunet_defs && vunet_defs->refs == 1)
		return vunet_defs;
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->refs = 1;
	if (vunet_defs) {
		for (int i = 0; i < VUNET_NFAM; i++)
			vunet_slot_set(d, i, vunet_defs->stack[i]);
		vunet_defs->refs--;
	}
	vunet_defs = d;
	return d;
}

int vunet_default_set(int domain, struct vunet *stack)
{
	struct vunet_defaults *d;
	int n = 0;

	if (domain < 0 || domain >= VUNET_NFAM)
		return errno = EAFNOSUPPORT, -1;
	if (domain != AF_UNSPEC && !vunet_has_domain(stack, domain))
		return errno = EAFNOSUPPORT, -1;
	pthread_mutex_lock(&vunet_def_lock);
	d = vunet_defs_own();
	if (d && domain != AF_UNSPEC) {
		vunet_slot_set(d, domain, stack);
		n = 1;
	} else if (d) {
		/* AF_UNSPEC: every family the stack has (AF_UNIX stays the host's unless it has it) */
		for (int i = 1; i < VUNET_NFAM; i++)
			if (vunet_has_domain(stack, i)) {
				vunet_slot_set(d, i, stack);
				n++;
			}
	}
	pthread_mutex_unlock(&vunet_def_lock);
	if (!d)
		return errno = ENOMEM, -1;
	return n ? 0 : (errno = EAFNOSUPPORT, -1);
}

bool vunet_default_in_use(struct vunet *stack)
{
	bool busy;

	pthread_mutex_lock(&vunet_def_lock);
	busy = stack->uses > 0;
	pthread_mutex_unlock(&vunet_def_lock);
	return busy;
}

void vunet_release(struct vunet *stack)
{
	pthread_mutex_lock(&vunet_def_lock);
	stack->gone = true;
	if (stack->uses == 0)
		vunet_free(stack);
	pthread_mutex_unlock(&vunet_def_lock);
}

static void vunet_defs_put(struct vunet_defaults *d)
{
	if (!d || --d->refs > 0)
		return;
	for (int i = 0; i < VUNET_NFAM; i++)
		vunet_slot_set(d, i, NULL);
	free(d);
}

static void *vunet_inherit(mod_inheritance_state_t state, void *ioarg, void *arg)
{
	void *ret = NULL;

	(void)arg;
	pthread_mutex_lock(&vunet_def_lock);
	switch (state) {
	case MOD_INH_CLONE: /* the child shares the table until one of them changes it */
		if (vunet_defs)
			vunet_defs->refs++;
		ret = vunet_defs;
		break;
	case MOD_INH_START:
		vunet_defs = ioarg;
		break;
	case MOD_INH_EXEC:
		break;
	case MOD_INH_TERMINATE:
		vunet_defs_put(vunet_defs);
		vunet_defs = NULL;
		break;
	}
	pthread_mutex_unlock(&vunet_def_lock);
	return ret;
}

void vunet_default_start(void)
{
	mod_inheritance_upcall_register(vunet_inherit);
}

void vunet_default_stop(void)
{
	mod_inheritance_upcall_deregister(vunet_inherit);
}

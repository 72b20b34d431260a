// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * inherit.c - the registry of mod_inheritance upcalls (vumodule.h).
 *
 * Every registration gets a generation number of its own, never reused:
 * a CLONE value is tagged with it, so the child's START hands each value
 * to the very registration that made it (one deregistered meanwhile, or
 * registered again, is not confused with it), and a thread remembers the
 * newest generation it told START, so an upcall registered later gets
 * START with NULL before its first call from that thread, and TERMINATE
 * only from threads it was told of. VUOS holds its lock from CLONE to
 * START; here they run on different threads, so each call takes the read
 * lock for its own duration and deregistration (the write lock) waits
 * only for upcalls running now.
 */
#include <pthread.h>
#include <stdlib.h>

#include <vumodule.h>

#include "base/log.h"
#include "host/inherit.h"

struct vu_inh_up {
	struct vu_inh_up *next;
	mod_inheritance_upcall_t upcall;
	uint64_t gen;
};

struct vu_inh_values {
	unsigned int n;
	struct {
		uint64_t gen;
		void *value;
	} v[];
};

static pthread_rwlock_t vu_inh_lock = PTHREAD_RWLOCK_INITIALIZER;
static struct vu_inh_up *vu_inh_head; /* in registration order, as VUOS calls them */
static unsigned int vu_inh_count;    /* read without the lock: atomics */
static uint64_t vu_inh_gen;          /* the newest registration's */
static __thread uint64_t vu_inh_seen; /* this thread told START up to here */

void mod_inheritance_upcall_register(mod_inheritance_upcall_t upcall)
{
	struct vu_inh_up *e = calloc(1, sizeof(*e)), **pp;

	if (!e || !upcall) {
		free(e);
		vu_log(LOG_ERR, "mod_inheritance_upcall_register: %s",
		       upcall ? "no memory: the upcall is not registered" : "NULL upcall");
		return;
	}
	e->upcall = upcall;
	pthread_rwlock_wrlock(&vu_inh_lock);
	for (pp = &vu_inh_head; *pp; pp = &(*pp)->next)
		;
	e->gen = __atomic_add_fetch(&vu_inh_gen, 1, __ATOMIC_SEQ_CST);
	*pp = e;
	__atomic_add_fetch(&vu_inh_count, 1, __ATOMIC_SEQ_CST);
	pthread_rwlock_unlock(&vu_inh_lock);
}

void mod_inheritance_upcall_deregister(mod_inheritance_upcall_t upcall)
{
	struct vu_inh_up *gone = NULL;

	pthread_rwlock_wrlock(&vu_inh_lock);
	for (struct vu_inh_up **pp = &vu_inh_head; *pp; pp = &(*pp)->next)
		if ((*pp)->upcall == upcall) {
			gone = *pp;
			*pp = gone->next;
			__atomic_sub_fetch(&vu_inh_count, 1, __ATOMIC_SEQ_CST);
			break;
		}
	pthread_rwlock_unlock(&vu_inh_lock);
	free(gone);
}

bool vu_inherit_active(void)
{
	return __atomic_load_n(&vu_inh_count, __ATOMIC_ACQUIRE) > 0;
}

unsigned int vu_inherit_count(void)
{
	return __atomic_load_n(&vu_inh_count, __ATOMIC_ACQUIRE);
}

void *vu_inherit_clone(uint64_t clone_flags)
{
	syscall_arg_t flags = (syscall_arg_t)clone_flags; /* VUOS passes a syscall_arg_t * */
	struct vu_inh_values *vals = NULL;

	vu_inherit_catch_up(); /* an upcall hears START from a thread before its CLONE */
	pthread_rwlock_rdlock(&vu_inh_lock);
	unsigned int n = vu_inh_count;

	if (n)
		vals = malloc(sizeof(*vals) + n * sizeof(vals->v[0]));
	if (vals) {
		unsigned int i = 0;

		for (struct vu_inh_up *e = vu_inh_head; e && i < n; e = e->next, i++) {
			vals->v[i].gen = e->gen;
			vals->v[i].value = e->upcall(MOD_INH_CLONE, NULL, &flags);
		}
		vals->n = i;
	} else if (n) {
		vu_log(LOG_ERR, "no memory for a child's inherited module state: it starts with none");
	}
	pthread_rwlock_unlock(&vu_inh_lock);
	return vals;
}

void vu_inherit_start(void *values)
{
	struct vu_inh_values *vals = values;
	unsigned int used = 0;

	pthread_rwlock_rdlock(&vu_inh_lock);
	for (struct vu_inh_up *e = vu_inh_head; e; e = e->next) {
		void *value = NULL;

		for (unsigned int i = 0; vals && i < vals->n; i++)
			if (vals->v[i].gen == e->gen) {
				value = vals->v[i].value;
				used++;
				break;
			}
		e->upcall(MOD_INH_START, value, NULL);
	}
	vu_inh_seen = vu_inh_gen;
	pthread_rwlock_unlock(&vu_inh_lock);
	if (vals && used < vals->n)
		vu_log(LOG_DEBUG, "%u inherited module states dropped: their upcalls are gone",
		       vals->n - used);
	free(vals);
}

void vu_inherit_catch_up(void)
{
	if (__atomic_load_n(&vu_inh_gen, __ATOMIC_ACQUIRE) == vu_inh_seen)
		return;
	pthread_rwlock_rdlock(&vu_inh_lock);
	for (struct vu_inh_up *e = vu_inh_head; e; e = e->next)
		if (e->gen > vu_inh_seen)
			e->upcall(MOD_INH_START, NULL, NULL);
	vu_inh_seen = vu_inh_gen;
	pthread_rwlock_unlock(&vu_inh_lock);
}

void vu_inherit_exec(uid_t uid, gid_t gid)
{
	struct mod_inheritance_exec_arg arg = { .exec_uid = uid, .exec_gid = gid };

	vu_inherit_catch_up();
	pthread_rwlock_rdlock(&vu_inh_lock);
	for (struct vu_inh_up *e = vu_inh_head; e; e = e->next)
		e->upcall(MOD_INH_EXEC, NULL, &arg);
	pthread_rwlock_unlock(&vu_inh_lock);
}

void vu_inherit_terminate(void)
{
	pthread_rwlock_rdlock(&vu_inh_lock);
	for (struct vu_inh_up *e = vu_inh_head; e; e = e->next)
		if (e->gen <= vu_inh_seen)
			e->upcall(MOD_INH_TERMINATE, NULL, NULL);
	vu_inh_seen = 0;
	pthread_rwlock_unlock(&vu_inh_lock);
}

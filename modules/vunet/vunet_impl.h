/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vunet_impl.h - what the files of vunet share: a mounted stack, a socket
 * of one, and the per-process default stacks (vunet_default.c).
 */
#ifndef VUNET_IMPL_H
#define VUNET_IMPL_H

#include <stdbool.h>
#include <sys/socket.h>
#include <time.h>
#include <vunet.h>

#define VUNET_NFAM (AF_MAX + 1)

/* A mounted stack: the mount point's entry and one CHECKSOCKET entry per family. */
struct vunet {
	void *dlhandle;
	struct vunet_operations *ops;
	void *private_data;
	bool view_default; /* "-o default": the stack of processes that chose none */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	time_t mounttime;
	struct vuht_entry_t *path_ht;
	struct vuht_entry_t *sock_ht[VUNET_NFAM];
	int nentries; /* entries not yet cleaned up: the last one frees the stack */
	int uses; /* default-stack slots of processes that name it: umount is EBUSY */
	bool gone; /* every entry cleaned up: the last use frees it */
};

/* A socket of a stack (the fdprivate vunet gives the hypervisor). */
struct vunetfd {
	struct vunet *stack;
	void *fdprivate; /* the submodule's (vunet_set_fdprivate) */
};

/* Does @stack have address family @domain? */
static inline bool vunet_has_domain(const struct vunet *stack, int domain)
{
	return !stack->ops->supported_domain || stack->ops->supported_domain(domain);
}

/* The default stack of @domain for the process being served, or NULL. */
struct vunet *vunet_default_get(int domain);
/*
 * Make @stack the default of @domain (0: every family it has) for the
 * process being served and its future children. 0 or -1 with errno.
 */
int vunet_default_set(int domain, struct vunet *stack);
/* Does a process have @stack as a default? */
bool vunet_default_in_use(struct vunet *stack);
/* Free @stack, its entries gone, now or at its last use. */
void vunet_release(struct vunet *stack);
/* The inheritance upcall: register in init, deregister in fini. */
void vunet_default_start(void);
void vunet_default_stop(void);

/* The socket methods (vunet_sock.c) that init installs by hand. */
void vunet_sock_install(struct vu_service_t *s);

#endif /* VUNET_IMPL_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vumisc_priv.h - what vumisc.c (the mounts and the system calls) and
 * vumisc_files.c (the control files) share.
 */
#ifndef VUMISC_PRIV_H
#define VUMISC_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

#include <vumisc.h>
#include <vumodule.h>

/* The system calls a submodule may serve, by the name of its function (NAME_call). */
#define VUMISC_SC_LIST(X)                                                              \
	X(clock_gettime) X(clock_settime) X(clock_getres) X(clock_nanosleep)          \
	X(clock_timeout) X(uname) X(sethostname) X(setdomainname)

enum vumisc_sc {
#define VUMISC_SC_ENUM(c) VUMISC_##c,
	VUMISC_SC_LIST(VUMISC_SC_ENUM)
#undef VUMISC_SC_ENUM
	VUMISC_NSC
};

/*
 * struct vumisc_t - one mount: the submodule, what its init returned, the
 * entries (the mount point and one CHECKSC entry per call it serves), and
 * how many of them are still there: the last cleanup runs fini.
 */
struct vumisc_t {
	void *dlhandle;
	struct vumisc_operations_t *ops;
	void *private_data;
	syscall_t fn[VUMISC_NSC];
	pthread_mutex_t lock;
	struct vuht_entry_t *path_ht;
	struct vuht_entry_t *sc_ht[VUMISC_NSC];
	struct vuht_entry_t *alias_ht[VUMISC_MAX_ALIASES];
	const char *alias_file[VUMISC_MAX_ALIASES];
	int live;
	struct timespec mounted; /* the times of the files */
};

/* The file of @path in the submodule's tree, or NULL. */
struct vumisc_info *vumisc_info_find(struct vumisc_t *m, const char *path);
/* The file @path names in the request's entry (the tree, or an alias), or NULL. */
struct vumisc_info *vumisc_lookup(const char *path);

#endif /* VUMISC_PRIV_H */

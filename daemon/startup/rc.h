/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * rc.h - the initialization files run in the view before the command.
 */
#ifndef KMVIEW_DAEMON_RC_H
#define KMVIEW_DAEMON_RC_H

#include <limits.h>
#include <stdbool.h>

#define KMV_SYSTEM_RC "/etc/vurc"
#define KMV_USER_RC ".vurc"
#define KMV_RC_MAX 2

struct kmv_rc_list {
	int n;
	bool explicit; /* given with -f: a missing file is worth a warning */
	char path[KMV_RC_MAX][PATH_MAX];
};

/*
 * Which files to run: rcfile if not NULL, else /etc/vurc and home/.vurc
 * (home NULL or empty: only /etc/vurc); none with norc.
 */
void kmv_rc_list(struct kmv_rc_list *rc, const char *rcfile, bool norc, const char *home);
/* The home directory: $HOME, else the password database; NULL if unknown. */
const char *kmv_rc_home(void);
/* Run each file with /bin/sh and wait for it. Missing files are skipped. */
void kmv_rc_run(const struct kmv_rc_list *rc);

#endif /* KMVIEW_DAEMON_RC_H */

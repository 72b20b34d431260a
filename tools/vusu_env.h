/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vusu_env.h - the environment vusu gives the new user's shell, as su(1).
 */
#ifndef KMVIEW_VUSU_ENV_H
#define KMVIEW_VUSU_ENV_H

#include <stdio.h>
#include <sys/types.h>

/* The value of @tag in a login.defs file (NULL if absent): malloc'd. */
char *vusu_logindefs(FILE *f, const char *tag);

/*
 * Set the environment: a login keeps TERM, COLORTERM, DISPLAY and
 * XAUTHORITY only, and gets PATH from @defs (ENV_SUPATH for root,
 * ENV_PATH for others, or the usual defaults); HOME and SHELL always,
 * USER and LOGNAME for a login or a user other than root. @defs may be NULL.
 */
int vusu_setenv(int login, uid_t uid, const char *name, const char *home, const char *shell,
		FILE *defs);

#endif

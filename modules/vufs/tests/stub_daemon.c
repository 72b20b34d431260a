// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * stub_daemon.c - the daemon's side of the module API, as small as the
 * host test of vufs's methods needs: one hashtable entry at a time (the
 * mount being served), printk to stderr, and a caller whose fs ids the
 * test chooses (what unrealuidgid answers through nesting in a view).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>
#include <sys/fsuid.h>
#include <linux/capability.h>

#include "stub_daemon.h"

static void *stub_private;
static int stub_entry;
uid_t stub_caller_uid = (uid_t)-1;
gid_t stub_caller_gid = (gid_t)-1;

struct vuht_entry_t *vuht_pathadd(uint8_t type, const char *source, const char *path,
				  const char *fstype, unsigned long mountflags,
				  const char *mountopts, struct vu_service_t *service, int vuflags,
				  confirmfun_t confirmfun, void *private_data)
{
	stub_private = private_data;
	return (struct vuht_entry_t *)&stub_entry;
}

int vuht_del(struct vuht_entry_t *hte, int umountflags)
{
	return 0;
}

/* The kernel's redirect is no concern of the module's own tests. */
int vuht_redirect(struct vuht_entry_t *ht, const char *realdir)
{
	return 0;
}

struct vuht_entry_t *vu_mod_getht(void)
{
	return (struct vuht_entry_t *)&stub_entry;
}

void *vuht_get_private_data(struct vuht_entry_t *hte)
{
	return stub_private;
}

struct vu_service_t *vuht_get_service(struct vuht_entry_t *hte)
{
	return NULL;
}

pid_t vu_mod_gettid(void)
{
	return gettid();
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(stderr, fmt, ap);
	va_end(ap);
	return n;
}

void *stub_current(void)
{
	return stub_private;
}

void stub_use(void *private_data)
{
	stub_private = private_data;
}

/* The caller's capabilities: root's all, anyone else's none (unrealuidgid's rule). */
int capget(cap_user_header_t hdrp, cap_user_data_t datap)
{
	uid_t uid = stub_caller_uid != (uid_t)-1 ? stub_caller_uid : geteuid();

	if (!hdrp || !datap)
		return 0;
	for (int i = 0; i < 2; i++)
		datap[i].effective = datap[i].permitted = uid == 0 ? ~0U : 0;
	return 0;
}

/* "Who is my caller": the test's choice, else the process's own. */
int setfsuid(uid_t uid)
{
	if (uid == (uid_t)-1 && stub_caller_uid != (uid_t)-1)
		return (int)stub_caller_uid;
	return uid == (uid_t)-1 ? (int)geteuid() : (errno = EPERM, -1);
}

int setfsgid(gid_t gid)
{
	if (gid == (gid_t)-1 && stub_caller_gid != (gid_t)-1)
		return (int)stub_caller_gid;
	return gid == (gid_t)-1 ? (int)getegid() : (errno = EPERM, -1);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * view.c - the view's name, set by -V or by any member (vuname(1)).
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/utsname.h>

#include "core/view.h"

static pthread_mutex_t vu_view_lock = PTHREAD_MUTEX_INITIALIZER;
static char vu_view_name[_UTSNAME_LENGTH];

int vu_view_set_name(const char *name)
{
	size_t len = strlen(name);

	if (len >= sizeof(vu_view_name))
		return -EINVAL;
	pthread_mutex_lock(&vu_view_lock);
	memcpy(vu_view_name, name, len + 1);
	pthread_mutex_unlock(&vu_view_lock);
	return 0;
}

void vu_view_get_name(char *buf, size_t len)
{
	pthread_mutex_lock(&vu_view_lock);
	snprintf(buf, len, "%s", vu_view_name);
	pthread_mutex_unlock(&vu_view_lock);
}

void vu_view_get_serverid(char *buf, size_t len)
{
	snprintf(buf, len, "%d", (int)getpid());
}

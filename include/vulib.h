/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vulib.h - the VUOS management calls, for programs running in a view.
 *
 * Source compatible with VUOS's <vulib.h>: the same names, numbers and
 * structures, so VUOS tools build unchanged against kmview. Every call is
 * a plain syscall(2) with a negative number; the view's hypervisor answers
 * it. Outside a view the kernel answers -1 with errno ENOSYS, which is how
 * a program learns it is not running in a view (vu_check()).
 *
 * The hypervisor itself defines _VU_HYPERVISOR before including this file
 * to get the constants and structures without the wrappers.
 */
#ifndef _VULIB_H
#define _VULIB_H

#include <stddef.h>
#include <unistd.h>
#include <sys/utsname.h>

/* The management calls: syscall numbers nothing else in Linux uses. */
#define __VVU_insmod (-1)
#define __VVU_rmmod (-2)
#define __VVU_lsmod (-3)
#define __VVU_vuctl (-4)
#define __VVU_msocket (-5)

#define __NR_vu_insmod __VVU_insmod
#define __NR_vu_rmmod __VVU_rmmod
#define __NR_vu_lsmod __VVU_lsmod
#define __NR_vuctl __VVU_vuctl
#define __NR_msocket __VVU_msocket

/* vuctl(cmd, ...): the first argument of __NR_vuctl selects the command. */
#define VUCTL_GETINFO 1          /* struct vu_info *info (NULL: just check) */
#define VUCTL_SETNAME 2          /* const char *name */
#define VUCTL_GET_DEBUGTAGS 3    /* char *buf, size_t len, int local */
#define VUCTL_ADD_DEBUGTAGS 4    /* const char *tags, int local */
#define VUCTL_DEL_DEBUGTAGS 5    /* const char *tags, int local */
#define VUCTL_GET_DEBUGTAGNAME 6 /* int tag, char *buf, size_t len */
#define VUCTL_SET_DEBUGCOLOR 7   /* const char *"tags:colorspec ..." */

/* A network stack mounted in the file system has this file type. */
#ifndef S_IFSTACK
#define S_IFSTACK 0160000
#endif
/* msocket() with this type sets the default stack of a family. */
#ifndef SOCK_DEFAULT
#define SOCK_DEFAULT 0
#endif

/*
 * Debug tags are single characters. Their bit numbers are their positions
 * in this string; position 0 (the space) is not a tag. Lower case letters
 * are the hypervisor's categories, upper case letters the modules'.
 */
#define DEBUG_ALLTAGS " ABCDEFGHIJKLMNOPQRSTUVWXYZ_01234abcdefghijklmnopqrstuvwxyz56789"
#define DEBUG_NTAGS sizeof(DEBUG_ALLTAGS)

/* VUCTL_GETINFO: uname(2) of the host plus what identifies the view. */
struct vu_info {
	struct utsname uname;
	char vu_serverid[_UTSNAME_LENGTH]; /* pid of the hypervisor, in decimal */
	char vu_name[_UTSNAME_LENGTH];     /* view name, "" if unset */
};

#ifndef _VU_HYPERVISOR

/* Load a module (permanent: it cannot be removed). Not implemented yet: ENOSYS. */
static inline long vu_insmod(const char *module, int permanent)
{
	return syscall(__NR_vu_insmod, module, permanent);
}

static inline long vu_rmmod(const char *modname)
{
	return syscall(__NR_vu_rmmod, modname);
}

/* Writes the list of modules to buf; returns the length it needs. */
static inline long vu_lsmod(char *buf, size_t len)
{
	return syscall(__NR_vu_lsmod, buf, len);
}

static inline long vu_getinfo(struct vu_info *info)
{
	return syscall(__NR_vuctl, VUCTL_GETINFO, info);
}

/* 0 inside a view, -1 with errno ENOSYS outside. */
static inline long vu_check(void)
{
	return syscall(__NR_vuctl, VUCTL_GETINFO, NULL);
}

static inline long vu_setname(const char *name)
{
	return syscall(__NR_vuctl, VUCTL_SETNAME, name);
}

/* local != 0: the tags of the calling process only (inherited by its children). */
static inline long vu_get_debugtags(char *tags, size_t len, int local)
{
	return syscall(__NR_vuctl, VUCTL_GET_DEBUGTAGS, tags, len, local);
}

static inline long vu_add_debugtags(const char *tags, int local)
{
	return syscall(__NR_vuctl, VUCTL_ADD_DEBUGTAGS, tags, local);
}

static inline long vu_del_debugtags(const char *tags, int local)
{
	return syscall(__NR_vuctl, VUCTL_DEL_DEBUGTAGS, tags, local);
}

/* The category name of a tag, "" if the tag has none. */
static inline long vu_get_debugtagname(int tag, char *name, size_t len)
{
	return syscall(__NR_vuctl, VUCTL_GET_DEBUGTAGNAME, tag, name, len);
}

static inline long vu_set_debugcolor(const char *colorspec)
{
	return syscall(__NR_vuctl, VUCTL_SET_DEBUGCOLOR, colorspec);
}

/*
 * socket(2) on the network stack mounted at @stack (a file of type
 * S_IFSTACK; NULL: the default stack of @domain, as socket(2)). With @type
 * SOCK_DEFAULT it opens nothing: @stack becomes the default stack of
 * @domain (0: of every family the stack supports) for the calling
 * process and the children it has from then on (vustack(1)). VUOS
 * declares @stack char *; a const char * takes the same arguments.
 */
static inline long msocket(const char *stack, int domain, int type, int protocol)
{
	return syscall(__NR_msocket, stack, domain, type, protocol);
}

#endif /* _VU_HYPERVISOR */
#endif /* _VULIB_H */

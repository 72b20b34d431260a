// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modapi.c - what modules ask of the hypervisor besides the table and the
 * request they serve (core/modctx.c): how they print, the member's memory,
 * its virtual files, submodules, the mount flags' names.
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/debug_tags.h"
#include "base/log.h"
#include "core/fdinfo.h"
#include "core/member_mem.h"
#include "core/modctx.h"
#include "core/vfd.h"
#include "host/module.h"
#include "host/nest.h"

int vprintk(const char *fmt, va_list ap)
{
	int level = LOG_INFO;
	char buf[1024];
	int n;

	/* KERN_ERR is "\0013": the level digit follows the start-of-header byte */
	if (fmt[0] == '\001' && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n > 0 && buf[strlen(buf) - 1] == '\n')
		buf[strlen(buf) - 1] = '\0';
	vu_log(level, "%s", buf);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void _debug_set_name(int index, const char *s)
{
	vu_debug_set_name(vu_tag_char(index), s);
}

void debug_get_name(char tag, char *buf, size_t bufsize)
{
	vu_debug_get_name(tag, buf, bufsize);
}

int _printkdebug_on(int index)
{
	return vu_debug_on(vu_tag_char(index));
}

int _printkdebug(int index, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0 && buf[strlen(buf) - 1] == '\n')
		buf[strlen(buf) - 1] = '\0';
	vu_debug_print(vu_tag_char(index), "%s", buf);
	return n;
}

char *mountflag_strings[32] = {
	"ro",          /* MS_RDONLY */
	"nosuid",      /* MS_NOSUID */
	"nodev",       /* MS_NODEV */
	"noexec",      /* MS_NOEXEC */
	"sync",        /* MS_SYNCHRONOUS */
	"remount",     /* MS_REMOUNT */
	"mand",        /* MS_MANDLOCK */
	"dirsync",     /* MS_DIRSYNC */
	"nosymfollow", /* MS_NOSYMFOLLOW */
	NULL,
	"noatime",     /* MS_NOATIME */
	"nodiratime",  /* MS_NODIRATIME */
	"bind",        /* MS_BIND */
	"move",        /* MS_MOVE */
	"rec",         /* MS_REC */
	"silent",      /* MS_SILENT */
	"acl",         /* MS_POSIXACL */
	"unbindable",  /* MS_UNBINDABLE */
	NULL,          /* MS_PRIVATE */
	NULL,          /* MS_SLAVE */
	NULL,          /* MS_SHARED */
	"relatime",    /* MS_RELATIME */
	NULL,          /* MS_KERNMOUNT */
	"iversion",    /* MS_I_VERSION */
	"strictatime", /* MS_STRICTATIME */
	"lazytime",    /* MS_LAZYTIME */
	NULL, NULL, NULL, NULL, NULL,
	"nouser",      /* MS_NOUSER */
};

/* The request being served, or NULL and a log line for a call made outside one. */
static struct vu_call *vu_modapi_call(const char *fn)
{
	struct vu_call *call = vu_modctx_call();

	if (!call)
		vu_log(LOG_WARNING, "%s: no request is being served by this thread", fn);
	return call;
}

void vu_mod_peek_data(void *addr, void *buf, size_t datalen)
{
	struct vu_call *call = vu_modapi_call(__func__);
	int ret;

	if (!call || !addr || !datalen)
		return;
	ret = vu_peek(call->be, call->msg, (uint64_t)(uintptr_t)addr, buf, datalen);
	if (ret < 0)
		vu_log(LOG_NOTICE, "tid %d: vu_mod_peek_data of %zu bytes at %p: %s",
		       call->msg->tid, datalen, addr, strerror(-ret));
}

void vu_mod_poke_data(void *addr, void *buf, size_t datalen)
{
	struct vu_call *call = vu_modapi_call(__func__);
	int ret;

	if (!call || !addr || !datalen)
		return;
	ret = vu_poke(call->be, call->msg, (uint64_t)(uintptr_t)addr, buf, datalen);
	if (ret < 0)
		vu_log(LOG_NOTICE, "tid %d: vu_mod_poke_data of %zu bytes at %p: %s",
		       call->msg->tid, datalen, addr, strerror(-ret));
}

void vu_mod_peek_str(void *addr, void *buf, size_t datalen)
{
	struct vu_call *call = vu_modapi_call(__func__);
	ssize_t ret;

	if (!call || !addr || !datalen)
		return;
	ret = vu_peek_str(call->be, call->msg, (uint64_t)(uintptr_t)addr, buf, datalen);
	if (ret < 0) {
		((char *)buf)[0] = '\0';
		vu_log(LOG_NOTICE, "tid %d: vu_mod_peek_str at %p: %s", call->msg->tid, addr,
		       strerror((int)-ret));
	}
}

char *vu_mod_peekdup_path(void *addr)
{
	struct vu_call *call = vu_modapi_call(__func__);
	char *path;
	ssize_t ret;

	if (!call || !addr)
		return NULL;
	path = malloc(PATH_MAX);
	if (!path)
		return NULL;
	ret = vu_peek_str(call->be, call->msg, (uint64_t)(uintptr_t)addr, path, PATH_MAX);
	if (ret < 0) {
		free(path);
		return NULL;
	}
	return path;
}

/*
 * The virtual file behind the member's fd @fd, kept until the reply: one
 * the request names, else whichever its fdinfo names (core/fdinfo.h).
 */
static struct vu_vfd *vu_modapi_vfd(int fd)
{
	struct vu_call *call = vu_modctx_call();
	uint64_t handle;

	if (!call)
		return NULL;
	for (int i = 0; i < 2; i++) {
		uint8_t arg = call->msg->fd_arg[i];

		if (arg != VU_NO_ARG && call->msg->vfd[i] && (int)call->msg->args[arg] == fd)
			return vu_vfd_get(call->msg->vfd[i]);
	}
	if (vu_fdinfo_handle(call->msg->tid, fd, &handle) < 0)
		return NULL;
	return vu_modctx_hold(handle);
}

int vu_mod_fd_get_sfd(int fd, void **fdprivate)
{
	struct vu_vfd *f = vu_modapi_vfd(fd);

	if (!f) {
		errno = EBADF;
		return -1;
	}
	if (fdprivate)
		*fdprivate = f->fdprivate;
	return f->sfd;
}

struct vuht_entry_t *vu_mod_fd_get_ht(int fd)
{
	struct vu_vfd *f = vu_modapi_vfd(fd);

	return f ? f->ht : NULL;
}

void *vu_mod_dlopen(const char *modname, int flags)
{
	char file[PATH_MAX];
	void *handle;

	if (vu_module_find(modname, file, sizeof(file)) < 0) {
		vu_log(LOG_ERR, "submodule %s not found", modname);
		return NULL;
	}
	dlerror();
	handle = vu_nest_dlopen(file, flags);
	if (!handle && !(flags & RTLD_NOLOAD))
		vu_log(LOG_ERR, "cannot load submodule %s: %s", file, dlerror());
	return handle;
}

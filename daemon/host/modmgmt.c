// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * modmgmt.c - load and remove modules, list them.
 *
 * A module is loaded once per view: its CHECKMODULE entry, named after
 * vu_module.name, is how the others find it (EEXIST, ENOENT). It cannot be
 * removed while anything uses it: a file it opened, a mount, a request or
 * a cwd in one of its entries, a mount call under way: EBUSY, decided
 * before its fini runs, so that a busy module is left as it was. The
 * entries its init added are its own: its fini may delete them, and those
 * it leaves are deleted after it. While fini runs the module's entries
 * match nothing. Messages go to the log as in umvu; the caller gets the
 * errno.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "core/member_mem.h"
#include "core/modctx.h"
#include "core/modret.h"
#include "host/modmgmt.h"
#include "host/module.h"
#include "core/vfd.h"
#include "core/vuht.h"

/* Run init as the module's own request; VU_INIT_FAILED is a failure with errno. */
static long vu_module_init(struct vu_service_t *s)
{
	void *p;

	if (!s->init)
		return 0;
	struct vuht_entry_t *old = vu_mod_setht(s->service_ht);

	errno = 0;
	vuht_adding_own(s);
	p = s->init();
	int e = errno;

	vuht_adding_own(NULL);
	vu_mod_setht(old);
	if (p == VU_INIT_FAILED)
		return e ? vu_mod_errno(s->service_ht, "init", e) : -EINVAL;
	s->private = p;
	return 0;
}

long vu_module_insert(const char *name, int permanent)
{
	char file[PATH_MAX];
	struct vu_service_t *s;
	struct vuht_entry_t *ht;
	long ret = vu_module_find(name, file, sizeof(file));

	if (ret < 0) {
		char path[PATH_MAX * 2];

		vu_module_path(path, sizeof(path));
		vu_log(LOG_ERR, "module %s not found in %s", name, path);
		return ret;
	}
	ret = vu_service_load(file, &s);
	if (ret < 0)
		return ret;
	ht = vuht_pick(CHECKMODULE, s->mod->name, 0, VU_EPOCH_NOW);
	if (ht) {
		vu_log(LOG_ERR, "module %s already loaded", s->mod->name);
		vuht_drop(ht);
		vu_service_put(s);
		return -EEXIST;
	}
	s->service_ht = vuht_add(CHECKMODULE, s->mod->name, (int)strlen(s->mod->name), s,
				 permanent ? VUFLAG_PERMANENT : 0, NULL, NULL);
	if (!s->service_ht) {
		ret = -errno;
		vu_service_put(s);
		return ret;
	}
	ret = vu_module_init(s);
	if (ret < 0) {
		vu_log(LOG_ERR, "module %s: init failed: %s", s->mod->name, strerror((int)-ret));
		vuht_del_service(s);
		s->service_ht->permanent = false;
		vuht_del(s->service_ht, MNT_DETACH);
		vu_service_put(s); /* entries still in use keep the code until they go */
		return ret;
	}
	vu_log(LOG_INFO, "module %s loaded from %s", s->mod->name, file);
	return 0;
}

long vu_module_remove(const char *name)
{
	struct vuht_entry_t *sht = vuht_pick(CHECKMODULE, name, 0, VU_EPOCH_NOW);
	struct vu_service_t *s;
	long ret;

	if (!sht) {
		vu_log(LOG_ERR, "module %s is not loaded", name);
		return -ENOENT;
	}
	s = sht->service;
	/* a close of a file the member released is still on its way: wait for it */
	vu_vfd_wait_closing(s, NULL);
	if (sht->permanent || vu_vfd_count(s) > 0 || vuht_service_quiesce(s, sht) < 0) {
		vu_log(LOG_ERR, "module %s is in use%s", name,
		       sht->permanent ? " (permanent)" :
		       vu_vfd_count(s) > 0 ? ": a file of it is open" :
					     ": it serves mounts, or a request or cwd is in one");
		vuht_drop(sht);
		return -EBUSY;
	}
	if (s->fini) {
		struct vuht_entry_t *old = vu_mod_setht(sht);

		errno = 0;
		ret = s->fini(s->private);
		int e = errno;

		vu_mod_setht(old);
		if (ret < 0) {
			vu_log(LOG_ERR, "module %s: fini failed: %s", name, strerror(e));
			vuht_service_reopen(s);
			vuht_drop(sht);
			return e ? vu_mod_errno(sht, "fini", e) : -EBUSY;
		}
	}
	/* what its fini left of its own, then its CHECKMODULE entry: nobody uses them */
	vuht_del_service(s);
	vuht_drop(sht);
	sht->permanent = false;
	ret = vuht_del(sht, MNT_DETACH);
	if (ret < 0)
		vu_log(LOG_ERR, "module %s: %s", name, strerror((int)-ret));
	vu_service_put(s); /* the loader's: unloaded once the last entry is gone */
	vu_log(LOG_INFO, "module %s removed", name);
	return 0;
}

struct vu_names {
	char **name;
	size_t n, size;
};

static void vu_names_add(struct vuht_entry_t *ht, void *arg)
{
	struct vu_names *v = arg;

	if (v->n == v->size) {
		size_t ns = v->size ? v->size * 2 : 16;
		char **p = realloc(v->name, ns * sizeof(*p));

		if (!p)
			return;
		v->name = p;
		v->size = ns;
	}
	ht->permanent = false;
	v->name[v->n] = strdup(ht->service->mod->name);
	v->n += v->name[v->n] != NULL;
}

void vu_modules_shutdown(void)
{
	struct vu_names v = { NULL, 0, 0 };

	vu_vfd_release_all();
	vuht_del_all();
	vuht_foreach(CHECKMODULE, vu_names_add, &v); /* oldest first */
	while (v.n > 0) {
		char *name = v.name[--v.n];

		if (vu_module_remove(name) < 0)
			vu_log(LOG_WARNING, "module %s left loaded at exit", name);
		free(name);
	}
	free(v.name);
}

struct vu_lsmod_buf {
	char *buf;
	size_t len;
	size_t need;
};

static void vu_lsmod_line(struct vuht_entry_t *ht, void *arg)
{
	struct vu_lsmod_buf *b = arg;
	const struct vu_module_t *m = ht->service->mod;
	size_t avail = b->need < b->len ? b->len - b->need : 0;
	char line[512];
	int n = snprintf(line, sizeof(line), "%s: %s\n", m->name,
			 m->description ? m->description : "");

	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (b->buf && avail)
		memcpy(b->buf + b->need, line, (size_t)n < avail ? (size_t)n : avail);
	b->need += (size_t)n;
}

size_t vu_lsmod_format(char *buf, size_t len)
{
	struct vu_lsmod_buf b = { buf, len, 0 };

	vuht_foreach(CHECKMODULE, vu_lsmod_line, &b);
	if (buf && b.need < len)
		buf[b.need] = '\0';
	return b.need + 1;
}

/* A module name from the member: too long is ENAMETOOLONG, as for a path. */
static long vu_arg_name(struct vu_call *call, char *buf, size_t size)
{
	ssize_t n = vu_peek_str(call->be, call->msg, call->msg->args[0], buf, size);

	return n < 0 ? n : 0;
}

void vu_insmod(struct vu_call *call)
{
	char name[PATH_MAX];
	long ret = vu_arg_name(call, name, sizeof(name));

	if (ret == 0)
		ret = vu_module_insert(name, (int)call->msg->args[1]);
	vu_call_return(call, ret);
}

void vu_rmmod(struct vu_call *call)
{
	char name[PATH_MAX];
	long ret = vu_arg_name(call, name, sizeof(name));

	if (ret == 0)
		ret = vu_module_remove(name);
	vu_call_return(call, ret);
}

void vu_lsmod(struct vu_call *call)
{
	uint64_t addr = call->msg->args[0];
	/* VUOS reads the length as an unsigned int */
	size_t len = (unsigned int)call->msg->args[1];
	size_t need = vu_lsmod_format(NULL, 0);
	char *buf;
	long ret;

	if (addr == 0 || len == 0) {
		vu_call_return(call, (long)need);
		return;
	}
	buf = malloc(need);
	if (!buf) {
		vu_call_return(call, -ENOMEM);
		return;
	}
	vu_lsmod_format(buf, need);
	ret = vu_poke(call->be, call->msg, addr, buf, need < len ? need : len);
	free(buf);
	vu_call_return(call, ret < 0 ? ret : (long)need);
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * module.c - find a module's shared object, load it, bind its methods.
 *
 * Modules are loaded RTLD_NOW: a module that needs a symbol the
 * hypervisor does not have fails at vu_insmod with the loader's message,
 * not at its first call. RTLD_LOCAL keeps one module's symbols from
 * answering for another's. vu_nest_dlopen rebinds its file calls to the
 * nesting layer (nest_bind.c).
 */
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "host/module.h"
#include "host/nest.h"

#ifndef KMVIEW_MODULE_DIR
#define KMVIEW_MODULE_DIR "/usr/local/lib/kmview/modules"
#endif

/* ../modules beside the running binary: build/bin/kmview finds build/modules. */
static void vu_module_build_dir(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	buf[0] = '\0';
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	if ((size_t)snprintf(buf, len, "%s/../modules", exe) >= len)
		buf[0] = '\0'; /* too long to be of use */
}

void vu_module_path(char *buf, size_t len)
{
	const char *env = getenv("KMVIEW_MODULE_PATH");
	char build[PATH_MAX];

	vu_module_build_dir(build, sizeof(build));
	snprintf(buf, len, "%s%s%s%s%s", env && *env ? env : "", env && *env ? ":" : "",
		 KMVIEW_MODULE_DIR, *build ? ":" : "", build);
}

static bool vu_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int vu_module_find(const char *name, char *out, size_t outlen)
{
	char path[PATH_MAX * 4];
	const char *ext = vu_has_suffix(name, ".so") ? "" : ".so";

	if (*name == '\0')
		return -ENOENT;
	if (strchr(name, '/')) {
		if (snprintf(out, outlen, "%s", name) >= (int)outlen)
			return -ENAMETOOLONG;
		return access(out, R_OK) == 0 ? 0 : -ENOENT;
	}
	vu_module_path(path, sizeof(path));
	for (char *dir = path, *end; dir; dir = end) {
		end = strchr(dir, ':');
		if (end)
			*end++ = '\0';
		if (*dir == '\0')
			continue;
		if (snprintf(out, outlen, "%s/%s%s", dir, name, ext) >= (int)outlen)
			continue;
		if (access(out, R_OK) == 0)
			return 0;
	}
	return -ENOENT;
}

/* vu_NAME_SUFFIX in the module, or NULL. */
static void *vu_module_sym(struct vu_service_t *s, const char *suffix)
{
	char sym[256];

	if (snprintf(sym, sizeof(sym), "vu_%s_%s", s->mod->name, suffix) >= (int)sizeof(sym))
		return NULL;
	return dlsym(s->dlhandle, sym);
}

int vu_service_load(const char *file, struct vu_service_t **out)
{
	struct vu_service_t *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	dlerror();
	s->dlhandle = vu_nest_dlopen(file, RTLD_NOW | RTLD_LOCAL);
	if (!s->dlhandle) {
		vu_log(LOG_ERR, "cannot load module %s: %s", file, dlerror());
		free(s);
		return -ENOEXEC;
	}
	s->mod = dlsym(s->dlhandle, "vu_module");
	if (!s->mod || !s->mod->name || !*s->mod->name) {
		vu_log(LOG_ERR, "%s is not a kmview module: no vu_module with a name", file);
		dlclose(s->dlhandle);
		free(s);
		return -ENOEXEC;
	}
	for (int m = VU_M_none + 1; m < VU_NMETHODS; m++) {
		void *fn = vu_module_sym(s, vu_method_name(m));

		/* dlsym returns an object pointer: POSIX guarantees the conversion */
		memcpy(&s->method[m], &fn, sizeof(fn));
	}
	void *init = vu_module_sym(s, "init");
	void *fini = vu_module_sym(s, "fini");
	void *cleanup = vu_module_sym(s, "cleanup");

	memcpy(&s->init, &init, sizeof(init));
	memcpy(&s->fini, &fini, sizeof(fini));
	memcpy(&s->cleanup, &cleanup, sizeof(cleanup));
	s->refs = 1;
	*out = s;
	return 0;
}

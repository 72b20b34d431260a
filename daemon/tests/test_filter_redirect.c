// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * test_filter_redirect.c - the prefixes the kernel gets for redirects
 * (vuht_redirect, VU_PREFIX_REDIRECT) and negative mounts
 * (VU_PREFIX_NATIVE): which entries may be redirected, the canonical real
 * directory, a redirect set after the first push, an older kmview.ko and
 * kmview -R.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fake_backend.h"
#include "filter.h"
#include "core/service.h"
#include "core/vuht.h"
#include "tap.h"

static struct vu_module_t passing = { .name = "passing", .flags = VU_MODULE_FDPASS };
static struct vu_module_t keeping = { .name = "keeping" };

static int accept_all(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	return 1;
}

static struct vu_service_t *service(struct vu_module_t *mod)
{
	struct vu_service_t *s = calloc(1, sizeof(*s));

	s->mod = mod;
	s->refs = 1;
	s->service_ht = vuht_add(CHECKMODULE, mod->name, (int)strlen(mod->name), s, 0, NULL, NULL);
	return s;
}

static struct vuht_entry_t *mount_at(const char *path, unsigned long flags, const char *opts,
				     struct vu_service_t *s, confirmfun_t confirm)
{
	return vuht_pathadd(CHECKPATH, "src", path, "test", flags, opts, s, 0, confirm, NULL);
}

/* The prefix pushed for @path: its flags, its source in @src (or NULL if not pushed). */
static const char *pushed(const struct fake_backend *f, const char *path, unsigned int *flags)
{
	for (size_t i = 0; i < f->nprefixes; i++)
		if (!strcmp(f->prefixes[i].path, path)) {
			*flags = f->prefixes[i].flags;
			return f->prefixes[i].src;
		}
	return NULL;
}

int main(void)
{
	struct vu_service_t *s = service(&passing), *k = service(&keeping);
	char dir[] = "/tmp/kmview-redir.XXXXXX", link[PATH_MAX], file[PATH_MAX];
	struct fake_backend f;
	unsigned int flags = ~0U;
	const char *src;

	if (!mkdtemp(dir))
		return 1;
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(file, sizeof(file), "%s/file", dir);
	symlink(dir, link);
	fclose(fopen(file, "w"));

	struct vuht_entry_t *bind = mount_at("/dst", 0, "", s, NULL);
	struct vuht_entry_t *ro = mount_at("/ro", MS_RDONLY, "", s, NULL);
	struct vuht_entry_t *nop = mount_at("/nop", 0, "nopassthrough", s, NULL);
	struct vuht_entry_t *kept = mount_at("/kept", 0, "", k, NULL);
	struct vuht_entry_t *conf = mount_at("/conf", 0, "", s, accept_all);
	struct vuht_entry_t *neg = mount_at("/dst/real", 0, "", s, NEGATIVE_MOUNT);
	struct vuht_entry_t *sock = vuht_add(CHECKSOCKET, NULL, 0, s, 0, NULL, NULL);

	is_long(vuht_redirect(bind, link), 0, "vuht_redirect of a bind");
	ok(bind->redirect && !strstr(bind->redirect, "/link"), "its real directory is canonical");
	errno = 0;
	is_long(vuht_redirect(conf, dir), -1, "an entry with a confirm function: refused");
	is_long(errno, EINVAL, "EINVAL");
	errno = 0;
	ok(vuht_redirect(sock, dir) == -1 && errno == EINVAL, "not a path entry: EINVAL");
	errno = 0;
	ok(vuht_redirect(ro, "tmp") == -1 && errno == EINVAL, "a relative directory: EINVAL");
	errno = 0;
	ok(vuht_redirect(ro, file) == -1 && errno == EINVAL, "a file: EINVAL");
	errno = 0;
	ok(vuht_redirect(ro, "/kmview-nowhere") == -1 && errno == ENOENT, "nothing there: ENOENT");
	ok(vuht_redirect(ro, dir) == 0 && vuht_redirect(nop, dir) == 0 &&
		   vuht_redirect(kept, dir) == 0,
	   "read-only, nopassthrough and a module without FDPASS take it too");

	fake_init(&f, VU_BE_REDIRECT);
	vu_filter_reset();
	is_long(vu_filter_sync(&f.be), 0, "a sync");
	src = pushed(&f, "/dst", &flags);
	ok(src && flags == VU_PREFIX_REDIRECT && !strcmp(src, bind->redirect),
	   "the bind: a redirect to its real directory");
	ok(pushed(&f, "/ro", &flags) && flags == 0, "read-only: a plain prefix (its writes are EROFS)");
	ok(pushed(&f, "/nop", &flags) && flags == 0, "nopassthrough: a plain prefix");
	ok(pushed(&f, "/kept", &flags) && flags == 0, "a module without FDPASS: a plain prefix");
	ok(pushed(&f, "/conf", &flags) && flags == 0, "a confirm function: a plain prefix");
	ok(pushed(&f, "/dst/real", &flags) && flags == VU_PREFIX_NATIVE,
	   "a negative mount: a real tree");

	struct vuht_entry_t *later = mount_at("/later", 0, "", s, NULL);

	vu_filter_sync(&f.be);
	ok(pushed(&f, "/later", &flags) && flags == 0, "a mount not redirected yet: plain");
	vuht_redirect(later, dir);
	vu_filter_sync(&f.be);
	ok(pushed(&f, "/later", &flags) && flags == VU_PREFIX_REDIRECT,
	   "redirected after its first push: pushed again as a redirect");
	size_t n = f.nprefixes;

	vu_filter_sync(&f.be);
	is_long((long)f.nprefixes, (long)n, "nothing changes on a sync with nothing new");

	fake_init(&f, 0);
	vu_filter_reset();
	vu_filter_sync(&f.be);
	ok(pushed(&f, "/dst", &flags) && flags == 0, "a kmview.ko before 1.5: plain prefixes");
	ok(!pushed(&f, "/dst/real", &flags), "and no negative mount");

	fake_init(&f, VU_BE_REDIRECT);
	vu_filter_reset();
	vu_filter_no_redirects();
	vu_filter_sync(&f.be);
	ok(pushed(&f, "/dst", &flags) && flags == 0, "kmview -R: plain prefixes");

	vuht_del(later, 0);
	vuht_del(bind, 0);
	vuht_del(ro, 0);
	vuht_del(nop, 0);
	vuht_del(kept, 0);
	vuht_del(conf, 0);
	vuht_del(neg, 0);
	vuht_del(sock, 0);
	vuht_reset();
	vu_filter_reset();
	unlink(link);
	unlink(file);
	rmdir(dir);
	free(s);
	free(k);
	return tap_done();
}

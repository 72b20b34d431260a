// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vumiscuname.c - vumisc submodule: the system names of a view.
 *
 *   vu_insmod vumisc
 *   vumount -t vumiscuname none /mnt
 *   echo myhost > /mnt/nodename    (or: hostname myhost)
 *
 * Files sysname, nodename, release, version, machine, domainname: the
 * fields of uname(2), made from the real ones at the mount. uname(2) (so
 * uname(1), gethostname, getdomainname, vuname(1)) shows them;
 * sethostname and setdomainname change them, for the view only: the
 * host's names never change. Any member of the view may set them (as it
 * may write the files): the view is its user's.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include <vumisc.h>
#include <vumodule.h>

#include "uts_field.h"

VUMISC_PROTOTYPES(vumiscuname)
VUMISC_KMVIEW_PROTOTYPES(vumiscuname)

struct vumiscuname {
	pthread_mutex_t lock;
	struct utsname u;
};

static struct vumisc_info infotree[] = {
	{ "/", { .st_mode = S_IFDIR | 0755 }, "" },
	{ "/sysname", { .st_mode = S_IFREG | 0644 }, "sysname" },
	{ "/nodename", { .st_mode = S_IFREG | 0644 }, "nodename" },
	{ "/release", { .st_mode = S_IFREG | 0644 }, "release" },
	{ "/version", { .st_mode = S_IFREG | 0644 }, "version" },
	{ "/machine", { .st_mode = S_IFREG | 0644 }, "machine" },
	{ "/domainname", { .st_mode = S_IFREG | 0644 }, "domainname" },
	{ NULL, { .st_mode = 0 }, NULL },
};

static int infocontents(int tag, FILE *f, int openflags, void *pseudoprivate)
{
	struct vumiscuname *vn = vumisc_get_private_data();
	char buf[UTS_FIELD_LEN + 2];
	char *field;
	size_t n;
	int ret;

	if (!vn || !pseudoprivate || !f)
		return 0;
	field = uts_field(&vn->u, pseudoprivate);
	if (!field)
		return 0;
	if (tag == PSEUDOFILE_LOAD_CONTENTS) {
		pthread_mutex_lock(&vn->lock);
		fprintf(f, "%s\n", field);
		pthread_mutex_unlock(&vn->lock);
		return 0;
	}
	if (tag != PSEUDOFILE_STORE_CLOSE)
		return 0;
	n = fread(buf, 1, sizeof(buf), f);
	pthread_mutex_lock(&vn->lock);
	ret = uts_field_set(field, buf, n, true);
	pthread_mutex_unlock(&vn->lock);
	if (ret < 0)
		return errno = -ret, -1;
	return 0;
}

int vumiscuname_uname(struct utsname *buf)
{
	struct vumiscuname *vn = vumisc_get_private_data();

	if (!vn)
		return errno = ENOSYS, -1;
	pthread_mutex_lock(&vn->lock);
	/* glibc's struct: the six fields (domainname is __domainname without _GNU_SOURCE) */
	*buf = vn->u;
	pthread_mutex_unlock(&vn->lock);
	return 0;
}

static int set_name(const char *which, const char *name, size_t len)
{
	struct vumiscuname *vn = vumisc_get_private_data();
	int ret;

	if (!vn)
		return errno = ENOSYS, -1;
	pthread_mutex_lock(&vn->lock);
	ret = uts_field_set(uts_field(&vn->u, which), name, len, false);
	pthread_mutex_unlock(&vn->lock);
	return ret < 0 ? (errno = -ret, -1) : 0;
}

int vumiscuname_sethostname(const char *name, size_t len)
{
	return set_name("nodename", name, len);
}

int vumiscuname_setdomainname(const char *name, size_t len)
{
	return set_name("domainname", name, len);
}

static void *vumiscuname_init(const char *source)
{
	struct vumiscuname *vn = calloc(1, sizeof(*vn));

	if (!vn)
		return NULL;
	if (uname(&vn->u) < 0) {
		int e = errno;

		free(vn);
		errno = e;
		return NULL;
	}
	pthread_mutex_init(&vn->lock, NULL);
	return vn;
}

static int vumiscuname_fini(void *private)
{
	struct vumiscuname *vn = private;

	if (vn) {
		pthread_mutex_destroy(&vn->lock);
		free(vn);
	}
	return 0;
}

/* The kernel's files of the names, in the view: the view's names. */
struct vumisc_alias vumisc_aliases[] = {
	{ "/proc/sys/kernel/hostname", "/nodename" },
	{ "/proc/sys/kernel/domainname", "/domainname" },
	{ "/proc/sys/kernel/osrelease", "/release" },
	{ "/proc/sys/kernel/ostype", "/sysname" },
	{ "/proc/sys/kernel/version", "/version" },
	{ NULL, NULL },
};

struct vumisc_operations_t vumisc_ops = {
	.infotree = infotree,
	.infocontents = infocontents,
	.init = vumiscuname_init,
	.fini = vumiscuname_fini,
};

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vunet.c - network stacks per process, as VUOS's vunet: `vumount -t
 * vunetNAME source /dev/net/X` loads the submodule vunetNAME.so (its
 * struct vunet_operations vunet_ops, <vunet.h>) and makes /dev/net/X a
 * stack file (S_IFSTACK). msocket(X, family, SOCK_DEFAULT) (vustack) makes
 * it the default stack of the family for the caller and its children; a
 * socket(2) of a family the process has a default for is that stack's.
 * A process with none uses the host's stack, unless a stack is mounted
 * with "-o default": then that one.
 *
 * Each stack claims the families it has (one CHECKSOCKET entry each, so
 * socket(2) of any other family, AF_UNIX say, never leaves the kernel);
 * the entry's confirm function takes a socket(2) only for the processes
 * whose default it is. A submodule whose sockets are the kernel's
 * (vunet_flags VUNET_FDPASS) has its entries marked VUFLAG_FDPASS: the
 * member gets the socket itself.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

#include "vunet_impl.h"
#include "vunet_opts.h"

VU_PROTOTYPES(vunet)

struct vu_module_t vu_module = {
	.name = "vunet",
	.description = "vunet: network stacks per process (vunetXXX submodules)",
};

/* socket(2): the stack of the entry takes it if it is the caller's default of the family. */
static int vunet_checksocket(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vunet *stack = vuht_get_private_data(ht);
	struct vunet *def;

	(void)type;
	if (arglen != (int)sizeof(int))
		return 0;
	def = vunet_default_get(*(int *)arg);
	return def ? def == stack : stack->view_default;
}

int vu_vunet_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vunet *stack = vu_get_ht_private_data();

	(void)flags, (void)sfd, (void)fdprivate;
	if (pathname[0] && strcmp(pathname, "/") != 0)
		return errno = ENOENT, -1; /* the stack is a file: nothing below it */
	memset(buf, 0, sizeof(*buf));
	buf->st_mode = stack->mode;
	buf->st_uid = stack->uid;
	buf->st_gid = stack->gid;
	buf->st_nlink = 1;
	buf->st_mtime = buf->st_ctime = buf->st_atime = stack->mounttime;
	return 0;
}

int vu_vunet_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	struct vunet *stack = vu_get_ht_private_data();

	(void)pathname, (void)fd, (void)fdprivate;
	stack->mode = S_IFSTACK | (mode & 07777);
	return 0;
}

int vu_vunet_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	struct vunet *stack = vu_get_ht_private_data();

	(void)pathname, (void)fd, (void)fdprivate;
	if (owner != (uid_t)-1)
		stack->uid = owner;
	if (group != (gid_t)-1)
		stack->gid = group;
	return 0;
}

/* The submodule of @fstype, or NULL with errno (ENODEV: no such submodule). */
static struct vunet_operations *vunet_load(const char *fstype, void **handle, unsigned long *flags)
{
	struct vunet_operations *ops;
	unsigned long *f;

	*handle = vu_mod_dlopen(fstype, RTLD_NOW);
	if (!*handle) {
		printk(KERN_ERR "vunet: no submodule %s (%s.so in the module path)\n", fstype,
		       fstype);
		return errno = ENODEV, NULL;
	}
	ops = dlsym(*handle, "vunet_ops");
	if (!ops) {
		printk(KERN_ERR "vunet: %s is not a vunet submodule (no vunet_ops)\n", fstype);
		dlclose(*handle);
		return errno = ENODEV, NULL;
	}
	f = dlsym(*handle, "vunet_flags");
	*flags = f ? *f : 0;
	return ops;
}

/* The entries of @stack: the mount point, then the families. 0 or -1 with errno. */
static int vunet_add_entries(struct vunet *stack, const char *source, const char *target,
			     const char *fstype, unsigned long mountflags, const char *data,
			     int vuflags)
{
	struct vu_service_t *s = vu_mod_getservice();
	int fam;

	stack->path_ht = vuht_pathadd(CHECKPATH, source, target, fstype, mountflags, data, s,
				      vuflags, NULL, stack);
	if (!stack->path_ht)
		return -1;
	stack->nentries = 1;
	if (!stack->ops->supported_domain) {
		stack->sock_ht[0] = vuht_add(CHECKSOCKET, NULL, 0, s, vuflags, vunet_checksocket,
					     stack);
		stack->nentries += stack->sock_ht[0] != NULL;
		return 0;
	}
	for (fam = 1; fam < VUNET_NFAM; fam++) {
		if (!stack->ops->supported_domain(fam))
			continue;
		stack->sock_ht[fam] = vuht_add(CHECKSOCKET, &fam, sizeof(fam), s, vuflags,
					       vunet_checksocket, stack);
		stack->nentries += stack->sock_ht[fam] != NULL;
	}
	return 0;
}

int vu_vunet_mount(const char *source, const char *target, const char *filesystemtype,
		   unsigned long mountflags, const void *data)
{
	size_t len = data ? strlen(data) + 1 : 1;
	char *args = malloc(len);
	struct vunet_opts o;
	struct vunet *stack = calloc(1, sizeof(*stack));
	unsigned long subflags = 0;
	int vuflags = 0;

	if (!stack || !args || vunet_opts_parse(data, &o, args, len) < 0) {
		free(args);
		free(stack);
		return errno = ENOMEM, -1;
	}
	stack->ops = vunet_load(filesystemtype, &stack->dlhandle, &subflags);
	if (!stack->ops) {
		free(args);
		free(stack);
		return -1;
	}
	stack->view_default = o.view_default;
	stack->mode = S_IFSTACK | 0777;
	stack->uid = getuid();
	stack->gid = getgid();
	stack->mounttime = time(NULL);
	errno = 0;
	if (stack->ops->init &&
	    stack->ops->init(source, mountflags, args, &stack->private_data) < 0) {
		int err = errno ? errno : EINVAL;

		free(args);
		dlclose(stack->dlhandle);
		free(stack);
		return errno = err, -1;
	}
	free(args);
	if ((subflags & VUNET_FDPASS) && !o.nopassthrough && !(mountflags & MS_RDONLY))
		vuflags = VUFLAG_FDPASS;
	if (vunet_add_entries(stack, source, target, filesystemtype, mountflags, data, vuflags) <
	    0) {
		int err = errno;

		if (stack->ops->fini)
			stack->ops->fini(stack->private_data);
		dlclose(stack->dlhandle);
		free(stack);
		return errno = err, -1;
	}
	return 0;
}

/* EBUSY while a process has the stack as its default (vustack). */
int vu_vunet_umount2(const char *target, int flags)
{
	struct vunet *stack = vu_get_ht_private_data();
	int ret;

	(void)target;
	if (vunet_default_in_use(stack) && !(flags & (MNT_FORCE | MNT_DETACH)))
		return errno = EBUSY, -1;
	ret = vuht_del(vu_mod_getht(), flags);
	if (ret < 0)
		return errno = -ret, -1;
	/* a placeholder socket (a submodule without VUNET_FDPASS) keeps its entry until closed */
	for (int fam = 0; fam < VUNET_NFAM; fam++)
		if (stack->sock_ht[fam])
			vuht_del(stack->sock_ht[fam], MNT_DETACH);
	return 0;
}

/* An entry of a stack is gone; with the last one the stack is. */
void vu_vunet_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vunet *stack = vuht_get_private_data(ht);

	(void)type, (void)arg, (void)arglen;
	if (!stack || __atomic_sub_fetch(&stack->nentries, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	if (stack->ops->fini)
		stack->ops->fini(stack->private_data);
	dlclose(stack->dlhandle);
	vunet_release(stack);
}

void *vu_vunet_init(void)
{
	vunet_sock_install(vu_mod_getservice());
	vunet_default_start();
	return NULL;
}

int vu_vunet_fini(void *private)
{
	(void)private;
	vunet_default_stop();
	return 0;
}

// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * fuse.c - the fuse module: a virtual /dev/fuse, so that unmodified FUSE
 * servers (libfuse2 and libfuse3 programs) mount in a view without root.
 * init claims /dev/fuse (a path entry, and the device 10:229 wherever its
 * node is); mount(2) of type fuse, fuse.NAME or fuseblk with
 * "fd=N,rootmode=..,user_id=..,group_id=.." claims the mount point for
 * the connection of fd N. Each method of the module serves both: the
 * entry of the request says which (fuse_is_dev).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/sysmacros.h>

#include "fuse_mod.h"
#include "fuse_opts.h"

struct vuht_entry_t *fuse_dev_path_ht, *fuse_dev_num_ht;

struct vu_module_t vu_module = {
	.name = "fuse",
	.description = "virtual /dev/fuse: FUSE servers mount in the view",
};

void *vu_fuse_init(void);
int vu_fuse_fini(void *private);
int vu_fuse_mount(const char *source, const char *target, const char *fstype,
		  unsigned long mountflags, const void *data);
int vu_fuse_umount2(const char *target, int flags);
void vu_fuse_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht);

void fuse_who(struct fuse_caller *who)
{
	/* members run with the daemon's credentials: a view has no setuid */
	who->uid = (uint32_t)geteuid();
	who->gid = (uint32_t)getegid();
	who->pid = (uint32_t)vu_mod_gettid();
}

void *vu_fuse_init(void)
{
	struct vu_service_t *s = vu_mod_getservice();
	dev_t dev = makedev(10, 229);

	fuse_dev_path_ht =
		vuht_pathadd(CHECKPATH, "none", "/dev/fuse", "devfuse", 0, "", s, 0, NULL, NULL);
	if (!fuse_dev_path_ht)
		return VU_INIT_FAILED;
	fuse_dev_num_ht = vuht_add(CHECKCHRDEVICE, &dev, sizeof(dev), s, 0, NULL, NULL);
	if (!fuse_dev_num_ht) {
		int e = errno;

		vuht_del(fuse_dev_path_ht, MNT_FORCE);
		fuse_dev_path_ht = NULL;
		errno = e;
		return VU_INIT_FAILED;
	}
	return NULL;
}

int vu_fuse_fini(void *private)
{
	int r = 0;

	(void)private;
	if (fuse_dev_num_ht && (r = vuht_del(fuse_dev_num_ht, MNT_FORCE)) == 0)
		fuse_dev_num_ht = NULL;
	if (r == 0 && fuse_dev_path_ht && (r = vuht_del(fuse_dev_path_ht, MNT_FORCE)) == 0)
		fuse_dev_path_ht = NULL;
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

int vu_fuse_mount(const char *source, const char *target, const char *fstype,
		  unsigned long mountflags, const void *data)
{
	struct fuse_caller who;
	struct fuse_mopts o;
	struct fuse_conn *c = NULL;
	struct vuht_entry_t *ht;
	char why[128], shown[160];
	int err;

	if (strcmp(fstype, "fuse") != 0 && strncmp(fstype, "fuse.", 5) != 0 &&
	    strcmp(fstype, "fuseblk") != 0 && strncmp(fstype, "fuseblk.", 8) != 0) {
		printk(KERN_WARNING "fuse: mount type \"%s\" is not fuse, fuse.NAME or fuseblk\n",
		       fstype);
		return errno = ENODEV, -1;
	}
	err = fuse_mopts_parse(data, &o, why, sizeof(why));
	if (err < 0) {
		printk(KERN_WARNING "fuse: mount %s on %s: %s\n", source, target, why);
		return errno = EINVAL, -1;
	}
	if (!fuse_is_dev(vu_mod_fd_get_ht(o.fd)) || vu_mod_fd_get_sfd(o.fd, (void **)&c) < 0 ||
	    !c) {
		printk(KERN_WARNING "fuse: mount %s on %s: fd=%d is not an open virtual /dev/fuse\n",
		       source, target, o.fd);
		return errno = EINVAL, -1;
	}
	if (fuse_conn_get_state(c) != FUSE_CONN_NEW) {
		printk(KERN_WARNING "fuse: mount %s on %s: fd=%d is mounted already\n", source,
		       target, o.fd);
		return errno = EINVAL, -1;
	}
	fuse_mopts_show(&o, shown, sizeof(shown));
	c->mountflags = mountflags;
	c->max_read = o.max_read;
	pthread_mutex_lock(&c->htlock);
	ht = vuht_pathadd(CHECKPATH, source, target, fstype, mountflags, shown,
			  vu_mod_getservice(), 0, NULL, c);
	if (!ht) {
		pthread_mutex_unlock(&c->htlock);
		return -1;
	}
	fuse_conn_get(c);
	c->ht = ht;
	c->dev = makedev(0, 0x100 + ((uintptr_t)c >> 4 & 0xfff));
	fuse_who(&who);
	fuse_conn_start(c, &who);
	pthread_mutex_unlock(&c->htlock);
	return 0;
}

/* umount2 of the mount: its entry goes (the cleanup tells the server). */
int vu_fuse_umount2(const char *target, int flags)
{
	int r;

	(void)target;
	if (fuse_is_dev(vu_mod_getht()))
		return errno = EINVAL, -1;
	r = vuht_del(vu_mod_getht(), flags);
	if (r < 0)
		return errno = -r, -1;
	return 0;
}

void fuse_mount_drop(struct fuse_conn *c)
{
	pthread_mutex_lock(&c->htlock);
	if (c->ht) {
		int r = vuht_del(c->ht, MNT_DETACH);

		if (r < 0 && r != -EINVAL)
			printk(KERN_WARNING "fuse: the server is gone, unmount: %s\n",
			       strerror(-r));
	}
	pthread_mutex_unlock(&c->htlock);
}

void vu_fuse_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct fuse_conn *c = vuht_get_private_data(ht);

	(void)arg;
	(void)arglen;
	if (type != CHECKPATH || fuse_is_dev(ht) || !c)
		return;
	pthread_mutex_lock(&c->htlock);
	c->ht = NULL;
	pthread_mutex_unlock(&c->htlock);
	printk(KERN_INFO "fuse: unmounted: the server is sent DESTROY, then ENODEV\n");
	fuse_conn_unmount(c);
	fuse_conn_put(c);
}

__attribute__((constructor)) static void fuse_ctor(void)
{
	debug_set_name(U, "DEVFUSE");
}

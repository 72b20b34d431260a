/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vudev_priv.h - the vudev module's own types: a mounted device, its
 * mount options, the ioctl size probe.
 */
#ifndef VUDEV_PRIV_H
#define VUDEV_PRIV_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include <vumodule.h>
#include <vudev.h>

/* One mount: what <vudev.h> keeps opaque. */
struct vudev_t {
	void *dlhandle; /* the submodule */
	struct vudev_operations_t *devops;
	pthread_mutex_t mutex; /* serialises the submodule's operations */
	struct vu_stat stat; /* the device's: type, mode, owner, rdev of sub-device 0 */
	unsigned long ino; /* st_ino of sub-device 0; sub-device n is ino + n */
	void *private_data; /* what init returned */
	struct vuht_entry_t *path_ht;
	struct vuht_entry_t *dev_ht; /* with `devid` */
};

/* The options vudev itself reads (the submodule reads its own from the same string). */
struct vudev_opts {
	bool has_mode, has_uid, has_gid, has_major, has_minor, devid;
	mode_t type; /* S_IFCHR, S_IFBLK, or 0 */
	mode_t mode;
	uid_t uid;
	gid_t gid;
	unsigned int major, minor;
};

/* Parse mount(2)'s data: 0, or -1 (a value that is not a number). */
int vudev_parse_opts(const char *data, struct vudev_opts *o);
/* Apply @o to the device's stat: the type only if @type, the rest if not. */
void vudev_apply_opts(const struct vudev_opts *o, struct vudev_t *vudev, bool type);
/* The _IOC encoding, in the module's sense, of a block request that has none: -1 if unknown. */
int vudev_ioctl_probe(unsigned long request);

#endif /* VUDEV_PRIV_H */

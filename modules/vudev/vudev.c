// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vudev.c - the vudev module: virtual devices served by submodules.
 *
 *   vu_insmod vudev
 *   vumount -t vudevramdisk -o size=100M none /dev/ramdisk
 *
 * A mount dlopens the submodule named by the type (vudevramdisk.so), whose
 * struct vudev_operations_t vudev_ops (<vudev.h>) does the device's I/O;
 * vudev keeps the device's stat (type, mode, owner, rdev: the mount
 * options), claims the mount point with VUFLAG_PREFIX (/dev/hda owns
 * /dev/hda1 when the submodule confirms sub-device 1) and, with `devid`,
 * the device numbers, and serialises the submodule's operations with one
 * mutex per device. The mount options are in vudev_opts.c.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "vudev_priv.h"

VU_PROTOTYPES(vudev)
VU_KMVIEW_PROTOTYPES(vudev)

struct vu_module_t vu_module = {
	.name = "vudev",
	.description = "vudev: virtual devices (vudevnull, vudevramdisk, vudevpartx)",
	/* the hypervisor keeps the file position: read is pread at it */
	.flags = VU_USE_PRW,
};

/* vudev itself, in the global scope while loaded, for the submodules (see vudev_export). */
static void *vudev_self;
static pthread_mutex_t vudev_self_lock = PTHREAD_MUTEX_INITIALIZER;

void *vudev_get_private_data(struct vudev_t *vudev)
{
	return vudev ? vudev->private_data : NULL;
}

void vudev_set_devtype(struct vudev_t *vudev, mode_t devtype)
{
	if (vudev && (S_ISCHR(devtype) || S_ISBLK(devtype)))
		vudev->stat.st_mode = (vudev->stat.st_mode & ~S_IFMT) | (devtype & S_IFMT);
}

/*
 * A submodule calls vudev_get_private_data(), defined here; the daemon
 * loads modules RTLD_LOCAL (VUOS: RTLD_GLOBAL), so a submodule would not
 * find it. vudev makes itself global once, before its first submodule.
 */
static int vudev_export(void)
{
	Dl_info info;
	int ret = 0;

	pthread_mutex_lock(&vudev_self_lock);
	if (!vudev_self) {
		if (dladdr((void *)vudev_get_private_data, &info) && info.dli_fname)
			vudev_self = dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_GLOBAL);
		if (!vudev_self) {
			printk(KERN_ERR "vudev: cannot export the submodule API: %s\n", dlerror());
			errno = ELIBACC;
			ret = -1;
		}
	}
	pthread_mutex_unlock(&vudev_self_lock);
	return ret;
}

/* The sub-device a path (after the mount point: "/" or "3") or a device number names. */
static unsigned int vudev_subdev(const char *mpath, struct vuht_entry_t *ht, struct vudev_t *vudev)
{
	if (ht && ht == vudev->dev_ht) {
		const dev_t *rdev = vuht_get_obj(ht);

		if (rdev)
			return minor(*rdev) - minor(vudev->stat.st_rdev);
	}
	while (*mpath == '/')
		mpath++;
	return (unsigned int)strtoul(mpath, NULL, 10);
}

static bool vudev_subdev_exists(struct vudev_t *vudev, long subdev)
{
	if (subdev < 0)
		return false;
	if (vudev->devops->confirm_subdev)
		return vudev->devops->confirm_subdev((unsigned int)subdev, vudev) != 0;
	return subdev == 0;
}

/* "" is the mount point, "3" sub-device 3; anything else is not ours. */
static int vudev_confirm_path(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vudev_t *vudev = vuht_get_private_data(ht);
	const char *tail = arg;
	char *end;
	long subdev;
	int ret;

	if (!vudev)
		return 0;
	if (*tail == '\0')
		return 1;
	if (tail[0] < '0' || tail[0] > '9')
		return 0;
	subdev = strtol(tail, &end, 10);
	if (*end)
		return 0;
	pthread_mutex_lock(&vudev->mutex);
	ret = vudev_subdev_exists(vudev, subdev);
	pthread_mutex_unlock(&vudev->mutex);
	return ret;
}

static int vudev_confirm_dev(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vudev_t *vudev = vuht_get_private_data(ht);
	const dev_t *dev = arg;
	int ret;

	if (!vudev || major(*dev) != major(vudev->stat.st_rdev))
		return 0;
	pthread_mutex_lock(&vudev->mutex);
	ret = vudev_subdev_exists(vudev, (long)minor(*dev) - (long)minor(vudev->stat.st_rdev));
	pthread_mutex_unlock(&vudev->mutex);
	return ret;
}

int vu_vudev_lstat(char *pathname, struct vu_stat *buf, int flags, int sfd, void *fdprivate)
{
	struct vudev_t *vudev = vu_get_ht_private_data();
	unsigned int subdev;

	if (!vudev) {
		errno = ENOENT;
		return -1;
	}
	subdev = fdprivate ? (unsigned int)((struct vudevfd_t *)fdprivate)->subdev :
			     vudev_subdev(pathname, vu_mod_getht(), vudev);
	pthread_mutex_lock(&vudev->mutex);
	*buf = vudev->stat;
	pthread_mutex_unlock(&vudev->mutex);
	buf->st_rdev = makedev(major(buf->st_rdev), minor(buf->st_rdev) + subdev);
	/* each sub-device its own file: cmp(1) takes equal dev and ino for one file */
	buf->st_ino = vudev->ino + subdev;
	return 0;
}

/* The permission bits of the device against the caller's (the daemon's) ids. */
int vu_vudev_access(char *path, int mode, int flags)
{
	struct vudev_t *vudev = vu_get_ht_private_data();
	uid_t uid = (flags & AT_EACCESS) ? geteuid() : getuid();
	gid_t gid = (flags & AT_EACCESS) ? getegid() : getgid();
	mode_t m;
	int shift;

	if (!vudev) {
		errno = ENOENT;
		return -1;
	}
	if (mode == F_OK)
		return 0;
	pthread_mutex_lock(&vudev->mutex);
	m = vudev->stat.st_mode;
	shift = uid == vudev->stat.st_uid ? 6 : gid == vudev->stat.st_gid ? 3 : 0;
	pthread_mutex_unlock(&vudev->mutex);
	if (uid == 0)
		m = 0666 | ((m & 0111) ? 0111 : 0), shift = 0;
	if ((mode & R_OK && !(m >> shift & 4)) || (mode & W_OK && !(m >> shift & 2)) ||
	    (mode & X_OK && !(m >> shift & 1))) {
		errno = EACCES;
		return -1;
	}
	return 0;
}

int vu_vudev_chmod(const char *pathname, mode_t mode, int fd, void *fdprivate)
{
	struct vudev_t *vudev = vu_get_ht_private_data();

	if (!vudev) {
		errno = ENOENT;
		return -1;
	}
	pthread_mutex_lock(&vudev->mutex);
	vudev->stat.st_mode = (vudev->stat.st_mode & S_IFMT) | (mode & 07777);
	vudev->stat.st_ctime = time(NULL);
	pthread_mutex_unlock(&vudev->mutex);
	return 0;
}

int vu_vudev_lchown(const char *pathname, uid_t owner, gid_t group, int fd, void *fdprivate)
{
	struct vudev_t *vudev = vu_get_ht_private_data();

	if (!vudev) {
		errno = ENOENT;
		return -1;
	}
	pthread_mutex_lock(&vudev->mutex);
	if (owner != (uid_t)-1)
		vudev->stat.st_uid = owner;
	if (group != (gid_t)-1)
		vudev->stat.st_gid = group;
	vudev->stat.st_ctime = time(NULL);
	pthread_mutex_unlock(&vudev->mutex);
	return 0;
}

/* A call the submodule does not implement. */
static long vudev_nosys(void)
{
	errno = ENOSYS;
	return -1;
}

int vu_vudev_open(const char *pathname, int flags, mode_t mode, void **fdprivate)
{
	struct vudev_t *vudev = vu_get_ht_private_data();
	struct vudevfd_t *vfd;
	int ret;

	if (!vudev) {
		errno = ENOENT;
		return -1;
	}
	if (flags & (O_DIRECTORY)) {
		errno = ENOTDIR;
		return -1;
	}
	vfd = calloc(1, sizeof(*vfd));
	if (!vfd) {
		errno = ENOMEM;
		return -1;
	}
	vfd->subdev = vudev_subdev(pathname, vu_mod_getht(), vudev);
	vfd->flags = flags;
	vfd->vudev = vudev;
	pthread_mutex_lock(&vudev->mutex);
	if (!vudev_subdev_exists(vudev, (long)vfd->subdev)) {
		errno = ENXIO;
		ret = -1;
	} else {
		ret = vudev->devops->open ? vudev->devops->open(pathname, mode, vfd) :
					    (int)vudev_nosys();
	}
	pthread_mutex_unlock(&vudev->mutex);
	printkdebug(D, "open %s subdev %u flags 0%o -> %d", pathname, (unsigned int)vfd->subdev,
		    flags, ret);
	if (ret < 0) {
		free(vfd);
		return -1;
	}
	*fdprivate = vfd;
	return ret;
}

int vu_vudev_close(int fd, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_t *vudev = vfd->vudev;
	int ret;

	pthread_mutex_lock(&vudev->mutex);
	ret = vudev->devops->close ? vudev->devops->close(fd, vfd) : 0;
	pthread_mutex_unlock(&vudev->mutex);
	/* the file is gone for the member whatever the submodule says */
	free(vfd);
	return ret < 0 ? -1 : 0;
}

static bool vudev_can_read(const struct vudevfd_t *vfd)
{
	if ((vfd->flags & O_ACCMODE) == O_WRONLY) {
		errno = EBADF;
		return false;
	}
	return true;
}

static bool vudev_can_write(const struct vudevfd_t *vfd)
{
	if ((vfd->flags & O_ACCMODE) == O_RDONLY) {
		errno = EBADF;
		return false;
	}
	return true;
}

/*
 * pread64 serves read too (VU_USE_PRW): a submodule with read and no
 * pread (a character device: vudevnull) gets read, and no offset.
 */
ssize_t vu_vudev_pread64(int fd, void *buf, size_t count, off_t offset, int flags, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_operations_t *ops = vfd->vudev->devops;
	ssize_t ret;

	if (!vudev_can_read(vfd))
		return -1;
	pthread_mutex_lock(&vfd->vudev->mutex);
	if (ops->pread)
		ret = ops->pread(fd, buf, count, offset, vfd);
	else if (ops->read)
		ret = ops->read(fd, buf, count, vfd);
	else
		ret = vudev_nosys();
	pthread_mutex_unlock(&vfd->vudev->mutex);
	return ret;
}

ssize_t vu_vudev_pwrite64(int fd, const void *buf, size_t count, off_t offset, int flags,
			  void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_operations_t *ops = vfd->vudev->devops;
	ssize_t ret;

	if (!vudev_can_write(vfd))
		return -1;
	pthread_mutex_lock(&vfd->vudev->mutex);
	if (ops->pwrite)
		ret = ops->pwrite(fd, buf, count, offset, vfd);
	else if (ops->write)
		ret = ops->write(fd, buf, count, vfd);
	else
		ret = vudev_nosys();
	pthread_mutex_unlock(&vfd->vudev->mutex);
	return ret;
}

/* read and write at vudevfd->offset, for a caller that does not use pread (nesting). */
ssize_t vu_vudev_read(int fd, void *buf, size_t count, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	ssize_t ret = vu_vudev_pread64(fd, buf, count, vfd->offset, 0, fdprivate);

	if (ret > 0 && (vfd->vudev->devops->pread || !vfd->vudev->devops->read))
		vfd->offset += ret;
	return ret;
}

ssize_t vu_vudev_write(int fd, const void *buf, size_t count, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	ssize_t ret = vu_vudev_pwrite64(fd, buf, count, vfd->offset, 0, fdprivate);

	if (ret > 0 && (vfd->vudev->devops->pwrite || !vfd->vudev->devops->write))
		vfd->offset += ret;
	return ret;
}

off_t vu_vudev_lseek(int fd, off_t offset, int whence, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_t *vudev = vfd->vudev;
	off_t ret;

	pthread_mutex_lock(&vudev->mutex);
	if (vudev->devops->lseek) {
		ret = vudev->devops->lseek(fd, offset, whence, vfd);
	} else if (!vudev->devops->pread && whence == SEEK_SET && offset >= 0) {
		ret = 0; /* a character device: every position is 0, as /dev/null's */
	} else {
		errno = ESPIPE;
		ret = -1;
	}
	if (ret >= 0)
		vfd->offset = ret;
	pthread_mutex_unlock(&vudev->mutex);
	return ret;
}

int vu_vudev_ioctl(int fd, unsigned long request, void *buf, uintptr_t addr, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_t *vudev = vfd ? vfd->vudev : vu_get_ht_private_data();
	int ret;

	if (!vudev) {
		errno = ENOTTY;
		return -1;
	}
	pthread_mutex_lock(&vudev->mutex);
	if (vudev->devops->ioctl)
		ret = vudev->devops->ioctl(fd, request, buf, vfd);
	else
		ret = fd < 0 ? -1 : (errno = ENOTTY, -1);
	pthread_mutex_unlock(&vudev->mutex);
	/* the size probe: vudev knows the block requests that do not encode theirs */
	if (fd < 0 && ret == -1)
		return vudev_ioctl_probe(request);
	return ret;
}

/*
 * fsync: <vudev.h> has no such operation (VUOS has none); a block device
 * flushes with the submodule's BLKFLSBUF (nothing to flush if it has
 * none), a character device fails with EINVAL, as /dev/null does.
 */
int vu_vudev_fsync(int fd, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_t *vudev = vfd->vudev;
	int ret = 0, blk;

	pthread_mutex_lock(&vudev->mutex);
	blk = S_ISBLK(vudev->stat.st_mode);
	if (vudev->devops->ioctl) {
		ret = vudev->devops->ioctl(fd, BLKFLSBUF, NULL, vfd);
		if (ret < 0 && blk && (errno == EINVAL || errno == ENOTTY || errno == ENOSYS))
			ret = 0;
	} else if (!blk) {
		errno = EINVAL;
		ret = -1;
	}
	pthread_mutex_unlock(&vudev->mutex);
	return ret < 0 ? -1 : 0;
}

int vu_vudev_fdatasync(int fd, void *fdprivate)
{
	return vu_vudev_fsync(fd, fdprivate);
}

/* No discard or preallocation on a virtual device: callers (mke2fs) then write zeros. */
int vu_vudev_fallocate(int fd, int mode, off_t offset, off_t len, void *fdprivate)
{
	errno = EOPNOTSUPP;
	return -1;
}

int vu_vudev_epoll_ctl(int epfd, int op, int fd, struct epoll_event *event, void *fdprivate)
{
	struct vudevfd_t *vfd = fdprivate;
	struct vudev_t *vudev = vfd->vudev;
	int ret;

	pthread_mutex_lock(&vudev->mutex);
	ret = vudev->devops->epoll_ctl ? vudev->devops->epoll_ctl(epfd, op, fd, event, vfd) :
					 (int)vudev_nosys();
	pthread_mutex_unlock(&vudev->mutex);
	return ret;
}

static void vudev_free(struct vudev_t *vudev)
{
	pthread_mutex_destroy(&vudev->mutex);
	dlclose(vudev->dlhandle);
	free(vudev);
}

/* The device's stat before the options: the target's type and number if it is a node. */
static void vudev_stat_init(struct vudev_t *vudev, const char *target)
{
	static unsigned long next_ino = 1;
	struct vu_stat st;

	vudev->stat.st_mode = S_IFCHR | 0600;
	vudev->stat.st_uid = getuid();
	vudev->stat.st_gid = getgid();
	vudev->stat.st_nlink = 1;
	vudev->stat.st_blksize = 4096;
	vudev->stat.st_atime = vudev->stat.st_mtime = vudev->stat.st_ctime = time(NULL);
	if (stat(target, &st) == 0 && (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode))) {
		vudev->stat.st_rdev = st.st_rdev;
		vudev->stat.st_mode = (st.st_mode & S_IFMT) | 0600;
	}
	/* room for the sub-devices of each mount */
	vudev->ino = __atomic_fetch_add(&next_ino, 1, __ATOMIC_RELAXED) << 16;
}

int vu_vudev_mount(const char *source, const char *target, const char *filesystemtype,
		   unsigned long mountflags, const void *data)
{
	struct vudev_operations_t *ops;
	struct vudev_t *vudev;
	struct vudev_opts o;
	void *h;
	int e;

	if (!data)
		data = "";
	if (vudev_parse_opts(data, &o) < 0) {
		printk(KERN_ERR "vudev: %s on %s: bad options \"%s\"\n", filesystemtype, target,
		       (const char *)data);
		errno = EINVAL;
		return -1;
	}
	if (vudev_export() < 0)
		return -1;
	h = vu_mod_dlopen(filesystemtype, RTLD_NOW);
	if (!h) {
		printk(KERN_ERR "vudev: no submodule %s (%s.so in the module path)\n",
		       filesystemtype, filesystemtype);
		errno = ENODEV;
		return -1;
	}
	ops = dlsym(h, "vudev_ops");
	if (!ops) {
		printk(KERN_ERR "vudev: %s is not a vudev submodule (no vudev_ops)\n",
		       filesystemtype);
		dlclose(h);
		errno = ENODEV;
		return -1;
	}
	vudev = calloc(1, sizeof(*vudev));
	if (!vudev) {
		dlclose(h);
		errno = ENOMEM;
		return -1;
	}
	vudev->dlhandle = h;
	vudev->devops = ops;
	pthread_mutex_init(&vudev->mutex, NULL);
	vudev_stat_init(vudev, target);
	vudev_apply_opts(&o, vudev, false);
	pthread_mutex_lock(&vudev->mutex);
	if (ops->init) {
		errno = 0;
		vudev->private_data = ops->init(source, mountflags, data, vudev);
		if (!vudev->private_data) {
			e = errno ? errno : EINVAL;
			pthread_mutex_unlock(&vudev->mutex);
			printk(KERN_ERR "vudev: %s: cannot mount %s on %s: %s\n", filesystemtype,
			       source, target, strerror(e));
			vudev_free(vudev);
			errno = e;
			return -1;
		}
	}
	/* chrdev or blkdev given by the user wins over the submodule's type */
	vudev_apply_opts(&o, vudev, true);
	vudev->path_ht = vuht_pathadd(CHECKPATH, source, target, filesystemtype, mountflags, data,
				      vu_mod_getservice(), VUFLAG_PREFIX, vudev_confirm_path,
				      vudev);
	e = errno;
	if (vudev->path_ht && o.devid)
		vudev->dev_ht = vuht_add(S_ISBLK(vudev->stat.st_mode) ? CHECKBLKDEVICE :
									CHECKCHRDEVICE,
					 NULL, 0, vu_mod_getservice(), 0, vudev_confirm_dev, vudev);
	pthread_mutex_unlock(&vudev->mutex);
	if (!vudev->path_ht) {
		if (ops->fini)
			ops->fini(vudev->private_data);
		vudev_free(vudev);
		errno = e;
		return -1;
	}
	printkdebug(D, "mount %s on %s type %s: %s %u:%u", source, target, filesystemtype,
		    S_ISBLK(vudev->stat.st_mode) ? "blk" : "chr", major(vudev->stat.st_rdev),
		    minor(vudev->stat.st_rdev));
	return 0;
}

int vu_vudev_umount2(const char *target, int flags)
{
	struct vudev_t *vudev = vu_get_ht_private_data();
	struct vuht_entry_t *p, *d;
	int ret;

	if (!vudev) {
		errno = EINVAL;
		return -1;
	}
	pthread_mutex_lock(&vudev->mutex);
	p = vudev->path_ht;
	d = vudev->dev_ht;
	pthread_mutex_unlock(&vudev->mutex);
	/* the path first: it is what says busy */
	ret = p ? vuht_del(p, flags) : 0;
	if (ret == 0 && d)
		ret = vuht_del(d, flags | MNT_DETACH);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return 0;
}

/* An entry went away; with the last one the device goes (fini, dlclose). */
void vu_vudev_cleanup(uint8_t type, void *arg, int arglen, struct vuht_entry_t *ht)
{
	struct vudev_t *vudev = vuht_get_private_data(ht);
	bool last;

	if (!vudev || (type != CHECKPATH && type != CHECKCHRDEVICE && type != CHECKBLKDEVICE))
		return;
	pthread_mutex_lock(&vudev->mutex);
	if (type == CHECKPATH)
		vudev->path_ht = NULL;
	else
		vudev->dev_ht = NULL;
	last = !vudev->path_ht && !vudev->dev_ht;
	if (last && vudev->devops->fini)
		vudev->devops->fini(vudev->private_data);
	pthread_mutex_unlock(&vudev->mutex);
	if (last)
		vudev_free(vudev);
}

void *vu_vudev_init(void)
{
	debug_set_name(D, "VUDEV");
	return NULL;
}

int vu_vudev_fini(void *private)
{
	pthread_mutex_lock(&vudev_self_lock);
	if (vudev_self)
		dlclose(vudev_self);
	vudev_self = NULL;
	pthread_mutex_unlock(&vudev_self_lock);
	return 0;
}

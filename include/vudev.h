/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vudev.h - the interface of vudev's submodules (virtual devices).
 *
 * Source compatible with VUOS's <vudev.h>: a VUOS vudev submodule
 * (vudevnull, vudevpartx, vudevramdisk, vudevvdi ...) builds against this
 * header unchanged.
 *
 * vudev is a kmview module (built against <vumodule.h>) that serves the
 * files and device numbers of mounted devices: `vumount -t vudevNAME
 * source /dev/xxx` makes vudev dlopen the submodule vudevNAME.so and look
 * up its one exported symbol,
 *
 *	struct vudev_operations_t vudev_ops = { ... };
 *
 * vudev does the bookkeeping (the device's stat, chmod/chown, the mount
 * options mode=, uid=, gid=, major=, minor=, chr/blk, devid) and calls the
 * submodule's operations with the submodule's state. The functions
 * declared here are defined by vudev, which a submodule is loaded by: the
 * symbols are resolved against vudev.so at dlopen time (vudev makes
 * itself global for that, as VUOS loads every module RTLD_GLOBAL).
 * kmview's vudev (modules/vudev, kmview-vudev(7)) adds to VUOS's: a
 * submodule that answers -1 to the ioctl size probe gets vudev's answer
 * for the block requests that do not encode their size (BLKGETSIZE,
 * BLKSSZGET, BLKROSET, HDIO_GETGEO...); fsync is the submodule's ioctl
 * BLKFLSBUF; pread serves read (VU_USE_PRW), and a submodule with read
 * and no pread (a character device) gets read.
 */
#ifndef VUDEV_H
#define VUDEV_H

#include <sys/epoll.h>
#include <sys/stat.h>
#include <sys/types.h>

/* The state of one mounted device: vudev's, opaque to submodules. */
struct vudev_t;

/*
 * struct vudevfd_t - one open file of a device, passed to every
 * operation on it.
 * @subdev: which sub-device was opened: for a mount with trailing numbers
 *          (/dev/hda mounted, /dev/hda3 opened) the number after the
 *          mount point, for an access by device number the minor's
 *          distance from the mounted device's; 0 for the device itself
 * @offset: the file position vudev keeps for a device without read and
 *          write: read/write become pread/pwrite at @offset, which lseek
 *          updates with what the submodule's lseek returns
 * @flags: the open(2) flags
 * @fdprivate: the submodule's own per-file pointer, NULL at open
 * @vudev: the device, for vudev_get_private_data()
 */
struct vudevfd_t {
	dev_t subdev;
	off_t offset;
	int flags;
	void *fdprivate;
	struct vudev_t *vudev;
};

/* What the submodule's init returned for @vudev (NULL for NULL). */
void *vudev_get_private_data(struct vudev_t *vudev);

/*
 * Make @vudev a block device (S_IFBLK) or a character device (S_IFCHR,
 * the default); other file types are ignored. Usually called in init.
 */
void vudev_set_devtype(struct vudev_t *vudev, mode_t devtype);

/*
 * struct vudev_operations_t - what a submodule implements; a NULL
 * operation fails with ENOSYS. Operations on one device are serialised by
 * vudev (one mutex per device). Return like the C library: a value, or -1
 * with errno set.
 * @confirm_subdev: for a mount with trailing numbers: 1 if the submodule
 *                  has sub-device @subdev (e.g. a partition), else 0.
 *                  Without it only sub-device 0 exists.
 * @open: open sub-device vudevfd->subdev; @mode is open's mode argument.
 *        May set vudevfd->fdprivate. Returns 0 (or a value >= 0).
 * @close: the last close of the file; the vudevfd is freed on 0.
 * @read, @write: for character devices. When both are NULL, vudev turns
 *                read and write into pread and pwrite at vudevfd->offset.
 * @pread, @pwrite: for block (seekable) devices.
 * @lseek: returns the new position, which vudev stores in
 *         vudevfd->offset.
 * @ioctl: with @fd == -1, a query about @request: return -1 if @request
 *         encodes its direction and size (_IO, _IOR, _IOW, _IOWR), else
 *         a request number that encodes them, for the hypervisor to copy
 *         the argument in and out. With @fd >= 0, perform it on @addr.
 * @epoll_ctl: the device's part of poll, select and blocking waits.
 * @init: the mount: @source, @flags and @args are mount(2)'s source,
 *        mountflags and data. Returns the submodule's state (see
 *        vudev_get_private_data()); NULL fails the mount (EINVAL unless
 *        errno is set).
 * @fini: the last umount, with what init returned.
 */
struct vudev_operations_t {
	int (*confirm_subdev)(unsigned int subdev, struct vudev_t *vudev);
	int (*open)(const char *pathname, mode_t mode, struct vudevfd_t *vudevfd);
	int (*close)(int fd, struct vudevfd_t *vudevfd);
	ssize_t (*read)(int fd, void *buf, size_t count, struct vudevfd_t *vudevfd);
	ssize_t (*write)(int fd, const void *buf, size_t count, struct vudevfd_t *vudevfd);
	ssize_t (*pread)(int fd, void *buf, size_t count, off_t offset, struct vudevfd_t *vudevfd);
	ssize_t (*pwrite)(int fd, const void *buf, size_t count, off_t offset,
			  struct vudevfd_t *vudevfd);
	off_t (*lseek)(int fd, off_t offset, int whence, struct vudevfd_t *vudevfd);
	int (*ioctl)(int fd, unsigned long request, void *addr, struct vudevfd_t *vudevfd);
	int (*epoll_ctl)(int epfd, int op, int fd, struct epoll_event *event,
			 struct vudevfd_t *vudevfd);
	void *(*init)(const char *source, unsigned long flags, const char *args,
		      struct vudev_t *vudev);
	int (*fini)(void *private_data);
};

#endif /* VUDEV_H */

/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What differs between the kernels kmview builds for (Debian 12's 6.1 and
 * 6.12). Feature tests where the kernel offers one, versions where not.
 */
#ifndef KMVIEW_COMPAT_H
#define KMVIEW_COMPAT_H

#include <linux/version.h>
#include <linux/file.h>

/* receive_fd() grew a user pointer for the new fd in 6.8. */
static inline int kmview_receive_fd(struct file *file, unsigned int o_flags)
{
#if KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
	return receive_fd(file, NULL, o_flags);
#else
	return receive_fd(file, o_flags);
#endif
}

#endif /* KMVIEW_COMPAT_H */

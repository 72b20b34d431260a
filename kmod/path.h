/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Pure string logic on paths, shared by the probe and the task_work, and
 * compiled on the host for unit tests (kmod/tests/): no kernel objects here.
 */
#ifndef KMVIEW_PATH_H
#define KMVIEW_PATH_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stdbool.h>
#include <stddef.h>
#endif

size_t kmview_path_normalize(char *path, size_t len);
bool kmview_path_under(const char *prefix, size_t plen, const char *path, size_t len);
bool kmview_path_is_normal(const char *path, size_t len);

#endif /* KMVIEW_PATH_H */

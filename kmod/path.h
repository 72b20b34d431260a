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
#include <stdint.h>
typedef uint32_t u32;
#endif

size_t kmview_path_normalize(char *path, size_t len);
bool kmview_path_under(const char *prefix, size_t plen, const char *path, size_t len);
bool kmview_path_is_normal(const char *path, size_t len);

/* The hash of a prefix, as kmview_path_next_prefix() computes it. */
u32 kmview_path_hash(const char *path, size_t len);

/*
 * The prefixes of a normalised absolute path, shortest first: "/", then
 * every path of whole components ("/a", "/a/b", ...), the path itself last.
 */
struct kmview_path_iter {
	const char *path;
	size_t len, pos;
	u32 hash;
};

void kmview_path_iter_init(struct kmview_path_iter *it, const char *path, size_t len);
bool kmview_path_next_prefix(struct kmview_path_iter *it, size_t *plen, u32 *phash);

/* Does @path have a ".." component? */
bool kmview_path_has_dotdot(const char *path, size_t len);

/*
 * Build @to + what follows the prefix of length @plen in the normalised
 * @norm, then the tail normalisation dropped from the original path:
 * "/" if it ended with a slash, "/." if with "/.", so that ENOTDIR and
 * EINVAL stay. @to may be @dst (not @norm). Returns the length written
 * into @dst (NUL-terminated), or -1 if it does not fit in @size.
 */
long kmview_path_redirect(char *dst, size_t size, const char *to, size_t to_len,
			  const char *norm, size_t norm_len, size_t plen,
			  const char *orig, size_t orig_len);

#endif /* KMVIEW_PATH_H */

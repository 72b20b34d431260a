// SPDX-License-Identifier: GPL-2.0
/*
 * Lexical path normalisation and prefix matching.
 *
 * The filter compares what a member asks for with the registered prefixes
 * without resolving symlinks (that would cost a lookup per call): "//",
 * "." and ".." are folded as text. The daemon resolves forwarded paths for
 * real; a real symlink into a virtual tree is the documented blind spot.
 */
#ifdef __KERNEL__
#include <linux/string.h>
#include <linux/bug.h>
#define KMVIEW_ASSERT(cond) WARN_ON_ONCE(!(cond))
#else
#include <assert.h>
#include <string.h>
#define KMVIEW_ASSERT(cond) assert(cond)
#endif
#include "path.h"

/**
 * kmview_path_normalize - fold "//", "." and ".." of an absolute path in place
 * @path: NUL-terminated absolute path, rewritten in place
 * @len: strlen(@path)
 *
 * Return: the new length. ".." at the root stays at the root, as the kernel
 * does. The result has no trailing slash unless it is "/".
 */
size_t kmview_path_normalize(char *path, size_t len)
{
	size_t in = 0, out = 0;

	/* relative paths are joined to the cwd first: ".." here stops at "/" */
	KMVIEW_ASSERT(len > 0 && path[0] == '/');
	while (in < len) {
		size_t start, clen;

		while (in < len && path[in] == '/')
			in++;
		start = in;
		while (in < len && path[in] != '/')
			in++;
		clen = in - start;
		if (clen == 0 || (clen == 1 && path[start] == '.'))
			continue;
		if (clen == 2 && path[start] == '.' && path[start + 1] == '.') {
			if (out > 0)
				out--;
			while (out > 0 && path[out] != '/')
				out--;
			continue;
		}
		path[out++] = '/';
		memmove(path + out, path + start, clen);
		out += clen;
	}
	if (out == 0)
		path[out++] = '/';
	path[out] = '\0';
	return out;
}

/* Is @path (normalised, absolute) @prefix itself or below it? */
bool kmview_path_under(const char *prefix, size_t plen, const char *path, size_t len)
{
	if (plen == 1 && prefix[0] == '/')
		return true;
	if (len < plen || memcmp(prefix, path, plen) != 0)
		return false;
	return len == plen || path[plen] == '/';
}

/* A prefix as the daemon must register it (NUL-terminated): what normalisation keeps. */
bool kmview_path_is_normal(const char *path, size_t len)
{
	size_t i;

	if (len == 0 || path[0] != '/')
		return false;
	if (len == 1)
		return true;
	if (path[len - 1] == '/')
		return false;
	for (i = 0; i < len; i++) {
		if (path[i] == '\0')
			return false;
		if (path[i] != '/')
			continue;
		if (path[i + 1] == '/')
			return false;
		if (path[i + 1] == '.' && (i + 2 == len || path[i + 2] == '/'))
			return false;
		if (path[i + 1] == '.' && path[i + 2] == '.' && (i + 3 == len || path[i + 3] == '/'))
			return false;
	}
	return true;
}

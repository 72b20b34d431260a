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

/* FNV-1a: incremental, so the hash of every prefix falls out of one pass. */
#define KMVIEW_FNV_BASIS 2166136261u
#define KMVIEW_FNV_PRIME 16777619u

static u32 kmview_fnv(u32 h, unsigned char c)
{
	return (h ^ c) * KMVIEW_FNV_PRIME;
}

u32 kmview_path_hash(const char *path, size_t len)
{
	u32 h = KMVIEW_FNV_BASIS;
	size_t i;

	for (i = 0; i < len; i++)
		h = kmview_fnv(h, path[i]);
	return h;
}

void kmview_path_iter_init(struct kmview_path_iter *it, const char *path, size_t len)
{
	it->path = path;
	it->len = len;
	it->pos = 0;
	it->hash = KMVIEW_FNV_BASIS;
}

bool kmview_path_next_prefix(struct kmview_path_iter *it, size_t *plen, u32 *phash)
{
	if (it->pos == 0) {
		/* "/" first: the root covers every path */
		it->hash = kmview_fnv(it->hash, '/');
		it->pos = 1;
		*plen = 1;
		*phash = it->hash;
		return true;
	}
	if (it->pos >= it->len)
		return false;
	/* the next component: from pos (after a slash, or the root's) to the next slash */
	if (it->pos > 1)
		it->hash = kmview_fnv(it->hash, '/');
	while (it->pos < it->len && it->path[it->pos] != '/')
		it->hash = kmview_fnv(it->hash, it->path[it->pos++]);
	*plen = it->pos;
	*phash = it->hash;
	if (it->pos < it->len)
		it->pos++;	/* over the slash, hashed with the next component */
	return true;
}

bool kmview_path_has_dotdot(const char *path, size_t len)
{
	size_t i = 0;

	while (i < len) {
		size_t start;

		while (i < len && path[i] == '/')
			i++;
		start = i;
		while (i < len && path[i] != '/')
			i++;
		if (i - start == 2 && path[start] == '.' && path[start + 1] == '.')
			return true;
	}
	return false;
}

long kmview_path_redirect(char *dst, size_t size, const char *to, size_t to_len,
			  const char *norm, size_t norm_len, size_t plen,
			  const char *orig, size_t orig_len)
{
	const char *rest = norm + plen;
	size_t rest_len = norm_len - plen;
	const char *tail = "";
	size_t n, tail_len;

	KMVIEW_ASSERT(plen <= norm_len);
	if (plen == 1)		/* the root: the rest keeps its slash */
		rest = norm, rest_len = norm_len == 1 ? 0 : norm_len;
	if (norm_len == 1)
		tail = "";	/* the root: nothing to keep */
	else if (orig_len >= 2 && orig[orig_len - 1] == '.' && orig[orig_len - 2] == '/')
		tail = "/.";
	else if (orig_len >= 1 && orig[orig_len - 1] == '/')
		tail = "/";
	tail_len = strlen(tail);
	if (to_len == 1 && rest_len > 0)
		to_len = 0;	/* "/" + "/rest" */
	else if (to_len == 1 && tail_len == 1)
		tail_len = 0;	/* "/" + "/" is "/" */
	n = to_len + rest_len + tail_len;
	if (n == 0 || n + 1 > size)
		return -1;
	memmove(dst, to, to_len);	/* @to may be @dst */
	memcpy(dst + to_len, rest, rest_len);
	memcpy(dst + to_len + rest_len, tail, tail_len);
	dst[n] = '\0';
	return n;
}

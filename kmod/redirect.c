// SPDX-License-Identifier: GPL-2.0
/*
 * The in-kernel redirect (1.5): a module serves a tree by a real directory
 * (a bind), and the daemon registered "/dst is the real /src"
 * (KMVIEW_PREFIX_REDIRECT). A call on paths under /dst then runs natively
 * on /src, in the member's own task_work, with no upcall: the paths are
 * rewritten into the thread's scratch area and the call is restarted, as a
 * KMVIEW_REPLY_REWRITE would (apply.c: the caller's registers come back
 * after it, and a -ERESTART* restarts it with its own paths).
 *
 * Only where the answer is sure to be the daemon's; otherwise the call is
 * forwarded, and the module answers as before:
 *   - a ".." in the path (it may climb above /dst, which is not /src's parent);
 *   - a symlink on the way (an absolute one resolves in the view, a relative
 *     one may lead out of /src): the path is resolved here once with
 *     LOOKUP_NO_SYMLINKS, and ELOOP forwards;
 *   - a newer prefix under /dst (a nested mount) decides for its own paths
 *     (prefix.c: the newest prefix that matches);
 *   - every path of the call under the same redirect (a rename out of the
 *     bind is the daemon's EXDEV, not the kernel's success), and not the
 *     mount point itself for a call that makes, removes or renames a name;
 *   - calls that give the member a directory or a new program (open of a
 *     directory: getdents and the *at calls relative to it stay the
 *     module's; exec, chdir, chroot; openat2, whose RESOLVE_ flags read the
 *     path differently) and device nodes a key names;
 *   - the member's root is the daemon's (no chroot, no other mount
 *     namespace: its /src would be another tree).
 * Between the check and the native call a component may be replaced by a
 * symlink: the call then follows it, with the member's own rights, as a
 * native call racing the same rename would.
 */
#include <linux/slab.h>
#include <linux/sched.h>
#include <linux/fs.h>
#include <linux/fs_struct.h>
#include <linux/namei.h>
#include <linux/dcache.h>

#include "internal.h"
#include "path.h"

/* Each path's work area: the absolute path (a cwd and a relative path), then the new one. */
#define KMVIEW_RD_ABS (2 * KMVIEW_PATH_MAX)
#define KMVIEW_RD_BUF (KMVIEW_RD_ABS + KMVIEW_PATH_MAX)

/* @path made absolute into @abs (KMVIEW_RD_ABS bytes), from the cwd if relative. */
static long kmview_abs_path(const char *path, long len, char *abs)
{
	struct path pwd;
	size_t clen;
	char *cwd;

	if (path[0] == '/') {
		memcpy(abs, path, len + 1);
		return len;
	}
	get_fs_pwd(current->fs, &pwd);
	if (d_unlinked(pwd.dentry)) {
		path_put(&pwd);
		return -ENOENT;		/* no path leads there: nothing under it is virtual */
	}
	cwd = d_path(&pwd, abs + KMVIEW_PATH_MAX, KMVIEW_PATH_MAX);
	path_put(&pwd);
	if (IS_ERR(cwd))
		return PTR_ERR(cwd);
	clen = strlen(cwd);
	memmove(abs, cwd, clen);
	abs[clen++] = '/';
	if (clen + len >= KMVIEW_RD_ABS)
		return -ENAMETOOLONG;
	memcpy(abs + clen, path, len + 1);
	return clen + len;
}

/*
 * The module's own calls see the mounts older than its own (VUOS's epochs):
 * if one of them covers the real path, the module's answer is that mount's,
 * and the call is forwarded. @tmp: KMVIEW_RD_ABS bytes.
 */
static bool kmview_redirect_nested(struct kmview_view *view, const struct kmview_prefix_hit *hit,
				   char *tmp, size_t len)
{
	struct kmview_prefix_hit older = { };
	int kind;

	memcpy(tmp, hit->src, len + 1);
	len = kmview_path_normalize(tmp, len);
	kind = kmview_prefix_lookup(view, tmp, len, hit->id, &older);
	return kind == KMVIEW_PREFIX_VIRTUAL || kind == KMVIEW_PREFIX_TO_REAL;
}

/*
 * Path slot @slot of the captured call, @path (absolute, or relative to a
 * real cwd): native, forwarded, or redirected (rd->to[slot] set).
 */
enum kmview_verdict kmview_redirect_classify(struct kmview_member *m, unsigned int slot,
					     const char *path, long len,
					     struct kmview_redirect *rd)
{
	struct kmview_prefix_hit *hit = &rd->hit[slot];
	char *buf;
	long alen, n;
	size_t nlen;
	int kind;

	buf = kmalloc(KMVIEW_RD_BUF, GFP_KERNEL_ACCOUNT);
	if (!buf)
		return KMVIEW_FORWARD;	/* the daemon can still refuse it */
	alen = kmview_abs_path(path, len, buf);
	if (alen == -ENOENT) {
		kfree(buf);
		return KMVIEW_NATIVE;
	}
	if (alen < 0)
		goto forward;
	nlen = kmview_path_normalize(buf, alen);
	hit->src = buf + KMVIEW_RD_ABS;
	kind = kmview_prefix_lookup(m->view, buf, nlen, 0, hit);
	if (kind == KMVIEW_PREFIX_NONE || kind == KMVIEW_PREFIX_REAL) {
		kfree(buf);
		return KMVIEW_NATIVE;
	}
	if (kind != KMVIEW_PREFIX_TO_REAL || !kmview_arch_may_redirect(m->nr) ||
	    kmview_path_has_dotdot(path, len))
		goto forward;
	n = kmview_path_redirect(hit->src, KMVIEW_PATH_MAX, hit->src, hit->src_len,
				 buf, nlen, hit->len, path, len);
	if (n < 0 || kmview_redirect_nested(m->view, hit, buf, n))
		goto forward;
	/* the mount point's own name is the daemon's: EBUSY, not the source's rmdir */
	if (nlen == hit->len && kmview_arch_changes_name(m->nr))
		goto forward;
	rd->buf[slot] = buf;
	rd->to[slot] = hit->src;
	rd->to_len[slot] = n;
	return KMVIEW_REDIRECT;
forward:
	kfree(buf);
	return KMVIEW_FORWARD;
}

/* Does the native call on @to give the daemon's answer? Resolves it once. */
static bool kmview_redirect_sure(struct kmview_member *m, unsigned int slot, const char *to)
{
	unsigned int flags = LOOKUP_NO_SYMLINKS;
	struct inode *inode;
	struct path path;
	bool sure;
	int err;

	if (kmview_arch_path_follows(m->nr, slot, m->args))
		flags |= LOOKUP_FOLLOW;
	err = kern_path(to, flags, &path);
	if (err)
		return err != -ELOOP;	/* ENOENT, ENOTDIR, EACCES: the native call says it */
	inode = d_backing_inode(path.dentry);
	sure = !(kmview_arch_opens(m->nr) && S_ISDIR(inode->i_mode)) &&
	       !kmview_keys_dev(m->view, inode->i_mode, inode->i_rdev);
	path_put(&path);
	return sure;
}

static bool kmview_same_root(struct kmview_view *view)
{
	struct path root;
	bool same;

	get_fs_root(current->fs, &root);
	same = path_equal(&root, &view->root);
	path_put(&root);
	return same;
}

/*
 * Every path slot of the call that has a path is redirected (the caller
 * checked): run it natively on the real paths if that is sure to give the
 * daemon's answer. Returns false if the call must be forwarded instead.
 */
bool kmview_redirect_apply(struct kmview_member *m, struct pt_regs *regs,
			   struct kmview_redirect *rd)
{
	const struct kmview_sysarg *sa = kmview_sysarg(m->nr);
	unsigned int arg[KMVIEW_SLOTS], i, n = 0;
	char *to[KMVIEW_SLOTS];
	u64 id = 0;
	size_t len[KMVIEW_SLOTS];

	for (i = 0; i < KMVIEW_SLOTS; i++) {
		if (!rd->to[i])
			continue;
		if (n && rd->hit[i].id != id)
			return false;
		id = rd->hit[i].id;
		if (!kmview_redirect_sure(m, i, rd->to[i]))
			return false;
		arg[n] = sa->path[i];
		to[n] = rd->to[i];
		len[n] = rd->to_len[i];
		n++;
	}
	if (!n || !kmview_same_root(m->view) || !kmview_policy_access(m->view, current))
		return false;
	return kmview_rewrite_paths(m, regs, arg, to, len, n) == 0;
}

void kmview_redirect_release(struct kmview_redirect *rd)
{
	unsigned int i;

	for (i = 0; i < KMVIEW_SLOTS; i++)
		kfree(rd->buf[i]);
}

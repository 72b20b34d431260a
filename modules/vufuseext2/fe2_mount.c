// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vufuseext2: opening the image, deciding whether it may be written, and
 * writing it back. An image is first opened read-only and checked, so that
 * a refused rw mount writes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <et/com_err.h>
#include <ext2fs/ext2_err.h>
#include "fe2.h"

/* Why this file system must not be written, or NULL. */
static const char *rw_refusal(ext2_filsys fs)
{
	struct ext2_super_block *sb = fs->super;

	if (sb->s_feature_incompat & ~EXT2_LIB_FEATURE_INCOMPAT_SUPP)
		return "it has incompatible features libext2fs does not know";
	if (sb->s_feature_ro_compat & ~EXT2_LIB_FEATURE_RO_COMPAT_SUPP)
		return "it has read-only-compatible features libext2fs cannot write";
	if (ext2fs_has_feature_readonly(sb))
		return "it has the read-only feature set";
	if (ext2fs_has_feature_shared_blocks(sb))
		return "it has shared blocks (read-only by design)";
	if (ext2fs_has_feature_journal_dev(sb))
		return "it is an external journal device";
	if (ext2fs_has_feature_journal_needs_recovery(sb))
		return "its journal needs recovery (run e2fsck)";
	if (sb->s_state & EXT2_ERROR_FS)
		return "it has errors (run e2fsck)";
	if (!(sb->s_state & EXT2_VALID_FS))
		return "it was not cleanly unmounted (run e2fsck)";
	return NULL;
}

static errcode_t open_fs(const char *source, int flags, ext2_filsys *fs)
{
	return ext2fs_open2(source, NULL, flags | EXT2_FLAG_64BITS, 0, 0, unix_io_manager, fs);
}

static pthread_once_t err_once = PTHREAD_ONCE_INIT;

/* error_message() knows libext2fs' codes only once its table is in. */
static void err_table(void)
{
	initialize_ext2_error_table();
}

int fe2_open(struct fe2 *e, const char *source, bool rw, char *msg, size_t msglen)
{
	ext2_filsys fs;
	const char *why;
	errcode_t err;

	pthread_once(&err_once, err_table);
	memset(e, 0, sizeof(*e));
	err = open_fs(source, 0, &fs);
	if (err) {
		snprintf(msg, msglen, "cannot open %s: %s", source, error_message(err));
		return fe2_err(err) == -EIO ? -EINVAL : fe2_err(err);
	}
	if (rw) {
		why = rw_refusal(fs);
		ext2fs_close_free(&fs);
		if (why) {
			snprintf(msg, msglen, "%s: refusing to mount read-write: %s", source, why);
			return -EROFS;
		}
		err = open_fs(source, EXT2_FLAG_RW, &fs);
		if (err) {
			snprintf(msg, msglen, "cannot open %s read-write: %s", source,
				 error_message(err));
			return fe2_err(err);
		}
	}
	err = ext2fs_read_bitmaps(fs);
	if (err) {
		snprintf(msg, msglen, "%s: cannot read the bitmaps: %s", source,
			 error_message(err));
		ext2fs_close_free(&fs);
		return -EINVAL;
	}
	e->fs = fs;
	e->rw = rw;
	e->source = strdup(source);
	pthread_mutex_init(&e->lock, NULL);
	if (rw) {
		/* Mounted: not clean until umount, as the kernel marks it. */
		e->was_clean = true;
		fs->super->s_state &= ~EXT2_VALID_FS;
		fs->super->s_mnt_count++;
		fs->super->s_mtime = (__u32)time(NULL);
		ext2fs_mark_super_dirty(fs);
		err = ext2fs_flush2(fs, 0);
		if (err) {
			snprintf(msg, msglen, "%s: cannot write: %s", source, error_message(err));
			ext2fs_close_free(&e->fs);
			free(e->source);
			return fe2_err(err);
		}
	}
	return 0;
}

int fe2_flush(struct fe2 *e)
{
	if (!e->rw)
		return 0;
	return fe2_err(ext2fs_flush2(e->fs, 0));
}

int fe2_close(struct fe2 *e)
{
	errcode_t err = 0;

	if (!e->fs)
		return 0;
	if (e->rw) {
		if (e->was_clean)
			e->fs->super->s_state |= EXT2_VALID_FS;
		e->fs->super->s_wtime = (__u32)time(NULL);
		ext2fs_mark_super_dirty(e->fs);
	}
	err = ext2fs_close_free(&e->fs);
	free(e->source);
	e->source = NULL;
	pthread_mutex_destroy(&e->lock);
	return fe2_err(err);
}

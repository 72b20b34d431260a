// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * prw.c - VU_USE_PRW: offsets kept by the hypervisor, as VUOS does.
 *
 * The offset belongs to the open file (shared by dup and fork, as the
 * kernel's is), so it lives in struct vu_vfd under its own lock: two
 * threads reading one file each get their own bytes. The size, needed for
 * O_APPEND and SEEK_END, is the module's lseek(fd, 0, SEEK_END) or else
 * its lstat of the open file, read when first needed and grown by writes.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

#include "core/modcall.h"
#include "sc/prw.h"

bool vu_prw(const struct vu_vfd *f)
{
	return f->service->mod->flags & VU_USE_PRW;
}

/* The size the hypervisor knows of @f; with f->pos_lock held. */
static off_t vu_prw_size(struct vu_vfd *f)
{
	struct vu_stat st;

	if (!f->size_known) {
		long r = vu_mcall(f->ht, lstat, int, VU_LSTAT_PROTO,
				  (char *)vu_vfd_mpath(f), &st, AT_SYMLINK_NOFOLLOW, f->sfd,
				  f->fdprivate);

		f->size = r == 0 ? st.st_size : 0;
		f->size_known = true;
	}
	return f->size;
}

long vu_prw_read(struct vu_vfd *f, void *buf, size_t len)
{
	long ret;

	pthread_mutex_lock(&f->pos_lock);
	ret = vu_mcall(f->ht, pread64, ssize_t, (int, void *, size_t, off_t, int, void *), f->sfd,
		       buf, len, f->pos, 0, f->fdprivate);
	ret = vu_mod_size(f->ht, "pread64", ret, len);
	if (ret > 0)
		f->pos += ret;
	pthread_mutex_unlock(&f->pos_lock);
	return ret;
}

long vu_prw_write(struct vu_vfd *f, const void *buf, size_t len)
{
	long ret;

	pthread_mutex_lock(&f->pos_lock);
	if (f->flags & O_APPEND)
		f->pos = vu_prw_size(f);
	ret = vu_mcall(f->ht, pwrite64, ssize_t, (int, const void *, size_t, off_t, int, void *),
		       f->sfd, buf, len, f->pos, 0, f->fdprivate);
	ret = vu_mod_size(f->ht, "pwrite64", ret, len);
	if (ret > 0) {
		f->pos += ret;
		if (f->size_known && f->pos > f->size)
			f->size = f->pos;
	}
	pthread_mutex_unlock(&f->pos_lock);
	return ret;
}

long vu_prw_lseek(struct vu_vfd *f, off_t offset, int whence)
{
	long ret, mod;

	pthread_mutex_lock(&f->pos_lock);
	switch (whence) {
	case SEEK_SET:
		ret = offset;
		break;
	case SEEK_CUR:
		ret = f->pos + offset;
		break;
	case SEEK_END:
		mod = vu_mcall(f->ht, lseek, off_t, (int, off_t, int, void *), f->sfd, 0, SEEK_END,
			       f->fdprivate);
		ret = (mod >= 0 ? mod : vu_prw_size(f)) + offset;
		break;
	default:
		ret = -EINVAL;
		break;
	}
	if (ret < 0)
		ret = -EINVAL;
	if (ret >= 0) {
		/* the module may refuse a position (past a device's end) */
		mod = vu_mcall(f->ht, lseek, off_t, (int, off_t, int, void *), f->sfd, (off_t)ret,
			       SEEK_SET, f->fdprivate);
		if (mod >= 0)
			ret = mod;
		else if (mod != -ENOSYS)
			ret = mod;
	}
	if (ret >= 0)
		f->pos = ret;
	pthread_mutex_unlock(&f->pos_lock);
	return ret;
}

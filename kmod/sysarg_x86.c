// SPDX-License-Identifier: GPL-2.0
/*
 * x86-64: the shape of each system call and the registers behind it.
 */
#include <linux/kernel.h>
#include <linux/ptrace.h>
#include <asm/unistd.h>
#include <asm/syscall.h>
#include <asm/compat.h>
#include <linux/fcntl.h>
#include <linux/uaccess.h>
#include <linux/inotify.h>
#include <uapi/linux/mount.h>
#include <uapi/linux/openat2.h>

#include "internal.h"

#define N KMVIEW_NO_ARG
/* an entry: fd slots, path slots, and the fd slot each path is relative to */
#define A(f0, f1, p0, p1, d0, d1) { .fd = { f0, f1 }, .path = { p0, p1 }, .dirfd = { d0, d1 } }
#define E(f0, f1, p0, p1, d0, d1) { true, A(f0, f1, p0, p1, d0, d1) }
#define FD(a)		E(a, N, N, N, N, N)
#define FD2(a, b)	E(a, b, N, N, N, N)
#define PATH(p)		E(N, N, p, N, N, N)
#define PATH2(p, q)	E(N, N, p, q, N, N)
#define AT(d, p)	E(d, N, p, N, 0, N)
#define AT2(d, p, e, q)	E(d, e, p, q, 0, 1)
#define FD_PATH(f, p)	E(f, N, p, N, N, N)

static const struct kmview_sysarg kmview_none = A(N, N, N, N, N, N);

static const struct {
	bool used;
	struct kmview_sysarg arg;
} kmview_table[] = {
	[__NR_read] = FD(0), [__NR_write] = FD(0), [__NR_close] = FD(0),
	[__NR_fstat] = FD(0), [__NR_lseek] = FD(0), [__NR_mmap] = FD(4),
	[__NR_ioctl] = FD(0), [__NR_pread64] = FD(0), [__NR_pwrite64] = FD(0),
	[__NR_readv] = FD(0), [__NR_writev] = FD(0), [__NR_fcntl] = FD(0),
	[__NR_flock] = FD(0), [__NR_fsync] = FD(0), [__NR_fdatasync] = FD(0),
	[__NR_ftruncate] = FD(0), [__NR_getdents] = FD(0), [__NR_getdents64] = FD(0),
	[__NR_fchdir] = FD(0), [__NR_fchmod] = FD(0), [__NR_fchown] = FD(0),
	[__NR_fstatfs] = FD(0), [__NR_readahead] = FD(0), [__NR_fsetxattr] = FD(0),
	[__NR_fgetxattr] = FD(0), [__NR_flistxattr] = FD(0), [__NR_fremovexattr] = FD(0),
	[__NR_sendfile] = FD2(0, 1), [__NR_sendto] = FD(0), [__NR_recvfrom] = FD(0),
	[__NR_sendmsg] = FD(0), [__NR_recvmsg] = FD(0), [__NR_sendmmsg] = FD(0),
	[__NR_recvmmsg] = FD(0), [__NR_shutdown] = FD(0), [__NR_bind] = FD(0),
	[__NR_connect] = FD(0), [__NR_listen] = FD(0), [__NR_accept] = FD(0),
	[__NR_accept4] = FD(0), [__NR_getsockname] = FD(0), [__NR_getpeername] = FD(0),
	[__NR_setsockopt] = FD(0), [__NR_getsockopt] = FD(0),
	[__NR_sync_file_range] = FD(0), [__NR_fallocate] = FD(0), [__NR_fadvise64] = FD(0),
	[__NR_splice] = FD2(0, 2), [__NR_tee] = FD2(0, 1), [__NR_vmsplice] = FD(0),
	[__NR_copy_file_range] = FD2(0, 2), [__NR_preadv] = FD(0), [__NR_pwritev] = FD(0),
	[__NR_preadv2] = FD(0), [__NR_pwritev2] = FD(0), [__NR_syncfs] = FD(0),
	[__NR_open_by_handle_at] = FD(0),

	[__NR_open] = PATH(0), [__NR_stat] = PATH(0), [__NR_lstat] = PATH(0),
	[__NR_access] = PATH(0), [__NR_execve] = PATH(0), [__NR_truncate] = PATH(0),
	[__NR_chdir] = PATH(0), [__NR_rename] = PATH2(0, 1), [__NR_mkdir] = PATH(0),
	[__NR_rmdir] = PATH(0), [__NR_creat] = PATH(0), [__NR_link] = PATH2(0, 1),
	[__NR_unlink] = PATH(0), [__NR_symlink] = PATH(1), [__NR_readlink] = PATH(0),
	[__NR_chmod] = PATH(0), [__NR_chown] = PATH(0), [__NR_lchown] = PATH(0),
	[__NR_utime] = PATH(0), [__NR_utimes] = PATH(0), [__NR_mknod] = PATH(0),
	[__NR_statfs] = PATH(0), [__NR_chroot] = PATH(0), [__NR_setxattr] = PATH(0),
	[__NR_lsetxattr] = PATH(0), [__NR_getxattr] = PATH(0), [__NR_lgetxattr] = PATH(0),
	[__NR_listxattr] = PATH(0), [__NR_llistxattr] = PATH(0),
	[__NR_removexattr] = PATH(0), [__NR_lremovexattr] = PATH(0),
	[__NR_inotify_add_watch] = FD_PATH(0, 1),

	[__NR_openat] = AT(0, 1), [__NR_mkdirat] = AT(0, 1), [__NR_mknodat] = AT(0, 1),
	[__NR_fchownat] = AT(0, 1), [__NR_futimesat] = AT(0, 1),
	[__NR_newfstatat] = AT(0, 1), [__NR_unlinkat] = AT(0, 1),
	[__NR_renameat] = AT2(0, 1, 2, 3), [__NR_renameat2] = AT2(0, 1, 2, 3),
	[__NR_linkat] = AT2(0, 1, 2, 3), [__NR_symlinkat] = AT(1, 2),
	[__NR_readlinkat] = AT(0, 1), [__NR_fchmodat] = AT(0, 1),
	[__NR_faccessat] = AT(0, 1), [__NR_faccessat2] = AT(0, 1),
	[__NR_utimensat] = AT(0, 1), [__NR_openat2] = AT(0, 1),
	[__NR_execveat] = AT(0, 1), [__NR_statx] = AT(0, 1),
	[__NR_name_to_handle_at] = AT(0, 1), [__NR_open_tree] = AT(0, 1),
	[__NR_fspick] = AT(0, 1), [__NR_mount_setattr] = AT(0, 1),
	[__NR_move_mount] = AT2(0, 1, 2, 3), [__NR_quotactl_fd] = FD(0),
#ifdef __NR_cachestat
	[__NR_cachestat] = FD(0),
#endif
#ifdef __NR_fchmodat2
	[__NR_fchmodat2] = AT(0, 1),
#endif
};

const struct kmview_sysarg *kmview_sysarg(long nr)
{
	if (nr < 0 || nr >= ARRAY_SIZE(kmview_table) || !kmview_table[nr].used)
		return &kmview_none;
	return &kmview_table[nr].arg;
}

bool kmview_arch_reads_cwd(long nr)
{
	return nr == __NR_getcwd;
}

bool kmview_arch_changes_cwd(long nr)
{
	return nr == __NR_chdir || nr == __NR_fchdir || nr == __NR_chroot;
}

bool kmview_arch_changes_root(long nr)
{
	return nr == __NR_chroot;
}

bool kmview_arch_is_exec(long nr)
{
	return nr == __NR_execve || nr == __NR_execveat;
}

bool kmview_arch_is_fork(long nr)
{
	return nr == __NR_clone || nr == __NR_clone3 || nr == __NR_fork || nr == __NR_vfork;
}

bool kmview_arch_is_thread_exit(long nr)
{
	return nr == __NR_exit;
}

bool kmview_arch_is_mmap(long nr)
{
	return nr == __NR_mmap;
}

bool kmview_arch_is_socket(long nr)
{
	return nr == __NR_socket || nr == __NR_socketpair;
}

bool kmview_arch_is_ioctl(long nr)
{
	return nr == __NR_ioctl;
}

bool kmview_arch_may_redirect(long nr)
{
	switch (nr) {
	case __NR_execve:
	case __NR_execveat:
	case __NR_chdir:
	case __NR_chroot:
	case __NR_openat2:
	case __NR_open_tree:
	case __NR_fspick:
	case __NR_mount_setattr:
	case __NR_move_mount:
		return false;
	}
	return kmview_sysarg(nr)->path[0] != KMVIEW_NO_ARG;
}

bool kmview_arch_changes_name(long nr)
{
	switch (nr) {
	case __NR_rmdir:
	case __NR_unlink:
	case __NR_unlinkat:
	case __NR_rename:
	case __NR_renameat:
	case __NR_renameat2:
	case __NR_link:
	case __NR_linkat:
	case __NR_symlink:
	case __NR_symlinkat:
	case __NR_mkdir:
	case __NR_mkdirat:
	case __NR_mknod:
	case __NR_mknodat:
		return true;
	}
	return false;
}

bool kmview_arch_opens(long nr)
{
	return nr == __NR_open || nr == __NR_openat || nr == __NR_creat || nr == __NR_openat2;
}

/* open(2) flags: O_NOFOLLOW, and O_CREAT | O_EXCL, do not follow a final symlink. */
static bool kmview_open_follows(u64 flags)
{
	return !(flags & O_NOFOLLOW) && (flags & (O_CREAT | O_EXCL)) != (O_CREAT | O_EXCL);
}

bool kmview_arch_path_follows(long nr, unsigned int slot, const unsigned long args[6])
{
	struct open_how __user *how;
	u64 flags;

	switch (nr) {
	/* calls on the name itself */
	case __NR_lstat: case __NR_lchown: case __NR_lsetxattr: case __NR_lgetxattr:
	case __NR_llistxattr: case __NR_lremovexattr: case __NR_readlink:
	case __NR_readlinkat: case __NR_unlink: case __NR_unlinkat: case __NR_rmdir:
	case __NR_rename: case __NR_renameat: case __NR_renameat2: case __NR_link:
	case __NR_symlink: case __NR_symlinkat: case __NR_mkdir: case __NR_mkdirat:
	case __NR_mknod: case __NR_mknodat:
		return false;
	case __NR_linkat:
		return slot == 0 && (args[4] & AT_SYMLINK_FOLLOW);
	case __NR_name_to_handle_at:
		return args[4] & AT_SYMLINK_FOLLOW;
	case __NR_open:
		return kmview_open_follows(args[1]);
	case __NR_openat:
		return kmview_open_follows(args[2]);
	case __NR_openat2:
		/* unreadable: the call itself fails with EFAULT */
		how = (struct open_how __user *)args[2];
		if (get_user(flags, &how->flags))
			return true;
		return kmview_open_follows(flags);
	case __NR_newfstatat: case __NR_utimensat: case __NR_faccessat2:
#ifdef __NR_fchmodat2
	case __NR_fchmodat2:
#endif
		return !(args[3] & AT_SYMLINK_NOFOLLOW);
	case __NR_fchownat: case __NR_execveat:
		return !(args[4] & AT_SYMLINK_NOFOLLOW);
	case __NR_statx: case __NR_open_tree: case __NR_mount_setattr:
		return !(args[2] & AT_SYMLINK_NOFOLLOW);
	case __NR_fspick:
		return !(args[2] & FSPICK_SYMLINK_NOFOLLOW);
	case __NR_move_mount:
		return args[4] & (slot == 0 ? MOVE_MOUNT_F_SYMLINKS : MOVE_MOUNT_T_SYMLINKS);
	case __NR_inotify_add_watch:
		return !(args[2] & IN_DONT_FOLLOW);
	default:
		return true;
	}
}

bool kmview_arch_escape(struct pt_regs *regs, long nr)
{
	if (in_ia32_syscall())
		return true;
	if (nr >= 0 && (nr & __X32_SYSCALL_BIT))
		return true;
	/* a ring inherited from before the view would run calls the filter never sees */
	return nr == __NR_io_uring_setup || nr == __NR_io_uring_enter ||
	       nr == __NR_io_uring_register;
}

void kmview_arch_get_args(struct pt_regs *regs, unsigned long args[6])
{
	syscall_get_arguments(current, regs, args);
}

void kmview_arch_set_arg(struct pt_regs *regs, unsigned int i, unsigned long val)
{
	static const size_t offs[6] = {
		offsetof(struct pt_regs, di), offsetof(struct pt_regs, si),
		offsetof(struct pt_regs, dx), offsetof(struct pt_regs, r10),
		offsetof(struct pt_regs, r8), offsetof(struct pt_regs, r9),
	};

	if (i < 6)
		*(unsigned long *)((char *)regs + offs[i]) = val;
}

void kmview_arch_skip(struct pt_regs *regs, long val)
{
	regs->orig_ax = -1;
	regs->ax = val;
}

void kmview_arch_set_return(struct pt_regs *regs, long val)
{
	regs->ax = val;
}

void kmview_arch_set_nr(struct pt_regs *regs, long nr)
{
	regs->orig_ax = nr;
}

/* The kernel's own restart convention: every syscall instruction is 2 bytes. */
void kmview_arch_restart(struct pt_regs *regs, long nr)
{
	regs->orig_ax = nr;
	regs->ax = nr;
	regs->ip -= 2;
}

unsigned long kmview_arch_below_stack(struct pt_regs *regs, size_t len)
{
	/* below the 128-byte red zone of the interrupted function, 16-aligned */
	return (regs->sp - 128 - len) & ~15UL;
}

unsigned long kmview_arch_stack_pointer(struct pt_regs *regs)
{
	return regs->sp;
}

unsigned long kmview_arch_syscall_ip(struct pt_regs *regs)
{
	return regs->ip;
}

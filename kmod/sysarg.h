/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which arguments of a system call are fds and paths, and how to reach the
 * registers that hold them. Everything that depends on the architecture is
 * here and in sysarg_<arch>.c.
 */
#ifndef KMVIEW_SYSARG_H
#define KMVIEW_SYSARG_H

#include <linux/types.h>

struct pt_regs;

#define KMVIEW_SLOTS 2

/**
 * struct kmview_sysarg - the shape of a system call, for the filter
 * @fd: argument index of each fd slot, KMVIEW_NO_ARG if unused
 * @path: argument index of each path slot, KMVIEW_NO_ARG if unused
 * @dirfd: for path i, the fd slot holding its directory fd, or
 *         KMVIEW_NO_ARG if the path is relative to the cwd
 *
 * A call with neither fds nor paths (getppid, socket, mount) is forwarded
 * whenever it is in the bitmap.
 */
struct kmview_sysarg {
	u8 fd[KMVIEW_SLOTS];
	u8 path[KMVIEW_SLOTS];
	u8 dirfd[KMVIEW_SLOTS];
};

const struct kmview_sysarg *kmview_sysarg(long nr);

/* Does @nr only read the cwd (getcwd)? Forwarded only while it is virtual. */
bool kmview_arch_reads_cwd(long nr);
/* Does @nr change the cwd (chdir, fchdir, chroot)? */
bool kmview_arch_changes_cwd(long nr);
/* Does @nr change the root (chroot)? Forwarded whenever in the bitmap. */
bool kmview_arch_changes_root(long nr);
/* Is @nr mmap, the only call a KMVIEW_REPLY_MMAP may answer? */
/* Is @nr execve or execveat? Forwarded whatever its path with KMVIEW_FILTER_ALL_EXECS. */
bool kmview_arch_is_exec(long nr);
/* Does @nr create a task (clone, clone3, fork, vfork)? */
bool kmview_arch_is_fork(long nr);
/* Does @nr end the calling thread only (exit, not exit_group)? */
bool kmview_arch_is_thread_exit(long nr);
bool kmview_arch_is_mmap(long nr);
/* Does @nr create sockets (socket, socketpair), of the family in argument 0? */
bool kmview_arch_is_socket(long nr);
/* Is @nr ioctl (fd in argument 0, request in argument 1)? */
bool kmview_arch_is_ioctl(long nr);
/*
 * Does call @nr resolve path slot @slot following a final symlink (stat,
 * open) or not (lstat, unlink, AT_SYMLINK_NOFOLLOW, O_NOFOLLOW)? May read
 * the caller's memory (openat2's struct open_how): process context only.
 */
bool kmview_arch_path_follows(long nr, unsigned int slot, const unsigned long args[6]);
/*
 * May @nr run natively on the real directory of a redirect (redirect.c)?
 * Not exec, chdir, chroot, openat2 nor the mount calls.
 */
bool kmview_arch_may_redirect(long nr);
/* Does @nr make, remove or rename the name its path says (mkdir, unlink, rename...)? */
bool kmview_arch_changes_name(long nr);
/* Does @nr open its path (open, openat, creat, openat2)? */
bool kmview_arch_opens(long nr);
/* Is this a call the filter cannot see through (compat, x32, io_uring)? */
bool kmview_arch_escape(struct pt_regs *regs, long nr);
void kmview_arch_get_args(struct pt_regs *regs, unsigned long args[6]);
void kmview_arch_set_arg(struct pt_regs *regs, unsigned int i, unsigned long val);
/* Skip the call: it returns @val without running. */
void kmview_arch_skip(struct pt_regs *regs, long val);
/* Set the value a skipped call returns. */
void kmview_arch_set_return(struct pt_regs *regs, long val);
/* Make a skipped call @nr again, so that -ERESTART* codes restart it. */
void kmview_arch_set_nr(struct pt_regs *regs, long nr);
/* Arrange for the call @nr to run again when the task returns to user mode. */
void kmview_arch_restart(struct pt_regs *regs, long nr);
/* An area on the user stack, below the red zone, for @len bytes. */
unsigned long kmview_arch_below_stack(struct pt_regs *regs, size_t len);
/* The user stack pointer at the call. */
unsigned long kmview_arch_stack_pointer(struct pt_regs *regs);
/* The address of the instruction after the syscall instruction. */
unsigned long kmview_arch_syscall_ip(struct pt_regs *regs);

#endif /* KMVIEW_SYSARG_H */

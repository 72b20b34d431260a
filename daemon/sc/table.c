// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * sc/table.c - the table of system calls with path or fd arguments.
 *
 * Every call here is in the kernel filter while anything is virtual
 * (filter.c), so the daemon sees each one that names a virtual path or a
 * placeholder. A call with a handler is served by it; a call without one
 * is refused with ENOSYS (and a log line) when it names something
 * virtual, and runs natively otherwise. close is not here: the kernel
 * closes placeholders itself and tells the daemon at the last close
 * (RELEASE). mmap is here: a placeholder is mapped through the daemon
 * (sc/mmap.c); an anonymous or real-fd mmap runs natively.
 *
 * The VU_RES_AT flag marks the *at calls, whose fd slot i is the dirfd of
 * path slot i (the kernel's sysarg table has the same shape).
 *
 * The calls a module owns by number (CHECKSC: the ids, the clocks, the
 * capabilities, the names; sc/scnum.h) are apart: in the filter only while
 * an entry owns their method (vu_syscalls_sc_bitmap), never with the rest.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "base/log.h"
#include "core/sysname.h"
#include "core/arch_table.h"
#include "sc/handlers.h"
#include "sc/scnum.h"
#include "core/vpath.h"

/* Newer than the C library's headers; the kernel filter knows them (sysarg_x86.c). */
#ifdef __x86_64__
#ifndef __NR_cachestat
#define __NR_cachestat 451
#endif
#ifndef __NR_fchmodat2
#define __NR_fchmodat2 452
#endif
#endif

struct vu_syscall {
	const char *name;
	vu_call_handler_t serve;
	unsigned int flags; /* VU_RES_AT */
	bool by_number; /* CHECKSC */
	bool by_family; /* in the bitmap only while a family is claimed (filter.c's keys) */
};

#define S(nr, h) [__NR_##nr] = { #nr, h, 0 }
#define AT(nr, h) [__NR_##nr] = { #nr, h, VU_RES_AT }
#define SC(nr, h) [__NR_##nr] = { #nr, h, 0, true }
#define FAM(nr, h) [__NR_##nr] = { #nr, h, 0, false, true }

static const struct vu_syscall vu_syscalls[] = {
	/* fd calls */
	S(mmap, vu_sc_mmap),
	S(read, vu_sc_read), S(write, vu_sc_write), S(pread64, vu_sc_read),
	S(pwrite64, vu_sc_write), S(lseek, vu_sc_lseek), S(getdents64, vu_sc_getdents64),
	S(fstat, vu_sc_stat), S(fcntl, vu_sc_fcntl), S(ioctl, vu_sc_ioctl),
	S(fadvise64, vu_sc_fadvise), S(readv, vu_sc_readv), S(writev, vu_sc_writev), S(preadv, vu_sc_readv),
	S(pwritev, vu_sc_writev), S(preadv2, vu_sc_readv), S(pwritev2, vu_sc_writev), S(flock, vu_sc_flock), S(fsync, vu_sc_fsync),
	S(fdatasync, vu_sc_fsync), S(ftruncate, vu_sc_truncate), S(getdents, vu_sc_getdents64), S(fchdir, vu_sc_fchdir),
	S(fchmod, vu_sc_chmod), S(fchown, vu_sc_chown), S(fstatfs, vu_sc_statfs), S(readahead, NULL),
	S(fsetxattr, vu_sc_xattr_set), S(fgetxattr, vu_sc_xattr), S(flistxattr, vu_sc_xattr), S(fremovexattr, vu_sc_xattr_set),
	S(sendfile, vu_sc_xfer), S(sendto, vu_sc_send), S(recvfrom, vu_sc_recv), S(sendmsg, vu_sc_send),
	S(recvmsg, vu_sc_recv), S(sendmmsg, vu_sc_send), S(recvmmsg, vu_sc_recv), S(shutdown, vu_sc_shutdown),
	S(bind, vu_sc_bind), S(connect, vu_sc_bind), S(listen, vu_sc_listen), S(accept, vu_sc_accept),
	S(accept4, vu_sc_accept), S(getsockname, vu_sc_getname), S(getpeername, vu_sc_getname),
	S(setsockopt, vu_sc_setsockopt), S(getsockopt, vu_sc_getsockopt),
	/* no fd: a family a module claims (CHECKSOCKET), else native */
	FAM(socket, vu_sc_socket),
	S(sync_file_range, NULL), S(fallocate, vu_sc_fallocate), S(splice, vu_sc_xfer), S(tee, vu_sc_xfer),
	S(vmsplice, NULL), S(copy_file_range, vu_sc_xfer), S(syncfs, vu_sc_fsync),
	S(sync, vu_sc_sync),
	S(open_by_handle_at, NULL),
	/* path calls */
	S(open, vu_sc_open_proc), S(creat, vu_sc_open), S(stat, vu_sc_stat), S(lstat, vu_sc_stat),
	S(access, vu_sc_access), S(readlink, vu_sc_readlink), S(mkdir, vu_sc_mkdir),
	S(rmdir, vu_sc_unlink), S(unlink, vu_sc_unlink), S(rename, vu_sc_rename),
	S(execve, vu_sc_execve), S(truncate, vu_sc_truncate), S(chdir, vu_sc_chdir), S(getcwd, vu_sc_getcwd), S(link, vu_sc_link), S(symlink, vu_sc_symlink),
	S(chmod, vu_sc_chmod), S(chown, vu_sc_chown), S(lchown, vu_sc_chown), S(utime, vu_sc_utime), S(utimes, vu_sc_utime),
	S(mknod, vu_sc_mknod), S(statfs, vu_sc_statfs), S(chroot, vu_sc_chroot), S(setxattr, vu_sc_xattr_set),
	S(lsetxattr, vu_sc_xattr_set), S(getxattr, vu_sc_xattr), S(lgetxattr, vu_sc_xattr), S(listxattr, vu_sc_xattr),
	S(llistxattr, vu_sc_xattr), S(removexattr, vu_sc_xattr_set), S(lremovexattr, vu_sc_xattr_set),
	S(inotify_add_watch, NULL),
	AT(openat, vu_sc_open_proc), AT(newfstatat, vu_sc_stat), AT(statx, vu_sc_stat),
	AT(faccessat, vu_sc_access), AT(faccessat2, vu_sc_access),
	AT(readlinkat, vu_sc_readlink), AT(mkdirat, vu_sc_mkdir), AT(unlinkat, vu_sc_unlink),
	AT(renameat, vu_sc_rename), AT(renameat2, vu_sc_rename), AT(mknodat, vu_sc_mknod),
	AT(fchownat, vu_sc_chown), AT(futimesat, vu_sc_utime), AT(linkat, vu_sc_link), AT(symlinkat, vu_sc_symlink),
	AT(fchmodat, vu_sc_chmod), AT(utimensat, vu_sc_utime), AT(openat2, vu_sc_openat2), AT(execveat, vu_sc_execve),
	S(mount, vu_sc_mount), S(umount2, vu_sc_umount2), S(quotactl_fd, NULL),
	S(cachestat, NULL), AT(fchmodat2, vu_sc_chmod),
	AT(name_to_handle_at, NULL), AT(open_tree, NULL), AT(fspick, NULL),
	AT(mount_setattr, NULL), AT(move_mount, NULL),
	/* by number (CHECKSC) */
	SC(getuid, vu_sc_getid), SC(geteuid, vu_sc_getid), SC(getresuid, vu_sc_getid),
	SC(getgid, vu_sc_getid), SC(getegid, vu_sc_getid), SC(getresgid, vu_sc_getid),
	SC(setuid, vu_sc_setid), SC(setreuid, vu_sc_setid), SC(setresuid, vu_sc_setid),
	SC(setfsuid, vu_sc_setid), SC(setgid, vu_sc_setid), SC(setregid, vu_sc_setid),
	SC(setresgid, vu_sc_setid), SC(setfsgid, vu_sc_setid),
	SC(getgroups, vu_sc_groups), SC(setgroups, vu_sc_groups),
	SC(clock_gettime, vu_sc_gettime), SC(gettimeofday, vu_sc_gettime), SC(time, vu_sc_gettime),
	SC(clock_settime, vu_sc_settime), SC(settimeofday, vu_sc_settime),
	SC(clock_getres, vu_sc_clock_getres),
	SC(capget, vu_sc_cap), SC(capset, vu_sc_cap),
	SC(uname, vu_sc_uname), SC(sethostname, vu_sc_setname), SC(setdomainname, vu_sc_setname),
	SC(nanosleep, vu_sc_nanosleep), SC(clock_nanosleep, vu_sc_nanosleep),
	SC(poll, vu_sc_timeout), SC(ppoll, vu_sc_timeout), SC(select, vu_sc_timeout),
	SC(pselect6, vu_sc_timeout), SC(epoll_wait, vu_sc_timeout), SC(epoll_pwait, vu_sc_timeout),
	SC(alarm, vu_sc_timeout),
};

#define VU_NSYSCALLS ((long)(sizeof(vu_syscalls) / sizeof(vu_syscalls[0])))

void vu_syscalls_mount_bitmap(uint64_t *bitmap, unsigned int nbits)
{
	if (__NR_mount < nbits)
		bitmap[__NR_mount / 64] |= 1ULL << (__NR_mount % 64);
	if (__NR_umount2 < nbits)
		bitmap[__NR_umount2 / 64] |= 1ULL << (__NR_umount2 % 64);
	/* sync has no argument: the modules' mounts are synced too (sc/fd.c) */
	if (__NR_sync < nbits)
		bitmap[__NR_sync / 64] |= 1ULL << (__NR_sync % 64);
	/* chroot carries a path, but the daemon serves every chroot (sc/cwd.c) */
	if (__NR_chroot < nbits)
		bitmap[__NR_chroot / 64] |= 1ULL << (__NR_chroot % 64);
}

void vu_syscalls_bitmap(uint64_t *bitmap, unsigned int nbits)
{
	for (long nr = 0; nr < VU_NSYSCALLS && nr < (long)nbits; nr++)
		if (vu_syscalls[nr].name && !vu_syscalls[nr].by_number && !vu_syscalls[nr].by_family)
			bitmap[nr / 64] |= 1ULL << (nr % 64);
}

void vu_syscalls_sc_bitmap(uint64_t *bitmap, unsigned int nbits, int key)
{
	for (long nr = 0; nr < VU_NSYSCALLS && nr < (long)nbits; nr++)
		if (vu_syscalls[nr].by_number && (key < 0 || (int)vu_arch_method(nr) == key))
			bitmap[nr / 64] |= 1ULL << (nr % 64);
}

/* No handler: refuse it if it names anything virtual, else let it run. */
static void vu_syscall_unserved(struct vu_call *call, unsigned int flags)
{
	const struct vu_msg *msg = call->msg;

	for (int i = 0; i < 2; i++)
		if (msg->vfd[i]) {
			vu_syscall_refuse(call, "a virtual file");
			return;
		}
	vu_call_native(call);
	for (int i = 0; i < 2; i++) {
		struct vu_target t;
		int ret;

		if (!msg->path[i])
			continue;
		ret = vu_resolve(call, i, flags, &t);
		if (ret == 0 && t.ht) {
			char what[KMVIEW_PATH_MAX + 32];

			snprintf(what, sizeof(what), "virtual path %s", t.path);
			vu_target_put(&t);
			vu_syscall_refuse(call, what);
			return;
		}
		if (ret == 0 && t.rewritten) {
			/* relative to a virtual cwd: the kernel needs it absolute */
			if (call->reply.kind != VU_REPLY_NATIVE) {
				vu_call_return(call, -EXDEV); /* one path can be rewritten */
				return;
			}
			vu_target_native(call, i, &t);
		}
		vu_target_put(&t);
	}
}

bool vu_syscall_reader_may(long nr)
{
	vu_call_handler_t h;

	if (nr < 0)
		return false; /* the management calls load modules, mount... */
	if (nr >= VU_NSYSCALLS || !vu_syscalls[nr].name)
		return true; /* native */
	h = vu_syscalls[nr].serve;
	/*
	 * No handler: resolved, then refused or native. fcntl: the fd-table
	 * commands are native, F_SETFL changes the file only after the
	 * module's fcntl, which the reader may not call.
	 */
	return !h || h == vu_sc_stat || h == vu_sc_access || h == vu_sc_readlink ||
	       h == vu_sc_getdents64 || h == vu_sc_statfs || h == vu_sc_getcwd ||
	       h == vu_sc_fcntl;
}

void vu_syscall_serve(struct vu_call *call)
{
	long nr = call->msg->nr;
	const struct vu_syscall *sc;

	if (nr < 0 || nr >= VU_NSYSCALLS || !vu_syscalls[nr].name) {
		vu_call_native(call);
		return;
	}
	sc = &vu_syscalls[nr];
	if (sc->serve)
		sc->serve(call);
	else
		vu_syscall_unserved(call, sc->flags);
}

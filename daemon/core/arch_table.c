// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * arch_table.c - the system calls of x86-64, grouped by the method that
 * serves them. The groups are VUOS's (vu_syscalls.conf), so a module that
 * compares vu_arch_table[__NR_getuid] with a CHECKSC key sees what it
 * would in VUOS; kmview's own methods (fsync, uname, ...) follow.
 */
#include <sys/syscall.h>

#include "core/arch_table.h"

#if defined(__x86_64__) && !defined(__NR_fchmodat2)
#define __NR_fchmodat2 452 /* newer than the C library's headers */
#endif

#define M(nr, m) [__NR_##nr] = VU_M_##m

const uint16_t vu_arch_table[VU_ARCH_NR] = {
	M(open, open), M(creat, open), M(openat, open),
	M(close, close),
	M(read, read), M(readv, read),
	M(write, write), M(writev, write),
	M(pread64, pread64), M(preadv, pread64), M(preadv2, pread64),
	M(pwrite64, pwrite64), M(pwritev, pwrite64), M(pwritev2, pwrite64),
	M(getdents64, getdents64), M(getdents, getdents64),
	M(fcntl, fcntl),
	M(lseek, lseek),
	M(lstat, lstat), M(stat, lstat), M(newfstatat, lstat), M(fstat, lstat),
	M(access, access), M(faccessat, access), M(faccessat2, access),
	M(readlink, readlink), M(readlinkat, readlink),
	M(unlink, unlink), M(unlinkat, unlink),
	M(truncate, truncate), M(ftruncate, truncate),
	M(mkdir, mkdir), M(mkdirat, mkdir),
	M(rmdir, rmdir),
	M(mknod, mknod), M(mknodat, mknod),
	M(lchown, lchown), M(fchown, lchown), M(chown, lchown), M(fchownat, lchown),
	M(chmod, chmod), M(fchmod, chmod), M(fchmodat, chmod), M(fchmodat2, chmod),
	M(utimensat, utimensat), M(utime, utimensat), M(utimes, utimensat),
	M(futimesat, utimensat),
	M(link, link), M(linkat, link),
	M(symlink, symlink), M(symlinkat, symlink),
	M(rename, rename), M(renameat, rename), M(renameat2, rename),
	M(statfs, statfs), M(fstatfs, statfs),
	M(mount, mount),
	M(umount2, umount2),
	M(lgetxattr, lgetxattr), M(getxattr, lgetxattr), M(fgetxattr, lgetxattr),
	M(lsetxattr, lsetxattr), M(setxattr, lsetxattr), M(fsetxattr, lsetxattr),
	M(llistxattr, llistxattr), M(listxattr, llistxattr), M(flistxattr, llistxattr),
	M(lremovexattr, lremovexattr), M(removexattr, lremovexattr),
	M(fremovexattr, lremovexattr),
	M(ioctl, ioctl),
	M(epoll_ctl, epoll_ctl),
	M(setresuid, setresfuid), M(setuid, setresfuid), M(setreuid, setresfuid),
	M(setfsuid, setresfuid),
	M(setresgid, setresfgid), M(setgid, setresfgid), M(setregid, setresfgid),
	M(setfsgid, setresfgid),
	M(getresuid, getresfuid), M(getuid, getresfuid), M(geteuid, getresfuid),
	M(getresgid, getresfgid), M(getgid, getresfgid), M(getegid, getresfgid),
	M(setgroups, setgroups),
	M(getgroups, getgroups),
	M(socket, socket),
	M(bind, bind),
	M(connect, connect),
	M(listen, listen),
	M(accept4, accept4), M(accept, accept4),
	M(getsockname, getsockname),
	M(getpeername, getpeername),
	M(sendto, sendto), M(sendmsg, sendto), M(sendmmsg, sendto),
	M(recvfrom, recvfrom), M(recvmsg, recvfrom), M(recvmmsg, recvfrom),
	M(shutdown, shutdown),
	M(setsockopt, setsockopt),
	M(getsockopt, getsockopt),
	M(capget, capget),
	M(capset, capset),
	M(clock_gettime, clock_gettime), M(gettimeofday, clock_gettime), M(time, clock_gettime),
	M(clock_settime, clock_settime), M(settimeofday, clock_settime),
	M(clock_getres, clock_getres),
	M(statx, statx),
	/* kmview's */
	M(fsync, fsync), M(fdatasync, fdatasync), M(fallocate, fallocate), M(flock, flock),
	M(syncfs, syncfs), M(uname, uname), M(sethostname, sethostname),
	M(setdomainname, setdomainname),
	M(nanosleep, clock_nanosleep), M(clock_nanosleep, clock_nanosleep),
	M(poll, clock_timeout), M(ppoll, clock_timeout), M(select, clock_timeout),
	M(pselect6, clock_timeout), M(epoll_wait, clock_timeout), M(epoll_pwait, clock_timeout),
	M(alarm, clock_timeout),
};

enum vu_method vu_arch_method(long nr)
{
	return nr >= 0 && nr < VU_ARCH_NR ? (enum vu_method)vu_arch_table[nr] : VU_M_none;
}

void vu_arch_syscalls_of(enum vu_method m, uint64_t *bitmap, unsigned int nbits)
{
	if (m == VU_M_none)
		return;
	for (unsigned int nr = 0; nr < VU_ARCH_NR && nr < nbits; nr++)
		if (vu_arch_table[nr] == m)
			bitmap[nr / 64] |= 1ULL << (nr % 64);
}

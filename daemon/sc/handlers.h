/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/handlers.h - the system calls the daemon knows: who serves each when it
 * names a virtual path or a placeholder, and which are refused.
 */
#ifndef KMVIEW_DAEMON_SYSCALLS_H
#define KMVIEW_DAEMON_SYSCALLS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/call.h"

/* Serve system call msg->nr (>= 0) of @call: served, refused, or native. */
void vu_syscall_serve(struct vu_call *call);
/*
 * May the reader try to serve call @nr itself (serve.c)? Its handler
 * changes nothing before a module method says yes, and waits for nothing
 * but module methods: the stat, access, readlink, getdents, statfs,
 * getcwd and fcntl families, and the calls with no handler (resolved,
 * then native or refused). Never a management call (@nr < 0). The module
 * methods themselves are checked as they are called (modctx.h).
 */
bool vu_syscall_reader_may(long nr);
/* Set the bits of every call with a path or fd argument (the filter's set). */
void vu_syscalls_bitmap(uint64_t *bitmap, unsigned int nbits);
/*
 * Set the bits of the calls a module owns by number (CHECKSC) whose
 * method is @key, or of every such call if @key < 0 (a wildcard entry).
 */
void vu_syscalls_sc_bitmap(uint64_t *bitmap, unsigned int nbits, int key);
/* Set the bits of mount, umount2 and chroot (a module that mounts is loaded). */
void vu_syscalls_mount_bitmap(uint64_t *bitmap, unsigned int nbits);

/* Handlers, in sc/path.c, sc/fd.c, sc/iov.c, sc/attr.c, sc/link.c and sc/mount.c. */
void vu_sc_stat(struct vu_call *call);
void vu_sc_access(struct vu_call *call);
void vu_sc_readlink(struct vu_call *call);
void vu_sc_open(struct vu_call *call);
void vu_sc_mkdir(struct vu_call *call);
void vu_sc_unlink(struct vu_call *call);
void vu_sc_rename(struct vu_call *call);
void vu_sc_xattr(struct vu_call *call);
void vu_sc_xattr_set(struct vu_call *call);
void vu_sc_read(struct vu_call *call);
void vu_sc_write(struct vu_call *call);
void vu_sc_lseek(struct vu_call *call);
void vu_sc_getdents64(struct vu_call *call); /* and getdents */
void vu_sc_fcntl(struct vu_call *call);
void vu_sc_ioctl(struct vu_call *call);
void vu_sc_fadvise(struct vu_call *call);
void vu_sc_fsync(struct vu_call *call);
void vu_sc_sync(struct vu_call *call);
void vu_sc_fallocate(struct vu_call *call);
void vu_sc_flock(struct vu_call *call);
void vu_sc_readv(struct vu_call *call);
void vu_sc_writev(struct vu_call *call);
void vu_sc_chmod(struct vu_call *call);
void vu_sc_chown(struct vu_call *call);
void vu_sc_utime(struct vu_call *call);
void vu_sc_truncate(struct vu_call *call);
void vu_sc_statfs(struct vu_call *call);
void vu_sc_symlink(struct vu_call *call);
void vu_sc_link(struct vu_call *call);
void vu_sc_mknod(struct vu_call *call);
void vu_sc_mount(struct vu_call *call);
void vu_sc_umount2(struct vu_call *call);
void vu_sc_mmap(struct vu_call *call);
void vu_sc_execve(struct vu_call *call);
/* Copies not handed out for @ms are removed at the next copy (60 s; tests). */
void vu_exec_set_idle(unsigned int ms);
/* Remove every copy and their directory; the next exec makes a new one (tests). */
void vu_exec_forget(void);
void vu_sc_chdir(struct vu_call *call);
void vu_sc_fchdir(struct vu_call *call);
void vu_sc_getcwd(struct vu_call *call);
void vu_sc_chroot(struct vu_call *call);
/* sc/open2.c: open and openat (the mount table files first), openat2 */
void vu_sc_open_proc(struct vu_call *call);
void vu_sc_openat2(struct vu_call *call);
/* sc/xfer.c: sendfile, copy_file_range, splice, tee */
void vu_sc_xfer(struct vu_call *call);
/* sc/socket.c: socket, and the socket calls on virtual sockets */
void vu_sc_socket(struct vu_call *call);
void vu_sc_bind(struct vu_call *call); /* and connect */
void vu_sc_listen(struct vu_call *call);
void vu_sc_accept(struct vu_call *call); /* accept, accept4 */
void vu_sc_getname(struct vu_call *call); /* getsockname, getpeername */
void vu_sc_send(struct vu_call *call);    /* sendto, sendmsg, sendmmsg */
void vu_sc_recv(struct vu_call *call);    /* recvfrom, recvmsg, recvmmsg */
void vu_sc_shutdown(struct vu_call *call);
void vu_sc_setsockopt(struct vu_call *call);
void vu_sc_getsockopt(struct vu_call *call);

#endif /* KMVIEW_DAEMON_SYSCALLS_H */

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * sc/socket.h - what the socket calls (sc/socket.c) give the rest of the
 * daemon: read and write on a virtual socket (as VUOS, they are the
 * module's recvfrom and sendto), the msocket management call, and the
 * filter's socket bit.
 */
#ifndef KMVIEW_DAEMON_SC_SOCKET_H
#define KMVIEW_DAEMON_SC_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "core/call.h"
#include "core/vfd.h"

/* read(2) and write(2) on the virtual socket @f: the bytes moved or -errno. */
long vu_sock_read(struct vu_vfd *f, void *buf, size_t len);
long vu_sock_write(struct vu_vfd *f, const void *buf, size_t len);

/* The stat of the virtual socket @f: made up, as VUOS does (S_IFSOCK, inode: the sfd). 0. */
int vu_sock_stat(const struct vu_vfd *f, struct stat *st);

/* msocket(path, domain, type, protocol), VUOS's management call -5. */
void vu_msocket(struct vu_call *call);

#endif /* KMVIEW_DAEMON_SC_SOCKET_H */

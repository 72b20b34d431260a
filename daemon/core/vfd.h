/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * vfd.h - virtual open files: the daemon's side of each placeholder.
 *
 * When a module opens a file for a member, the member gets a placeholder
 * fd (KMVIEW_REPLY_VFD) bound to a handle; the kernel names that handle in
 * every later call on the fd, whatever fd number, process or dup it is
 * reached through, and sends RELEASE at its last close. The handle maps
 * here to the module (through the entry it was opened in, which it keeps
 * in use), the module's fd ("sfd") and fdprivate, and the path it was
 * opened at (for fstat and for paths relative to a virtual directory).
 */
#ifndef KMVIEW_DAEMON_VFD_H
#define KMVIEW_DAEMON_VFD_H

#include <pthread.h>
#include <stdbool.h>
#include <sys/types.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vuht.h"

struct vu_vfd {
	uint64_t handle;
	struct vuht_entry_t *ht; /* holds one use */
	const struct vu_service_t *service; /* ht's */
	int sfd;
	void *fdprivate;
	int flags;  /* the open flags */
	char *path; /* absolute path in the view */
	/* VU_USE_PRW (sc/prw.c): the offset and size the hypervisor keeps */
	pthread_mutex_t pos_lock;
	off_t pos, size;
	bool size_known;
	bool socket; /* made by a socket method (sc/socket.c): read and write are recvfrom, sendto */
	/* under the table's lock: */
	int refs;      /* the table's until RELEASE, one per request pinning it */
	bool released; /* RELEASE came: no longer open, closed at the last unpin */
	uint64_t close_seq; /* nonzero: its close is due or under way (vfd.c) */
	struct vu_vfd *next;
	struct vu_vfd *closing_next; /* among the closing files, while close_seq is set */
};

/* A new file, taking over the caller's use of @ht; NULL on ENOMEM. */
struct vu_vfd *vu_vfd_new(struct vuht_entry_t *ht, int sfd, void *fdprivate, int flags,
			  const char *path);
/*
 * The file of @handle, or NULL. Valid while a reference is held: the
 * request being served pins the handles it names (msg->vfd), so a handler
 * may use the files of its own request, even after a RELEASE of them.
 */
struct vu_vfd *vu_vfd_get(uint64_t handle);
/* A reference on the open file of @handle, or NULL (unknown or released). */
struct vu_vfd *vu_vfd_pin(uint64_t handle);
/* Drop a reference (NULL ignored); the last one closes the module's file. */
void vu_vfd_unpin(struct vu_vfd *f);
/*
 * The last placeholder of @handle is gone: drop the table's reference.
 * Unknown handles are ignored (0 returned); if no request holds the file,
 * the module's close runs now and its result is returned, else it runs at
 * the last vu_vfd_unpin and 0 is returned.
 */
int vu_vfd_release(uint64_t handle);
/*
 * The same in two steps, for the reader (serve.c): the file stops being
 * open now, and if no request holds it, it is returned for vu_vfd_close,
 * which runs the module's close (elsewhere) and returns its result.
 */
struct vu_vfd *vu_vfd_detach(uint64_t handle);
int vu_vfd_close(struct vu_vfd *f);
/* The horizon of a request read now: its closes due so far are below it (never 0). */
/* At the daemon's exit: release every file still open (the module's close). */
void vu_vfd_release_all(void);
uint64_t vu_vfd_horizon_now(void);
/* This thread serves a request read at horizon @seq (0: none). */
void vu_vfd_set_horizon(uint64_t seq);
uint64_t vu_vfd_get_horizon(void);
/*
 * Wait for the closes due below this thread's horizon (all, without one)
 * of files of @s, of files in entry @ht (NULL: any).
 */
void vu_vfd_wait_closing(const struct vu_service_t *s, const struct vuht_entry_t *ht);
/* Open files of @service (NULL: all). */
size_t vu_vfd_count(const struct vu_service_t *service);
/* Is a module's close of a released file due or running (a request may wait for it)? */
bool vu_vfd_closes_pending(void);
/* The path inside the module of @f. */
const char *vu_vfd_mpath(const struct vu_vfd *f);

/*
 * True if @sfd, the fd a module of @ht opened for @mpath (with
 * @fdprivate), is that very file and a regular file of the daemon: the
 * kernel's fstat of the fd (not the nesting layer's, whose fds stand for
 * files of another module) names what the module's lstat of the open file
 * names. Then the kernel may map it, or the member may have it.
 */
/*
 * May the files of @ht be handed to members, the real file for the
 * virtual one (passthrough, and mmap of the module's own fd)? The module
 * says its fd methods are the system calls (VU_MODULE_FDPASS, or
 * VUFLAG_FDPASS on the entry), and the mount is neither read-only nor
 * "nopassthrough".
 */
bool vu_ht_passes_files(const struct vuht_entry_t *ht);
/*
 * Is the mount @ht a redirect for the kernel (design.md, "The in-kernel
 * redirect")? Its module said so (vuht_redirect), it has no confirm
 * function, its files are handed out (the kernel would hand out the real
 * ones), @be takes redirects, and kmview -R did not turn them off.
 */
struct vu_backend;
bool vu_ht_redirects(const struct vu_backend *be, const struct vuht_entry_t *ht);
void vu_redirects_disable(void);
/*
 * May a placeholder of @ht be mapped as the module's own fd? The module
 * says so (VU_MODULE_FDPASS); "nopassthrough" keeps placeholders, not
 * mappings of the real file, which only that gives shared and writable.
 */
bool vu_ht_maps_files(const struct vuht_entry_t *ht);
bool vu_sfd_is_real_file(struct vuht_entry_t *ht, const char *mpath, int sfd, void *fdprivate);

/*
 * Copy the content of a module's open file (@ht, @sfd, @fdprivate) to the
 * daemon's file @dst, through its pread64 (else read from the start). 0 or
 * -errno.
 */
long vu_vfd_copy_content(struct vuht_entry_t *ht, int sfd, void *fdprivate, int dst);

#endif /* KMVIEW_DAEMON_VFD_H */

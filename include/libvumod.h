/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libvumod.h - helpers for modules that serve virtual files from memory
 * (libvumod: build/lib/libvumod.so and libvumod.a; link with -lvumod).
 *
 * Source compatible with VUOS's <libvumod.h>: the same names, constants
 * and signatures, so VUOS modules that use pseudofiles (vumisc, vubinfmt,
 * unrealinfofs ...) build unchanged against kmview.
 *
 * A pseudofile is a file whose contents a module makes when it is first
 * read (or written, or seeked) and uses when it is closed. The module's
 * open calls pseudofile_open() with an upcall and stores the pointer it
 * gets in *fdprivate; the module's close, read, write, lseek and
 * getdents64 are the pseudofile_* functions below, whose signatures match
 * the methods' (vu_syscall_handler(s, read) = pseudofile_read). The
 * contents live in a memory stream, a FILE * (libvolatilestream's).
 *
 * The library is the module's own code: it uses no hypervisor symbol, and
 * its functions are reentrant (each open file has its own stream).
 */
#ifndef VUMODLIB_H
#define VUMODLIB_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <dirent.h>
#include <sys/epoll.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/vfs.h>

/* The @tag of an upcall: why it is called. */
#define PSEUDOFILE_LOAD_CONTENTS 1 /* write the file's contents to f */
#define PSEUDOFILE_STORE_CLOSE 2   /* the file is closed: use what f holds */
#define PSEUDOFILE_LOAD_DIRENTS 3  /* fill the directory: pseudofile_filldir */

/*
 * pseudo_upcall - the module's function that makes and takes a
 * pseudofile's contents, registered by pseudofile_open().
 * @tag: PSEUDOFILE_LOAD_CONTENTS: at the first read, write or lseek,
 *       write the contents to @f (not asked when the file was opened
 *       O_WRONLY or with O_TRUNC: it starts empty);
 *       PSEUDOFILE_STORE_CLOSE: at close, @f positioned at its start and
 *       holding what the file holds now (NULL if the file was never read,
 *       written or seeked); free what @pseudoprivate owns;
 *       PSEUDOFILE_LOAD_DIRENTS: at the first getdents64, add the entries
 *       with pseudofile_filldir(@f, ...).
 * @openflags: the flags of open(2)
 * @pseudoprivate: what the module gave pseudofile_open()
 * The return value is ignored.
 */
typedef int (*pseudo_upcall)(int tag, FILE *f, int openflags, void *pseudoprivate);

/* The dirent d_type (DT_REG, DT_DIR ...) of st_mode @mode; DT_UNKNOWN if none. */
int pseudofile_mode2type(mode_t mode);

/*
 * A readlink method's answer: copies @path to @buf, at most @bufsiz bytes,
 * NUL-terminated only if it fits (as readlink(2)); returns the length
 * copied. @path NULL: -1 with errno EINVAL (not a symlink).
 */
ssize_t pseudofile_readlink_fill(char *path, char *buf, size_t bufsiz);

/*
 * Add a directory entry (@name, inode @ino, d_type @type) to @f, for a
 * PSEUDOFILE_LOAD_DIRENTS upcall. Entries are struct dirent64 records, as
 * getdents64(2) returns them (a @name longer than 255 bytes is cut).
 * Returns 1, or 0 if @f could not take it.
 */
int pseudofile_filldir(FILE *f, char *name, ino_t ino, char type);

/*
 * Start a pseudofile: @upcall and @pseudoprivate make and take its
 * contents, @flags are open(2)'s. Stores in *private the pointer every
 * other pseudofile_* call needs (the module's fdprivate). Returns 0, or
 * -1 with errno ENOMEM.
 */
int pseudofile_open(pseudo_upcall upcall, void *pseudoprivate, int flags, void **private);

/*
 * The methods, drop-in for the module's own (@fd is not used: the state
 * is @private, what pseudofile_open stored). They return like the system
 * calls: a value, or -1 with errno (EINVAL for a NULL @private, EBADF for
 * a read of a file opened O_WRONLY or a write of one opened O_RDONLY).
 * close: runs the PSEUDOFILE_STORE_CLOSE upcall and frees the file;
 *        returns 0.
 * read, write: at the file position, which they move; a write to a file
 *        opened O_APPEND goes to the end. read returns 0 at the end.
 * lseek: returns the new position, as lseek(2) (SEEK_SET, SEEK_CUR,
 *        SEEK_END; past the end is allowed, and a write there fills the
 *        gap with zeros).
 * getdents64: the entries the PSEUDOFILE_LOAD_DIRENTS upcall added, as
 *        many whole ones as fit in @count bytes; 0 at the end; EINVAL if
 *        @count is too small for the next one.
 */
int pseudofile_close(int fd, void *private);
int pseudofile_read(int fd, void *buf, size_t count, void *private);
int pseudofile_write(int fd, const void *buf, size_t count, void *private);
int pseudofile_lseek(int fd, off_t offset, int whence, void *private);
int pseudofile_getdents64(int fd, struct dirent64 *dirp, unsigned int count, void *private);

#endif /* VUMODLIB_H */

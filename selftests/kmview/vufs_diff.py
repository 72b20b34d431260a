#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""vufs_diff.py DIR: a differential workload (pjdfstest-style): each call
on the tree DIR (f: "hello", d/g, e/ empty) prints its result or errno
name, one line each, so that a run on a native directory and runs on vufs
mounts (bind, cow, merge) can be compared line by line."""
import ctypes
import errno
import os
import stat
import sys

D = sys.argv[1]
os.chdir(D)


def p(*a):
    return os.path.join(D, *a)


def run(name, fn):
    try:
        r = fn()
        print(f"{name}: ok{'' if r is None else ' ' + str(r)}")
    except OSError as e:
        print(f"{name}: {errno.errorcode.get(e.errno, e.errno)}")


def write(path, text, flags):
    fd = os.open(path, flags, 0o644)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def read(path):
    with open(path) as f:
        return repr(f.read())


def mode(path):
    return oct(stat.S_IMODE(os.lstat(path).st_mode))


def kind(path):
    m = os.lstat(path).st_mode
    return "dir" if stat.S_ISDIR(m) else "link" if stat.S_ISLNK(m) else \
        "fifo" if stat.S_ISFIFO(m) else "chr" if stat.S_ISCHR(m) else \
        "file" if stat.S_ISREG(m) else "other"


uid = os.getuid()
os.umask(0o022)
run("create excl", lambda: write(p("new"), "n", os.O_WRONLY | os.O_CREAT | os.O_EXCL))
run("create excl again", lambda: write(p("new"), "n", os.O_WRONLY | os.O_CREAT | os.O_EXCL))
run("new mode", lambda: mode(p("new")))
run("open missing", lambda: os.close(os.open(p("missing"), os.O_RDONLY)))
run("open under a file", lambda: os.close(os.open(p("f", "x"), os.O_RDONLY)))
run("open dir to write", lambda: os.close(os.open(p("d"), os.O_WRONLY)))
run("append", lambda: write(p("f"), " world", os.O_WRONLY | os.O_APPEND))
run("read", lambda: read(p("f")))
run("trunc open", lambda: write(p("new"), "xyz", os.O_WRONLY | os.O_TRUNC))
run("read new", lambda: read(p("new")))
run("truncate", lambda: os.truncate(p("f"), 5))
run("size", lambda: os.lstat(p("f")).st_size)
run("rename", lambda: os.rename(p("f"), p("f2")))
run("old name", lambda: os.lstat(p("f")) and None)
run("read renamed", lambda: read(p("f2")))
run("rename file on dir", lambda: os.rename(p("f2"), p("d")))
run("rename dir on file", lambda: os.rename(p("d"), p("f2")))
run("rename on nonempty dir", lambda: os.rename(p("e"), p("d")))
run("rename dir into itself", lambda: os.rename(p("d"), p("d", "sub")))
run("rename missing", lambda: os.rename(p("missing"), p("x")))
run("rename over a file", lambda: os.rename(p("new"), p("f2")))
run("read over", lambda: read(p("f2")))
run("rename dir", lambda: os.rename(p("d"), p("d2")))
run("renamed dir list", lambda: sorted(os.listdir(p("d2"))))
run("rename dir back", lambda: os.rename(p("d2"), p("d")))
run("link", lambda: os.link(p("f2"), p("l")))
run("nlink", lambda: os.lstat(p("f2")).st_nlink)
run("same inode", lambda: os.lstat(p("f2")).st_ino == os.lstat(p("l")).st_ino)
run("link again", lambda: os.link(p("f2"), p("l")))
run("link dir", lambda: os.link(p("d"), p("dl")))
run("unlink link", lambda: os.unlink(p("l")))
run("nlink after", lambda: os.lstat(p("f2")).st_nlink)
run("unlink dir", lambda: os.unlink(p("d")))
run("unlink missing", lambda: os.unlink(p("missing")))
run("chmod", lambda: os.chmod(p("f2"), 0o600))
run("mode", lambda: mode(p("f2")))
run("chmod missing", lambda: os.chmod(p("missing"), 0o600))
run("chown to self", lambda: os.chown(p("f2"), uid, -1))
run("chown to root", lambda: os.chown(p("f2"), 0, -1))
run("owner", lambda: os.lstat(p("f2")).st_uid == uid)
run("utime", lambda: os.utime(p("f2"), (1000, 2000)))
run("mtime", lambda: os.lstat(p("f2")).st_mtime)
run("mkdir existing", lambda: os.mkdir(p("e")))
run("mkdir", lambda: os.mkdir(p("n")))
run("mkdir mode", lambda: mode(p("n")))
run("mkdir deep", lambda: os.mkdir(p("n", "x", "y")))
run("rmdir nonempty", lambda: os.rmdir(p("d")))
run("rmdir", lambda: os.rmdir(p("e")))
run("rmdir gone", lambda: os.lstat(p("e")) and None)
run("rmdir file", lambda: os.rmdir(p("f2")))
run("rmdir missing", lambda: os.rmdir(p("missing")))
run("symlink", lambda: os.symlink("f2", p("s")))
run("readlink", lambda: os.readlink(p("s")))
run("symlink kind", lambda: kind(p("s")))
run("symlink again", lambda: os.symlink("f2", p("s")))
run("read through symlink", lambda: read(p("s")))
run("mkfifo", lambda: os.mkfifo(p("fifo")))
run("fifo kind", lambda: kind(p("fifo")))
run("mknod chr", lambda: os.mknod(p("chr"), stat.S_IFCHR | 0o600, os.makedev(1, 3)))
run("unlink in dir", lambda: os.unlink(p("d", "g")))
run("rmdir emptied", lambda: os.rmdir(p("d")))
run("recreate dir", lambda: os.mkdir(p("d")))
run("recreated is empty", lambda: os.listdir(p("d")))
run("utime now", lambda: os.utime(p("f2")))
run("utime missing", lambda: os.utime(p("missing"), (1, 2)))
run("truncate dir", lambda: os.truncate(p("d"), 0))
run("truncate missing", lambda: os.truncate(p("missing"), 0))
run("open directory flag on a file", lambda: os.close(os.open(p("f2"), os.O_RDONLY | os.O_DIRECTORY)))
run("creat on a dir", lambda: os.close(os.open(p("d"), os.O_WRONLY | os.O_CREAT, 0o644)))
run("mkdir under a file", lambda: os.mkdir(p("f2", "x")))
run("rmdir dot", lambda: os.rmdir(p("d", ".")))
run("chmod dir", lambda: os.chmod(p("d"), 0o700))
run("dir mode", lambda: mode(p("d")))
run("chmod through symlink", lambda: os.chmod(p("s"), 0o640))
run("target mode", lambda: mode(p("f2")))
run("link missing", lambda: os.link(p("missing"), p("l2")))
run("dangling symlink", lambda: os.symlink("nowhere", p("dangle")))
run("stat dangling", lambda: os.stat(p("dangle")) and None)
run("lstat dangling", lambda: kind(p("dangle")))


def ftrunc():
    fd = os.open(p("f2"), os.O_RDWR)
    try:
        os.ftruncate(fd, 2)
        os.fchmod(fd, 0o644)
        os.fchown(fd, uid, -1)
        return (os.fstat(fd).st_size, oct(stat.S_IMODE(os.fstat(fd).st_mode)))
    finally:
        os.close(fd)


run("ftruncate fchmod fchown", ftrunc)
libc_r = ctypes.CDLL(None, use_errno=True)


def renameat2(a, b, flags):
    if libc_r.renameat2(-100, a.encode(), -100, b.encode(), flags) != 0:
        e = ctypes.get_errno()
        raise OSError(e, os.strerror(e))


write(p("x1"), "one", os.O_WRONLY | os.O_CREAT)
run("rename noreplace", lambda: renameat2(p("x1"), p("f2"), 1))
run("rename exchange", lambda: renameat2(p("x1"), p("f2"), 2))
run("exchanged", lambda: (read(p("x1")), read(p("f2"))))
run("exchange back", lambda: renameat2(p("x1"), p("f2"), 2))
run("unlink x1", lambda: os.unlink(p("x1")))
for i in range(300):
    write(p("n", f"file{i:03d}"), "", os.O_WRONLY | os.O_CREAT)
run("many entries", lambda: len(os.listdir(p("n"))))
run("many sorted", lambda: sorted(os.listdir(p("n")))[::100])
run("list", lambda: sorted(os.listdir(D)))


class Dirent(ctypes.Structure):
    _fields_ = [("d_ino", ctypes.c_uint64), ("d_off", ctypes.c_int64),
                ("d_reclen", ctypes.c_ushort), ("d_type", ctypes.c_ubyte),
                ("d_name", ctypes.c_char * 256)]


def seekdir_check():
    """telldir after 150 entries, read on, seekdir back: the same rest."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.opendir.restype = ctypes.c_void_p
    libc.readdir64.restype = ctypes.POINTER(Dirent)
    libc.readdir64.argtypes = [ctypes.c_void_p]
    libc.telldir.restype = ctypes.c_long
    libc.telldir.argtypes = [ctypes.c_void_p]
    libc.seekdir.argtypes = [ctypes.c_void_p, ctypes.c_long]
    libc.closedir.argtypes = [ctypes.c_void_p]
    d = libc.opendir(p("n").encode())
    if not d:
        raise OSError(ctypes.get_errno(), "opendir")

    def names(k=None):
        out = []
        while k is None or len(out) < k:
            e = libc.readdir64(d)
            if not e:
                break
            out.append(e.contents.d_name.decode())
        return out
    first = names(150)
    pos = libc.telldir(d)
    rest = names()
    libc.seekdir(d, pos)
    again = names()
    libc.closedir(d)
    return (len(first) + len(rest), rest == again, len(set(first + rest)))


run("telldir/seekdir", seekdir_check)

# SPDX-License-Identifier: GPL-2.0-or-later
# os.sendfile, os.copy_file_range and os.splice as a user calls them, one
# "what: result" line each (calls.sh).
#   xfer.py same DIR REAL   in DIR (virtual or not) and REAL (real): the
#                            results must be those of a native run
#   xfer.py refused DIR     the calls a view refuses on virtual files
import errno
import os
import sys


def r(what, f):
    try:
        v = f()
    except OSError as e:
        v = errno.errorcode[e.errno]
    print(f"{what}: {v}")


def pos(fd):
    return os.lseek(fd, 0, os.SEEK_CUR)


def same(d, real):
    alpha = b"abcdefghijklmnopqrstuvwxyz\n"
    with open(d + "/alpha", "wb") as f:
        f.write(alpha)
    src = os.open(d + "/alpha", os.O_RDONLY)
    dst = os.open(d + "/out", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    r("sendfile", lambda: os.sendfile(dst, src, None, 5))
    r("  in position", lambda: pos(src))
    r("sendfile at offset 10", lambda: os.sendfile(dst, src, 10, 3))
    r("  in position unchanged", lambda: pos(src))
    r("  out position", lambda: pos(dst))
    r("copy_file_range", lambda: os.copy_file_range(src, dst, 4))
    r("  positions", lambda: (pos(src), pos(dst)))
    r("copy_file_range at offsets 20, 100", lambda: os.copy_file_range(src, dst, 2, 20, 100))
    r("  positions unchanged", lambda: (pos(src), pos(dst)))
    r("copy_file_range past the end", lambda: os.copy_file_range(src, dst, 10, 1000))
    r("copy_file_range count 0", lambda: os.copy_file_range(src, dst, 0))
    r("copy_file_range from a write-only fd", lambda: os.copy_file_range(dst, src, 1))
    r("sendfile to a read-only fd", lambda: os.sendfile(src, src, 0, 1))
    rw = os.open(d + "/rw", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    os.write(rw, alpha)
    r("copy_file_range within a file, overlapping", lambda: os.copy_file_range(rw, rw, 10, 0, 5))
    r("copy_file_range within a file, apart", lambda: os.copy_file_range(rw, rw, 5, 0, 30))
    rl = os.open(real + "/real", os.O_RDWR | os.O_CREAT | os.O_TRUNC, 0o644)
    r("sendfile to a real file", lambda: os.sendfile(rl, src, 0, 27))
    r("  real position", lambda: pos(rl))
    r("copy_file_range from a real file at offsets", lambda: os.copy_file_range(rl, dst, 27, 0, 200))
    os.lseek(rl, 3, os.SEEK_SET)
    r("copy_file_range from a real file", lambda: os.copy_file_range(rl, dst, 4))
    r("  real position", lambda: pos(rl))
    app = os.open(d + "/app", os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    r("copy_file_range to an O_APPEND fd", lambda: os.copy_file_range(src, app, 1))
    for fd in (src, dst, rw, rl, app):
        os.close(fd)


def refused(d):
    src = os.open(d + "/alpha", os.O_RDONLY)
    dst = os.open(d + "/out2", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    p_r, p_w = os.pipe()
    os.write(p_w, b"xy")
    r("sendfile to a pipe", lambda: os.sendfile(p_w, src, 0, 5))
    r("splice to a pipe", lambda: os.splice(src, p_w, 5))
    r("splice from a pipe", lambda: os.splice(p_r, dst, 2))
    r("splice between virtual files", lambda: os.splice(src, dst, 2))
    r("the pipe still holds", lambda: os.read(p_r, 10))


if sys.argv[1] == "same":
    same(sys.argv[2], sys.argv[3])
else:
    refused(sys.argv[2])

# SPDX-License-Identifier: GPL-2.0-or-later
# Run in a view with the sockecho test module loaded (sockets.sh): the
# socket calls on a family the module claims (AF_DECnet, 12: the kernel
# has none) get the module's answers; AF_INET stays the kernel's. Prints
# "PASS what" or "FAIL what (detail)" per check. Python's socket module
# handles no address of family 12 (neither to give nor to receive), so
# the calls that carry one go through ctypes' syscall().
import ctypes
import errno
import os
import socket
import struct
import sys

AF = 12
SOL = 0x1234
MSG_WAITFORONE = 0x10000  # not in python's socket module
NR = {"bind": 49, "connect": 42, "sendto": 44, "recvfrom": 45, "getsockname": 51,
      "getpeername": 52, "sendmmsg": 307, "recvmmsg": 299, "recvmsg": 47, "accept4": 288,
      "msocket": -5}
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
which = sys.argv[1] if len(sys.argv) > 1 else "all"


def check(cond, what, detail=""):
    print(("PASS " if cond else "FAIL ") + what + ("" if cond else " (%s)" % (detail,)))
    sys.stdout.flush()


def arg(a):
    if isinstance(a, int):
        return ctypes.c_long(a)
    if a is None:
        return ctypes.c_void_p(0)
    return a


def sysc(name, *args):
    ctypes.set_errno(0)
    r = libc.syscall(ctypes.c_long(NR[name]), *[arg(a) for a in args])
    return r if r >= 0 else -ctypes.get_errno()


def sa(data):
    return struct.pack("=H", AF) + data


def buf(data):
    return ctypes.create_string_buffer(data, len(data))


def name_call(call, fd, room=128):
    b = ctypes.create_string_buffer(room)
    n = ctypes.c_int(room)
    r = sysc(call, fd, b, ctypes.byref(n))
    return r, b.raw[:min(n.value, room)], n.value


def errno_of(fn):
    try:
        fn()
    except OSError as e:
        return e.errno
    return 0


def dgram():
    s = socket.socket(AF, socket.SOCK_DGRAM)
    fd = s.fileno()

    check(sysc("bind", fd, buf(sa(b"here")), 6) == 0, "bind")
    r, name, n = name_call("getsockname", fd)
    check(r == 0 and name == sa(b"here") and n == 6, "getsockname gives the bound address",
          (r, name, n))
    r, name, n = name_call("getsockname", fd, 4)
    check(r == 0 and name == sa(b"he") and n == 6,
          "getsockname into a short buffer: cut, the full length told", (r, name, n))
    check(sysc("bind", fd, buf(sa(b"x") + b"\0" * 200), 203) == -errno.EINVAL,
          "bind with an address longer than a sockaddr_storage: EINVAL")
    check(sysc("bind", fd, ctypes.c_void_p(16), 6) == -errno.EFAULT,
          "bind with a bad address pointer: EFAULT")
    check(sysc("getsockname", fd, buf(b"\0" * 16), ctypes.c_void_p(16)) == -errno.EFAULT,
          "getsockname with a bad length pointer: EFAULT")
    check(sysc("connect", fd, buf(sa(b"there")), 7) == 0, "connect")
    r = sysc("getpeername", fd, buf(b"\0" * 16), ctypes.byref(ctypes.c_int(16)))
    check(r == -errno.ENOSYS, "getpeername, which the module lacks: ENOSYS", r)

    check(s.send(b"hello") == 5 and s.recv(100) == b"hello", "send, recv: the module's echo")
    r = sysc("sendto", fd, buf(b"dgram"), 5, 0, buf(sa(b"dest1")), 7)
    check(r == 5, "sendto an address", r)
    data = ctypes.create_string_buffer(100)
    addr = ctypes.create_string_buffer(64)
    alen = ctypes.c_int(64)
    r = sysc("recvfrom", fd, data, 100, 0, addr, ctypes.byref(alen))
    check(r == 5 and data.raw[:5] == b"dgram" and addr.raw[:alen.value] == sa(b"dest1"),
          "recvfrom: the data, from the address it went to", (r, data.raw[:5], alen.value))
    check(sysc("sendto", fd, ctypes.c_void_p(16), 5, 0, None, 0) == -errno.EFAULT,
          "sendto of a bad buffer: EFAULT")
    s.send(b"peek")
    check(s.recv(10, socket.MSG_PEEK) == b"peek" and s.recv(10) == b"peek",
          "MSG_PEEK reaches the module: the data stays")
    s.send(b"f", socket.MSG_DONTWAIT)
    check(s.getsockopt(SOL, 2) == socket.MSG_DONTWAIT, "the send flags reach the module")
    s.recv(10)
    check(errno_of(lambda: s.recv(10, socket.MSG_DONTWAIT)) == errno.EAGAIN,
          "recv MSG_DONTWAIT with nothing queued: EAGAIN")

    n = s.sendmsg([b"ab", b"", b"cd"], [(socket.SOL_SOCKET, 99, b"xyz1")])
    check(n == 4, "sendmsg of three iovecs with ancillary data", n)
    n, bufs, ctl, flags, name = recvmsg(fd, [100], socket.CMSG_SPACE(4))
    want = struct.pack("=QiI", socket.CMSG_LEN(4), socket.SOL_SOCKET, 99) + b"xyz1"
    check(n == 4 and bufs[0][:4] == b"abcd" and ctl[:len(want)] == want and flags == 0,
          "recvmsg: the data gathered, the ancillary data echoed", (n, bufs, ctl, flags))
    check(name == sa(b"there"), "recvmsg: from the connected address", name)
    s.sendmsg([b"0123456789"])
    n, bufs, ctl, flags, name = recvmsg(fd, [3, 4, 10], 0)
    check(n == 10 and bufs[0] == b"012" and bufs[1] == b"3456" and bufs[2][:3] == b"789",
          "recvmsg into three buffers: scattered", (n, bufs))

    check(os.write(fd, b"rw") == 2 and os.read(fd, 10) == b"rw",
          "write and read on the socket are its sendto and recvfrom")
    check(os.writev(fd, [b"v1", b"v2"]) == 4 and os.read(fd, 10) == b"v1v2", "writev")
    check(errno_of(lambda: os.pread(fd, 10, 0)) == errno.ESPIPE, "pread on a socket: ESPIPE")
    import stat
    check(stat.S_ISSOCK(os.fstat(fd).st_mode), "fstat says a socket")

    s.setsockopt(SOL, 1, 42)
    check(s.getsockopt(SOL, 1) == 42, "setsockopt, getsockopt: the module's option")
    raw = s.getsockopt(SOL, 1, 4)
    check(raw == struct.pack("=i", 42), "getsockopt into a buffer", raw)
    check(s.getsockopt(socket.SOL_SOCKET, socket.SO_TYPE) == socket.SOCK_DGRAM, "SO_TYPE")
    check(errno_of(lambda: s.getsockopt(SOL, 77)) == errno.ENOPROTOOPT,
          "an unknown option: the module's ENOPROTOOPT")
    check(errno_of(lambda: s.setsockopt(SOL, 1, b"x" * 70000)) == errno.EINVAL,
          "setsockopt of more than 64 KiB: EINVAL")
    check(errno_of(lambda: s.listen(1)) == errno.EOPNOTSUPP, "listen on a datagram socket: "
          "the module's EOPNOTSUPP")

    check(mmsg(fd), "sendmmsg and recvmmsg, message by message")

    s.shutdown(socket.SHUT_WR)
    check(errno_of(lambda: s.send(b"late")) == errno.EPIPE, "send after shutdown: EPIPE")
    s.close()


class iovec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


class msghdr(ctypes.Structure):
    _fields_ = [("name", ctypes.c_void_p), ("namelen", ctypes.c_uint), ("iov", ctypes.c_void_p),
                ("iovlen", ctypes.c_size_t), ("control", ctypes.c_void_p),
                ("controllen", ctypes.c_size_t), ("flags", ctypes.c_int)]


class mmsghdr(ctypes.Structure):
    _fields_ = [("hdr", msghdr), ("len", ctypes.c_uint)]


def recvmsg(fd, sizes, ctlsize, flags=0):
    """recvmsg(2): the count, the buffers, the control data, msg_flags and the address."""
    bufs = [ctypes.create_string_buffer(n) for n in sizes]
    iov = (iovec * len(sizes))(*[iovec(ctypes.cast(b, ctypes.c_void_p), n)
                                 for b, n in zip(bufs, sizes)])
    name = ctypes.create_string_buffer(64)
    ctl = ctypes.create_string_buffer(max(ctlsize, 1))
    h = msghdr(ctypes.cast(name, ctypes.c_void_p), 64, ctypes.cast(iov, ctypes.c_void_p),
               len(sizes), ctypes.cast(ctl, ctypes.c_void_p) if ctlsize else None, ctlsize, 77)
    n = sysc("recvmsg", fd, ctypes.byref(h), flags)
    return (n, [b.raw for b in bufs], ctl.raw[:h.controllen], h.flags,
            name.raw[:min(h.namelen, 64)])


def mmsg(fd):
    out = [buf(b"one"), buf(b"four")]
    iov = (iovec * 2)(*[iovec(ctypes.cast(b, ctypes.c_void_p), len(b)) for b in out])
    vec = (mmsghdr * 2)()
    for i in range(2):
        vec[i].hdr.iov = ctypes.addressof(iov) + i * ctypes.sizeof(iovec)
        vec[i].hdr.iovlen = 1
    r = sysc("sendmmsg", fd, vec, 2, 0)
    if r != 2 or vec[0].len != 3 or vec[1].len != 4:
        print("# sendmmsg", r, vec[0].len, vec[1].len)
        return False
    back = [ctypes.create_string_buffer(8), ctypes.create_string_buffer(8)]
    riov = (iovec * 2)(*[iovec(ctypes.cast(b, ctypes.c_void_p), 8) for b in back])
    rvec = (mmsghdr * 3)()
    for i in range(3):
        rvec[i].hdr.iov = ctypes.addressof(riov) + min(i, 1) * ctypes.sizeof(iovec)
        rvec[i].hdr.iovlen = 1
    r = sysc("recvmmsg", fd, rvec, 3, MSG_WAITFORONE, None)
    ok = (r == 2 and rvec[0].len == 3 and rvec[1].len == 4 and back[0].raw[:3] == b"one" and
          back[1].raw[:4] == b"four")
    if not ok:
        print("# recvmmsg", r, rvec[0].len, rvec[1].len, back[0].raw, back[1].raw)
    return ok


def stream():
    s = socket.socket(AF, socket.SOCK_STREAM)
    s.listen(1)
    addr = ctypes.create_string_buffer(64)
    alen = ctypes.c_int(64)
    cfd = sysc("accept4", s.fileno(), addr, ctypes.byref(alen), socket.SOCK_CLOEXEC)
    check(cfd >= 0 and addr.raw[:alen.value] == sa(b"client"),
          "accept: a new socket, the peer's address from the module", (cfd, addr.raw[:10]))
    if cfd < 0:
        return
    c = socket.socket(AF, socket.SOCK_STREAM, 0, fileno=cfd)
    check(not os.get_inheritable(c.fileno()), "accept4's SOCK_CLOEXEC is honoured")
    r = sysc("accept4", s.fileno(), None, None, 0)
    check(r >= 0 and os.get_inheritable(r), "accept without an address or flags", r)
    if r >= 0:
        os.close(r)
    c.send(b"conn")
    check(c.recv(10) == b"conn", "the accepted socket is the module's too")
    c.close()
    s.close()
    n = socket.socket(AF, socket.SOCK_DGRAM | socket.SOCK_NONBLOCK)
    check(not n.getblocking() and not os.get_blocking(n.fileno()),
          "SOCK_NONBLOCK is the placeholder's O_NONBLOCK")
    check(not os.get_inheritable(n.fileno()), "SOCK_CLOEXEC is the placeholder's")
    n.close()


def tcp():
    try:
        srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        srv.bind(("127.0.0.1", 0))
        srv.listen(1)
        c = socket.create_connection(srv.getsockname(), timeout=10)
        a, _ = srv.accept()
        c.sendall(b"tcp")
        got = a.recv(3)
        for x in (a, c, srv):
            x.close()
        return got
    except OSError as e:
        return errno.errorcode.get(e.errno, str(e.errno))


def native():
    got = tcp()
    check(got == b"tcp", "AF_INET stays the kernel's: a TCP connection on 127.0.0.1", got)


def msocket_null():
    fd = sysc("msocket", None, AF, socket.SOCK_DGRAM, 0)
    check(fd >= 0, "msocket(NULL, AF_DECnet): a socket", fd)
    if fd >= 0:
        s = socket.socket(AF, socket.SOCK_DGRAM, 0, fileno=fd)
        sysc("connect", fd, buf(sa(b"p")), 3)
        s.send(b"m")
        check(s.recv(5) == b"m" and s.getsockopt(SOL, 3) == 0,
              "it is the module's, made through the family's entry")
        s.close()
    fd = sysc("msocket", None, socket.AF_INET, socket.SOCK_DGRAM, 0)
    check(fd >= 0, "msocket(NULL, AF_INET): a socket", fd)
    if fd >= 0:
        s = socket.socket(fileno=fd)
        s.bind(("127.0.0.1", 0))
        check(s.family == socket.AF_INET and s.getsockname()[0] == "127.0.0.1",
              "a real one: no module claims AF_INET")
        s.close()


def msocket_stack(path):
    stack = buf(path.encode() + b"\0")
    r = sysc("msocket", stack, AF, 0, 0)
    check(r == 0, "msocket(stack, AF_DECnet, SOCK_DEFAULT): 0, no socket", r)
    fd = sysc("msocket", stack, AF, socket.SOCK_DGRAM, 0)
    check(fd >= 0, "msocket(stack, AF_DECnet, SOCK_DGRAM): a socket", fd)
    if fd >= 0:
        s = socket.socket(AF, socket.SOCK_DGRAM, 0, fileno=fd)
        check(s.getsockopt(SOL, 3) == 1 and s.getsockopt(SOL, 4) == 1,
              "made through the stack's entry, and the SOCK_DEFAULT reached it")
        s.close()
    r = sysc("msocket", buf(b"/nonexistent/stack\0"), AF, socket.SOCK_DGRAM, 0)
    check(r == -errno.ENOENT, "msocket of a missing path: ENOENT", r)
    r = sysc("msocket", buf(b"/tmp\0"), AF, socket.SOCK_DGRAM, 0)
    check(r == -errno.ENOTSUP, "msocket of a real path: ENOTSUP", r)
    r = sysc("msocket", ctypes.c_void_p(16), AF, socket.SOCK_DGRAM, 0)
    check(r == -errno.EFAULT, "msocket of a bad path pointer: EFAULT", r)


if which == "native-only":
    check(errno_of(lambda: socket.socket(AF, socket.SOCK_DGRAM)) == errno.EAFNOSUPPORT,
          "without the module, the kernel has no AF_DECnet")
    got = tcp()
    check(got == b"tcp", "a TCP connection on 127.0.0.1 outside the view", got)
elif which == "stack":
    msocket_stack(sys.argv[2])
else:
    dgram()
    stream()
    native()
    msocket_null()

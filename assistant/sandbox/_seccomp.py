"""The seccomp filter: syscalls generated code has no business making.

Private module. The filter is compiled to BPF once in the fork server
(``build``, with pyseccomp) and each child hands the ready program to the
kernel (``load``), so a fork pays for one syscall, not for a compilation.
Denied calls fail with an errno rather than killing the process, so the
model sees an ordinary ``PermissionError`` it can act on.
"""

from __future__ import annotations

import ctypes
import errno
import os
import socket
from typing import Any

from assistant.sandbox import _libc

_INSTRUCTION_SIZE = 8  # struct sock_filter
_SECCOMP_MODE_FILTER = 2

DENIED = (
    # no new programs, no debugging or reading other processes
    "execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
    # no changing the filesystem or namespace view
    "mount", "umount2", "pivot_root", "chroot", "move_mount", "open_tree", "fsopen", "fsmount",
    "fsconfig", "fspick", "mount_setattr", "unshare", "setns",
    # no leaving the process group the parent kills on timeout
    "setsid", "setpgid",
    # kernel attack surface with no use in a scientific snippet
    "bpf", "io_uring_setup", "io_uring_enter", "io_uring_register", "userfaultfd", "perf_event_open",
    "keyctl", "add_key", "request_key", "open_by_handle_at", "name_to_handle_at", "fanotify_init",
    # machine administration
    "kexec_load", "kexec_file_load", "init_module", "finit_module", "delete_module", "reboot",
    "swapon", "swapoff", "acct", "quotactl", "syslog", "iopl", "ioperm", "settimeofday",
    "clock_settime", "clock_adjtime", "adjtimex", "sethostname", "setdomainname",
)  # fmt: skip

_NAMESPACE_FLAGS = (
    _libc.CLONE_NEWNS, _libc.CLONE_NEWUTS, _libc.CLONE_NEWIPC, _libc.CLONE_NEWUSER,
    _libc.CLONE_NEWPID, _libc.CLONE_NEWNET, 0x02000000, 0x00000080,  # CLONE_NEWCGROUP, CLONE_NEWTIME
)  # fmt: skip


def build() -> bytes:
    """Compile the filter to raw BPF; raises ``ImportError``/``OSError`` when pyseccomp or libseccomp is missing."""
    import pyseccomp as sc

    filt = sc.SyscallFilter(sc.ALLOW)
    for name in DENIED:
        try:
            filt.add_rule(sc.ERRNO(errno.EPERM), name)
        except (OSError, ValueError, RuntimeError):
            pass  # a syscall this architecture does not have
    filt.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.NE, socket.AF_UNIX))
    # A world-writable UNIX socket on the host (X11, D-Bus, syslog) is reachable by path, and
    # Landlock does not cover connecting to one: refuse connect() and unconnected datagram sockets.
    # socketpair() (what multiprocessing uses) still works.
    filt.add_rule(sc.ERRNO(errno.EACCES), "connect")
    dgram = sc.Arg(1, sc.MASKED_EQ, 0xF, socket.SOCK_DGRAM)
    filt.add_rule(sc.ERRNO(errno.EACCES), "socket", sc.Arg(0, sc.EQ, socket.AF_UNIX), dgram)
    for flag in _NAMESPACE_FLAGS:
        filt.add_rule(sc.ERRNO(errno.EPERM), "clone", sc.Arg(0, sc.MASKED_EQ, flag, flag))
    # clone3 passes its flags in memory seccomp cannot read: make libc fall back to clone.
    filt.add_rule(sc.ERRNO(errno.ENOSYS), "clone3")
    return _export(filt)


def _export(filt: Any) -> bytes:
    """The filter as BPF instructions, so each child only hands them to the kernel."""
    fd = os.memfd_create("seccomp-bpf")
    try:
        with os.fdopen(os.dup(fd), "wb") as out:
            filt.export_bpf(out)
        return os.pread(fd, 1 << 20, 0)
    finally:
        os.close(fd)


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load(program: bytes) -> str:
    """Install a program from ``build`` on this process for good; returns a summary."""
    if not program or len(program) % _INSTRUCTION_SIZE:
        raise ValueError(f"not a BPF program ({len(program)} bytes)")
    buffer = ctypes.create_string_buffer(program, len(program))
    prog = _SockFprog(len(program) // _INSTRUCTION_SIZE, ctypes.addressof(buffer))
    _libc.prctl(_libc.PR_SET_NO_NEW_PRIVS, 1)
    _libc.prctl(_libc.PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.addressof(prog))
    return (
        f"{len(DENIED)} syscalls denied (exec, ptrace, mount, unshare/setns, setsid, io_uring, bpf, ...); "
        "sockets other than AF_UNIX stream pairs, connect() and namespace clones refused"
    )

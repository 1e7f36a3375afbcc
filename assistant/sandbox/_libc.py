"""The few libc calls Python 3.11 does not wrap: unshare, setns, mount, prctl, syscall.

Private module. Loaded once in the fork server, used in children after fork.
"""

from __future__ import annotations

import ctypes
import os
import platform

_libc = ctypes.CDLL(None, use_errno=True)
_libc.syscall.restype = ctypes.c_long
_libc.mount.argtypes = (ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_char_p)
_libc.prctl.argtypes = (ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong)

CLONE_NEWNS = 0x00020000
CLONE_NEWUTS = 0x04000000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000

MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_NOEXEC = 8
MS_REMOUNT = 32
MS_BIND = 4096
MS_MOVE = 8192
MS_REC = 16384
MS_PRIVATE = 1 << 18

PR_SET_PDEATHSIG = 1
PR_SET_NAME = 15
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
PR_SET_CHILD_SUBREAPER = 36

# Syscalls numbered 424 and up are the same on every architecture.
SYS_LANDLOCK_CREATE_RULESET = 444
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446
_SYS_CAPSET = {"x86_64": 126, "aarch64": 91}.get(platform.machine())


def _check(result: int, what: str) -> int:
    """Turn a -1 libc return into an ``OSError`` naming the call."""
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")
    return result


def unshare(flags: int) -> None:
    """``unshare(2)``: move this process into new namespaces."""
    _check(_libc.unshare(flags), f"unshare({flags:#x})")


def setns(fd: int, nstype: int) -> None:
    """``setns(2)``: join the namespace ``fd`` refers to."""
    _check(_libc.setns(fd, nstype), f"setns({nstype:#x})")


def mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    """``mount(2)`` with str arguments."""

    def enc(s: str | None) -> bytes | None:
        return None if s is None else os.fsencode(s)

    _check(_libc.mount(enc(source), enc(target), enc(fstype), flags, enc(data)), f"mount {target}")


def prctl(option: int, arg2: int = 0, arg3: int = 0) -> int:
    """``prctl(2)`` with up to two arguments (ints or addresses)."""
    return _check(_libc.prctl(option, arg2, arg3, 0, 0), f"prctl({option})")


def syscall(number: int, *args: int, what: str = "syscall") -> int:
    """A raw syscall with integer (or address) arguments; ``what`` names it in the error."""
    return _check(_libc.syscall(ctypes.c_long(number), *(ctypes.c_long(a) for a in args)), what)


def drop_capabilities() -> None:
    """Empty the bounding, permitted, effective and inheritable capability sets.

    Used when a root child cannot switch to an unprivileged uid: uid 0 with
    no capabilities can no longer mount, load modules, bypass file modes or
    signal other users' processes.
    """
    last = int(open("/proc/sys/kernel/cap_last_cap").read())
    for cap in range(last + 1):
        prctl(PR_CAPBSET_DROP, cap)
    if _SYS_CAPSET is None:
        raise OSError(0, f"capset number unknown on {platform.machine()}")
    header = (ctypes.c_uint32 * 2)(0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
    data = (ctypes.c_uint32 * 6)()  # two empty {effective, permitted, inheritable} sets
    syscall(_SYS_CAPSET, ctypes.addressof(header), ctypes.addressof(data), what="capset")

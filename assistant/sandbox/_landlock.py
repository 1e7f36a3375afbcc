"""Landlock: the child may read the Python runtime and write only its scratch.

Private module. Talks to the kernel directly (``syscall(444..446)``) so it
needs no extra package. Rights this kernel's ABI does not know are left out,
so the same code restricts as much as each kernel can. From ABI 4 TCP bind
and connect are denied outright; from ABI 6 the child can neither signal
processes outside its domain nor reach abstract UNIX sockets.
"""

from __future__ import annotations

import ctypes
import os
import stat
from collections.abc import Iterable

from assistant.sandbox import _libc

_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

EXECUTE, WRITE_FILE, READ_FILE, READ_DIR = 1 << 0, 1 << 1, 1 << 2, 1 << 3
MAKE_CHAR, MAKE_BLOCK = 1 << 6, 1 << 11
_ABI1_FS = (1 << 13) - 1
_REFER, _TRUNCATE, _IOCTL_DEV = 1 << 13, 1 << 14, 1 << 15
_FILE_ONLY = EXECUTE | WRITE_FILE | READ_FILE | _TRUNCATE | _IOCTL_DEV
_NET_TCP = (1 << 0) | (1 << 1)  # BIND_TCP | CONNECT_TCP
_SCOPES = (1 << 0) | (1 << 1)  # ABSTRACT_UNIX_SOCKET | SIGNAL

READ = READ_FILE | READ_DIR


class _RulesetAttr(ctypes.Structure):
    _fields_ = [("fs", ctypes.c_uint64), ("net", ctypes.c_uint64), ("scoped", ctypes.c_uint64)]


class _PathBeneath(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def abi_version() -> int:
    """The kernel's Landlock ABI; raises ``OSError`` when Landlock is off."""
    return _libc.syscall(
        _libc.SYS_LANDLOCK_CREATE_RULESET, 0, 0, _CREATE_RULESET_VERSION, what="landlock_create_ruleset"
    )


def handled_fs(abi: int) -> int:
    """Every filesystem right this ABI can restrict."""
    mask = _ABI1_FS
    mask |= _REFER if abi >= 2 else 0
    mask |= _TRUNCATE if abi >= 3 else 0
    mask |= _IOCTL_DEV if abi >= 5 else 0
    return mask


def restrict(read: Iterable[str], write: Iterable[str], read_write_files: Iterable[str]) -> str:
    """Restrict this process (and its future children) for good; returns a summary.

    ``read`` paths get read access beneath them, ``write`` paths everything
    but execute and device nodes, ``read_write_files`` (``/dev/null``) read and
    write. Paths that do not exist are skipped. Everything else is denied.
    """
    abi = abi_version()
    fs = handled_fs(abi)
    attr = _RulesetAttr(fs, _NET_TCP if abi >= 4 else 0, _SCOPES if abi >= 6 else 0)
    size = 8 if abi < 4 else 16 if abi < 6 else 24
    fd = _libc.syscall(
        _libc.SYS_LANDLOCK_CREATE_RULESET, ctypes.addressof(attr), size, 0, what="landlock_create_ruleset"
    )
    try:
        rw = fs & ~(EXECUTE | MAKE_CHAR | MAKE_BLOCK)
        granted = [_allow(fd, p, READ & fs) for p in read]
        granted += [_allow(fd, p, rw) for p in write]
        granted += [_allow(fd, p, (READ_FILE | WRITE_FILE | _TRUNCATE) & fs) for p in read_write_files]
        _libc.prctl(_libc.PR_SET_NO_NEW_PRIVS, 1)
        _libc.syscall(_libc.SYS_LANDLOCK_RESTRICT_SELF, fd, 0, what="landlock_restrict_self")
    finally:
        os.close(fd)
    extras = (", TCP bind/connect denied" if abi >= 4 else "") + (", signals and abstract sockets scoped" if abi >= 6 else "")
    return f"ABI {abi}: {sum(granted)} paths granted, read-write only in scratch{extras}"


def _allow(ruleset_fd: int, path: str, access: int) -> bool:
    """Add one path-beneath rule; False when the path does not exist."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        if not stat.S_ISDIR(os.fstat(fd).st_mode):
            access &= _FILE_ONLY
        rule = _PathBeneath(access, fd)
        _libc.syscall(
            _libc.SYS_LANDLOCK_ADD_RULE, ruleset_fd, _RULE_PATH_BENEATH, ctypes.addressof(rule), 0,
            what=f"landlock_add_rule {path}",
        )
    finally:
        os.close(fd)
    return True

"""Namespaces for a child: its own network, IPC, UTS and mount view.

Private module, called in the child right after fork. A new network namespace
has only a downed loopback, so no connection or DNS lookup can leave. In the
new mount namespace the scratch directory becomes a size-capped tmpfs (a disk
quota that needs no filesystem support) and, if planned, a runtime view hides
directories the unprivileged uid may not enter (see ``_runtime.py``).
Without root, a user namespace (identity-mapped) makes the others possible.
"""

from __future__ import annotations

import os
import socket

from assistant.sandbox import _libc
from assistant.sandbox._runtime import RuntimeView

SHM = "/dev/shm"

_FLAGS = {
    "network namespace": _libc.CLONE_NEWNET,
    "ipc namespace": _libc.CLONE_NEWIPC,
    "uts namespace": _libc.CLONE_NEWUTS,
    "mount namespace": _libc.CLONE_NEWNS,
}


def unshare_all() -> dict[str, str | None]:
    """Enter new namespaces; maps each name to ``None`` (entered) or why not.

    Tries all at once (one syscall), then, as root, one by one to say which failed.
    """
    user = 0 if os.geteuid() == 0 else _libc.CLONE_NEWUSER
    uid, gid = os.getuid(), os.getgid()
    try:
        _libc.unshare(user | sum(_FLAGS.values()))
    except OSError as exc:
        if user:
            return dict.fromkeys(_FLAGS, f"not root and no user namespace ({exc.strerror})")
        return {name: _one(flag) for name, flag in _FLAGS.items()}
    if user:
        _map_identity(uid, gid)
    return dict.fromkeys(_FLAGS)


def _one(flag: int) -> str | None:
    try:
        _libc.unshare(flag)
    except OSError as exc:
        return exc.strerror
    return None


def _map_identity(uid: int, gid: int) -> None:
    """In a fresh user namespace, keep our uid/gid (files stay owned as before)."""
    for file, text in (("setgroups", "deny"), ("uid_map", f"{uid} {uid} 1"), ("gid_map", f"{gid} {gid} 1")):
        with open(f"/proc/self/{file}", "w") as fh:
            fh.write(text)


def make_private() -> None:
    """Stop mount events from propagating back to the host."""
    _libc.mount(None, "/", None, _libc.MS_REC | _libc.MS_PRIVATE)


def mount_scratch(path: str, size_mb: int, uid: int, gid: int) -> None:
    """A size-capped, no-exec tmpfs on the scratch directory, owned by the child's uid."""
    flags = _libc.MS_NOSUID | _libc.MS_NODEV | _libc.MS_NOEXEC
    _libc.mount("tmpfs", path, "tmpfs", flags, f"size={size_mb}m,mode=0700,uid={uid},gid={gid}")


def mount_private_shm(size_mb: int, uid: int, gid: int) -> bool:
    """A private ``/dev/shm`` (POSIX semaphores for ``multiprocessing``); False if there is none to cover."""
    if not os.path.isdir(SHM):
        return False
    mount_scratch(SHM, size_mb, uid, gid)
    return True


def set_hostname(name: str) -> None:
    """In the new UTS namespace the host's name is none of the child's business."""
    socket.sethostname(name)


def apply_view(view: RuntimeView, staging: str) -> None:
    """Cover each blocked directory with a tmpfs and bind its runtime roots back, read-only.

    ``staging`` (inside the scratch tmpfs) holds the binds while the
    directory above them is being covered.
    """
    old_umask = os.umask(0o022)
    for index, (blocked, roots) in enumerate(view.hidden):
        stages = []
        for n, root in enumerate(roots):
            stage = os.path.join(staging, f".runtime-{index}-{n}")
            os.mkdir(stage)
            _libc.mount(root, stage, None, _libc.MS_BIND | _libc.MS_REC)
            stages.append(stage)
        _libc.mount("tmpfs", blocked, "tmpfs", _libc.MS_NOSUID | _libc.MS_NODEV, "size=1m,mode=0755")
        for root, stage in zip(roots, stages):
            os.makedirs(root, mode=0o755, exist_ok=True)
            _libc.mount(stage, root, None, _libc.MS_MOVE)
            _libc.mount(None, root, None, _libc.MS_REMOUNT | _libc.MS_BIND | _libc.MS_RDONLY)
            os.rmdir(stage)
        _libc.mount(None, blocked, None, _libc.MS_REMOUNT | _libc.MS_RDONLY | _libc.MS_NOSUID | _libc.MS_NODEV)
    os.umask(old_umask)

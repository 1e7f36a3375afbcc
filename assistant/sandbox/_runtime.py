"""Which files a child must read, and whether the unprivileged uid can reach them.

Private module, evaluated once in the fork server. A Python under a mode-700
home (``/root/.pyenv``) is unreadable to ``nobody``: dropping to it would
break every lazy import. Where the child gets a mount namespace, the fix is a
*runtime view*: a tmpfs over the blocked directory (``/root``) with only the
runtime bind-mounted back, read-only, at its usual path. That also hides the
rest of that directory (``~/.ssh``). Without a mount namespace the uid drop is
skipped with a warning (``plan(...).problem``).
"""

from __future__ import annotations

import os
import site
import stat
import sys
from dataclasses import dataclass

# System files a scientific snippet reads: shared libraries, timezone data,
# the dynamic loader cache, CPU topology (thread pools), entropy devices.
SYSTEM_READ = (
    "/usr", "/lib", "/lib64", "/lib32", "/libx32", "/etc/ld.so.cache", "/etc/localtime",
    "/etc/passwd", "/etc/group", "/sys/devices/system/cpu", "/dev/urandom", "/dev/random", "/dev/zero",
)  # fmt: skip
READ_WRITE_FILES = ("/dev/null",)


@dataclass(frozen=True)
class RuntimeView:
    """What a child reads, and the mount work that makes it readable to ``uid``.

    ``hidden`` pairs a directory ``uid`` cannot traverse with the runtime roots
    beneath it that must be bind-mounted back over a tmpfs. ``problem`` is set
    when even that cannot help (a root that is itself unreadable).
    """

    roots: tuple[str, ...]
    hidden: tuple[tuple[str, tuple[str, ...]], ...]
    problem: str | None


def python_roots() -> tuple[str, ...]:
    """The interpreter's prefixes and site directories, outermost only."""
    candidates = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    candidates.update(site.getsitepackages())
    real = sorted({os.path.realpath(p) for p in candidates if os.path.isdir(p)})
    return tuple(p for p in real if not any(p != q and p.startswith(q + os.sep) for q in real))


def _allows(st: os.stat_result, uid: int, gid: int, bits: int) -> bool:
    """Whether ``uid``/``gid`` (no supplementary groups) has ``bits`` (a mix of 4=r, 1=x)."""
    if st.st_uid == uid:
        shift = 6
    elif st.st_gid == gid:
        shift = 3
    else:
        shift = 0
    return (st.st_mode >> shift) & bits == bits


def first_blocked(path: str, uid: int, gid: int) -> str | None:
    """The outermost proper ancestor of ``path`` that ``uid`` cannot traverse."""
    parts = path.strip(os.sep).split(os.sep)
    for depth in range(len(parts)):
        ancestor = os.sep + os.sep.join(parts[:depth])
        if not _allows(os.stat(ancestor), uid, gid, 1):
            return ancestor
    return None


def unreadable_inside(root: str, uid: int, gid: int) -> str | None:
    """A directory in the runtime that ``uid`` could not list even with a view."""
    for directory in (root, os.path.dirname(os.__file__), *site.getsitepackages()):
        directory = os.path.realpath(directory)
        if (directory == root or directory.startswith(root + os.sep)) and os.path.isdir(directory):
            walk = [root, *_between(root, directory)]
            for step in walk:
                st = os.stat(step)
                if stat.S_ISDIR(st.st_mode) and not _allows(st, uid, gid, 5):
                    return step
    return None


def _between(root: str, inner: str) -> list[str]:
    """Directories from just below ``root`` down to ``inner``."""
    rel = os.path.relpath(inner, root)
    parts = [] if rel == "." else rel.split(os.sep)
    return [os.path.join(root, *parts[: i + 1]) for i in range(len(parts))]


def plan(uid: int, gid: int, scratch_base: str, roots: tuple[str, ...] | None = None) -> RuntimeView:
    """Work out, once, how children running as ``uid`` get to read the runtime (``roots``,
    by default this interpreter's)."""
    roots = python_roots() if roots is None else roots
    hidden: dict[str, list[str]] = {}
    for root in roots:
        inside = unreadable_inside(root, uid, gid)
        if inside:
            return RuntimeView(roots, (), f"{inside} is not readable by uid {uid}")
        blocked = first_blocked(root, uid, gid)
        if blocked:
            hidden.setdefault(blocked, []).append(root)
    if first_blocked(os.path.realpath(scratch_base), uid, gid):
        return RuntimeView(roots, (), f"scratch base {scratch_base} is not reachable by uid {uid}")
    return RuntimeView(roots, tuple((k, tuple(v)) for k, v in sorted(hidden.items())), None)

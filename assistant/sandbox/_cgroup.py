"""Per-session cgroups: a memory limit that counts real pages and a pids limit
that works for root, plus a list of every process to kill at the end.

Private module, used by the fork server (create, kill, remove) and by the
child (join, before it gives up root). cgroup v1 (``memory`` and ``pids``
hierarchies) is used where mounted and writable. On cgroup v2 a session group
is made only when the server's own group already delegates the ``memory`` and
``pids`` controllers; otherwise the layer is reported inactive.
"""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass

PREFIX = "sciwand-"
_ROOT = "/sys/fs/cgroup"


@dataclass(frozen=True)
class Cgroups:
    """The groups one session lives in, or why there are none."""

    dirs: tuple[str, ...]
    memory_dir: str | None
    detail: str

    @property
    def active(self) -> bool:
        return bool(self.dirs)


def _own_paths() -> dict[str, str]:
    """Controller (``memory``, ``pids``, or ``""`` for v2) -> this process's cgroup path."""
    paths: dict[str, str] = {}
    with open("/proc/self/cgroup") as fh:
        for line in fh:
            _id, controllers, path = line.rstrip("\n").split(":", 2)
            for name in controllers.split(",") if controllers else [""]:
                paths[name] = path
    return paths


def _v1_dirs(name: str) -> dict[str, str]:
    """Where a v1 ``memory`` and ``pids`` group called ``name`` would go."""
    own = _own_paths()
    return {
        c: os.path.join(_ROOT, c, own[c].lstrip("/"), name)
        for c in ("memory", "pids")
        if c in own and os.path.exists(os.path.join(_ROOT, c, "cgroup.procs"))
    }


def _v2_dir(name: str) -> tuple[str | None, str]:
    """A v2 group under this process's own, if the controllers are delegated there."""
    parent = os.path.join(_ROOT, _own_paths().get("", "/").lstrip("/"))
    try:
        enabled = open(os.path.join(parent, "cgroup.subtree_control")).read().split()
    except OSError as exc:
        return None, f"cgroup v2 at {parent} unreadable ({exc.strerror})"
    if not {"memory", "pids"} <= set(enabled):
        return None, f"cgroup v2: memory/pids controllers not delegated to {parent}"
    return os.path.join(parent, name), ""


def _write(directory: str, file: str, value: str) -> None:
    with open(os.path.join(directory, file), "w") as fh:
        fh.write(value)


def create(name: str, memory_bytes: int, max_pids: int) -> Cgroups:
    """Make the session's groups with their limits; never raises, reports instead."""
    made: list[str] = []
    try:
        if os.path.exists(os.path.join(_ROOT, "cgroup.controllers")):
            return _create_v2(name, memory_bytes, max_pids, made)
        return _create_v1(name, memory_bytes, max_pids, made)
    except OSError as exc:
        remove(Cgroups(tuple(made), None, ""))
        return Cgroups((), None, f"cgroup not writable: {exc.strerror} ({exc.filename})")


def _create_v2(name: str, memory_bytes: int, max_pids: int, made: list[str]) -> Cgroups:
    directory, why = _v2_dir(name)
    if directory is None:
        return Cgroups((), None, why)
    os.mkdir(directory)
    made.append(directory)
    _write(directory, "memory.max", str(memory_bytes))
    with contextlib.suppress(OSError):  # only with swap accounting
        _write(directory, "memory.swap.max", "0")
    _write(directory, "pids.max", str(max_pids))
    return Cgroups((directory,), directory, f"v2 {directory}: memory {memory_bytes >> 20} MiB, {max_pids} pids")


def _create_v1(name: str, memory_bytes: int, max_pids: int, made: list[str]) -> Cgroups:
    dirs = _v1_dirs(name)
    if not dirs:
        return Cgroups((), None, "no cgroup v1 memory/pids hierarchy mounted")
    for directory in dirs.values():
        os.mkdir(directory)
        made.append(directory)
    if "memory" in dirs:
        _write(dirs["memory"], "memory.limit_in_bytes", str(memory_bytes))
        with contextlib.suppress(OSError):  # only with swap accounting
            _write(dirs["memory"], "memory.memsw.limit_in_bytes", str(memory_bytes))
    if "pids" in dirs:
        _write(dirs["pids"], "pids.max", str(max_pids))
    limits = ", ".join(f"memory {memory_bytes >> 20} MiB" if c == "memory" else f"pids {max_pids}" for c in dirs)
    return Cgroups(tuple(dirs.values()), dirs.get("memory"), f"v1: {limits}")


def join(groups: Cgroups) -> None:
    """Move the calling process into the session's groups (in the child, as root)."""
    for directory in groups.dirs:
        _write(directory, "cgroup.procs", "0")


def oom_kills(groups: Cgroups) -> int:
    """How many processes the kernel's OOM killer has killed in this session's memory group."""
    if groups.memory_dir is None:
        return 0
    for file in ("memory.events", "memory.oom_control"):
        with contextlib.suppress(OSError), open(os.path.join(groups.memory_dir, file)) as fh:
            for line in fh:
                key, _, value = line.partition(" ")
                if key == "oom_kill":
                    return int(value)
    return 0


def kill_all(groups: Cgroups) -> int:
    """SIGKILL every process still in the session's groups; returns how many were signalled."""
    pids: set[int] = set()
    for directory in groups.dirs:
        with contextlib.suppress(OSError), open(os.path.join(directory, "cgroup.procs")) as fh:
            pids.update(int(p) for p in fh.read().split())
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return len(pids)


def remove(groups: Cgroups, wait_s: float = 2.0) -> None:
    """Kill what is left and delete the groups (``rmdir`` fails while a process remains)."""
    deadline = time.monotonic() + wait_s
    for directory in groups.dirs:
        while os.path.isdir(directory):
            kill_all(Cgroups((directory,), None, ""))
            try:
                os.rmdir(directory)
            except OSError:
                if time.monotonic() > deadline:
                    break
                time.sleep(0.005)


def left_by_dead_server(entry: str) -> bool:
    """Whether ``entry`` (``sciwand-<server pid>-<n>...``) belongs to a fork server that is gone.

    Cgroups and scratch directories share this naming, so a server that was
    killed before it could clean up is cleaned up after by the next one.
    """
    server_pid = entry[len(PREFIX) :].split("-")[0]
    return entry.startswith(PREFIX) and server_pid.isdigit() and not os.path.exists(f"/proc/{server_pid}")


def sweep_stale() -> None:
    """Delete groups left by fork servers that died."""
    parents = {os.path.dirname(d) for d in _v1_dirs("x").values()}
    v2, _ = _v2_dir("x") if os.path.exists(os.path.join(_ROOT, "cgroup.controllers")) else (None, "")
    parents |= {os.path.dirname(v2)} if v2 else set()
    for parent in parents:
        for entry in os.listdir(parent) if os.path.isdir(parent) else ():
            if left_by_dead_server(entry):
                remove(Cgroups((os.path.join(parent, entry),), None, ""), wait_s=0.2)

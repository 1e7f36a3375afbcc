"""Apply the isolation layers to a freshly forked child, in order.

Private module. The order matters: cgroups and mounts need root, so they come
before the uid drop; Landlock needs the final view of the filesystem, so it
comes after the mounts; seccomp comes last because it forbids the very
syscalls (mount, unshare) the earlier layers use. A layer that fails is
reported (``Layer(active=False, detail=why)``) and the rest still apply;
the caller logs a warning for it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass

from assistant.sandbox import _cgroup, _landlock, _libc, _limits, _namespaces, _seccomp
from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._result import Layer
from assistant.sandbox._runtime import READ_WRITE_FILES, SYSTEM_READ, RuntimeView

SAFE_ENV = {
    "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
    "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
}  # fmt: skip


@dataclass(frozen=True)
class ChildSpec:
    """What the fork server prepared for one child (in memory, never serialised)."""

    config: SandboxConfig
    scratch: str
    cgroups: _cgroup.Cgroups
    view: RuntimeView
    seccomp_program: bytes | None
    seccomp_problem: str | None
    pidns_problem: str | None


def _step(name: str, action: Callable[[], str]) -> Layer:
    """Run one layer; a failure becomes an inactive layer with the reason."""
    try:
        return Layer(name, True, action())
    except Exception as exc:  # noqa: BLE001 - every failure is reported, none is fatal
        return Layer(name, False, f"{type(exc).__name__}: {exc}")


def harden(spec: ChildSpec) -> list[Layer]:
    """Apply every layer after the fd cleanup; returns what is active."""
    cfg = spec.config
    layers = [_pid_namespace(spec), _join_cgroups(spec)]
    entered = _namespaces.unshare_all()
    layers += [Layer(name, why is None, why or "entered") for name, why in entered.items()]
    if entered["uts namespace"] is None:
        with contextlib.suppress(OSError):
            _namespaces.set_hostname("sciwand-sandbox")
    mount_ns = entered["mount namespace"] is None
    drop, why_not = _uid_plan(spec, mount_ns)
    uid, gid = (cfg.uid, cfg.gid) if drop else (os.geteuid(), os.getegid())
    if mount_ns:
        scratch_layer = _step("scratch", lambda: _tmpfs_scratch(spec, uid, gid, drop))
    else:
        scratch_layer = _plain_scratch(spec, uid, gid)
    if drop and spec.view.hidden and not scratch_layer.active:
        drop, why_not = False, f"runtime view failed ({scratch_layer.detail})"
    layers.append(scratch_layer)
    layers.append(_step("rlimits", lambda: _limits.apply(cfg, highest_fd=3)))
    layers.append(_step("environment", lambda: _scrub_environment(spec.scratch)))
    layers.append(_identity(cfg, drop, why_not))
    private_shm = mount_ns and scratch_layer.active and os.path.isdir(_namespaces.SHM)  # mounted with scratch
    layers.append(_step("landlock", lambda: _landlock_rules(spec, private_shm)))
    layers.append(_seccomp_layer(spec))
    return layers


def _pid_namespace(spec: ChildSpec) -> Layer:
    if spec.pidns_problem is None and os.getpid() == 1:
        return Layer("pid namespace", True, "child is init of its own pid namespace; its death kills every descendant")
    return Layer("pid namespace", False, spec.pidns_problem or "not pid 1")


def _join_cgroups(spec: ChildSpec) -> Layer:
    if not spec.cgroups.active:
        return Layer("cgroup", False, spec.cgroups.detail)
    return _step("cgroup", lambda: (_cgroup.join(spec.cgroups), spec.cgroups.detail)[1])


def _uid_plan(spec: ChildSpec, mount_ns: bool) -> tuple[bool, str]:
    """Whether to switch to the unprivileged uid, and if not, why."""
    if os.geteuid() != 0:
        return False, f"not root (uid {os.geteuid()}); children keep that uid"
    if spec.config.uid == 0:
        return False, "configured uid is 0, which is not unprivileged"
    if spec.view.problem:
        return False, spec.view.problem
    if spec.view.hidden and not mount_ns:
        blocked = ", ".join(b for b, _ in spec.view.hidden)
        return False, f"{blocked} not traversable by uid {spec.config.uid} and no mount namespace for a runtime view"
    return True, ""


def _plain_scratch(spec: ChildSpec, uid: int, gid: int) -> Layer:
    """Without a mount namespace: the server's directory, chowned; RLIMIT_FSIZE caps each file."""
    os.chown(spec.scratch, uid, gid)
    os.chdir(spec.scratch)
    return Layer("scratch", False, "plain directory (no mount namespace): no cap on its total size")


def _tmpfs_scratch(spec: ChildSpec, uid: int, gid: int, drop: bool) -> str:
    """Size-capped tmpfs scratch and private /dev/shm, plus the runtime view if planned."""
    _namespaces.make_private()
    _namespaces.mount_scratch(spec.scratch, spec.config.scratch_mb, uid, gid)
    detail = f"{spec.config.scratch_mb} MiB tmpfs, no exec"
    if _namespaces.mount_private_shm(min(64, spec.config.scratch_mb), uid, gid):
        detail += "; private /dev/shm"
    if drop and spec.view.hidden:
        _namespaces.apply_view(spec.view, staging=spec.scratch)
        detail += "; runtime view over " + ", ".join(b for b, _ in spec.view.hidden)
    os.chdir(spec.scratch)
    return detail


def _scrub_environment(scratch: str) -> str:
    os.environ.clear()
    os.environ.update(SAFE_ENV, HOME=scratch, TMPDIR=scratch, XDG_CONFIG_HOME=scratch, XDG_CACHE_HOME=scratch)
    tempfile.tempdir = scratch
    return f"only {', '.join(sorted(os.environ))}"


def _identity(cfg: SandboxConfig, drop: bool, why_not: str) -> Layer:
    if drop:
        return _step("unprivileged uid", lambda: _switch_uid(cfg.uid, cfg.gid))
    with contextlib.suppress(OSError):  # root, or root of the user namespace entered above
        _libc.drop_capabilities()
        why_not += f"; stays uid {os.geteuid()} with every capability dropped"
    return Layer("unprivileged uid", False, why_not)


def _switch_uid(uid: int, gid: int) -> str:
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    return f"uid {uid}, gid {gid}, no supplementary groups"


def _landlock_rules(spec: ChildSpec, private_shm: bool) -> str:
    writable = [spec.scratch, _namespaces.SHM] if private_shm else [spec.scratch]
    return _landlock.restrict(spec.view.roots + SYSTEM_READ, writable, READ_WRITE_FILES)


def _seccomp_layer(spec: ChildSpec) -> Layer:
    if spec.seccomp_program is None:
        return Layer("seccomp", False, spec.seccomp_problem or "no filter")
    return _step("seccomp", lambda: _seccomp.load(spec.seccomp_program))

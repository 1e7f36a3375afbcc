"""Resource limits (rlimits) of a sandboxed child.

Private module. Rlimits are per process and need no privilege, so they are the
layer that always applies. Two caveats shape the numbers: ``RLIMIT_AS`` counts
*virtual* memory, which the pre-imported libraries already hold a lot of, so
the cap is "what the fork server had, plus the session's allowance"; and
``RLIMIT_NPROC`` counts every task of the real uid and is ignored for root, so
the pids cgroup (``_cgroup.py``) is the precise process limit where it exists.
"""

from __future__ import annotations

import math
import resource

from assistant.sandbox._config import SandboxConfig

MIB = 1024 * 1024


def proc_status_bytes(field: str) -> int:
    """A ``kB`` field of ``/proc/self/status`` (``VmSize``, ``VmRSS``) in bytes."""
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise LookupError(f"{field} not in /proc/self/status")


def apply(cfg: SandboxConfig, highest_fd: int) -> str:
    """Set every rlimit for this child; returns a summary for the layer report."""
    address_space = proc_status_bytes("VmSize") + cfg.memory_mb * MIB
    limits = {
        resource.RLIMIT_CORE: 0,
        resource.RLIMIT_CPU: cfg.cpu_s,
        resource.RLIMIT_AS: address_space,
        resource.RLIMIT_FSIZE: cfg.file_size_mb * MIB,
        resource.RLIMIT_NOFILE: max(cfg.max_open_files, highest_fd + 16),
        # per uid, shared by every session running as that uid: leave room for them
        resource.RLIMIT_NPROC: cfg.max_processes * 8,
    }
    for which, value in limits.items():
        resource.setrlimit(which, (value, value))
    return (
        f"cpu {cfg.cpu_s} s/session, address space {address_space // MIB} MiB "
        f"(inherited + {cfg.memory_mb}), file size {cfg.file_size_mb} MiB, "
        f"{limits[resource.RLIMIT_NOFILE]} open files, no core dumps"
    )


def arm_cpu(timeout_s: float) -> None:
    """Before a run: the CPU soft limit fires a little after this run's wall-clock timeout.

    A backstop only; the parent's wall clock is what normally stops a run.
    The hard limit (the session budget) is never raised.
    """
    usage = resource.getrusage(resource.RUSAGE_SELF)
    used = usage.ru_utime + usage.ru_stime
    _soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(used + timeout_s) + 1
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))

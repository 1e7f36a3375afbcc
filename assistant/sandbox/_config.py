"""Limits for one sandbox session, checked once where they are made.

Private module: use ``assistant.sandbox.SandboxConfig``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields
from typing import Any

from assistant.sandbox.errors import SandboxConfigError

NOBODY = 65534


@dataclass(frozen=True)
class SandboxConfig:
    """Every knob of a session; the defaults suit short scientific snippets.

    ``memory_mb`` is what a session may allocate *on top of* the pre-imported
    libraries: address space (``RLIMIT_AS``, which counts virtual memory) is set
    to the size inherited from the fork server plus this, and the cgroup limit,
    where one can be made, to the resident size inherited plus this.
    ``cpu_s`` is a CPU budget for the whole session, a backstop behind the
    wall-clock ``timeout_s`` of each run.
    """

    timeout_s: float = 10.0
    memory_mb: int = 1024
    cpu_s: int = 300
    max_output_bytes: int = 64 * 1024
    output_flood_bytes: int = 8 * 1024 * 1024
    max_value_bytes: int = 256 * 1024
    max_frame_bytes: int = 4 * 1024 * 1024
    scratch_mb: int = 256
    file_size_mb: int = 64
    max_open_files: int = 256
    max_processes: int = 64
    uid: int = NOBODY
    gid: int = NOBODY
    start_timeout_s: float = 20.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise SandboxConfigError(f.name, value, "a number")
            if f.type == "int" and not isinstance(value, int):
                raise SandboxConfigError(f.name, value, "a whole number")
            low = 0 if f.name in ("uid", "gid") else 1e-3
            if not (math.isfinite(value) and value >= low):
                raise SandboxConfigError(f.name, value, f"a finite number >= {low:g}")
        if self.max_output_bytes > self.output_flood_bytes:
            raise SandboxConfigError(
                "output_flood_bytes", self.output_flood_bytes, f">= max_output_bytes ({self.max_output_bytes})"
            )

    def replace(self, **changes: Any) -> SandboxConfig:
        """A copy with some limits changed, validated like the original."""
        unknown = sorted(set(changes) - {f.name for f in fields(self)})
        if unknown:
            raise SandboxConfigError(unknown[0], changes[unknown[0]], f"one of {[f.name for f in fields(self)]}")
        return SandboxConfig(**{**asdict(self), **changes})

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON for the fork server."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SandboxConfig:
        """Rebuild a config sent as JSON, ignoring keys this version does not know."""
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})

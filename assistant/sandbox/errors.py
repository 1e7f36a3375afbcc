"""Errors the sandbox raises to its caller.

Misbehaving *generated code* never raises here: a crash, timeout or memory bomb
comes back as an ``ExecResult`` with a status, because that is feedback for the
model. These classes are for faults of the machinery or of the calling code::

    SciwandError                               (domains.errors)
    └── SandboxError
        ├── SandboxConfigError      (also ValueError)   a limit out of range
        ├── SandboxArgumentError    (also TypeError)    call() args not JSON
        ├── SandboxClosedError      (also RuntimeError) used after close()
        ├── SandboxStartError       (also RuntimeError) fork server/child failed to start
        └── SandboxProtocolError    (also RuntimeError) a malformed frame on a pipe
"""

from __future__ import annotations

from domains.errors import SciwandError


class SandboxError(SciwandError):
    """Base of every error the sandbox package raises on purpose."""


class SandboxConfigError(SandboxError, ValueError):
    """A sandbox limit is missing, of the wrong type or out of range."""

    def __init__(self, field: str, value: object, allowed: str) -> None:
        super().__init__(f"invalid sandbox setting {field}={value!r}; expected {allowed}")
        self.field = field
        self.value = value


class SandboxArgumentError(SandboxError, TypeError):
    """Arguments for ``Sandbox.call`` that cannot be sent as JSON."""


class SandboxClosedError(SandboxError, RuntimeError):
    """A ``Sandbox`` or ``SandboxPool`` used after ``close()``."""


class SandboxStartError(SandboxError, RuntimeError):
    """The fork server or a sandboxed child could not be started."""


class SandboxProtocolError(SandboxError, RuntimeError):
    """A frame on a sandbox pipe was too large, truncated or not valid JSON.

    Raised inside the framing code only; the session turns it into a killed
    child and a ``killed`` result, so generated code cannot crash the caller.
    """

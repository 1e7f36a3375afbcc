"""A warm, isolated executor for generated calls and code.

Generated code is untrusted. Each ``Sandbox`` session runs in a child forked
from a warm fork server (RDKit, Biopython, Astropy and scipy pre-imported),
confined by every layer the machine supports: closed fds; pid, network, IPC,
UTS and mount namespaces; rlimits and cgroups; an unprivileged uid; Landlock
(read-only runtime, read-write scratch only); a seccomp filter; a scrubbed
environment. The caller enforces a wall-clock timeout and output caps, and
gets back plain JSON data (``ExecResult``), never a pickle.

Each layer that this machine cannot provide is skipped with a logged warning;
``sandbox_layers()`` lists what is active. With every layer off this is
process isolation only, not a security boundary.
"""

from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._forkserver import ForkServer
from assistant.sandbox._kernel import REF_KEY
from assistant.sandbox._layers import sandbox_layers
from assistant.sandbox._pool import SandboxPool
from assistant.sandbox._result import STATUSES, ErrorInfo, ExecResult, Layer, Status
from assistant.sandbox._session import Sandbox
from assistant.sandbox.errors import (
    SandboxArgumentError,
    SandboxClosedError,
    SandboxConfigError,
    SandboxError,
    SandboxProtocolError,
    SandboxStartError,
)

__all__ = [
    "REF_KEY",
    "STATUSES",
    "ErrorInfo",
    "ExecResult",
    "ForkServer",
    "Layer",
    "Sandbox",
    "SandboxArgumentError",
    "SandboxClosedError",
    "SandboxConfig",
    "SandboxConfigError",
    "SandboxError",
    "SandboxPool",
    "SandboxProtocolError",
    "SandboxStartError",
    "Status",
    "sandbox_layers",
]

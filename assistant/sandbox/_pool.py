"""``SandboxPool``: several warm fork servers for running many jobs in parallel.

Private module: use ``assistant.sandbox.SandboxPool``. One fork server can
already fork many concurrent children; a pool adds servers so that forking,
reaping and cleanup (serialised inside one server) do not become the
bottleneck of a parallel evaluation run, and so that a dead server only
stalls its share of the work while it restarts.
"""

from __future__ import annotations

import itertools
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from types import TracebackType
from typing import Any

from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._forkserver import ForkServer
from assistant.sandbox._result import ExecResult
from assistant.sandbox._session import Sandbox
from assistant.sandbox.errors import SandboxClosedError, SandboxConfigError


class SandboxPool:
    """``size`` warm fork servers handing out sessions round-robin.

    Examples
    --------
    >>> with SandboxPool(size=2, timeout_s=5) as pool:       # doctest: +SKIP
    ...     [r.value for r in pool.run_many(["1 + 1", "2 * 3"])]
    [2, 6]
    """

    def __init__(self, size: int = 2, *, config: SandboxConfig | None = None, **limits: Any) -> None:
        if not isinstance(size, int) or size < 1:
            raise SandboxConfigError("size", size, "a whole number >= 1")
        self.config = (config or SandboxConfig()).replace(**limits)
        self._servers = [ForkServer() for _ in range(size)]
        self._next = itertools.cycle(range(size))
        self._lock = threading.Lock()
        self._closed = False
        with ThreadPoolExecutor(size) as starter:  # each server imports the libraries: start them side by side
            list(starter.map(lambda s: s.start(), self._servers))

    @property
    def size(self) -> int:
        return len(self._servers)

    def session(self, **limits: Any) -> Sandbox:
        """A new ``Sandbox`` on the next server (limits override the pool's)."""
        with self._lock:
            if self._closed:
                raise SandboxClosedError("this SandboxPool was closed; create a new one")
            server = self._servers[next(self._next)]
        return Sandbox(config=self.config.replace(**limits), server=server)

    def run_many(self, codes: Iterable[str], *, timeout_s: float | None = None) -> list[ExecResult]:
        """Run each snippet in its own fresh session, ``size`` at a time; results in input order."""

        def one(code: str) -> ExecResult:
            with self.session() as sandbox:
                return sandbox.run(code, timeout_s=timeout_s)

        with ThreadPoolExecutor(self.size) as workers:
            return list(workers.map(one, codes))

    def close(self) -> None:
        """Stop every server (and with them every child)."""
        with self._lock:
            self._closed = True
        for server in self._servers:
            server.close()

    def __enter__(self) -> SandboxPool:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

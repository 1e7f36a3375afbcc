"""``Sandbox``: one notebook-like session of untrusted code in a hardened child.

Private module: use ``assistant.sandbox.Sandbox``.
"""

from __future__ import annotations

import json
import logging
import threading
import time
import weakref
from collections.abc import Sequence
from types import TracebackType
from typing import Any

from assistant.sandbox import _outcome
from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._forkserver import ExitInfo, ForkServer, Spawned, shared_server
from assistant.sandbox._result import ExecResult, Layer
from assistant.sandbox.errors import SandboxArgumentError, SandboxClosedError, SandboxStartError

log = logging.getLogger("assistant.sandbox")
_warned: set[str] = set()

PARENT_LAYER = Layer("parent watchdog", True, "wall-clock timeout, SIGKILL of the child's group, reaping, output caps")


class Sandbox:
    """A session whose variables persist across ``run`` and ``call``, like a notebook kernel.

    Every job runs in a child forked from a warm fork server (RDKit, Biopython,
    Astropy and scipy already imported) and confined by every isolation layer
    this machine supports (see ``sandbox_layers``). A job that times out,
    crashes or exhausts memory kills only its child: the result says so, and
    the next job starts a fresh session (``ExecResult.new_session``).

    Parameters
    ----------
    timeout_s, memory_mb
        Shortcuts for the most common limits; they override ``config``.
    config
        All limits (``SandboxConfig``).
    server
        The fork server to use; by default one shared by the whole process.

    Raises
    ------
    SandboxStartError
        From ``run``/``call`` when no child can be started: a fault of the
        machine or the installation, never of the generated code.

    Examples
    --------
    >>> with Sandbox(timeout_s=5) as sb:          # doctest: +SKIP
    ...     _ = sb.run("from rdkit import Chem; m = Chem.MolFromSmiles('OCC')")
    ...     sb.call("rdkit.Chem.Descriptors.MolWt", [{"$ref": "m"}]).value
    46.069
    """

    def __init__(
        self,
        *,
        timeout_s: float | None = None,
        memory_mb: int | None = None,
        config: SandboxConfig | None = None,
        server: ForkServer | None = None,
    ) -> None:
        overrides = {k: v for k, v in (("timeout_s", timeout_s), ("memory_mb", memory_mb)) if v is not None}
        self.config = (config or SandboxConfig()).replace(**overrides)
        self._server = server
        self._slot = _ChildSlot()
        weakref.finalize(self, self._slot.end)  # a Sandbox dropped without close() does not leak its child
        self._layers: list[Layer] = []
        self._closed = False
        self._lock = threading.Lock()

    def run(self, code: str, *, timeout_s: float | None = None) -> ExecResult:
        """Execute ``code``; a trailing expression's value is the result's value."""
        if not isinstance(code, str):
            raise SandboxArgumentError(f"code must be a str, got {type(code).__name__}")
        return self._job({"op": "run", "code": code}, timeout_s)

    def call(
        self,
        entry: str,
        args: Sequence[Any] = (),
        kwargs: dict[str, Any] | None = None,
        *,
        bind_to: str | None = None,
        timeout_s: float | None = None,
    ) -> ExecResult:
        """Call one API entry by dotted name, e.g. ``"rdkit.Chem.Descriptors.MolWt"``.

        ``args``/``kwargs`` are JSON values; ``{"$ref": "x1"}`` anywhere in
        them stands for the session variable ``x1``. ``bind_to`` stores the
        raw return value under that name for later calls and code.
        """
        job = {"op": "call", "entry": entry, "args": list(args), "kwargs": dict(kwargs or {}), "bind_to": bind_to}
        try:
            json.dumps(job, allow_nan=False)
        except (TypeError, ValueError) as exc:
            raise SandboxArgumentError(f"call({entry!r}) arguments must be plain JSON values: {exc}") from None
        return self._job(job, timeout_s)

    @property
    def child_pid(self) -> int | None:
        """The current child's pid as the host sees it (``None`` before the first job)."""
        return self._slot.child.pid if self._slot.child else None

    def layers(self) -> list[Layer]:
        """The isolation layers of this session's child (starting it if needed)."""
        with self._lock:
            self._ensure_child()
            return [*self._layers, PARENT_LAYER]

    def reset(self) -> None:
        """Drop the session's state: the next job starts in a fresh child."""
        with self._lock:
            self._slot.end()

    def close(self) -> None:
        """End the child; the sandbox cannot be used afterwards."""
        with self._lock:
            self._slot.end()
            self._closed = True

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.close()

    def _job(self, job: dict[str, Any], timeout_s: float | None) -> ExecResult:
        timeout = self.config.timeout_s if timeout_s is None else float(timeout_s)
        with self._lock:
            new_session = self._slot.child is None
            child = self._ensure_child()
            started = time.monotonic()
            ex = child.link.exchange(
                {**job, "timeout_s": timeout}, started + timeout, self.config.max_output_bytes, self.config.output_flood_bytes
            )
            exit_info = None
            if ex.ending != "reply":
                exit_info = self._slot.end(grace_s=1.0 if ex.ending == "died" else 0.0)
            result = _outcome.build(ex, exit_info, self.config, timeout, time.monotonic() - started, new_session)
            if _outcome.must_recycle(result):
                self._slot.end()
            return result

    def _ensure_child(self) -> Spawned:
        if self._closed:
            raise SandboxClosedError("this Sandbox was closed; create a new one")
        if self._slot.child is None:
            server = self._slot.server = self._server or shared_server()
            child = server.spawn(self.config)
            hello = child.link.hello(time.monotonic() + self.config.start_timeout_s)
            if hello.ending != "reply" or not isinstance(hello.reply, dict) or "hello" not in hello.reply:
                server.finish(child)
                detail = hello.stderr.text().strip()[-2000:] or hello.ending
                raise SandboxStartError(f"the sandboxed child failed while hardening itself: {detail}")
            self._slot.child, self._layers = child, _parse_layers(hello.reply["hello"])
            _warn_inactive(self._layers)
        return self._slot.child


class _ChildSlot:
    """A session's current child and its server, apart from the ``Sandbox`` so that the
    finalizer can end the child without keeping the ``Sandbox`` alive."""

    def __init__(self) -> None:
        self.server: ForkServer | None = None
        self.child: Spawned | None = None

    def end(self, grace_s: float = 0.0) -> ExitInfo | None:
        """Kill and reap the child, if there is one; how it ended."""
        child, self.child = self.child, None
        if child is None or self.server is None:
            return None
        return self.server.finish(child, grace_s)


def _parse_layers(hello: dict[str, Any]) -> list[Layer]:
    return [Layer(str(n), bool(a), str(d)) for n, a, d in hello.get("layers", [])]


def _warn_inactive(layers: list[Layer]) -> None:
    """One warning per inactive layer per process: the sandbox runs, but weaker."""
    for layer in layers:
        if not layer.active and layer.name not in _warned:
            _warned.add(layer.name)
            log.warning("sandbox layer %r is not active: %s", layer.name, layer.detail)

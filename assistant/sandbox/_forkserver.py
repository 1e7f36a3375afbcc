"""The caller's handle on one fork server process (a "warm parent").

Private module. The server is started with ``python -I`` and an environment
built from scratch (no API keys, no user ``HOME``, one BLAS thread), so that
nothing secret is in the memory every child is forked from. If the server
dies it is restarted on the next spawn; its children die with it
(``PR_SET_PDEATHSIG``), and it dies when this process hangs up its socket.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.sandbox._channel import ChildLink
from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._preload import DEFAULT_PRELOAD
from assistant.sandbox._wire import recv_frame, send_frame
from assistant.sandbox.errors import SandboxProtocolError, SandboxStartError

_PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
_BOOT = "import sys; sys.path.insert(0, sys.argv[1]); from assistant.sandbox._server import main; main(sys.argv[2:])"
_REQUEST_TIMEOUT_S = 30.0


@dataclass(frozen=True)
class Spawned:
    """A live child: its pid (in the server's namespace), scratch dir and the caller's link."""

    pid: int
    scratch: str
    link: ChildLink
    generation: int


@dataclass(frozen=True)
class ExitInfo:
    """How a finished child ended."""

    code: int | None
    signal: int | None
    killed: bool
    oom_kills: int


def server_environment() -> dict[str, str]:
    """The fork server's whole environment: nothing inherited from the caller.

    ``HOME`` does not exist, so no library reads the caller's dotfiles (``~/.astropy``)
    into the memory every child is forked from, and nothing is written there.
    """
    return {
        "PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": "/nonexistent",
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }  # fmt: skip


class ForkServer:
    """Start, talk to and stop one fork server; thread-safe."""

    def __init__(self, preload: tuple[str, ...] = DEFAULT_PRELOAD, start_timeout_s: float = 120.0) -> None:
        self.preload = tuple(preload)
        self.start_timeout_s = start_timeout_s
        self.warnings: list[str] = []
        self.generation = 0
        self._lock = threading.RLock()
        self._proc: subprocess.Popen[bytes] | None = None
        self._sock: socket.socket | None = None

    @property
    def alive(self) -> bool:
        return self._proc is not None and self._proc.poll() is None

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self.alive and self._proc else None

    def start(self) -> None:
        """Start the server (if not running) and wait until its imports are done."""
        with self._lock:
            if self.alive:
                return
            self._discard()
            ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
            argv = [sys.executable, "-I", "-c", _BOOT, _PROJECT_ROOT, str(theirs.fileno()), json.dumps(self.preload)]
            self._proc = subprocess.Popen(
                argv, env=server_environment(), pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, start_new_session=True,
            )  # fmt: skip
            theirs.close()
            self._sock = ours
            ready = self._receive(self.start_timeout_s, "start")
            self.warnings = [str(w) for w in ready.get("warnings", [])]
            self.generation += 1

    def spawn(self, config: SandboxConfig) -> Spawned:
        """A new hardened child; restarts a dead server once before giving up."""
        for attempt in (1, 2):
            try:
                return self._spawn_once(config)
            except SandboxStartError:
                if attempt == 2 or self.alive:
                    raise  # a refusal from a live server: restarting it would not help
        raise AssertionError("unreachable")

    def _spawn_once(self, config: SandboxConfig) -> Spawned:
        ctl, child_ctl = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        out_r, out_w = os.pipe()
        err_r, err_w = os.pipe()
        try:
            with self._lock:
                self.start()
                reply = self._request({"op": "spawn", "config": config.to_dict()}, [child_ctl.fileno(), out_w, err_w])
                generation = self.generation
        except BaseException:
            for fd in (out_r, err_r):
                os.close(fd)
            ctl.close()
            raise
        finally:
            child_ctl.close()
            os.close(out_w)
            os.close(err_w)
        link = ChildLink(ctl, out_r, err_r, config.max_frame_bytes)
        return Spawned(int(reply["pid"]), str(reply["scratch"]), link, generation)

    def finish(self, child: Spawned, grace_s: float = 0.0) -> ExitInfo | None:
        """Kill (after ``grace_s``) and reap a child; ``None`` if its server is gone already."""
        child.link.close()
        with self._lock:
            if child.generation != self.generation or not self.alive:
                return None  # the old server's death took the child along
            try:
                reply = self._request({"op": "finish", "pid": child.pid, "grace_s": grace_s})
            except SandboxStartError:
                return None
        return ExitInfo(reply.get("code"), reply.get("signal"), bool(reply.get("killed")), int(reply.get("oom_kills", 0)))

    def _request(self, request: dict[str, Any], fds: list[int] | None = None) -> dict[str, Any]:
        if self._sock is None:
            raise SandboxStartError("fork server is not running")
        try:
            self._sock.settimeout(_REQUEST_TIMEOUT_S)
            send_frame(self._sock, request, fds or [])
        except OSError as exc:
            self._discard()
            raise SandboxStartError(f"fork server unreachable: {exc}") from None
        reply = self._receive(_REQUEST_TIMEOUT_S, request["op"])
        if not reply.get("ok"):
            raise SandboxStartError(f"fork server refused {request['op']}: {reply.get('error')}")
        return reply

    def _receive(self, timeout_s: float, what: str) -> dict[str, Any]:
        assert self._sock is not None
        try:
            self._sock.settimeout(timeout_s)
            reply, _ = recv_frame(self._sock, 1 << 20)
        except (OSError, EOFError, SandboxProtocolError) as exc:
            code = self._proc.poll() if self._proc else None
            self._discard()
            raise SandboxStartError(f"fork server failed during {what} (exit code {code}): {exc}") from None
        return reply

    def _discard(self) -> None:
        """Forget the current server process, killing it if needed."""
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
            self._sock = None
        if self._proc is not None:
            if self._proc.poll() is None:
                self._proc.kill()
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        """Stop the server: it ends every child it still has, then exits."""
        with self._lock:
            if self.alive and self._sock is not None:
                with contextlib.suppress(OSError):
                    send_frame(self._sock, {"op": "shutdown"})
                    self._sock.close()
                    self._sock = None
                    _wait_for_exit(self._proc, 5.0)
            self._discard()


def _wait_for_exit(proc: subprocess.Popen[bytes] | None, timeout_s: float) -> None:
    if proc is None:
        return
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)


_shared: ForkServer | None = None
_shared_pid = 0
_shared_lock = threading.Lock()


def shared_server() -> ForkServer:
    """The process-wide default fork server, started on first use, stopped at exit."""
    global _shared, _shared_pid
    with _shared_lock:
        if _shared is None or _shared_pid != os.getpid():
            _shared, _shared_pid = ForkServer(), os.getpid()
            atexit.register(_shared.close)
        return _shared

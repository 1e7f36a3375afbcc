"""A sandboxed child's whole life: take over its fds, harden, serve jobs, exit.

Private module. ``child_main`` runs right after ``fork()`` in the fork server
and never returns. fd 1 and 2 are pipes the caller reads, so output written
by C/C++ code (RDKit's "SMILES Parse Error") is captured as well as Python's;
fd 3 is the control socket for JSON jobs and replies.
"""

from __future__ import annotations

import ctypes
import faulthandler
import io
import os
import signal
import socket
import sys
import traceback
from collections.abc import Iterator
from typing import Any

from assistant.sandbox import _libc, _limits
from assistant.sandbox._harden import ChildSpec, harden
from assistant.sandbox._kernel import Kernel
from assistant.sandbox._render import RenderLimits
from assistant.sandbox._result import Layer
from assistant.sandbox._wire import recv_frame, send_frame

CTL_FD = 3
COMM = b"sciwand-child"  # what ps shows for sandboxed processes
_MAIN_PID = 0


def child_main(spec: ChildSpec, ctl_fd: int, out_fd: int, err_fd: int) -> None:
    """Entry point after fork; ends with ``os._exit``, whatever happens."""
    code = 70
    try:
        _libc.prctl(_libc.PR_SET_PDEATHSIG, signal.SIGKILL)  # a dead fork server takes its children along
        name = ctypes.create_string_buffer(COMM)
        _libc.prctl(_libc.PR_SET_NAME, ctypes.addressof(name))
        layers = [_take_fds(ctl_fd, out_fd, err_fd)]
        os.setsid()
        layers += harden(spec)
        _libc.prctl(_libc.PR_SET_PDEATHSIG, signal.SIGKILL)  # changing uid cleared it
        _setup_process()
        sock = socket.socket(fileno=CTL_FD)
        send_frame(sock, {"hello": {"layers": [list(layer) for layer in layers]}})
        code = _serve(sock, spec)
    except BaseException:  # noqa: BLE001 - nothing may escape back into the fork server's loop
        _report_fatal()
        code = 70
    finally:
        os._exit(code)


def _report_fatal() -> None:
    """Best effort: put the traceback on fd 2, which the caller reads, before dying."""
    try:
        os.write(2, traceback.format_exc().encode("utf-8", "replace")[-8000:])
    except BaseException:  # noqa: BLE001
        pass


def _take_fds(ctl_fd: int, out_fd: int, err_fd: int) -> Layer:
    """stdin from /dev/null, stdout/stderr to the caller's pipes, control on fd 3, nothing else."""
    null = os.open("/dev/null", os.O_RDONLY)
    for source, target in ((null, 0), (out_fd, 1), (err_fd, 2), (ctl_fd, CTL_FD)):
        if source != target:  # dup3() refuses equal numbers
            os.dup2(source, target, inheritable=False)
    os.closerange(CTL_FD + 1, 1 << 20)
    return Layer("inherited fds", True, "closed; kept /dev/null, two output pipes and the control socket")


def _setup_process() -> None:
    """Python-level setup: fresh stdio objects on the captured fds, signals, crash tracebacks."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    sys.stdin = sys.__stdin__ = io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8")
    for fd, name in ((1, "stdout"), (2, "stderr")):
        stream = io.TextIOWrapper(
            io.BufferedWriter(io.FileIO(fd, "w", closefd=False)),
            encoding="utf-8", errors="backslashreplace", line_buffering=True,
        )  # fmt: skip
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # too-large files raise OSError(EFBIG) instead
    signal.signal(signal.SIGINT, signal.default_int_handler)
    faulthandler.enable(file=sys.stderr, all_threads=True)  # a segfault still shows the Python stack
    os.register_at_fork(after_in_child=_forked)
    sys.dont_write_bytecode = True


def _forked() -> None:
    """In a process forked by generated code: it must never speak on the control socket."""
    try:
        os.close(CTL_FD)
    except OSError:
        pass


def _serve(sock: socket.socket, spec: ChildSpec) -> int:
    """The job loop; returns an exit code when the caller says goodbye or hangs up."""
    cfg = spec.config
    kernel = Kernel(RenderLimits(max_chars=cfg.max_value_bytes))
    while True:
        try:
            job, _ = recv_frame(sock, cfg.max_frame_bytes)
        except EOFError:
            return 0
        if not isinstance(job, dict) or job.get("op") == "exit":
            return 0
        _limits.arm_cpu(float(job.get("timeout_s", cfg.timeout_s)))
        reply = _dispatch(kernel, job)
        _flush()
        if os.getpid() != _MAIN_PID:
            os._exit(0)  # a fork of generated code returned through here: drop it silently
        for _ in reap_exited():
            pass
        send_frame(sock, reply)


def reap_exited() -> Iterator[tuple[int, int]]:
    """``(pid, wait status)`` of every child that has died, without blocking.

    Used by the child, which as init of its pid namespace inherits every orphan
    (unreaped zombies would use up its pids limit: a fork bomb leaves dozens),
    and by the fork server. Children still running are left alone.
    """
    while True:
        try:
            pid, status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
        yield pid, status


def _dispatch(kernel: Kernel, job: dict[str, Any]) -> dict[str, Any]:
    if job.get("op") == "call":
        return kernel.call(str(job["entry"]), list(job.get("args", [])), dict(job.get("kwargs", {})), job.get("bind_to"))
    return kernel.run(str(job.get("code", "")))


_libc_handle = ctypes.CDLL(None)


def _flush() -> None:
    """Push buffered output (Python's and C stdio's) into the pipes before replying."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - generated code may have replaced or closed them
            pass
    _libc_handle.fflush(None)

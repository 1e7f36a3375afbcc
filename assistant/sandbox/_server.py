"""The fork server: a warm process that forks, kills, reaps and cleans up children.

Private module; this file is the fork server's ``__main__`` (started by
``_forkserver.ForkServer``, never imported by the caller for its code). It
speaks JSON frames on one socket to its caller:

    spawn   {config} + 3 fds (control socket, stdout pipe, stderr pipe) -> {pid, scratch}
    finish  {pid, grace_s}   kill if still running, reap, remove cgroups and scratch
                             -> {code, signal, killed, oom_kills}
    ping / shutdown

It is the only parent of the children, so only it can reap them and know how
they died; the caller never signals a pid that might have been reused.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, NamedTuple

from assistant.sandbox import _cgroup, _libc, _limits, _seccomp
from assistant.sandbox._child import child_main, reap_exited
from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._harden import ChildSpec
from assistant.sandbox._preload import warm
from assistant.sandbox._runtime import RuntimeView, plan
from assistant.sandbox._wire import recv_frame, send_frame


class _Session(NamedTuple):
    scratch: str
    cgroups: _cgroup.Cgroups


class ForkServerProcess:
    """State of the running fork server: its live children and how the dead ones ended."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.sessions: dict[int, _Session] = {}
        self.exited: dict[int, int] = {}
        self.counter = 0
        self.root = os.geteuid() == 0
        self.pidns_problem: str | None = None if self.root else "not root"
        self.pidns_fd = os.open("/proc/self/ns/pid", os.O_RDONLY) if self.root else -1
        self.views: dict[tuple[int, int], RuntimeView] = {}
        self.scratch_base = tempfile.gettempdir()
        self.seccomp_program, self.seccomp_problem = _build_seccomp()
        with contextlib.suppress(OSError):
            _libc.prctl(_libc.PR_SET_CHILD_SUBREAPER, 1)  # orphans of children come back here
        self._sweep_stale()

    def _sweep_stale(self) -> None:
        """Remove cgroups and scratch directories of fork servers that were killed before cleaning up."""
        with contextlib.suppress(OSError):
            _cgroup.sweep_stale()
        for entry in os.listdir(self.scratch_base):
            if _cgroup.left_by_dead_server(entry):
                shutil.rmtree(os.path.join(self.scratch_base, entry), ignore_errors=True)

    def serve(self) -> None:
        """Answer requests until the caller hangs up, then end every child."""
        handlers: dict[str, Callable[[dict[str, Any], list[int]], dict[str, Any]]] = {
            "spawn": self.spawn, "finish": self.finish, "ping": lambda r, f: {"ok": True, "pid": os.getpid()},
        }  # fmt: skip
        while True:
            try:
                request, fds = recv_frame(self.sock, 1 << 20, want_fds=True)
            except (EOFError, OSError):
                break
            if request.get("op") == "shutdown":
                break
            try:
                reply = handlers[request["op"]](request, fds)
            except Exception as exc:  # noqa: BLE001 - a bad request must not end the server
                reply = {"ok": False, "error": f"{type(exc).__name__}: {exc}"}
            finally:
                for fd in fds:
                    os.close(fd)
            send_frame(self.sock, reply)
        for pid in list(self.sessions):
            self.finish({"pid": pid}, [])

    def spawn(self, request: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        """Fork one hardened child that serves jobs on the fds the caller sent."""
        if len(fds) != 3:
            raise ValueError(f"spawn needs 3 fds (control, stdout, stderr), got {len(fds)}")
        cfg = SandboxConfig.from_dict(request["config"])
        self.counter += 1
        name = f"{_cgroup.PREFIX}{os.getpid()}-{self.counter}"
        scratch = tempfile.mkdtemp(prefix=name + "-", dir=self.scratch_base)
        memory = _limits.proc_status_bytes("VmRSS") + cfg.memory_mb * _limits.MIB
        groups = _cgroup.create(name, memory, cfg.max_processes)
        spec = ChildSpec(cfg, scratch, groups, self._view(cfg), self.seccomp_program, self.seccomp_problem, None)
        try:
            pid, pidns_problem = self._fork()
        except OSError:
            _cgroup.remove(groups)
            shutil.rmtree(scratch, ignore_errors=True)
            raise
        if pid == 0:
            try:
                self.sock.detach()  # the child closes the fd; its Python object must not close a reused number
                child_main(replace(spec, pidns_problem=pidns_problem), *fds)
            finally:
                os._exit(70)
        self.sessions[pid] = _Session(scratch, groups)
        return {"ok": True, "pid": pid, "scratch": scratch}

    def _view(self, cfg: SandboxConfig) -> RuntimeView:
        key = (cfg.uid, cfg.gid)
        if key not in self.views:
            self.views[key] = plan(cfg.uid, cfg.gid, self.scratch_base)
        return self.views[key]

    def _fork(self) -> tuple[int, str | None]:
        """fork(), with the child as init of a new pid namespace where possible."""
        problem = self.pidns_problem
        if problem is None:
            try:
                _libc.unshare(_libc.CLONE_NEWPID)
            except OSError as exc:
                self.pidns_problem = problem = f"unshare(CLONE_NEWPID): {exc.strerror}"
        sys.stdout.flush()
        sys.stderr.flush()
        pid = -1
        try:
            pid = os.fork()
        finally:
            if pid != 0 and problem is None:
                self._leave_pid_namespace()
        return pid, problem

    def _leave_pid_namespace(self) -> None:
        """Point later forks back at our own pid namespace, so the next unshare can make a new one."""
        try:
            _libc.setns(self.pidns_fd, _libc.CLONE_NEWPID)
        except OSError as exc:
            self.pidns_problem = f"setns back to own pid namespace: {exc.strerror}"

    def finish(self, request: dict[str, Any], fds: list[int]) -> dict[str, Any]:
        """End one child (waiting ``grace_s`` for it to die by itself), then clean up after it."""
        pid = int(request["pid"])
        session = self.sessions.get(pid)
        if session is None:
            return {"ok": False, "error": f"no child with pid {pid}"}
        status, killed = self._end(pid, float(request.get("grace_s", 0.0)))
        del self.sessions[pid]
        oom_kills = _cgroup.oom_kills(session.cgroups)
        _cgroup.remove(session.cgroups)
        shutil.rmtree(session.scratch, ignore_errors=True)
        self._kill_orphans()
        return {
            "ok": True, "killed": killed, "oom_kills": oom_kills,
            "code": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
            "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        }  # fmt: skip

    def _end(self, pid: int, grace_s: float) -> tuple[int, bool]:
        """The child's wait status, and whether we had to kill it."""
        deadline = time.monotonic() + grace_s
        while True:
            self._reap()
            if pid in self.exited:
                return self.exited.pop(pid), False
            if time.monotonic() >= deadline:
                break
            time.sleep(0.002)
        for kill in (os.killpg, os.kill):  # the child is a session leader: its group id is its pid
            with contextlib.suppress(ProcessLookupError, PermissionError):
                kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        return status, True

    def _reap(self) -> None:
        """Collect every dead child; remember the statuses of session children."""
        for pid, status in reap_exited():
            if pid in self.sessions:
                self.exited[pid] = status

    def _kill_orphans(self) -> None:
        """Kill and reap processes reparented to this (subreaper) server: leftovers of dead children.

        Only matters without a pid namespace; with one, orphans go to the child, and die with it.
        """
        orphans: list[int] = []
        with contextlib.suppress(OSError):
            for tid in os.listdir("/proc/self/task"):
                with open(f"/proc/self/task/{tid}/children") as fh:
                    orphans += [pid for pid in map(int, fh.read().split()) if pid not in self.sessions]
        for pid in orphans:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for pid in orphans:
            with contextlib.suppress(ChildProcessError):
                os.waitpid(pid, 0)
        self._reap()


def _build_seccomp() -> tuple[bytes | None, str | None]:
    try:
        return _seccomp.build(), None
    except Exception as exc:  # noqa: BLE001 - pyseccomp missing, libseccomp missing, ...
        return None, f"{type(exc).__name__}: {exc}"


def main(argv: list[str]) -> None:
    """``python -I -c ... <socket fd> <json list of modules>``: warm up, report, serve."""
    sock = socket.socket(fileno=int(argv[0]))
    os.umask(0o077)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C in the caller's terminal is the caller's business
    warnings = warm(tuple(json.loads(argv[1])))
    server = ForkServerProcess(sock)
    warnings += [f"seccomp: {server.seccomp_problem}"] if server.seccomp_problem else []
    gc.freeze()  # keep the warm objects out of every child's garbage collections (fewer copied pages)
    send_frame(sock, {"ready": True, "pid": os.getpid(), "warnings": warnings})
    server.serve()


if __name__ == "__main__":
    main(sys.argv[1:])

"""The caller's end of one child: send a job, then watch reply, output and clock at once.

Private module. One ``select`` loop reads the control socket and both output
pipes until a reply arrives, the child hangs up, the deadline passes or the
output floods. It never blocks on the child: the pipes are drained while the
job runs (a child writing 100 MB does not stall on a full pipe), and anything
over the cap is counted and dropped, keeping the head and the tail.
"""

from __future__ import annotations

import contextlib
import os
import selectors
import socket
import time
from dataclasses import dataclass
from typing import Any, Literal

from assistant.sandbox._wire import FrameDecoder, encode
from assistant.sandbox.errors import SandboxProtocolError

Ending = Literal["reply", "timeout", "died", "flood", "protocol"]
_CHUNK = 1 << 16


class CappedOutput:
    """Bytes from one pipe, keeping at most ``cap``: the first half and the last half."""

    def __init__(self, cap: int) -> None:
        self.half = max(cap // 2, 1)
        self.head = bytearray()
        self.tail = bytearray()
        self.total = 0

    def add(self, data: bytes) -> None:
        self.total += len(data)
        room = self.half - len(self.head)
        if room > 0:
            self.head += data[:room]
            data = data[room:]
        if data:
            self.tail += data
            del self.tail[: max(0, len(self.tail) - self.half)]

    @property
    def dropped(self) -> int:
        return self.total - len(self.head) - len(self.tail)

    def text(self) -> str:
        head = self.head.decode("utf-8", "replace")
        if not self.dropped:
            return head + self.tail.decode("utf-8", "replace")
        return f"{head}\n[... {self.dropped} bytes dropped ...]\n{self.tail.decode('utf-8', 'replace')}"


@dataclass
class Exchange:
    """What one job produced, however it ended."""

    ending: Ending
    stdout: CappedOutput
    stderr: CappedOutput
    reply: dict[str, Any] | None = None
    detail: str = ""


class ChildLink:
    """Control socket plus stdout/stderr pipes of one child, caller side."""

    def __init__(self, ctl: socket.socket, out_fd: int, err_fd: int, max_frame: int) -> None:
        self.ctl = ctl
        self.pipes = {out_fd: "stdout", err_fd: "stderr"}
        self.decoder = FrameDecoder(max_frame)
        self.pending: list[Any] = []
        ctl.setblocking(False)
        for fd in self.pipes:
            os.set_blocking(fd, False)

    def hello(self, deadline: float) -> Exchange:
        """Wait for the child's first frame (its layer report); its stderr explains a failure."""
        return self._wait(deadline, CappedOutput(1 << 16), CappedOutput(1 << 16), flood=1 << 20)

    def exchange(self, job: dict[str, Any], deadline: float, cap: int, flood: int) -> Exchange:
        """Send ``job`` and collect until it ends."""
        self._drain(CappedOutput(1), CappedOutput(1), flood)  # leftovers of background threads: not this job's
        self.pending.clear()
        out, err = CappedOutput(cap), CappedOutput(cap)
        try:
            self._send(encode(job), deadline)
        except (OSError, TimeoutError) as exc:
            return Exchange("died", out, err, detail=f"sending the job failed: {exc}")
        return self._wait(deadline, out, err, flood)

    def _send(self, data: bytes, deadline: float) -> None:
        view = memoryview(data)
        while view:
            ready = selectors.DefaultSelector()
            with ready:
                ready.register(self.ctl, selectors.EVENT_WRITE)
                if not ready.select(max(0.0, deadline - time.monotonic())):
                    raise TimeoutError("child did not accept the job")
            view = view[self.ctl.send(view, socket.MSG_NOSIGNAL) :]  # a dead child must not SIGPIPE us

    def _wait(self, deadline: float, out: CappedOutput, err: CappedOutput, flood: int) -> Exchange:
        streams = {"stdout": out, "stderr": err}
        with selectors.DefaultSelector() as sel:
            sel.register(self.ctl, selectors.EVENT_READ, "ctl")
            for fd, name in self.pipes.items():
                sel.register(fd, selectors.EVENT_READ, name)
            while not self.pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return Exchange("timeout", out, err)
                for key, _ in sel.select(left):
                    ending = self._on_ready(key, sel, streams, flood)
                    if ending:
                        return Exchange(ending[0], out, err, detail=ending[1])
        self._drain(out, err, flood)
        return Exchange("reply", out, err, reply=self.pending.pop(0))

    def _on_ready(
        self, key: selectors.SelectorKey, sel: selectors.BaseSelector, streams: dict[str, CappedOutput], flood: int
    ) -> tuple[Ending, str] | None:
        if key.data != "ctl":
            data = _read(key.fd)
            if data is None:
                return None
            if not data:
                sel.unregister(key.fd)
            streams[key.data].add(data)
            if streams[key.data].total > flood:
                return "flood", f"{key.data} passed {flood} bytes"
            return None
        try:
            data = self.ctl.recv(_CHUNK)
        except (BlockingIOError, InterruptedError):
            return None
        except OSError as exc:
            return "died", str(exc)
        if not data:
            self._drain(*streams.values(), flood)
            return "died", "control socket closed"
        try:
            self.pending += self.decoder.feed(data)
        except SandboxProtocolError as exc:
            return "protocol", str(exc)
        return None

    def _drain(self, out: CappedOutput, err: CappedOutput, flood: int) -> None:
        """Read whatever the pipes hold right now (bounded by ``flood``)."""
        for fd, stream in zip(self.pipes, (out, err)):
            while stream.total <= flood and (data := _read(fd)):
                stream.add(data)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.ctl.close()
        for fd in self.pipes:
            with contextlib.suppress(OSError):
                os.close(fd)


def _read(fd: int) -> bytes | None:
    """A non-blocking read: ``None`` for "nothing now", ``b""`` for end of file."""
    try:
        return os.read(fd, _CHUNK)
    except (BlockingIOError, InterruptedError):
        return None

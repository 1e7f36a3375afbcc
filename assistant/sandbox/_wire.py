"""Length-prefixed JSON frames over AF_UNIX sockets, optionally carrying fds.

Private module. Every hop (caller <-> fork server, caller <-> child) speaks
this and nothing else: JSON cannot smuggle code the way a pickle can, and the
length prefix lets the receiver refuse an oversized frame before reading it.
"""

from __future__ import annotations

import json
import socket
import struct
from collections.abc import Sequence
from typing import Any

from assistant.sandbox.errors import SandboxProtocolError

_HEADER = struct.Struct(">I")
MAX_FDS = 8


def encode(obj: Any) -> bytes:
    """One frame: 4-byte big-endian length, then UTF-8 JSON."""
    data = json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "surrogatepass")
    return _HEADER.pack(len(data)) + data


def decode(data: bytes) -> Any:
    """Parse a frame body; any parse failure is a protocol error (the sender is untrusted)."""
    try:
        return json.loads(data.decode("utf-8", "surrogatepass"))
    except (ValueError, RecursionError, UnicodeDecodeError) as exc:
        raise SandboxProtocolError(f"frame is not valid JSON: {exc}") from None


class FrameDecoder:
    """Incremental decoder for a non-blocking reader; refuses frames over ``max_bytes``."""

    def __init__(self, max_bytes: int) -> None:
        self._buf = bytearray()
        self._max = max_bytes

    def feed(self, data: bytes) -> list[Any]:
        """Add bytes; return the frames they complete, in order."""
        self._buf += data
        frames: list[Any] = []
        while len(self._buf) >= _HEADER.size:
            (size,) = _HEADER.unpack_from(self._buf)
            if size > self._max:
                raise SandboxProtocolError(f"frame of {size} bytes exceeds the {self._max}-byte limit")
            end = _HEADER.size + size
            if len(self._buf) < end:
                break
            frames.append(decode(bytes(self._buf[_HEADER.size : end])))
            del self._buf[:end]
        return frames


def send_frame(sock: socket.socket, obj: Any, fds: Sequence[int] = ()) -> None:
    """Send one frame (blocking); ``fds`` ride along with its first bytes."""
    data = encode(obj)
    if fds:
        sent = socket.send_fds(sock, [data], list(fds))
        data = data[sent:]
    if data:
        sock.sendall(data)


def recv_frame(sock: socket.socket, max_bytes: int, want_fds: bool = False) -> tuple[Any, list[int]]:
    """Receive one frame (blocking) and any fds sent with it.

    Raises ``EOFError`` when the peer closed the socket before a whole frame.
    """
    header, fds = _recv_exact(sock, _HEADER.size, want_fds)
    (size,) = _HEADER.unpack(header)
    if size > max_bytes:
        raise SandboxProtocolError(f"frame of {size} bytes exceeds the {max_bytes}-byte limit")
    body, _ = _recv_exact(sock, size, False)
    return decode(body), fds


def _recv_exact(sock: socket.socket, size: int, want_fds: bool) -> tuple[bytes, list[int]]:
    """Exactly ``size`` bytes; fds, if wanted, arrive with the first chunk."""
    chunks: list[bytes] = []
    fds: list[int] = []
    remaining = size
    while remaining:
        if want_fds and not chunks:
            chunk, got, _flags, _addr = socket.recv_fds(sock, remaining, MAX_FDS)
            fds.extend(got)
        else:
            chunk = sock.recv(remaining)
        if not chunk:
            raise EOFError("peer closed the socket")
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks), fds

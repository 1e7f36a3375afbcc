"""Framing and output capture: malformed or oversized input is refused, never trusted."""

from __future__ import annotations

import socket
import struct

import pytest

from assistant.sandbox import SandboxProtocolError
from assistant.sandbox._channel import CappedOutput
from assistant.sandbox._wire import FrameDecoder, encode, recv_frame, send_frame


def test_frames_round_trip_in_pieces():
    data = encode({"a": [1, "é"]}) + encode(None)
    decoder = FrameDecoder(1 << 10)
    frames = [f for i in range(len(data)) for f in decoder.feed(data[i : i + 1])]
    assert frames == [{"a": [1, "é"]}, None]


def test_oversized_frame_is_refused_before_it_is_read():
    with pytest.raises(SandboxProtocolError, match="exceeds the 100-byte limit"):
        FrameDecoder(100).feed(struct.pack(">I", 101))


@pytest.mark.parametrize("body", [b"not json", b"\xff\xfe", b"[" * 100_000 + b"]" * 100_000, b"1" * 5000])
def test_malformed_json_is_a_protocol_error(body):
    with pytest.raises(SandboxProtocolError, match="not valid JSON"):
        FrameDecoder(1 << 20).feed(struct.pack(">I", len(body)) + body)


def test_fds_travel_with_a_frame():
    a, b = socket.socketpair()
    r, w = __import__("os").pipe()
    try:
        send_frame(a, {"op": "x"}, [w])
        message, fds = recv_frame(b, 1 << 10, want_fds=True)
        assert message == {"op": "x"} and len(fds) == 1
        __import__("os").write(fds[0], b"ok")
        assert __import__("os").read(r, 2) == b"ok"
    finally:
        for s in (a, b):
            s.close()


def test_recv_frame_reports_a_closed_peer():
    a, b = socket.socketpair()
    a.sendall(struct.pack(">I", 10) + b"abc")
    a.close()
    with pytest.raises(EOFError):
        recv_frame(b, 1 << 10)
    b.close()


def test_capped_output_keeps_head_and_tail():
    out = CappedOutput(10)
    out.add(b"HEAD" + b"x" * 100 + b"TAIL")
    text = out.text()
    assert text.startswith("HEADx") and text.endswith("xTAIL")
    assert "[... 98 bytes dropped ...]" in text and out.dropped == 98
    small = CappedOutput(10)
    small.add(b"abc")
    assert small.text() == "abc" and small.dropped == 0

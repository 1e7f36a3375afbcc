"""Helpers shared by the model-layer tests and fixtures."""

from __future__ import annotations

import socket


def unused_port() -> int:
    """A TCP port nothing listens on (free when asked; nobody else takes it in a test run)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

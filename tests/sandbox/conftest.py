"""Fixtures for the sandbox tests: one warm fork server per test session, a fresh
``Sandbox`` per test, listeners and a secret to attack."""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox_helpers import PARENT_SECRET, SECRET_VARIABLE

from assistant.sandbox import ForkServer, Sandbox, sandbox_layers


@pytest.fixture(scope="session")
def server() -> Iterator[ForkServer]:
    """One warm fork server for the whole run, started after the caller holds a secret."""
    os.environ[SECRET_VARIABLE] = PARENT_SECRET
    fork_server = ForkServer()
    fork_server.start()
    yield fork_server
    fork_server.close()
    os.environ.pop(SECRET_VARIABLE, None)


@pytest.fixture
def sandbox(server: ForkServer) -> Iterator[Sandbox]:
    with Sandbox(timeout_s=3, memory_mb=512, server=server) as sb:
        yield sb


@pytest.fixture(scope="session")
def active_layers(server: ForkServer) -> set[str]:
    return {name for name, active, _ in sandbox_layers(server=server) if active}


@pytest.fixture
def need(active_layers: set[str]):
    """``need("landlock", "seccomp")``: skip unless at least one of these layers is active here.

    A skip names the missing layer, so a weaker machine says what it does not test.
    """

    def check(*any_of: str) -> None:
        if not active_layers.intersection(any_of):
            pytest.skip(f"needs one of the sandbox layers {any_of}, inactive on this machine")

    return check


@pytest.fixture
def tcp_listener() -> Iterator[socket.socket]:
    """A listening TCP socket on 127.0.0.1; ``accept`` raises BlockingIOError if nobody came."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    yield listener
    listener.close()


@pytest.fixture
def udp_listener() -> Iterator[socket.socket]:
    """A UDP socket on 127.0.0.1 standing in for a DNS resolver."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    listener.bind(("127.0.0.1", 0))
    listener.setblocking(False)
    yield listener
    listener.close()


@pytest.fixture
def host_unix_socket():
    """Factory: a world-writable UNIX socket (stream: listening) in the host's /tmp."""
    made: list[tuple[socket.socket, Path]] = []

    def make(sock_type: int) -> tuple[socket.socket, Path]:
        path = Path("/tmp") / f"sciwand-unix-{uuid.uuid4().hex[:8]}"
        sock = socket.socket(socket.AF_UNIX, sock_type)
        sock.bind(str(path))
        path.chmod(0o777)
        if sock_type == socket.SOCK_STREAM:
            sock.listen(1)
        sock.setblocking(False)
        made.append((sock, path))
        return sock, path

    yield make
    for sock, path in made:
        sock.close()
        path.unlink(missing_ok=True)


@pytest.fixture
def home_secret() -> Iterator[Path]:
    """A private key-like file in the caller's home, as ``~/.ssh/id_rsa`` would be."""
    folder = Path.home() / f".sciwand-sandbox-test-{uuid.uuid4().hex[:8]}"
    folder.mkdir(mode=0o700)
    secret = folder / "id_rsa"
    secret.write_text(f"-----BEGIN KEY----- {uuid.uuid4().hex}\n")
    secret.chmod(0o600)
    yield secret
    secret.unlink()
    folder.rmdir()

"""Hostile snippets, part one (network, filesystem, secrets): each must be contained, and the same sandbox must keep working.

Every test asserts two things: an outside observation that the attack failed
(the listener saw no connection, the file does not exist, the process is gone,
the secret did not come back) and ``assert_still_works`` on the same session.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from pathlib import Path

import pytest
from sandbox_helpers import PARENT_SECRET, PROJECT_ROOT, SECRET_VARIABLE, assert_still_works

from assistant.sandbox import Sandbox


# --- network ---------------------------------------------------------------------------


def test_tcp_connect_to_a_local_listener_fails(sandbox, tcp_listener, need):
    need("network namespace", "seccomp", "landlock")
    port = tcp_listener.getsockname()[1]
    result = sandbox.run(f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=1)")
    assert result.status == "error"
    assert result.error.type in {"PermissionError", "OSError", "ConnectionRefusedError", "TimeoutError"}
    with pytest.raises(BlockingIOError):
        tcp_listener.accept()
    assert_still_works(sandbox)


def test_raw_libc_socket_bypassing_python_is_refused(sandbox, tcp_listener, need):
    need("seccomp")
    result = sandbox.run("import ctypes\nctypes.CDLL(None).socket(2, 1, 0)")  # AF_INET, SOCK_STREAM
    assert result.ok and result.value == -1
    with pytest.raises(BlockingIOError):
        tcp_listener.accept()
    assert_still_works(sandbox)


def test_dns_query_to_a_local_resolver_never_arrives(sandbox, udp_listener, need):
    need("network namespace", "seccomp")
    port = udp_listener.getsockname()[1]
    code = (
        "import socket\n"
        "s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)\n"
        f"s.sendto(b'\\x12\\x34\\x01\\x00\\x00\\x01\\x00\\x00\\x00\\x00\\x00\\x00\\x07example\\x03com\\x00\\x00\\x01\\x00\\x01', ('127.0.0.1', {port}))\n"
    )
    result = sandbox.run(code)
    assert result.status == "error"
    time.sleep(0.05)
    with pytest.raises(BlockingIOError):
        udp_listener.recvfrom(512)
    assert_still_works(sandbox)


def test_name_resolution_fails(sandbox, need):
    need("network namespace", "seccomp")
    result = sandbox.run("import socket\nsocket.getaddrinfo('example.com', 443)")
    assert result.status == "error"
    assert result.error.type in {"socket.gaierror", "PermissionError", "OSError"}
    assert_still_works(sandbox)


def test_binding_a_port_fails_and_the_port_stays_free(sandbox, need):
    need("network namespace", "seccomp", "landlock")
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    result = sandbox.run(f"import socket\ns = socket.socket()\ns.bind(('127.0.0.1', {port}))\ns.listen()")
    assert result.status == "error"
    with socket.socket() as mine:  # the host can still take the port: nothing in the sandbox holds it
        mine.bind(("127.0.0.1", port))
    assert_still_works(sandbox)


UNIX_ATTEMPTS = {
    "stream-connect": (socket.SOCK_STREAM, "s = socket.socket(socket.AF_UNIX)\ns.connect({path!r})\ns.send(b'hi')"),
    "datagram-sendto": (socket.SOCK_DGRAM, "s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)\ns.sendto(b'hi', {path!r})"),
}


@pytest.mark.parametrize("kind", UNIX_ATTEMPTS)
def test_world_writable_unix_socket_on_the_host_is_unreachable(sandbox, need, host_unix_socket, kind):
    need("seccomp")
    sock_type, template = UNIX_ATTEMPTS[kind]
    host, path = host_unix_socket(sock_type)  # like X11, D-Bus or /dev/log: any uid may connect
    result = sandbox.run("import socket\n" + template.format(path=str(path)))
    assert result.status == "error" and result.error.type == "PermissionError"
    with pytest.raises(BlockingIOError):
        host.accept() if sock_type == socket.SOCK_STREAM else host.recv(16)
    assert_still_works(sandbox)


# --- filesystem ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [Path("/tmp"), PROJECT_ROOT, PROJECT_ROOT / "assistant"],
    ids=["tmp", "project-root", "project-package"],
)
def test_writing_outside_scratch_creates_nothing(sandbox, target, need):
    need("landlock")
    path = target / f"sciwand-escape-{uuid.uuid4().hex}"
    result = sandbox.run(f"open({str(path)!r}, 'w').write('pwned')")
    assert result.status == "error" and result.error.type == "PermissionError"
    assert not path.exists()
    assert_still_works(sandbox)


def test_world_writable_directory_outside_scratch_is_still_closed(sandbox, tmp_path, need):
    need("landlock")
    tmp_path.chmod(0o777)  # file modes would allow it: only the sandbox can say no
    path = tmp_path / "dropped.txt"
    result = sandbox.run(f"open({str(path)!r}, 'w').write('pwned')")
    assert result.status == "error"
    assert not path.exists()
    assert_still_works(sandbox)


def test_symlink_from_scratch_to_outside_does_not_let_writes_through(sandbox, need):
    need("landlock")
    outside = Path("/tmp") / f"sciwand-symlink-{uuid.uuid4().hex}"
    result = sandbox.run(f"import os\nos.symlink({str(outside)!r}, 'link')\nopen('link', 'w').write('pwned')")
    assert result.status == "error"
    assert not outside.exists()
    assert_still_works(sandbox)


def test_world_readable_file_outside_scratch_cannot_be_read(sandbox, tmp_path, need):
    need("landlock")
    secret = tmp_path / "notes.txt"
    secret.write_text(token := uuid.uuid4().hex)
    tmp_path.chmod(0o755)
    secret.chmod(0o644)
    result = sandbox.run(f"print(open({str(secret)!r}).read())")
    assert result.status == "error"
    assert token not in result.stdout + result.stderr
    assert_still_works(sandbox)


def test_private_key_in_home_cannot_be_read(sandbox, home_secret, need):
    need("landlock", "unprivileged uid")
    token = home_secret.read_text()
    result = sandbox.run(f"print(open({str(home_secret)!r}).read())")
    assert result.status == "error"
    assert token not in result.stdout + result.stderr + json.dumps(result.to_dict())
    listing = sandbox.run(f"import os\nos.listdir({str(Path.home() / '.ssh')!r})")
    assert listing.status == "error"
    assert_still_works(sandbox)


def test_shadow_passwords_cannot_be_read(sandbox, need):
    need("landlock", "unprivileged uid")
    result = sandbox.run("open('/etc/shadow').read()")
    assert result.status == "error" and result.error.type in {"PermissionError", "FileNotFoundError"}
    assert_still_works(sandbox)


def test_one_session_cannot_read_another_sessions_scratch(server, need):
    need("landlock", "mount namespace")
    token = uuid.uuid4().hex
    with Sandbox(timeout_s=3, server=server) as a, Sandbox(timeout_s=3, server=server) as b:
        where = a.run(f"import os\nopen('mine.txt', 'w').write({token!r})\nos.getcwd()").value
        result = b.run(f"print(open({where + '/mine.txt'!r}).read())")
        assert result.status == "error" and token not in result.stdout
        assert a.run("open('mine.txt').read()").value == token
        assert_still_works(b)


def test_gigabyte_file_in_scratch_is_cut_off(sandbox):
    code = "with open('big.bin', 'wb') as f:\n    for _ in range(1024):\n        f.write(b'\\0' * (1 << 20))"
    started = time.monotonic()
    result = sandbox.run(code, timeout_s=20)
    assert result.status == "error"
    assert "File too large" in result.error.message or "No space left" in result.error.message
    assert time.monotonic() - started < 15
    size = sandbox.run("import os\nos.path.getsize('big.bin')").value
    assert size <= sandbox.config.file_size_mb << 20
    assert_still_works(sandbox)


# --- secrets ---------------------------------------------------------------------------


def test_parent_environment_variable_is_not_visible(sandbox):
    assert os.environ[SECRET_VARIABLE] == PARENT_SECRET
    environ = sandbox.run("import os\ndict(os.environ)")
    assert environ.ok and SECRET_VARIABLE not in environ.value
    assert PARENT_SECRET not in environ.to_json()
    raw = sandbox.run(
        "try:\n    text = open('/proc/self/environ', 'rb').read().decode(errors='replace')\n"
        "except OSError as exc:\n    text = repr(exc)\ntext"
    )
    assert raw.ok and PARENT_SECRET not in raw.to_json()
    assert_still_works(sandbox)


def test_parent_process_environ_cannot_be_read(sandbox, need):
    need("landlock", "unprivileged uid")
    result = sandbox.run(f"print(open('/proc/{os.getpid()}/environ', 'rb').read())")
    assert result.status == "error"
    assert PARENT_SECRET not in result.stdout + result.stderr
    assert_still_works(sandbox)

"""``sandbox_layers()`` measures what is active; inactive layers are logged, not fatal."""

from __future__ import annotations

import logging
import os

import pytest

from assistant.sandbox import Layer, Sandbox, SandboxConfig, sandbox_layers
from assistant.sandbox import _landlock, _session

EXPECTED = {
    "inherited fds", "pid namespace", "cgroup", "network namespace", "ipc namespace", "uts namespace",
    "mount namespace", "scratch", "rlimits", "environment", "unprivileged uid", "landlock", "seccomp",
    "parent watchdog",
}  # fmt: skip


def test_every_layer_is_reported_with_a_reason(server):
    layers = sandbox_layers(server=server)
    assert {layer.name for layer in layers} == EXPECTED
    for name, active, detail in layers:
        assert isinstance(active, bool) and detail, name


def test_layers_always_available_are_active(server):
    active = {layer.name for layer in sandbox_layers(server=server) if layer.active}
    assert {"inherited fds", "rlimits", "environment", "parent watchdog"} <= active


def test_landlock_is_active_wherever_the_kernel_has_it(server):
    try:
        abi = _landlock.abi_version()
    except OSError:
        pytest.skip("this kernel has no Landlock")
    landlock = next(layer for layer in sandbox_layers(server=server) if layer.name == "landlock")
    assert landlock.active and f"ABI {abi}" in landlock.detail


def test_seccomp_is_active_wherever_pyseccomp_loads(server):
    pytest.importorskip("pyseccomp")
    seccomp = next(layer for layer in sandbox_layers(server=server) if layer.name == "seccomp")
    assert seccomp.active, seccomp.detail


def test_inactive_layers_are_logged_once(server, caplog, monkeypatch):
    monkeypatch.setattr(_session, "_warned", set())
    # uid 0 as the "unprivileged" uid cannot be dropped to: the layer is skipped with a warning
    config = SandboxConfig(uid=0, gid=0) if os.geteuid() == 0 else SandboxConfig()
    with caplog.at_level(logging.WARNING, logger="assistant.sandbox"):
        for _ in range(2):
            with Sandbox(config=config, server=server) as sb:
                layers = sb.layers()
                assert sb.run("6 * 7").value == 42
    inactive = [layer for layer in layers if not layer.active]
    assert inactive, "uid 0 cannot count as an unprivileged uid"
    for layer in inactive:
        assert sum(layer.name in record.getMessage() for record in caplog.records) == 1


def test_root_that_cannot_switch_uid_loses_every_capability(server):
    if os.geteuid() != 0:
        pytest.skip("only a root caller has capabilities to drop")
    with Sandbox(config=SandboxConfig(uid=0, gid=0), server=server) as sb:
        uid_layer = next(layer for layer in sb.layers() if layer.name == "unprivileged uid")
        assert not uid_layer.active and "every capability dropped" in uid_layer.detail
        result = sb.run("import os\nopen('f', 'w').close()\nos.chown('f', 1, 1)")  # needs CAP_CHOWN
        assert result.status == "error" and result.error.type == "PermissionError"
        assert sb.run("import os\nos.getuid()").value == 0


def test_unprivileged_uid_is_what_the_code_sees(server, active_layers):
    if "unprivileged uid" not in active_layers:
        pytest.skip("no uid switch on this machine")
    with Sandbox(server=server) as sb:
        assert sb.run("import os\nos.getuid(), os.getgid(), os.getgroups()").value == [65534, 65534, []]


def test_layer_is_a_plain_tuple():
    assert tuple(Layer("x", True, "y")) == ("x", True, "y")

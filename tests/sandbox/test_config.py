"""Limits are validated where they are made, with messages that name the fix."""

from __future__ import annotations

import pytest

from assistant.sandbox import Sandbox, SandboxConfig, SandboxConfigError, SandboxError


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"timeout_s": -1}, r"timeout_s=-1; expected a finite number >= 0.001"),
        ({"memory_mb": 1.5}, r"memory_mb=1.5; expected a whole number"),
        ({"cpu_s": "10"}, r"cpu_s='10'; expected a number"),
        ({"timeout_s": float("inf")}, r"timeout_s=inf"),
        ({"max_output_bytes": 10 << 20}, r"output_flood_bytes=8388608; expected >= max_output_bytes"),
        ({"nonsense": 1}, r"invalid sandbox setting nonsense=1"),
    ],
)
def test_bad_limits_are_refused(changes, message):
    with pytest.raises(SandboxConfigError, match=message):
        SandboxConfig().replace(**changes)


def test_config_errors_are_sciwand_errors_and_value_errors():
    from domains.errors import SciwandError

    assert issubclass(SandboxConfigError, SandboxError)
    assert issubclass(SandboxConfigError, SciwandError) and issubclass(SandboxConfigError, ValueError)


def test_sandbox_shortcuts_override_the_config():
    sb = Sandbox(timeout_s=2.5, memory_mb=300, config=SandboxConfig(cpu_s=9))
    assert (sb.config.timeout_s, sb.config.memory_mb, sb.config.cpu_s) == (2.5, 300, 9)
    assert SandboxConfig.from_dict({**sb.config.to_dict(), "unknown": 1}) == sb.config

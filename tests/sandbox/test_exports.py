"""The sandbox's front door: ``__all__`` is pinned and every name imports."""

from __future__ import annotations

import assistant.sandbox as sandbox_pkg
from assistant.sandbox import errors

EXPECTED = {
    "REF_KEY", "STATUSES", "ErrorInfo", "ExecResult", "ForkServer", "Layer", "Sandbox", "SandboxArgumentError",
    "SandboxClosedError", "SandboxConfig", "SandboxConfigError", "SandboxError", "SandboxPool",
    "SandboxProtocolError", "SandboxStartError", "Status", "sandbox_layers",
}  # fmt: skip


def test_all_is_pinned():
    assert set(sandbox_pkg.__all__) == EXPECTED
    for name in sandbox_pkg.__all__:
        assert getattr(sandbox_pkg, name) is not None


def test_every_sandbox_error_is_a_sciwand_error_and_a_builtin():
    from domains.errors import SciwandError

    classes = [getattr(errors, n) for n in dir(errors) if n.startswith("Sandbox") and n != "SandboxError"]
    assert len(classes) == 5
    for cls in classes:
        assert issubclass(cls, errors.SandboxError) and issubclass(cls, SciwandError)
        builtin = [b for b in cls.__mro__ if b.__module__ == "builtins" and b not in (Exception, BaseException, object)]
        assert builtin, f"{cls.__name__} should also inherit a builtin exception"

"""Helpers for the sandbox tests that look at the host from outside the sandbox."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from assistant.sandbox import Sandbox

SECRET_VARIABLE = "SCIWAND_SANDBOX_TEST_API_KEY"
PARENT_SECRET = f"sk-test-{uuid.uuid4().hex}"
PROJECT_ROOT = Path(__file__).resolve().parents[2]


def assert_still_works(sb: Sandbox) -> None:
    """The containment did not break the sandbox: a plain job on the same session succeeds."""
    result = sb.run("6 * 7")
    assert result.status == "ok", result
    assert result.value == 42


def tasks_named(name: str) -> list[int]:
    """Host tids (threads included) whose ``comm`` is ``name``."""
    found = []
    for comm in Path("/proc").glob("[0-9]*/task/[0-9]*/comm"):
        try:
            if comm.read_text().strip() == name:
                found.append(int(comm.parent.name))
        except OSError:
            continue
    return found


def set_name_code(name: str) -> str:
    """Snippet that renames the calling thread, so the host can find it in /proc."""
    return f"import ctypes; ctypes.CDLL(None).prctl(15, ctypes.c_char_p({name.encode()!r}), 0, 0, 0)\n"


def unique(prefix: str) -> str:
    """A short unique name (``comm`` holds 15 bytes)."""
    return f"{prefix}{uuid.uuid4().hex[:15 - len(prefix)]}"


def gone_soon(name: str, within_s: float = 3.0) -> bool:
    """True once no task called ``name`` exists (killed processes take a moment to be reaped)."""
    deadline = time.monotonic() + within_s
    while tasks_named(name):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def dead_soon(pid: int, within_s: float = 3.0) -> bool:
    """True once ``pid`` is gone or a zombie (its new parent may take a while to reap it)."""
    deadline = time.monotonic() + within_s
    while True:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            return True
        if state in {"Z", "X"}:
            return True
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)

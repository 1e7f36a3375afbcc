"""Turn how a job ended (reply, timeout, crash, flood) into an ``ExecResult``.

Private module, caller side. The child's reply is untrusted JSON: every field
is type-checked and capped again here. Messages are written for the model:
they say what limit was hit and that the session was reset.
"""

from __future__ import annotations

import signal
from typing import Any

from assistant.sandbox._channel import Exchange
from assistant.sandbox._config import SandboxConfig
from assistant.sandbox._forkserver import ExitInfo
from assistant.sandbox._result import ErrorInfo, ExecResult, Status

_RESET = "the session was reset, so variables from earlier runs are gone"
_CHILD_STATUSES = ("ok", "error", "memory")


def build(
    ex: Exchange, exit_info: ExitInfo | None, cfg: SandboxConfig, timeout_s: float, seconds: float, new_session: bool
) -> ExecResult:
    """The result of one job; ``exit_info`` is set when the child is gone."""
    common: dict[str, Any] = {
        "stdout": ex.stdout.text(), "stderr": ex.stderr.text(),
        "seconds": round(seconds, 6), "new_session": new_session,
    }  # fmt: skip
    if ex.ending == "reply" and isinstance(ex.reply, dict):
        return _from_reply(ex, cfg, common)
    if ex.ending == "reply":
        return ExecResult(status="killed", error=ErrorInfo("ProtocolError", f"child replied with {ex.reply!r:.200}"), **common)
    status, error = _failure(ex, exit_info, cfg, timeout_s)
    return ExecResult(status=status, error=error, **common)


def must_recycle(result: ExecResult) -> bool:
    """After these the child is dead or in doubt (a protocol breach included): the next job gets a fresh one."""
    return result.status in ("timeout", "memory", "killed") or (
        result.status == "output_limit" and result.error is not None and result.error.type == "OutputFlood"
    )


def _text(value: Any, cap: int) -> str | None:
    if value is None:
        return None
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= cap else text[: cap - 3] + "..."


def _error(raw: Any) -> ErrorInfo | None:
    if not isinstance(raw, dict):
        return None
    return ErrorInfo(
        _text(raw.get("type"), 300) or "Error", _text(raw.get("message"), 8000) or "", _text(raw.get("traceback"), 16000) or ""
    )


def _from_reply(ex: Exchange, cfg: SandboxConfig, common: dict[str, Any]) -> ExecResult:
    reply = ex.reply or {}
    status = reply.get("status")
    if status not in _CHILD_STATUSES:
        return ExecResult(status="killed", error=ErrorInfo("ProtocolError", f"child replied with status {status!r}"), **common)
    error = _error(reply.get("error"))
    if status == "memory":
        message = f"the code needed more memory than the sandbox allows ({cfg.memory_mb} MB); {_RESET}"
        error = ErrorInfo("MemoryError", message, error.traceback if error else "")
    elif status == "ok" and (ex.stdout.dropped or ex.stderr.dropped):
        status = "output_limit"
        error = ErrorInfo("OutputLimit", f"output passed {cfg.max_output_bytes} bytes; the middle was dropped")
    return ExecResult(
        status=status, value=reply.get("value"), repr=_text(reply.get("repr"), 4000), type=_text(reply.get("type"), 300),
        error=error, value_truncated=bool(reply.get("value_truncated")), **common,
    )  # fmt: skip


def _failure(ex: Exchange, exit_info: ExitInfo | None, cfg: SandboxConfig, timeout_s: float) -> tuple[Status, ErrorInfo]:
    if ex.ending == "timeout":
        return "timeout", ErrorInfo("Timeout", f"stopped after {timeout_s:g} s of wall-clock time; {_RESET}")
    if ex.ending == "flood":
        message = f"more than {cfg.output_flood_bytes} bytes of output ({ex.detail}); the process was stopped; {_RESET}"
        return "output_limit", ErrorInfo("OutputFlood", message)
    if ex.ending == "protocol":
        return "killed", ErrorInfo("ProtocolError", f"the child broke the reply protocol ({ex.detail}); {_RESET}")
    return _death(exit_info, cfg)


def _death(exit_info: ExitInfo | None, cfg: SandboxConfig) -> tuple[Status, ErrorInfo]:
    if exit_info is None:
        return "killed", ErrorInfo("ProcessDied", f"the sandboxed process disappeared; {_RESET}")
    if exit_info.oom_kills:
        message = f"killed by the kernel for using more than the memory limit ({cfg.memory_mb} MB); {_RESET}"
        return "memory", ErrorInfo("MemoryError", message)
    if exit_info.signal == signal.SIGXCPU:
        return "timeout", ErrorInfo("Timeout", f"CPU time limit reached; {_RESET}")
    if exit_info.signal is not None:
        name = signal.Signals(exit_info.signal).name if exit_info.signal in signal.valid_signals() else str(exit_info.signal)
        why = signal.strsignal(exit_info.signal) or name
        return "killed", ErrorInfo(name, f"the sandboxed process died from {name} ({why}); {_RESET}")
    return "killed", ErrorInfo("ProcessExit", f"the sandboxed process exited with code {exit_info.code}; {_RESET}")

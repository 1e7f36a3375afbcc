"""The plain-data results the sandbox hands back: ``ExecResult`` and ``Layer``.

Private module: use ``assistant.sandbox.ExecResult``. Everything here is JSON
all the way down, so a result can be logged, cached or shown to the model
without unpickling anything the generated code produced.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal, NamedTuple

Status = Literal["ok", "error", "timeout", "memory", "killed", "output_limit"]
STATUSES: tuple[str, ...] = ("ok", "error", "timeout", "memory", "killed", "output_limit")


@dataclass(frozen=True)
class ErrorInfo:
    """What went wrong, worded for the model: exception type, message and the
    traceback trimmed to the generated code (sandbox frames removed)."""

    type: str
    message: str
    traceback: str = ""


@dataclass(frozen=True)
class ExecResult:
    """The outcome of one ``Sandbox.run`` or ``Sandbox.call``.

    ``value`` is the rendered, JSON-serialisable value (``None`` when the value
    has no JSON form; ``repr`` and ``type`` still describe it).
    ``value_truncated`` says the rendering was cut to the size cap.
    ``new_session`` says this run started in a fresh child, so variables from
    earlier runs are gone (first run, or after a timeout, crash or memory bomb).
    """

    status: Status
    value: Any = None
    repr: str | None = None
    type: str | None = None
    stdout: str = ""
    stderr: str = ""
    error: ErrorInfo | None = None
    seconds: float = 0.0
    value_truncated: bool = False
    new_session: bool = False

    @property
    def ok(self) -> bool:
        """True when the code ran to the end without an exception."""
        return self.status == "ok"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``error`` becomes a dict or ``None``)."""
        return asdict(self)

    def to_json(self) -> str:
        """The result as one JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ExecResult:
        """Inverse of ``to_dict``."""
        error = data.get("error")
        return cls(**{**data, "error": ErrorInfo(**error) if error else None})


class Layer(NamedTuple):
    """One isolation layer and whether it is active for sandboxed children.

    A tuple so that ``for name, active, detail in sandbox_layers()`` works.
    """

    name: str
    active: bool
    detail: str

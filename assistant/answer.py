"""The plain data the assistant loop produces: plans, attempts and the answer.

Everything here is JSON-ready (``to_dict``), so an ``Answer`` can be printed with
``--json``, written to an eval run's ``records.jsonl`` and read back unchanged.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Verdict = Literal["invalid", "error", "unverified", "verified", "refused"]


@dataclass(frozen=True)
class Call:
    """One call of a plan: an API entry by dotted name, JSON arguments, and the session
    name its result is bound to so later calls can pass ``{"$ref": bind_to}``."""

    entry: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    bind_to: str | None = None


@dataclass(frozen=True)
class Plan:
    """What the model proposed: a list of calls (call mode) or a program (code mode).

    ``refusal`` is set instead when the model declined (with its reason).
    """

    calls: tuple[Call, ...] = ()
    code: str | None = None
    refusal: str | None = None

    @property
    def entries(self) -> tuple[str, ...]:
        """The API entries the plan calls (code mode: none known before execution)."""
        return tuple(call.entry for call in self.calls)


@dataclass(frozen=True)
class Attempt:
    """One round of plan → validate → execute → verify.

    ``problems`` are validation or verification failures in words for the model;
    ``result`` is the sandbox's ``ExecResult.to_dict()`` of the last step run (``None``
    when validation stopped it); ``seconds`` splits the round's time by stage.
    """

    plan: Plan
    code: str | None
    problems: tuple[str, ...] = ()
    result: dict[str, Any] | None = None
    verdict: Verdict = "invalid"
    entries: tuple[str, ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def value(self) -> Any:
        return None if self.result is None else self.result.get("value")


@dataclass(frozen=True)
class Answer:
    """What the user gets back.

    ``value`` is the rendered result (JSON); ``text`` one plain sentence; ``code`` the
    program that ran (call plans are shown as the equivalent Python); ``entries`` the
    API entries used, each ``{"name", "aliases", "library", "version"}``; ``attempts``
    every round in order; ``verified`` whether the final result passed verification;
    ``refused`` whether the assistant declined (invalid input, nothing verified), with
    ``reason``. ``retrieved`` are the entries the retriever offered the model, best
    first, each ``{"name", "aliases", "score"}``; ``seconds`` the time per stage
    (retrieval, model, execution, total).
    """

    question: str
    value: Any = None
    text: str = ""
    code: str | None = None
    entries: tuple[dict[str, Any], ...] = ()
    attempts: tuple[Attempt, ...] = ()
    verified: bool = False
    refused: bool = False
    reason: str | None = None
    domain: str | None = None
    retrieved: tuple[dict[str, Any], ...] = ()
    seconds: dict[str, float] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Answer:
        data = dict(data)
        data["attempts"] = tuple(_attempt(a) for a in data.get("attempts", ()))
        data["entries"] = tuple(data.get("entries", ()))
        data["retrieved"] = tuple(data.get("retrieved", ()))
        return cls(**data)


def _attempt(data: dict[str, Any]) -> Attempt:
    plan = dict(data["plan"])
    plan["calls"] = tuple(Call(c["entry"], tuple(c.get("args", ())), dict(c.get("kwargs", {})), c.get("bind_to"))
                          for c in plan.get("calls", ()))
    return Attempt(**{**data, "plan": Plan(**plan), "problems": tuple(data.get("problems", ())),
                      "entries": tuple(data.get("entries", ()))})

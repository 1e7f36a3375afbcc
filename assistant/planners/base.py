"""What every planner is: given the context and the attempts so far, propose a plan."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from langchain_core.language_models import BaseChatModel

from assistant.answer import Attempt, Plan
from assistant.context import Context


class Planner(Protocol):
    """Proposes a ``Plan`` for a question. ``history`` holds the earlier attempts with
    their problems, so a planner can repair rather than repeat itself. A planner may
    set ``library_errors_are_final``: when its first plan fails with one of the errors
    the domain pack declares as rejecting the input (``input_errors``), the answer is a
    refusal rather than a repair."""

    name: str

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan: ...


class ModelPlanner:
    """A planner that asks a chat model; ``docs=False`` hides the retrieved docs from it
    (the eval's ``--no-docs`` ablation)."""

    name = "model"

    def __init__(self, model: BaseChatModel, docs: bool = True) -> None:
        self.model = model
        self.docs = docs


def feedback(history: Sequence[Attempt]) -> str:
    """The earlier attempts and what went wrong, as the model will read it."""
    lines = []
    for number, attempt in enumerate(history, start=1):
        tried = attempt.code or ", ".join(attempt.plan.entries) or "(nothing)"
        lines.append(f"Attempt {number}:\n{tried.strip()}\nProblems: " + "; ".join(attempt.problems or ("none",)))
    return "\n\n".join(lines)

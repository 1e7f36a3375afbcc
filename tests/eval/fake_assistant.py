"""A scripted stand-in for ``assistant.Assistant``: same constructor and ``ask``/``close``
interface, real ``Answer`` objects, no model and no sandbox.

It answers by running the task's reference in this process and rendering the result
as the sandbox would. Markers in the question script the other paths:

- ``[boom]``: ``ask`` raises (the harness must record an error and go on);
- ``[repair]``: the first attempt fails with an exception, the second succeeds;
- ``[wrong]``: executes fine but answers a wrong value (first-attempt-wrong with ``[repair]``);
- ``[refuse]``: declines although the task has an answer;
- ``[comply]``: answers ``42`` although the task wants a refusal;
- ``[miss]``: retrieval does not find the required functions;
- ``[offpath]``: the plan calls other functions than the required ones.

Module-level and picklable, so spawned eval workers can build it.
"""

from __future__ import annotations

import dataclasses
import os
from typing import Any

from assistant.answer import Answer, Attempt, Call, Plan

FILLER = tuple(f"fake.filler.entry{i}" for i in range(12))
SECONDS = {"retrieval": 0.01, "model": 0.02, "execution": 0.03, "total": 0.06}


class FakeAssistant:
    def __init__(self, model: str = "local", mode: str = "call", k: int = 8, docs: str = "retrieved",
                 repair_rounds: int = 2) -> None:
        if model == "nope":
            raise ValueError("unknown model 'nope'")
        self.model, self.mode, self.k, self.docs = model, mode, k, docs
        self.pid = os.getpid()

    def ask(self, question: str, *, domain: str | None = None, reference: str | None = None,
            gold_functions: tuple[tuple[str, ...], ...] = ()) -> Answer:
        if "[boom]" in question:
            raise RuntimeError("the fake model fell over\nwith a two-line message")
        names = [alternatives[0] for alternatives in gold_functions]
        retrieved = [*FILLER[:10], *names] if "[miss]" in question else [*names, *FILLER[:10]]
        entries = ["rdkit.Chem.MolToSmiles"] if "[offpath]" in question else names
        if "[refuse]" in question or (reference is None and "[comply]" not in question):
            return answer_of(question, None, entries=(), retrieved=retrieved, refused=True, verdict="refused")
        value = 42 if "[comply]" in question else run_reference(reference)
        if "[wrong]" in question:
            value = -1
        first = [attempt_of(entries, None, status="error")] if "[repair]" in question else []
        answer = answer_of(question, value, entries=entries, retrieved=retrieved, earlier=first)
        return dataclasses.replace(answer, text=f"answered in process {os.getpid()}")

    def close(self) -> None:
        pass


def fake_factory(settings: dict[str, Any]) -> FakeAssistant:
    """What ``run_eval`` calls in each worker (or in process with one worker)."""
    return FakeAssistant(**settings)


def run_reference(reference: str) -> Any:
    """The reference's ``result``, rendered to JSON as the sandbox renders it."""
    from assistant.sandbox._render import render

    namespace: dict[str, Any] = {}
    exec(reference, namespace)  # noqa: S102 - bundled test references only
    return render(namespace["result"]).value


def attempt_of(entries: list[str] | tuple[str, ...], value: Any, *, status: str = "ok", verdict: str | None = None,
               problems: tuple[str, ...] = ()) -> Attempt:
    """One attempt calling ``entries`` whose sandbox result had ``status`` and ``value``."""
    error = None if status == "ok" else {"type": "ValueError", "message": "bad input", "traceback": ""}
    result = {"status": status, "value": value if status == "ok" else None, "repr": repr(value), "type": "float",
              "stdout": "", "stderr": "", "error": error, "seconds": 0.01, "value_truncated": False,
              "new_session": False}
    plan = Plan(calls=tuple(Call(entry=name, bind_to=f"r{i}") for i, name in enumerate(entries)))
    return Attempt(plan=plan, code="result = ...", problems=problems, result=result,
                   verdict=verdict or ("verified" if status == "ok" else "error"), entries=tuple(entries),
                   seconds={"model": 0.02, "execution": 0.03})


def answer_of(question: str, value: Any, *, entries: list[str] | tuple[str, ...] = (), retrieved: list[str] = (),
              refused: bool = False, verdict: str | None = None, status: str = "ok", verified: bool | None = None,
              earlier: list[Attempt] = ()) -> Answer:
    """A real ``Answer`` whose final attempt called ``entries`` and produced ``value``."""
    final = Attempt(plan=Plan(refusal="cannot answer"), code=None, verdict="refused") if refused else \
        attempt_of(entries, value, status=status, verdict=verdict)
    return Answer(
        question=question, value=None if refused else value, text="", code="result = ...",
        entries=tuple({"name": n, "aliases": [], "library": "fake", "version": "1"} for n in entries),
        attempts=(*earlier, final), verified=(not refused and status == "ok") if verified is None else verified,
        refused=refused, reason="cannot answer" if refused else None,
        retrieved=tuple({"name": n, "aliases": [], "score": 1.0 / (i + 1)} for i, n in enumerate(retrieved)),
        seconds=dict(SECONDS))

"""The assistant loop: retrieve → plan → validate → execute → verify → repair → answer.

One direction only (see ``shared/design.md``). A plan that fails validation is fed
back without running; one that fails execution or verification is fed back with the
error and the retrieval is widened by searching for the failing symbol and error
text. When nothing verifies, the answer is a refusal with the reasons, never a
guessed value.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Answer, Attempt, Plan
from assistant.context import Context, Expected, gather
from assistant.planners.base import Planner
from assistant.program import entries_in_code, render
from assistant.sandbox import ExecResult, Sandbox
from assistant.validate import invalid_entities, validate_plan
from assistant.verify import echo_problem, execution_problems, in_unit, value_problems
from domains import get_pack
from retrieval import ApiEntry, Hit, Searcher


@dataclass
class LoopSettings:
    """``k`` entries are shown to the model; up to ``repair_rounds`` retries follow a failure.
    ``docs`` is ``retrieved`` (normal), ``none`` or ``oracle`` (the gold entries only)."""

    k: int = 8
    repair_rounds: int = 2
    docs: str = "retrieved"
    timeout_s: float = 30.0


@dataclass
class _Clock:
    seconds: dict[str, float] = field(default_factory=lambda: {"retrieval": 0.0, "model": 0.0, "execution": 0.0})

    def add(self, stage: str, started: float) -> float:
        """Add the time since ``started`` to ``stage``; return it."""
        elapsed = time.perf_counter() - started
        self.seconds[stage] += elapsed
        return elapsed


def answer_question(question: str, *, planner: Planner, searcher: Searcher, sandbox: Sandbox,
                    settings: LoopSettings, domain: str | None = None, reference: str | None = None,
                    gold_functions: Sequence[Sequence[str]] = ()) -> Answer:
    """Run the whole loop for one question."""
    clock, started = _Clock(), time.perf_counter()
    context = gather(question, domain, searcher, settings.k)
    context.reference = reference
    if settings.docs == "oracle":
        context.hits = _gold_hits(gold_functions, searcher)
    clock.add("retrieval", started)
    sandbox.reset()  # each question starts from an empty session
    attempts: list[Attempt] = []
    bad_inputs = invalid_entities(context.entities) if planner.name != "oracle" else []
    if bad_inputs:
        attempts.append(Attempt(Plan(refusal="; ".join(bad_inputs)), None, tuple(bad_inputs), verdict="refused"))
    for _ in range(settings.repair_rounds + 1 if not bad_inputs else 0):
        attempt = _attempt(context, attempts, planner, searcher, sandbox, settings, clock)
        attempts.append(attempt)
        if attempt.verdict in ("verified", "refused"):
            break
        _retrieve_for_repair(context, attempt, searcher, clock)
    clock.seconds["total"] = time.perf_counter() - started
    return _answer(context, attempts, clock.seconds)


def _attempt(context: Context, history: list[Attempt], planner: Planner, searcher: Searcher, sandbox: Sandbox,
             settings: LoopSettings, clock: _Clock) -> Attempt:
    started = time.perf_counter()
    plan = planner.plan(context, history)
    seconds = {"model": clock.add("model", started)}
    if plan.refusal:
        return Attempt(plan, None, (plan.refusal,), verdict="refused", seconds=seconds)
    checked = validate_plan(plan, context, searcher.entry)
    names = tuple(e.name for e in checked.entries) or entries_in_code(plan.code or "", searcher.entry, context.entries)
    if checked.problems:
        # The best plan needing another kind of input means the question asks for an
        # operation its input does not allow (GC content of a protein): trying other
        # entries until one accepts the input answers a different question.
        verdict = "refused" if checked.wrong_input and not history else "invalid"
        return Attempt(plan, plan.code, tuple(checked.problems), verdict=verdict, entries=names, seconds=seconds)
    code = plan.code if plan.code is not None else render(plan.calls, checked.entries, context.entities)
    started = time.perf_counter()
    result = sandbox.run(_with_result(code), timeout_s=settings.timeout_s)
    seconds["execution"] = clock.add("execution", started)
    problems = execution_problems(result)
    if problems:
        final = not history and getattr(planner, "library_errors_are_final", False) and _library_rejects(result, context)
        return Attempt(plan, code, tuple(problems), result.to_dict(), "refused" if final else "error", names, seconds)
    # A call plan's value is its last entry's return value, so that entry's validators
    # apply; a program may transform what it computed (100 * gc_fraction), so none do.
    last = checked.entries[-1].name if plan.calls and checked.entries else None
    problems = value_problems(result, last, context.domain, context.expected)
    echo = None if problems else echo_problem(result, context.entities, sandbox)
    problems += [echo] if echo else []
    verdict = "unverified" if problems else "verified"
    return Attempt(plan, code, tuple(problems), result.to_dict(), verdict, names, seconds)


def _library_rejects(result: ExecResult, context: Context) -> bool:
    """Did the domain library say the input does not allow the operation (a
    ``TranslationError`` for a CDS with an inner stop)? Only the errors the pack
    declares count: a ``UnitConversionError`` is more often a call written wrong."""
    if result.error is None or not context.domain:
        return False
    return result.error.type.rsplit(".", 1)[-1] in getattr(get_pack(context.domain), "input_errors", ())


def _retrieve_for_repair(context: Context, attempt: Attempt, searcher: Searcher, clock: _Clock) -> None:
    """Search again with the failing symbol and the error text, and offer what is new."""
    started = time.perf_counter()
    symbols = " ".join(name.rsplit(".", 1)[-1] for name in attempt.entries)
    query = f"{context.question} {symbols} {' '.join(attempt.problems)[:300]}"
    context.widen(searcher.search(query, domain=context.domain, k=len(context.hits) + 4))
    clock.add("retrieval", started)


def _with_result(code: str) -> str:
    """Make ``result`` the value of the run when the program only assigns it."""
    lines = code.rstrip().splitlines()
    return code if lines and lines[-1].strip() == "result" else code.rstrip() + "\nresult\n"


def _gold_hits(gold: Sequence[Sequence[str]], searcher: Searcher) -> list[Hit]:
    entries = [searcher.entry(name) for alternatives in gold for name in alternatives[:1]]
    return [Hit(e, 1.0, {"oracle": 1.0}) for e in entries if e is not None]


def _answer(context: Context, attempts: list[Attempt], seconds: dict[str, float]) -> Answer:
    final = attempts[-1] if attempts else None
    retrieved = tuple({"name": h.entry.public_name, "aliases": list(h.entry.names), "score": round(h.score, 4)}
                      for h in context.ranked)
    common = dict(question=context.question, attempts=tuple(attempts), domain=context.domain, retrieved=retrieved,
                  seconds={k: round(v, 4) for k, v in seconds.items()})
    used = tuple(_provenance(e) for e in _entries(final, context)) if final else ()
    if final is None or final.verdict != "verified":
        reasons = _reasons(attempts)
        return Answer(text=f"I can't answer this reliably: {reasons}", code=final.code if final else None,
                      entries=used, refused=True, reason=reasons, **common)
    value = _in_unit(final.value, context.expected)
    return Answer(value=value, text=_sentence(value, used), code=final.code, entries=used, verified=True, **common)


def _entries(attempt: Attempt, context: Context) -> list[ApiEntry]:
    pool = {e.name: e for e in [*(h.entry for h in context.ranked), *context.entries]}
    found = (pool.get(name) or context.lookup(name) for name in attempt.entries)
    return [entry for entry in found if entry is not None]


def _provenance(entry: ApiEntry) -> dict[str, Any]:
    return {"name": entry.public_name, "aliases": list(entry.names), "library": entry.library, "version": entry.version}


def _reasons(attempts: list[Attempt]) -> str:
    refused = [a for a in attempts if a.verdict == "refused"]
    chosen = refused[-1] if refused else attempts[-1] if attempts else None
    if chosen is None or not chosen.problems:
        return "no plan could be made"
    return "; ".join(dict.fromkeys(chosen.problems))[:500]


def _sentence(value: Any, used: Sequence[dict[str, Any]]) -> str:
    shown = f"{value['value']} {value['unit']}".strip() if _is_quantity(value) else repr(value) \
        if isinstance(value, str) else str(value)
    source = f" ({used[-1]['name']}, {used[-1]['library']} {used[-1]['version']})" if used else ""
    return f"The answer is {shown}{source}."


def _in_unit(value: Any, expected: Expected) -> Any:
    """A quantity in the unit the question asked for ("in Mpc"), when it converts."""
    if not (_is_quantity(value) and expected.unit):
        return value
    return in_unit(value, expected.unit) or value


def _is_quantity(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"value", "unit"}


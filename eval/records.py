"""One eval record per task: what the assistant did, stage by stage, as one JSON line.

A record keeps everything the metrics and the report need, so a finished run can be
summarised, compared and reported from ``records.jsonl`` alone, without the
assistant, the index or the task files. Stages say where a task was lost:

- ``retrieved``: every required function was within the top ``k`` entries the model saw;
- ``selected``: every required function was among the entries the final attempt used;
- ``executed``: the final attempt ran without an exception;
- ``verified``: the final result passed verification;
- ``correct``: the answer equals the gold answer by its kind.

``retrieved`` and ``selected`` are ``None`` for a task that lists no functions.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from eval._match import matches_names
from eval.checkers import check
from eval.tasks import Requirement, Task

if TYPE_CHECKING:  # the assistant package is optional for summarising records
    from assistant.answer import Answer, Attempt

STAGES = ("retrieved", "selected", "executed", "verified", "correct")
TIMINGS = ("retrieval", "model", "execution", "total")
ANSWER_KEYS = ("value", "text", "refused", "reason", "verified", "code", "entries")


def make_record(task: Task, answer: Answer, *, model: str, mode: str, k: int, seconds: float) -> dict[str, Any]:
    """The record of ``task`` answered by ``answer``; ``seconds`` is the wall time the
    harness measured, used as the total when the answer does not report one."""
    ranks = [_rank(requirement, answer.retrieved) for requirement in task.functions]
    final = answer.attempts[-1] if answer.attempts else None
    correct = _check(task, answer.value, answer.refused)
    has_functions = bool(task.functions)
    selected = all(matches_names(r, final.entries) for r in task.functions) if final else False
    executed = bool(final and final.result and final.result.get("status") == "ok")
    stages = {
        "retrieved": all(r is not None and r <= k for r in ranks) if has_functions else None,
        "selected": selected if has_functions else None,
        "executed": executed, "verified": bool(answer.verified), "correct": correct,
    }
    # As JSON gives it back: records in memory equal records read from records.jsonl.
    answer_data = json.loads(json.dumps(answer.to_dict(), ensure_ascii=False, default=repr))
    return {
        **_task_fields(task), "model": model, "mode": mode, "k": k,
        "retrieved": [entry["name"] for entry in answer.retrieved], "ranks": ranks,
        "attempts": answer_data["attempts"],
        "answer": {key: answer_data[key] for key in ANSWER_KEYS},
        "first_correct": _first_correct(task, answer, correct), "correct": correct, "stages": stages,
        "function_correct": (executed and selected) if has_functions else None,
        "timings": _timings(answer.seconds, seconds),
        "error": None,
    }


def error_record(task: Task, exc: BaseException, *, model: str, mode: str, k: int,
                 seconds: float) -> dict[str, Any]:
    """The record of a task whose run raised: wrong at every stage, never retrieved,
    with the exception as a one-line ``error``."""
    has_functions = bool(task.functions)
    return {
        **_task_fields(task), "model": model, "mode": mode, "k": k, "retrieved": [],
        "ranks": [None] * len(task.functions), "attempts": [],
        "answer": {"value": None, "text": "", "refused": False, "reason": None, "verified": False, "code": None,
                   "entries": []},
        "first_correct": False, "correct": False,
        "stages": {"retrieved": False if has_functions else None, "selected": False if has_functions else None,
                   "executed": False, "verified": False, "correct": False},
        "function_correct": False if has_functions else None,
        "timings": {"retrieval": None, "model": None, "execution": None, "total": seconds},
        "error": one_line(exc),
    }


def one_line(exc: BaseException) -> str:
    """``Type: message`` on one line, cut to 300 characters."""
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 300 else text[:297] + "..."


def _task_fields(task: Task) -> dict[str, Any]:
    return {"id": task.id, "domain": task.domain, "tags": list(task.tags), "question": task.question,
            "gold": task.answer, "functions": [list(r) for r in task.functions]}


def _timings(reported: dict[str, float], seconds: float) -> dict[str, float | None]:
    timings = {key: reported.get(key) for key in TIMINGS}
    if timings["total"] is None:
        timings["total"] = seconds
    return timings


def _rank(requirement: Requirement, retrieved: tuple[dict[str, Any], ...]) -> int | None:
    """1-based rank of the first retrieved entry that satisfies ``requirement``. All
    aliases count as names; only the entry's own name is imported, as in ``matches``."""
    for rank, entry in enumerate(retrieved, start=1):
        names = (entry["name"], *entry.get("aliases", ()))
        if set(requirement) & set(names) or matches_names(requirement, (entry["name"],)):
            return rank
    return None


def _first_correct(task: Task, answer: Answer, correct: bool) -> bool:
    """Whether the first attempt alone would have been right: what ``repair_gain`` compares with.

    With at most one attempt nothing was repaired, so it is the answer's own verdict.
    Otherwise the first attempt is judged as the assistant answers from an attempt: its
    value if it was verified, else a refusal. (Checking an errored attempt as "not a
    refusal" would credit repair with every refusal task whose attempts all failed.)
    """
    if len(answer.attempts) <= 1:
        return correct
    first: Attempt = answer.attempts[0]
    if first.verdict == "verified":
        return _check(task, first.value, False)
    return _check(task, None, True)


def _check(task: Task, value: Any, refused: bool) -> bool:
    """The checker's verdict; a value a checker cannot even inspect is simply wrong."""
    try:
        return check(task.answer, value, refused)
    except Exception:  # noqa: BLE001 - odd model output must not stop the run
        return False

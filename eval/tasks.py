"""Eval tasks: loading and checking JSONL files written to the task spec.

Any file that follows ``shared/spec/tasks.md`` loads; anything else fails with a
``TaskFormatError`` naming the file, the line and what is wrong.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from domains import domain_names, get_pack
from eval.errors import TaskFormatError

ANSWER_FIELDS: dict[str, set[str]] = {
    "number": {"value"}, "integer": {"value"}, "boolean": {"value"}, "string": {"value"},
    "smiles": {"value"}, "sequence": {"value"}, "quantity": {"value", "unit"}, "list": {"items"},
    "refusal": set(),
}

# A required function: one name, or a list of equally good alternatives.
Requirement = tuple[str, ...]


@dataclass(frozen=True)
class Task:
    """One eval task; ``functions`` holds each requirement as a tuple of alternatives."""

    id: str
    domain: str
    question: str
    answer: dict[str, Any]
    functions: tuple[Requirement, ...] = ()
    reference: str | None = None
    tags: tuple[str, ...] = field(default_factory=tuple)


def load_tasks(paths: Iterable[Path]) -> list[Task]:
    """Tasks of every file in ``paths``, in file order; ids must be unique per file."""
    tasks: list[Task] = []
    for path in paths:
        seen: set[str] = set()
        with Path(path).open(encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                task = parse_task(line, str(path), number)
                if task.id in seen:
                    raise TaskFormatError(str(path), number, f"duplicate id {task.id!r}")
                seen.add(task.id)
                tasks.append(task)
    return tasks


def bundled_task_files(domains: Sequence[str] | None = None) -> list[Path]:
    """The dev sets shipped with the domain packs."""
    return [get_pack(d).tasks() for d in (domains or domain_names())]


def parse_task(line: str, source: str = "<string>", number: int = 1) -> Task:
    """One JSONL line as a ``Task``; raises ``TaskFormatError`` on anything off-spec."""
    def fail(problem: str) -> TaskFormatError:
        return TaskFormatError(source, number, problem)

    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise fail(f"not JSON: {error.msg}") from None
    if not isinstance(data, dict):
        raise fail("a task must be a JSON object")
    for key in ("id", "domain", "question", "answer"):
        if key not in data:
            raise fail(f"missing required field {key!r}")
    if data["domain"] not in domain_names():
        raise fail(f"unknown domain {data['domain']!r}; expected one of {', '.join(domain_names())}")
    _check_answer(data["answer"], fail)
    return Task(
        id=str(data["id"]), domain=data["domain"], question=str(data["question"]), answer=data["answer"],
        functions=_requirements(data.get("functions") or [], fail), reference=data.get("reference"),
        tags=tuple(data.get("tags") or ()),
    )


def _check_answer(answer: Any, fail) -> None:
    if not isinstance(answer, dict) or answer.get("kind") not in ANSWER_FIELDS:
        raise fail(f"answer must be an object whose kind is one of {', '.join(ANSWER_FIELDS)}")
    missing = ANSWER_FIELDS[answer["kind"]] - answer.keys()
    if missing:
        raise fail(f"{answer['kind']} answer lacks {', '.join(sorted(missing))}")
    if answer["kind"] == "list":
        if not isinstance(answer["items"], list):
            raise fail("list answer items must be a list")
        for item in answer["items"]:
            _check_answer(item, fail)


def _requirements(functions: Any, fail) -> tuple[Requirement, ...]:
    if not isinstance(functions, list):
        raise fail("functions must be a list")
    out = []
    for item in functions:
        names = [item] if isinstance(item, str) else item
        if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
            raise fail(f"functions entry {item!r} must be a name or a non-empty list of names")
        out.append(tuple(names))
    return tuple(out)

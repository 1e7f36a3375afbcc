"""Checks on the bundled dev eval sets, ``domains/<domain>/tasks.jsonl``.

They guard the task format of ``shared/spec/tasks.md`` (so the runner can load
the files), that every ``functions`` name is a real import path (so retrieval is
never scored against an entry that cannot exist), and that questions do not
leak the API name they are testing (so retrieval recall means something).

References are not re-executed here; ``python -m eval.build_tasks`` does that
when the files are generated.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from eval.build_tasks import function_names, resolve_name

REPO_ROOT = Path(__file__).resolve().parents[2]
DOMAINS = ("chemistry", "biology", "astronomy")
REQUIRED_FIELDS = ("id", "domain", "question", "answer")
ANSWER_KINDS = {"number", "integer", "boolean", "string", "smiles", "sequence", "quantity", "list", "refusal"}
MIN_TASKS = 110
MIN_REFUSALS = 10
MIN_DISTINCT_FUNCTIONS = 45

# Names that look like code identifiers but are ordinary scientific vocabulary:
# chemists write "TPSA" and astronomers write "WCS", so a question may use them.
ALLOWED_IN_QUESTIONS = {"TPSA", "WCS"}


def load_tasks(domain: str) -> list[dict[str, Any]]:
    """Parse one domain's JSONL file, one task per non-empty line."""
    path = REPO_ROOT / "domains" / domain / "tasks.jsonl"
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def is_code_identifier(name: str) -> bool:
    """True for names only code would use: an inner capital, an underscore or a digit."""
    return "_" in name or any(char.isdigit() for char in name) or any(char.isupper() for char in name[1:])


def answer_problems(answer: Any) -> list[str]:
    """What is wrong with one answer object by the spec's kinds (empty when valid)."""
    if not isinstance(answer, dict) or answer.get("kind") not in ANSWER_KINDS:
        return [f"invalid answer kind in {answer!r}"]
    kind = answer["kind"]
    value = answer.get("value")
    if kind in ("number", "quantity"):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            return [f"{kind} value {value!r} is not a number"]
        if kind == "quantity" and not isinstance(answer.get("unit"), str):
            return ["quantity answer has no unit"]
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            return [f"integer value {value!r} is not an int"]
    elif kind == "boolean":
        if not isinstance(value, bool):
            return [f"boolean value {value!r} is not a bool"]
    elif kind in ("string", "smiles", "sequence"):
        if not isinstance(value, str):
            return [f"{kind} value {value!r} is not a string"]
    elif kind == "list":
        items = answer.get("items")
        if not isinstance(items, list):
            return ["list answer has no items"]
        return [problem for item in items for problem in answer_problems(item)]
    elif kind == "refusal":
        if not isinstance(answer.get("reason"), str):
            return ["refusal answer has no reason"]
    return []


@pytest.mark.parametrize("domain", DOMAINS)
def test_file_exists_and_has_enough_tasks(domain: str) -> None:
    assert (REPO_ROOT / "domains" / domain / "tasks.jsonl").is_file()
    assert len(load_tasks(domain)) >= MIN_TASKS


@pytest.mark.parametrize("domain", DOMAINS)
def test_enough_refusals_and_distinct_functions(domain: str) -> None:
    tasks = load_tasks(domain)
    refusals = [task for task in tasks if task["answer"]["kind"] == "refusal"]
    assert len(refusals) >= MIN_REFUSALS
    names = {name for task in tasks for name in function_names(task)}
    assert len(names) >= MIN_DISTINCT_FUNCTIONS


@pytest.mark.parametrize("domain", DOMAINS)
def test_required_fields_and_answer_kinds(domain: str) -> None:
    problems = []
    for task in load_tasks(domain):
        task_id = task.get("id", "<no id>")
        problems += [f"{task_id}: missing {field}" for field in REQUIRED_FIELDS if field not in task]
        if task.get("domain") != domain:
            problems.append(f"{task_id}: domain {task.get('domain')!r} in the {domain} file")
        if not isinstance(task.get("question"), str) or not task.get("question", "").strip():
            problems.append(f"{task_id}: empty question")
        problems += [f"{task_id}: {problem}" for problem in answer_problems(task.get("answer"))]
        if not isinstance(task.get("tags", []), list):
            problems.append(f"{task_id}: tags is not a list")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("domain", DOMAINS)
def test_ids_are_unique(domain: str) -> None:
    ids = [task["id"] for task in load_tasks(domain)]
    duplicates = sorted({task_id for task_id in ids if ids.count(task_id) > 1})
    assert not duplicates, f"duplicate ids: {duplicates}"


@pytest.mark.parametrize("domain", DOMAINS)
def test_function_names_resolve_by_import(domain: str) -> None:
    problems = []
    for task in load_tasks(domain):
        for entry in task.get("functions", []):
            if isinstance(entry, list) and not (entry and all(isinstance(name, str) for name in entry)):
                problems.append(f"{task['id']}: bad alternatives entry {entry!r}")
        for name in function_names(task):
            try:
                resolve_name(name)
            except Exception as exc:  # any failure means the name is not a usable target
                problems.append(f"{task['id']}: {name} does not resolve ({type(exc).__name__}: {exc})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("domain", DOMAINS)
def test_questions_do_not_name_their_functions(domain: str) -> None:
    problems = []
    for task in load_tasks(domain):
        for name in function_names(task):
            last = name.rsplit(".", 1)[-1]
            if not is_code_identifier(last) or last in ALLOWED_IN_QUESTIONS:
                continue
            if re.search(rf"(?<!\w){re.escape(last)}(?!\w)", task["question"], flags=re.IGNORECASE):
                problems.append(f"{task['id']}: question contains {last!r}")
    assert not problems, "\n".join(problems)

"""Build the bundled dev eval sets from their hand-written sources.

Each ``domains/<domain>/tasks.yaml`` holds tasks *without* gold values: the gold
answer is whatever the task's ``reference`` code computes, so nobody types a
number by hand and the sets can be rebuilt when a library changes.  This script

1. checks every source task (fields, answer kind, unique ids, no hand-typed gold),
2. checks that every name in ``functions`` resolves by import, so that retrieval
   is never scored against an entry that does not exist,
3. runs the references of one domain in a fresh ``python`` subprocess (each in
   its own namespace, with a per-task time limit) and renders ``result`` by the
   answer kind, and
4. writes ``domains/<domain>/tasks.jsonl`` in the format of
   ``shared/spec/tasks.md``, byte-identical for identical input.

Refusal tasks are the exception to step 3: their reference must *fail* (raise,
or leave ``result`` as ``None``), which proves the question really is
unanswerable; the gold answer stays ``{"kind": "refusal", "reason": ...}``.

Run it from the repository root::

    python -m eval.build_tasks                 # all domains
    python -m eval.build_tasks --domain biology
    python -m eval.build_tasks --source benchmarks/heldout/tasks.yaml --out benchmarks/heldout/tasks.jsonl

``--source``/``--out`` build any source file the same way; such a file may mix
domains (each task names its own), and its references run in one subprocess.

The subprocess runs this same module with ``--worker``; the worker is the only
part that imports RDKit / Biopython / Astropy to execute references.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import json
import math
import operator
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
DOMAINS_DIR = REPO_ROOT / "domains"
DOMAINS: tuple[str, ...] = ("chemistry", "biology", "astronomy")

# Key order of a task in the JSONL file (the spec's order).
TASK_KEYS: tuple[str, ...] = ("id", "domain", "question", "answer", "functions", "reference", "tags")
REQUIRED_KEYS: tuple[str, ...] = ("id", "domain", "question", "answer")

ANSWER_KINDS: frozenset[str] = frozenset(
    {"number", "integer", "boolean", "string", "smiles", "sequence", "quantity", "list", "refusal"}
)
# Kinds a list element may have (no nested lists, and a refusal is never an element).
ITEM_KINDS: frozenset[str] = ANSWER_KINDS - {"list", "refusal"}
# Fields that carry the gold value: filled in here, never written in a source.
GOLD_FIELDS: frozenset[str] = frozenset({"value", "items"})

# Time limit for one reference, in seconds.
TASK_TIMEOUT_S = 60


class BuildError(Exception):
    """A source task is wrong; the message names the task."""


# --------------------------------------------------------------------------
# Sources
# --------------------------------------------------------------------------


def source_path(domain: str) -> Path:
    """Where a domain's hand-written task source lives."""
    return DOMAINS_DIR / domain / "tasks.yaml"


def output_path(domain: str) -> Path:
    """Where a domain's generated JSONL eval set is written."""
    return DOMAINS_DIR / domain / "tasks.jsonl"


def load_source_file(path: Path, domain: str | None = None) -> list[dict[str, Any]]:
    """Read and validate a task source file; ``domain=None`` lets each task name its own."""
    with path.open(encoding="utf-8") as handle:
        tasks = yaml.safe_load(handle)
    if not isinstance(tasks, list):
        raise BuildError(f"{path}: expected a YAML list of tasks")
    seen: set[str] = set()
    for position, task in enumerate(tasks):
        if not isinstance(task, dict):
            raise BuildError(f"{path}: entry {position} is not a mapping")
        validate_source_task(task, domain)
        if task["id"] in seen:
            raise BuildError(f"{path}: duplicate task id {task['id']!r}")
        seen.add(task["id"])
    return tasks


def validate_source_task(task: dict[str, Any], domain: str | None) -> None:
    """Check one source task's shape; raise ``BuildError`` naming it if wrong.

    With ``domain=None`` (a mixed source file) the task's domain must be a known one.
    """
    task_id = task.get("id", "<no id>")
    for key in REQUIRED_KEYS:
        if key not in task:
            raise BuildError(f"{task_id}: missing required field {key!r}")
    unknown = set(task) - set(TASK_KEYS)
    if unknown:
        raise BuildError(f"{task_id}: unknown fields {sorted(unknown)}")
    if domain is None and task["domain"] not in DOMAINS:
        raise BuildError(f"{task_id}: domain is {task['domain']!r}, expected one of {list(DOMAINS)}")
    if domain is not None and task["domain"] != domain:
        raise BuildError(f"{task_id}: domain is {task['domain']!r}, expected {domain!r}")
    if not isinstance(task.get("reference"), str):
        raise BuildError(f"{task_id}: a bundled task needs a reference to compute its gold answer")
    answer = task["answer"]
    if not isinstance(answer, dict) or answer.get("kind") not in ANSWER_KINDS:
        raise BuildError(f"{task_id}: answer needs a kind out of {sorted(ANSWER_KINDS)}")
    if GOLD_FIELDS & set(answer):
        raise BuildError(f"{task_id}: the source must not hold a gold value; the reference computes it")
    if answer["kind"] == "quantity" and "unit" not in answer:
        raise BuildError(f"{task_id}: a quantity answer needs a unit")
    if answer["kind"] == "list":
        item = answer.get("item")
        if not isinstance(item, dict) or item.get("kind") not in ITEM_KINDS:
            raise BuildError(f"{task_id}: a list answer needs item: {{kind: ...}} out of {sorted(ITEM_KINDS)}")
        if GOLD_FIELDS & set(item):
            raise BuildError(f"{task_id}: the list item description must not hold a gold value")
    elif "item" in answer:
        raise BuildError(f"{task_id}: only list answers take an item description")
    if answer["kind"] == "refusal" and "reason" not in answer:
        raise BuildError(f"{task_id}: a refusal answer needs a reason")
    functions = task.get("functions", [])
    if not isinstance(functions, list) or not all(
        isinstance(entry, str) or (isinstance(entry, list) and entry and all(isinstance(n, str) for n in entry))
        for entry in functions
    ):
        raise BuildError(f"{task_id}: functions must be a list of names or lists of alternative names")
    if not isinstance(task.get("tags", []), list):
        raise BuildError(f"{task_id}: tags must be a list")


# --------------------------------------------------------------------------
# Function names
# --------------------------------------------------------------------------


def resolve_name(name: str) -> Any:
    """Return the object a dotted API name refers to.

    Imports the longest importable module prefix, then follows the rest with
    ``getattr``; this is how a user would reach the name, so a name that fails
    here would be an impossible retrieval target.
    """
    parts = name.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            obj = getattr(obj, attribute)
        return obj
    raise ImportError(f"no importable module prefix in {name!r}")


def function_names(task: dict[str, Any]) -> list[str]:
    """All names in ``functions``, alternatives in nested lists included."""
    names: list[str] = []
    for entry in task.get("functions", []):
        names.extend([entry] if isinstance(entry, str) else entry)
    return names


def check_functions(tasks: list[dict[str, Any]]) -> list[str]:
    """Return one error message per function name that does not resolve."""
    errors: list[str] = []
    for task in tasks:
        for name in function_names(task):
            try:
                resolve_name(name)
            except Exception as exc:  # any failure means the name is unusable
                errors.append(f"{task['id']}: function {name!r} does not resolve: {type(exc).__name__}: {exc}")
    return errors


# --------------------------------------------------------------------------
# Worker: runs inside the subprocess
# --------------------------------------------------------------------------


def render(result: Any, spec: dict[str, Any]) -> dict[str, Any]:
    """Turn a reference's ``result`` into a gold answer object of ``spec['kind']``.

    ``spec`` is the source answer (or a list's item description); its comparison
    fields (``rtol``, ``unit``, ...) are copied after ``kind`` and the gold value.
    """
    kind = spec["kind"]
    extras = {key: value for key, value in spec.items() if key not in ("kind", "item")}
    if kind == "list":
        items = [render(element, spec["item"]) for element in result]
        return {"kind": kind, "items": items, **extras}
    return {"kind": kind, "value": render_value(result, spec), **extras}


def render_value(result: Any, spec: dict[str, Any]) -> Any:
    """The JSON value of a scalar answer kind; raises if ``result`` does not fit."""
    kind = spec["kind"]
    if kind == "number":
        if isinstance(result, bool):
            raise TypeError("a boolean is not a number answer")
        value = float(result)
        if not math.isfinite(value):
            raise ValueError(f"number answer is not finite: {value}")
        return value
    if kind == "integer":
        if isinstance(result, bool):
            raise TypeError("a boolean is not an integer answer")
        try:
            return operator.index(result)
        except TypeError:
            value = float(result)
            if not value.is_integer():
                raise ValueError(f"integer answer is not integral: {result!r}") from None
            return int(value)
    if kind == "boolean":
        if not isinstance(result, bool) and type(result).__name__ != "bool_":
            raise TypeError(f"boolean answer is a {type(result).__name__}")
        return bool(result)
    if kind == "string":
        return str(result)
    if kind == "smiles":
        from rdkit import Chem

        smiles = Chem.MolToSmiles(result) if isinstance(result, Chem.Mol) else str(result)
        if Chem.MolFromSmiles(smiles) is None:
            raise ValueError(f"gold SMILES does not parse: {smiles!r}")
        return smiles
    if kind == "sequence":
        return str(result)
    if kind == "quantity":
        return float(result.to(spec["unit"]).value)
    raise ValueError(f"cannot render answer kind {kind!r}")


class ReferenceTimeout(Exception):
    """A reference ran past ``TASK_TIMEOUT_S``."""


def _on_alarm(signum: int, frame: Any) -> None:
    raise ReferenceTimeout(f"reference ran longer than {TASK_TIMEOUT_S} s")


def run_reference(job: dict[str, Any]) -> dict[str, Any]:
    """Execute one reference in a fresh namespace and report its outcome.

    Returns ``{"id", "status", ...}`` with status ``ok`` (and the rendered
    ``answer``), ``failed`` (raised, or ``result`` is None: what a refusal task
    needs) or ``error`` (a bug: timeout, no ``result``, or a result that cannot
    be rendered).
    """
    namespace: dict[str, Any] = {"__name__": "__reference__"}
    signal.alarm(TASK_TIMEOUT_S)
    try:
        # References may print; keep stdout clean for the JSON report.
        with contextlib.redirect_stdout(sys.stderr):
            exec(compile(job["reference"], f"<reference {job['id']}>", "exec"), namespace)
    except ReferenceTimeout as exc:
        return {"id": job["id"], "status": "error", "error": str(exc)}
    except Exception as exc:
        return {"id": job["id"], "status": "failed", "error": f"{type(exc).__name__}: {exc}"}
    finally:
        signal.alarm(0)
    if "result" not in namespace:
        return {"id": job["id"], "status": "error", "error": "reference did not set `result`"}
    result = namespace["result"]
    if result is None:
        return {"id": job["id"], "status": "failed", "error": "result is None"}
    if job["answer"]["kind"] == "refusal":
        return {"id": job["id"], "status": "ok", "answer": job["answer"]}
    try:
        answer = render(result, job["answer"])
    except Exception as exc:
        return {"id": job["id"], "status": "error", "error": f"cannot render result {result!r}: {exc}"}
    return {"id": job["id"], "status": "ok", "answer": answer}


def worker_main() -> int:
    """Subprocess entry: read jobs as JSON on stdin, write outcomes as JSON on stdout."""
    # Never reach the network for Earth-orientation tables; bundled data suffices.
    from astropy.utils import iers

    iers.conf.auto_download = False
    signal.signal(signal.SIGALRM, _on_alarm)
    jobs = json.load(sys.stdin)
    outcomes = [run_reference(job) for job in jobs]
    json.dump(outcomes, sys.stdout)
    return 0


# --------------------------------------------------------------------------
# Parent: orchestrates one subprocess per domain
# --------------------------------------------------------------------------


def execute_references(tasks: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Run all references of one domain in a fresh subprocess; outcomes by task id."""
    jobs = [{"id": task["id"], "reference": task["reference"], "answer": task["answer"]} for task in tasks]
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", PYTHONHASHSEED="0")
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "eval.build_tasks", "--worker"],
            input=json.dumps(jobs),
            capture_output=True,
            text=True,
            cwd=REPO_ROOT,
            env=env,
            # Backstop for a reference stuck in C code, where the per-task alarm cannot fire.
            timeout=TASK_TIMEOUT_S * len(jobs) + 60,
            check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise BuildError(f"reference worker did not finish within {exc.timeout} s") from None
    if completed.returncode != 0:
        raise BuildError(f"reference worker crashed (exit {completed.returncode}):\n{completed.stderr}")
    return {outcome["id"]: outcome for outcome in json.loads(completed.stdout)}


def build_task(task: dict[str, Any], outcome: dict[str, Any]) -> dict[str, Any]:
    """The JSONL task: the source with the gold answer filled in, keys in spec order."""
    is_refusal = task["answer"]["kind"] == "refusal"
    if outcome["status"] == "error":
        raise BuildError(f"{task['id']}: {outcome['error']}")
    if is_refusal and outcome["status"] == "ok":
        raise BuildError(f"{task['id']}: refusal task's reference succeeded; it must raise or give None")
    if not is_refusal and outcome["status"] == "failed":
        raise BuildError(f"{task['id']}: reference failed: {outcome['error']}")
    answer = task["answer"] if is_refusal else outcome["answer"]
    built = {key: task[key] for key in TASK_KEYS if key in task}
    built["answer"] = answer
    return {key: built[key] for key in TASK_KEYS if key in built}


def build_domain(domain: str) -> Path:
    """Validate, execute and write one domain's eval set; return the written path.

    Every problem in the domain is collected before failing, so one run shows
    them all; nothing is written unless the whole domain is clean.
    """
    return build_file(source_path(domain), output_path(domain), domain)


def build_file(source: Path, path: Path, domain: str | None = None) -> Path:
    """Validate, execute and write the eval set of one source file to ``path``.

    ``domain=None`` accepts a file that mixes domains.  As for a domain, every
    problem is collected first and nothing is written unless the file is clean.
    """
    tasks = load_source_file(source, domain)
    errors = check_functions(tasks)
    outcomes = execute_references(tasks)
    lines: list[str] = []
    for task in tasks:
        try:
            built = build_task(task, outcomes[task["id"]])
        except BuildError as exc:
            errors.append(str(exc))
            continue
        lines.append(json.dumps(built, ensure_ascii=False))
    if errors:
        raise BuildError(f"{domain or source}: {len(errors)} problem(s):\n  " + "\n  ".join(errors))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8", newline="\n")
    return path


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m eval.build_tasks", description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--domain", action="append", choices=DOMAINS, help="domain to build (repeatable; default: all)"
    )
    parser.add_argument("--source", type=Path, help="build this task source file instead (tasks of any domain)")
    parser.add_argument("--out", type=Path, help="where to write the JSONL built from --source")
    parser.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker_main()
    if (args.source is None) != (args.out is None):
        parser.error("--source and --out go together")
    if args.source is not None:
        if args.domain:
            parser.error("--domain cannot be combined with --source")
        try:
            path = build_file(args.source.resolve(), args.out.resolve())
        except (BuildError, OSError, yaml.YAMLError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
        count = sum(1 for _ in path.open(encoding="utf-8"))
        print(f"{args.source}: wrote {count} tasks to {args.out}")
        return 0
    failed = False
    for domain in args.domain or DOMAINS:
        try:
            path = build_domain(domain)
        except BuildError as exc:
            print(f"error: {exc}", file=sys.stderr)
            failed = True
            continue
        count = sum(1 for _ in path.open(encoding="utf-8"))
        print(f"{domain}: wrote {count} tasks to {path.relative_to(REPO_ROOT)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Run eval tasks through the assistant: one JSON record per task, appended as it ends.

The run directory holds ``run.json`` (the settings) and ``records.jsonl`` (one
record per finished task, flushed and fsynced line by line), so a run that was
killed, or stopped with Ctrl-C, leaves valid records and ``resume=True`` runs only
the tasks still missing. With ``workers > 1`` each of N spawned processes builds one
assistant (and with it one sandbox session) and reuses it for all its tasks; only
the parent writes records, in the order tasks finish.
"""

from __future__ import annotations

import json
import multiprocessing
import multiprocessing.util
import os
import signal
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any, TextIO

from domains.errors import SciwandError
from eval.errors import EvalRunError, RunDirError
from eval.records import error_record, make_record, one_line
from eval.tasks import Task

RECORDS, RUN = "records.jsonl", "run.json"
DEFAULT_SETTINGS: dict[str, Any] = {"model": "local", "mode": "call", "k": 8, "docs": "retrieved"}
Settings = dict[str, Any]
Factory = Callable[[Settings], Any]
OnRecord = Callable[[dict[str, Any]], None]


def build_assistant(settings: Settings) -> Any:
    """The default factory: the same ``Assistant`` that ``sciwand ask`` uses."""
    from assistant import Assistant

    return Assistant(**settings)


def run_eval(tasks: Sequence[Task], settings: Settings, out_dir: Path, *, workers: int = 1, resume: bool = False,
             on_record: OnRecord | None = None, factory: Factory = build_assistant) -> list[dict[str, Any]]:
    """Answer ``tasks`` with assistants built by ``factory(settings)``; the records, in task order.

    ``settings`` are the assistant's keyword arguments (``DEFAULT_SETTINGS`` fill the
    gaps). ``on_record`` sees every record as it becomes known: first those already in
    ``out_dir`` (with ``resume``), then each new one. ``factory`` must be picklable
    (a module-level callable) when ``workers > 1``.
    """
    settings = _normal({**DEFAULT_SETTINGS, **settings})
    _unique_ids(tasks)
    out_dir = Path(out_dir)
    wanted = {task.id for task in tasks}
    records = {i: r for i, r in _prepare(out_dir, settings, resume).items() if i in wanted}
    for record in records.values():
        if on_record:
            on_record(record)
    todo = [task for task in tasks if task.id not in records]
    with (out_dir / RECORDS).open("a", encoding="utf-8") as sink:
        def keep(record: dict[str, Any]) -> None:
            _append(sink, record)
            records[record["id"]] = record
            if on_record:
                on_record(record)

        if todo:
            run = _run_serial if workers <= 1 or len(todo) == 1 else _run_pool
            run(todo, settings, factory, keep, min(workers, len(todo)))
    return [records[task.id] for task in tasks if task.id in records]


def run_task(assistant: Any, task: Task, settings: Settings) -> dict[str, Any]:
    """One task's record; an exception becomes an error record, never a stopped run."""
    labels = {"model": settings["model"], "mode": settings["mode"], "k": settings["k"]}
    started = time.perf_counter()
    try:
        answer = assistant.ask(task.question, domain=task.domain, reference=task.reference,
                               gold_functions=task.functions)
        return make_record(task, answer, seconds=time.perf_counter() - started, **labels)
    except Exception as exc:  # noqa: BLE001 - a failing task counts as wrong and the run goes on
        return error_record(task, exc, seconds=time.perf_counter() - started, **labels)


def describe(settings: Settings) -> str:
    """``model=local mode=call k=8 docs=retrieved``: settings as a user would type them."""
    return " ".join(f"{key}={value}" for key, value in settings.items())


def read_records(path: Path, *, repair: bool = False) -> dict[str, dict[str, Any]]:
    """Records of ``records.jsonl`` by task id. A torn last line (a run killed while
    writing) is ignored, and with ``repair`` cut off so appends start on a clean line."""
    data = path.read_bytes() if path.exists() else b""
    records: dict[str, dict[str, Any]] = {}
    lines = data.splitlines(keepends=True)
    offset = 0
    for number, line in enumerate(lines, start=1):
        try:
            record = json.loads(line) if line.endswith(b"\n") else None
        except ValueError:
            record = None
        if not isinstance(record, dict) or "id" not in record:
            if number < len(lines):
                raise RunDirError(f"{path}:{number}: not an eval record; move the file away or choose another --out")
            if repair:
                with path.open("r+b") as handle:
                    handle.truncate(offset)
            break
        records[record["id"]] = record
        offset += len(line)
    return records


def _prepare(out_dir: Path, settings: Settings, resume: bool) -> dict[str, dict[str, Any]]:
    """Check ``out_dir`` fits this run, write ``run.json``; the records already there."""
    out_dir.mkdir(parents=True, exist_ok=True)
    records_path, run_path = out_dir / RECORDS, out_dir / RUN
    if not resume:
        if records_path.exists() and records_path.stat().st_size:
            raise RunDirError(f"{out_dir} already holds eval records; pass --resume to continue that run "
                              "or choose another --out")
    elif records_path.exists() and records_path.stat().st_size:
        recorded = _recorded_settings(run_path)
        if recorded != settings:
            was = describe(recorded) if recorded else "unknown settings (no readable run.json)"
            raise RunDirError(f"cannot resume {out_dir}: it was run with {was}, not {describe(settings)}; "
                              "resume with the same settings or choose another --out")
    run_path.write_text(json.dumps({"settings": settings}, indent=2) + "\n", encoding="utf-8")
    return read_records(records_path, repair=True) if resume else {}


def _recorded_settings(run_path: Path) -> Settings | None:
    try:
        return json.loads(run_path.read_text(encoding="utf-8"))["settings"]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _append(sink: TextIO, record: dict[str, Any]) -> None:
    """One record, one line, on disk before the next task is counted."""
    sink.write(json.dumps(record, ensure_ascii=False, default=repr) + "\n")
    sink.flush()
    os.fsync(sink.fileno())


def _run_serial(todo: list[Task], settings: Settings, factory: Factory, keep: OnRecord, workers: int) -> None:
    assistant = _start(factory, settings)
    try:
        for task in todo:
            keep(run_task(assistant, task, settings))
    finally:
        _close(assistant)


def _run_pool(todo: list[Task], settings: Settings, factory: Factory, keep: OnRecord, workers: int) -> None:
    """Tasks spread over ``workers`` spawned processes; records kept as they complete."""
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                               initializer=_init_worker, initargs=(factory, settings, workers))
    finished = False
    try:
        futures: dict[Future, Task] = {pool.submit(_work, task, settings): task for task in todo}
        for future in as_completed(futures):
            record = future.result()
            if "fatal" in record:
                raise EvalRunError(f"could not start the assistant with {describe(settings)}: {record['fatal']}")
            keep(record)
        finished = True
    except BrokenProcessPool:
        raise EvalRunError("a worker process died; the records written so far are kept: "
                           "run again with --resume to finish the remaining tasks") from None
    finally:
        if not finished:  # Ctrl-C or an error: stop the workers now, not after their current task
            for process in list((getattr(pool, "_processes", None) or {}).values()):
                process.terminate()
        pool.shutdown(wait=True, cancel_futures=True)


_WORKER: dict[str, Any] = {}


def _init_worker(factory: Factory, settings: Settings, workers: int) -> None:
    """Build this worker's one assistant; a failure is reported by its first task."""
    signal.signal(signal.SIGINT, lambda *_: None)  # the parent handles Ctrl-C and stops the pool
    from assistant.local_llm import THREADS_VARIABLE

    # An embedded model in each worker gets its share of the cores, not all of them.
    os.environ.setdefault(THREADS_VARIABLE, str(max(1, (os.cpu_count() or 1) // workers)))
    try:
        assistant = factory(settings)
    except Exception as exc:  # noqa: BLE001 - sent to the parent as one line
        _WORKER["fatal"] = str(exc) if isinstance(exc, SciwandError) else one_line(exc)
        return
    _WORKER["assistant"] = assistant
    multiprocessing.util.Finalize(None, _close, args=(assistant,), exitpriority=10)


def _work(task: Task, settings: Settings) -> dict[str, Any]:
    if "fatal" in _WORKER:
        return {"fatal": _WORKER["fatal"]}
    return run_task(_WORKER["assistant"], task, settings)


def _start(factory: Factory, settings: Settings) -> Any:
    try:
        return factory(settings)
    except Exception as exc:  # noqa: BLE001 - one clear line instead of a traceback
        detail = str(exc) if isinstance(exc, SciwandError) else one_line(exc)
        raise EvalRunError(f"could not start the assistant with {describe(settings)}: {detail}") from exc


def _close(assistant: Any) -> None:
    close = getattr(assistant, "close", None)
    if close is not None:
        close()


def _normal(settings: Settings) -> Settings:
    """Settings as JSON gives them back, so a resumed run compares equal."""
    return json.loads(json.dumps(settings))


def _unique_ids(tasks: Sequence[Task]) -> None:
    seen: set[str] = set()
    for task in tasks:
        if task.id in seen:
            raise EvalRunError(f"task id {task.id!r} appears twice in this run; records are keyed by id, "
                              "so ids must be unique across the task files of one run")
        seen.add(task.id)

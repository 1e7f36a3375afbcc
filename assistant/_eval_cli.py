"""``sciwand eval``: retrieval-only runs, full runs through the assistant, and ``compare``.

Progress and notes go to the stderr console; the caller prints the returned table or,
with ``--json``, the summary alone on stdout.
"""

from __future__ import annotations

import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant._progress import build_with_progress
from eval.retrieval_metrics import KS, evaluate_task, retrieval_summary
from eval.runner import build_assistant
from eval.tasks import Task, bundled_task_files, load_tasks

# What builds each assistant of a full run; tests put a picklable fake here.
assistant_factory = build_assistant


def load_eval_tasks(task_files: Sequence[Path] | None, domains: Sequence[str] | None) -> list[Task]:
    """Tasks of ``task_files`` (default: the bundled dev sets), kept to ``domains`` if given."""
    tasks = load_tasks(task_files or bundled_task_files(list(domains) if domains else None))
    return [t for t in tasks if t.domain in domains] if domains else tasks


def run_retrieval_eval(task_files: list[Path] | None, domains: list[str] | None, k: int,
                       console: Console) -> tuple[dict, Table]:
    """Evaluate retrieval on the tasks; returns the spec summary and a table of it."""
    from retrieval import IndexStore, Searcher

    tasks = load_eval_tasks(task_files, domains)
    needed = sorted({t.domain for t in tasks})
    store = IndexStore()
    build_with_progress(store, needed, False, console, only_missing=True)
    searcher = Searcher(store, needed)
    records = []
    columns = (TextColumn("retrieval eval"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
               TextColumn("recall@5 {task.fields[recall]}"))
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("eval", total=len(tasks), recall="-")
        for task in tasks:
            records.append(evaluate_task(task, lambda q: searcher.search(q, k=max(k, max(KS)))))
            scored = [r.recall(5) for r in records if r.ranks]
            progress.update(bar, advance=1, recall=f"{sum(scored) / len(scored):.3f}" if scored else "-")
    summary = retrieval_summary(records)
    return summary, _table(summary)


def default_out_dir(model: str, mode: str) -> Path:
    """``sciwand-eval/<model>-<mode>-<timestamp>``, with the model name made path-safe
    (``openai:gpt-4o`` becomes ``openai-gpt-4o``)."""
    safe = re.sub(r"[^A-Za-z0-9._-]+", "-", model).strip("-") or "model"
    return Path("sciwand-eval") / f"{safe}-{mode}-{time.strftime('%Y%m%d-%H%M%S')}"


def run_assistant_eval(task_files: list[Path] | None, domains: list[str] | None, settings: dict[str, Any],
                       out_dir: Path, workers: int, resume: bool,
                       console: Console) -> tuple[dict, Table, tuple[Path, Path]]:
    """Answer the tasks with the assistant, write records, summary and report into
    ``out_dir``; returns the summary, a table of it and the report paths."""
    from eval.metrics import save_summary, summarise
    from eval.report import write_report
    from eval.runner import run_eval
    from retrieval import IndexStore

    tasks = load_eval_tasks(task_files, domains)
    # Built once here, so N workers do not each start building the same missing index.
    build_with_progress(IndexStore(), sorted({t.domain for t in tasks}), False, console, only_missing=True)
    columns = (TextColumn(f"eval {settings['model']} / {settings['mode']}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("accuracy {task.fields[accuracy]}"))
    correct = []
    with Progress(*columns, console=console, transient=True) as progress:
        bar = progress.add_task("eval", total=len(tasks), accuracy="-")

        def advance(record: dict) -> None:
            correct.append(record["correct"])
            progress.update(bar, advance=1, accuracy=f"{sum(correct) / len(correct):.3f}")

        try:
            records = run_eval(tasks, settings, out_dir, workers=workers, resume=resume, on_record=advance,
                               factory=assistant_factory)
        except KeyboardInterrupt:
            console.print(f"interrupted: {len(correct)} records kept in {out_dir}; "
                          f"continue with --resume --out {out_dir}", highlight=False)
            raise
    summary = summarise(records, settings["model"], settings["mode"])
    save_summary(summary, out_dir)
    return summary, summary_table(summary), write_report(records, summary, out_dir)


_SHORT = {"accuracy": "acc", "executed": "exec", "functions": "func", "recall@1": "r@1", "recall@5": "r@5",
          "recall@10": "r@10", "repair gain": "repair"}


def summary_table(summary: dict) -> Table:
    """The report's overall, per-domain and per-tag rows as one Rich table."""
    from eval.report import report_sections

    table = Table(title=f"{summary['model']} / {summary['mode']} on {summary['tasks']} tasks",
                  box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
    sections = report_sections(summary)[:3]
    for column in sections[0][1]:
        number = column != "slice"
        table.add_column(_SHORT.get(column, column), justify="right" if number else "left", no_wrap=number,
                         min_width=5 if number else None, overflow="ellipsis" if number else "fold")
    for prefix, (_, _, rows) in zip(("", "domain: ", "tag: "), sections):
        for row in rows:
            table.add_row(escape(prefix + row[0]), *row[1:])
    return table


def _table(summary: dict) -> Table:
    table = Table(title=f"Retrieval on {summary['tasks']} tasks")
    keys = [f"retrieval_recall@{k}" for k in KS] + ["mrr"]
    for column in ("slice", *[key.replace("retrieval_", "") for key in keys], "p50 s", "p95 s"):
        table.add_column(column, justify="left" if column == "slice" else "right")
    rows = [("overall", summary["overall"])] + [(f"domain: {d}", m) for d, m in summary["by_domain"].items()] + \
        [(f"tag: {t}", m) for t, m in summary["by_tag"].items()]
    for label, metrics in rows:
        cells = ["-" if metrics[key] is None else f"{metrics[key]:.3f}" for key in keys]
        latency = metrics["latency_s"]
        table.add_row(label, *cells, *("-" if latency[p] is None else f"{latency[p]:.3f}" for p in ("p50", "p95")))
    return table

"""``sciwand eval --retrieval-only``: load tasks, search each question, summarise."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant._progress import build_with_progress
from eval.retrieval_metrics import KS, evaluate_task, retrieval_summary
from eval.tasks import bundled_task_files, load_tasks


def run_retrieval_eval(task_files: list[Path] | None, domains: list[str] | None, k: int,
                       console: Console) -> tuple[dict, Table]:
    """Evaluate retrieval on the tasks; returns the spec summary and a table of it."""
    from retrieval import IndexStore, Searcher

    tasks = load_tasks(task_files or bundled_task_files(domains))
    if domains:
        tasks = [t for t in tasks if t.domain in domains]
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

"""Retrieval-only evaluation: recall@k and MRR of the required functions, and latency.

For a task, ``recall@k`` is the share of its required functions (each a name or a
set of alternatives) matched by one of the top ``k`` hits; ``mrr`` is the mean over
its required functions of 1/rank of the first matching hit (0 beyond the hits
retrieved). Both are averaged over the tasks that list functions.
"""

from __future__ import annotations

import statistics
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from eval._match import matches
from eval.tasks import Task
from retrieval import Hit

KS = (1, 5, 10)
Search = Callable[[str], list[Hit]]


@dataclass(frozen=True)
class RetrievalRecord:
    """What retrieval did for one task: the ranks of its required functions."""

    task: Task
    ranks: tuple[int | None, ...]
    retrieved: tuple[str, ...]
    seconds: float

    def recall(self, k: int) -> float:
        return sum(1 for r in self.ranks if r is not None and r <= k) / len(self.ranks)

    def reciprocal_rank(self) -> float:
        return sum(1 / r for r in self.ranks if r is not None) / len(self.ranks)


def evaluate_task(task: Task, search: Search) -> RetrievalRecord:
    started = time.perf_counter()
    hits = search(task.question)
    seconds = time.perf_counter() - started
    ranks = tuple(next((i for i, hit in enumerate(hits, start=1) if matches(req, hit.entry)), None)
                  for req in task.functions)
    return RetrievalRecord(task, ranks, tuple(h.entry.public_name for h in hits), seconds)


def summarise_records(records: Sequence[RetrievalRecord]) -> dict[str, Any]:
    """The spec's retrieval keys: ``retrieval_recall@k``, ``mrr``, ``latency_s``;
    ``None`` where no task lists functions."""
    scored = [r for r in records if r.ranks]
    metrics: dict[str, Any] = {f"retrieval_recall@{k}": _mean([r.recall(k) for r in scored]) for k in KS}
    metrics["mrr"] = _mean([r.reciprocal_rank() for r in scored])
    metrics["latency_s"] = percentiles([r.seconds for r in records])
    return metrics


def retrieval_summary(records: Sequence[RetrievalRecord]) -> dict[str, Any]:
    """Overall, per-domain and per-tag metrics in the spec's summary shape."""
    by_domain: dict[str, list[RetrievalRecord]] = defaultdict(list)
    by_tag: dict[str, list[RetrievalRecord]] = defaultdict(list)
    for record in records:
        by_domain[record.task.domain].append(record)
        for tag in record.task.tags:
            by_tag[tag].append(record)
    return {
        "tasks": len(records), "model": None, "mode": "retrieval-only",
        "overall": summarise_records(records),
        "by_domain": {d: summarise_records(rs) for d, rs in sorted(by_domain.items())},
        "by_tag": {t: summarise_records(rs) for t, rs in sorted(by_tag.items())},
    }


def percentiles(values: Sequence[float]) -> dict[str, float | None]:
    if not values:
        return {"p50": None, "p95": None}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": round(statistics.median(ordered), 4), "p95": round(p95, 4)}


def _mean(values: Sequence[float]) -> float | None:
    return round(statistics.fmean(values), 4) if values else None

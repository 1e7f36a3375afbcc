"""The spec's summary of an eval run, computed from its records alone.

Every slice (overall, each domain, each tag) carries the same keys; a metric that
cannot be computed for a slice (no task in it lists functions, no timing was
reported) is ``None``, never left out. Definitions, over the slice's tasks:

- ``answer_accuracy``: share answered correctly (refusal tasks included);
- ``execution_rate``: share whose final attempt ran without an exception;
- ``function_accuracy``: share, of tasks listing functions, whose final attempt ran
  and used every required function;
- ``retrieval_recall@k`` / ``mrr``: as in ``eval.retrieval_metrics``, from the ranks
  of the required functions among the retrieved entries;
- ``repair_gain``: ``answer_accuracy`` minus the accuracy of the first attempts;
- ``latency_s``: p50/p95 of the total time per task.

Two keys go beyond the spec: ``funnel``, the share of tasks passing each stage
(``retrieved`` and ``selected`` over the tasks that list functions), and
``stage_latency_s``, p50/p95 of retrieval, model and execution time.
"""

from __future__ import annotations

import json
import statistics
from collections import defaultdict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eval.records import STAGES
from eval.retrieval_metrics import KS, percentiles

Record = dict[str, Any]
SUMMARY = "summary.json"
METRICS = ("answer_accuracy", "execution_rate", "function_accuracy", *(f"retrieval_recall@{k}" for k in KS), "mrr",
           "repair_gain", "latency_s")


def summarise(records: Sequence[Record], model: str | None, mode: str | None) -> dict[str, Any]:
    """Overall, per-domain and per-tag metrics of ``records`` in the spec's summary shape."""
    by_domain: dict[str, list[Record]] = defaultdict(list)
    by_tag: dict[str, list[Record]] = defaultdict(list)
    for record in records:
        by_domain[record["domain"]].append(record)
        for tag in record.get("tags") or ():
            by_tag[tag].append(record)
    return {
        "tasks": len(records), "model": model, "mode": mode,
        "overall": slice_metrics(records),
        "by_domain": {d: slice_metrics(rs) for d, rs in sorted(by_domain.items())},
        "by_tag": {t: slice_metrics(rs) for t, rs in sorted(by_tag.items())},
    }


def slice_metrics(records: Sequence[Record]) -> dict[str, Any]:
    """The metrics of one slice of records (see the module docstring)."""
    scored = [r["ranks"] for r in records if r.get("ranks")]
    accuracy = _mean(r["correct"] for r in records)
    first = _mean(r["first_correct"] for r in records)
    metrics: dict[str, Any] = {
        "answer_accuracy": accuracy,
        "execution_rate": _mean(r["stages"]["executed"] for r in records),
        "function_accuracy": _mean(r["function_correct"] for r in records),
        **{f"retrieval_recall@{k}": _mean(_recall(ranks, k) for ranks in scored) for k in KS},
        "mrr": _mean(sum(1 / r for r in ranks if r) / len(ranks) for ranks in scored),
        "repair_gain": None if accuracy is None or first is None else round(accuracy - first, 4),
        "latency_s": _latency(records, "total"),
    }
    metrics["funnel"] = {stage: _mean(r["stages"][stage] for r in records) for stage in STAGES}
    metrics["stage_latency_s"] = {stage: _latency(records, stage) for stage in ("retrieval", "model", "execution")}
    return metrics


def save_summary(summary: dict[str, Any], out_dir: Path) -> Path:
    """``out_dir/summary.json``, what ``sciwand eval compare`` reads back."""
    path = Path(out_dir) / SUMMARY
    path.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")
    return path


def _recall(ranks: Sequence[int | None], k: int) -> float:
    return sum(1 for r in ranks if r is not None and r <= k) / len(ranks)


def _latency(records: Sequence[Record], stage: str) -> dict[str, float | None]:
    return percentiles([t for r in records if (t := (r.get("timings") or {}).get(stage)) is not None])


def _mean(values: Iterable[bool | float | None]) -> float | None:
    """Mean of the values that are not ``None`` (booleans count 1/0); ``None`` if none."""
    known = [float(v) for v in values if v is not None]
    return round(statistics.fmean(known), 4) if known else None

"""Compare eval runs side by side: ``sciwand eval compare DIR_A DIR_B ...``.

Each run directory's ``summary.json`` is read back; the overall metrics and the
per-domain answer accuracy are lined up, with each run's delta against the first.
Retrieval-only summaries compare too: the metrics they lack are ``None``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.errors import RunDirError
from eval.metrics import METRICS, SUMMARY

# Overall metrics compared, by dotted path into the slice; latency: lower is better.
COMPARED = (*(m for m in METRICS if m != "latency_s"), "latency_s.p50", "latency_s.p95")


def load_summary(run_dir: Path) -> dict[str, Any]:
    """The ``summary.json`` of an eval run directory."""
    path = Path(run_dir) / SUMMARY
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RunDirError(f"no {SUMMARY} in {run_dir}: pass directories written by sciwand eval --out") from None
    except ValueError as error:
        raise RunDirError(f"{path} is not JSON ({error}); rerun that eval with --resume to rewrite it") from None


def compare_runs(run_dirs: Sequence[Path]) -> dict[str, Any]:
    """Runs, overall metrics and per-domain accuracy, each as values and deltas vs the first run."""
    summaries = [load_summary(d) for d in run_dirs]
    domains = sorted({d for s in summaries for d in s.get("by_domain", {})})
    return {
        "runs": [{"dir": str(d), "model": s.get("model"), "mode": s.get("mode"), "tasks": s.get("tasks")}
                 for d, s in zip(run_dirs, summaries)],
        "overall": {key: _row([_get(s.get("overall", {}), key) for s in summaries]) for key in COMPARED},
        "by_domain": {d: _row([_get(s.get("by_domain", {}).get(d, {}), "answer_accuracy") for s in summaries])
                      for d in domains},
    }


def compare_table(comparison: dict[str, Any]):
    """A Rich table: one column per run, ``value (delta)`` cells, better deltas green."""
    from rich.markup import escape
    from rich.table import Table

    runs = comparison["runs"]
    table = Table(title=f"Comparison of {len(runs)} eval runs (deltas vs the first)")
    table.add_column("metric")
    for run in runs:
        table.add_column(escape(f"{Path(run['dir']).name}\n{run['model']} / {run['mode']}, {run['tasks']} tasks"),
                         justify="right")
    rows = [(key, row) for key, row in comparison["overall"].items()] + \
        [(f"answer_accuracy ({d})", row) for d, row in comparison["by_domain"].items()]
    for key, row in rows:
        lower_is_better = key.startswith("latency")
        table.add_row(key, *(_cell(v, d, lower_is_better) for v, d in zip(row["values"], row["deltas"])))
    return table


def _row(values: list[float | None]) -> dict[str, list[float | None]]:
    first = values[0]
    deltas = [None if i == 0 or v is None or first is None else round(v - first, 4) for i, v in enumerate(values)]
    return {"values": values, "deltas": deltas}


def _get(metrics: dict[str, Any], dotted: str) -> float | None:
    value: Any = metrics
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value if isinstance(value, (int, float)) else None


def _cell(value: float | None, delta: float | None, lower_is_better: bool) -> str:
    if value is None:
        return "-"
    if delta is None:
        return f"{value:.3f}"
    better = delta < 0 if lower_is_better else delta > 0
    colour = "green" if better else "red" if delta else "dim"
    return f"{value:.3f} [{colour}]({delta:+.3f})[/{colour}]"

"""A run's report: ``report.md`` for reading in a terminal or a pull request, and
``report.html``, one self-contained page (inline CSS, plots as base64 PNGs) that
opens anywhere with no network: it references no external URL at all.

Both are built from the same sections (overall, per domain, per tag, funnel,
latency, failed tasks), computed from the summary and the records alone.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from eval.records import STAGES

Record = dict[str, Any]
Section = tuple[str, list[str], list[list[str]]]  # title, header, rows
_COLUMNS = (("answer_accuracy", "accuracy"), ("execution_rate", "executed"), ("function_accuracy", "functions"),
            ("retrieval_recall@1", "recall@1"), ("retrieval_recall@5", "recall@5"),
            ("retrieval_recall@10", "recall@10"), ("mrr", "mrr"), ("repair_gain", "repair gain"))
_CSS = """body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1100px;color:#222}
table{border-collapse:collapse;margin:.5em 0 1.5em}th,td{border:1px solid #ccc;padding:.25em .6em}
td{text-align:right}td:first-child{text-align:left}th{background:#f3f3f3}
figure{display:inline-block;margin:0 1em 1em 0}code{font-size:13px}li{margin:.2em 0}"""


def write_report(records: Sequence[Record], summary: dict[str, Any], out_dir: Path) -> tuple[Path, Path]:
    """Write ``report.md`` and ``report.html`` into ``out_dir``; their paths."""
    out_dir = Path(out_dir)
    sections = report_sections(summary)
    failures = [(r["id"], r["domain"], failure_reason(r)) for r in records if not r["correct"]]
    title = f"sciwand eval: {summary['model']} / {summary['mode']}, {summary['tasks']} tasks"
    md_path, html_path = out_dir / "report.md", out_dir / "report.html"
    md_path.write_text(_markdown(title, sections, failures), encoding="utf-8")
    html_path.write_text(_html(title, sections, failures, _charts(records, summary)), encoding="utf-8")
    return md_path, html_path


def report_sections(summary: dict[str, Any]) -> list[Section]:
    """The report's tables as plain strings: metrics per slice, funnel, latency."""
    header = ["slice", *(label for _, label in _COLUMNS), "p50 s", "p95 s"]
    def rows(slices: dict[str, dict[str, Any]]) -> list[list[str]]:
        return [[name, *(_fmt(m.get(key)) for key, _ in _COLUMNS),
                 *(_fmt(m["latency_s"][p]) for p in ("p50", "p95"))] for name, m in slices.items()]
    slices = {"overall": summary["overall"], **summary["by_domain"]}
    funnel = [[stage, *(_fmt(m.get("funnel", {}).get(stage)) for m in slices.values())] for stage in STAGES]
    overall = summary["overall"]
    stages = {**overall.get("stage_latency_s", {}), "total": overall["latency_s"]}
    return [
        ("Overall", header, rows({"overall": overall})),
        ("Per domain", header, rows(summary["by_domain"])),
        ("Per tag", header, rows(summary["by_tag"])),
        ("Stage funnel (share of tasks passing each stage)", ["stage", *slices], funnel),
        ("Latency (seconds)", ["stage", "p50", "p95"],
         [[stage, _fmt(p["p50"]), _fmt(p["p95"])] for stage, p in stages.items()]),
    ]


def failure_reason(record: Record) -> str:
    """Why a task failed, in one line: the harness error, the final attempt's last
    problem or exception, or the wrong value against the gold answer."""
    if record.get("error"):
        return f"harness error: {record['error']}"
    final = record["attempts"][-1] if record["attempts"] else {}
    result = final.get("result") or {}
    answer, gold = record["answer"], record["gold"]
    if final.get("problems"):
        reason = final["problems"][-1]
    elif result.get("error"):
        reason = f"{result['error'].get('type')}: {result['error'].get('message')}"
    elif result.get("status") not in (None, "ok"):
        reason = f"execution ended: {result['status']}"
    elif answer["refused"]:
        reason = f"refused: {answer.get('reason') or 'no reason given'}"
    elif gold["kind"] == "refusal":
        reason = f"answered {_brief(answer['value'])} instead of refusing"
    else:
        reason = f"got {_brief(answer['value'])}, expected {_brief(gold)}"
    text = " ".join(str(reason).split())
    return text if len(text) <= 240 else text[:237] + "..."


def _markdown(title: str, sections: list[Section], failures: list[tuple[str, str, str]]) -> str:
    lines = [f"# {title}", ""]
    for name, header, rows in sections:
        lines += [f"## {name}", "", "| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows] + [""]
    lines += [f"## Failed tasks ({len(failures)})", ""]
    lines += [f"- `{task}` ({domain}): {reason.replace('|', '/')}" for task, domain, reason in failures] or ["none"]
    return "\n".join(lines) + "\n"


def _html(title: str, sections: list[Section], failures: list[tuple[str, str, str]], charts: list[str]) -> str:
    parts = [f"<!doctype html><html><head><meta charset='utf-8'><title>{_esc(title)}</title>",
             f"<style>{_CSS}</style></head><body><h1>{_esc(title)}</h1>"]
    parts += [f"<figure><img alt='chart' src='data:image/png;base64,{png}'></figure>" for png in charts]
    for name, header, rows in sections:
        parts.append(f"<h2>{_esc(name)}</h2><table><tr>{''.join(f'<th>{_esc(h)}</th>' for h in header)}</tr>")
        parts += [f"<tr>{''.join(f'<td>{_esc(cell)}</td>' for cell in row)}</tr>" for row in rows]
        parts.append("</table>")
    parts.append(f"<h2>Failed tasks ({len(failures)})</h2><ul>")
    parts += [f"<li><code>{_esc(task)}</code> ({_esc(domain)}): {_esc(reason)}</li>" for task, domain, reason in failures]
    parts.append("</ul></body></html>")
    return "\n".join(parts) + "\n"


def _charts(records: Sequence[Record], summary: dict[str, Any]) -> list[str]:
    """Accuracy per domain, the overall stage funnel and a latency histogram, as base64 PNGs."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    def png(draw) -> str:
        figure = Figure(figsize=(4.8, 3.2), dpi=100, layout="constrained")
        FigureCanvasAgg(figure)
        draw(figure.add_subplot())
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        return base64.b64encode(buffer.getvalue()).decode("ascii")

    domains = summary["by_domain"]
    funnel = summary["overall"].get("funnel", {})
    totals = [r["timings"]["total"] for r in records if r.get("timings", {}).get("total") is not None]

    def accuracy(ax) -> None:
        ax.bar(list(domains), [m["answer_accuracy"] or 0 for m in domains.values()], color="#4c72b0")
        ax.set(ylim=(0, 1), ylabel="answer accuracy", title="Accuracy per domain")

    def stages(ax) -> None:
        ax.barh(list(STAGES)[::-1], [funnel.get(s) or 0 for s in STAGES][::-1], color="#55a868")
        ax.set(xlim=(0, 1), xlabel="share of tasks", title="Stage funnel")

    def latency(ax) -> None:
        ax.hist(totals or [0], bins=min(30, max(5, len(totals) // 3)), color="#c44e52")
        ax.set(xlabel="seconds per task", ylabel="tasks", title="Latency")

    return [png(accuracy), png(stages), png(latency)]


def _fmt(value: Any) -> str:
    return "-" if value is None else f"{value:.3f}" if isinstance(value, float) else str(value)


def _brief(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 100 else text[:97] + "..."


def _esc(text: str) -> str:
    """HTML-escaped, with ``://`` broken so no text in the page can become a link or a fetch."""
    return html.escape(text).replace("://", ":&#47;&#47;")

"""Reports (markdown and a self-contained HTML page) and run comparison."""

from __future__ import annotations

import re

import pytest
from fake_assistant import fake_factory
from test_runner import SETTINGS, TASKS

from eval.compare import compare_runs, compare_table
from eval.errors import RunDirError
from eval.metrics import save_summary, summarise
from eval.report import failure_reason, write_report
from eval.runner import run_eval


def finished_run(out_dir, tasks=TASKS, **settings):
    settings = {**SETTINGS, **settings}
    records = run_eval(tasks, settings, out_dir, factory=fake_factory)
    summary = summarise(records, settings["model"], settings["mode"])
    save_summary(summary, out_dir)
    return records, summary


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("run")
    records, summary = finished_run(out_dir)
    records[5]["error"] += " (see https://example.org/help)"  # text must not become a link or a fetch
    return out_dir, records, summary, write_report(records, summary, out_dir)


def test_markdown_report_has_every_table_and_the_failures(run):
    out_dir, _, _, (md, _) = run
    text = md.read_text()
    assert md == out_dir / "report.md"
    for heading in ("## Overall", "## Per domain", "## Per tag", "## Stage funnel", "## Latency", "## Failed tasks (3)"):
        assert heading in text
    assert "| overall | 0.625 |" in text and "| chemistry |" in text and "| refusal |" in text
    assert "- `comply` (chemistry): answered 42 instead of refusing" in text
    assert "- `boom` (biology): harness error: RuntimeError: the fake model fell over" in text
    assert "- `wrong` (chemistry): got -1, expected" in text


def test_html_report_is_self_contained(run):
    _, _, _, (_, html) = run
    text = html.read_text()
    assert text.count('<img alt=\'chart\' src=\'data:image/png;base64,') == 3
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"""(src|href)=['"](?!data:)""", text)  # nothing to fetch
    assert "<style>" in text and "<code>comply</code>" in text and "example.org" in text


def test_failure_reasons_name_the_final_problem():
    base = {"error": None, "answer": {"refused": False, "value": 1.0}, "gold": {"kind": "number", "value": 2}}
    attempt = {"problems": [], "result": {"status": "error", "error": {"type": "ValueError", "message": "bad"}}}
    assert failure_reason({**base, "attempts": [attempt]}) == "ValueError: bad"
    assert failure_reason({**base, "attempts": [{**attempt, "problems": ["MolWt needs a Mol"]}]}) == \
        "MolWt needs a Mol"
    timeout = {"problems": [], "result": {"status": "timeout", "error": None}}
    assert failure_reason({**base, "attempts": [timeout]}) == "execution ended: timeout"
    refused = {**base, "attempts": [], "answer": {"refused": True, "reason": "invalid SMILES", "value": None}}
    assert failure_reason(refused) == "refused: invalid SMILES"


def test_compare_lines_up_runs_with_deltas(tmp_path, run):
    first, _, summary, _ = run
    finished_run(tmp_path / "b", [TASKS[0], TASKS[2], TASKS[3]], model="fake-b")  # chemistry only
    comparison = compare_runs([first, tmp_path / "b"])
    assert [r["model"] for r in comparison["runs"]] == ["fake", "fake-b"]
    accuracy = comparison["overall"]["answer_accuracy"]
    assert accuracy == {"values": [0.625, 1.0], "deltas": [None, 0.375]}
    assert comparison["by_domain"]["biology"]["values"][1] is None  # run b has no biology task
    assert set(comparison["overall"]) >= {"latency_s.p50", "mrr", "repair_gain"}
    from rich.console import Console

    console = Console(width=200, record=True)
    console.print(compare_table(comparison))
    text = console.export_text()
    assert "+0.375" in text and "answer_accuracy (chemistry)" in text and "fake-b / call" in text


def test_compare_needs_run_directories(tmp_path):
    with pytest.raises(RunDirError, match="no summary.json in .*: pass directories written by sciwand eval --out"):
        compare_runs([tmp_path])

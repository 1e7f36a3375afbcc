"""``sciwand eval`` through the assistant (a fake one) and ``sciwand eval compare``, in process."""

from __future__ import annotations

import json

import pytest
from fake_assistant import fake_factory
from test_runner import ROWS
from typer.testing import CliRunner

from assistant import _eval_cli
from assistant.cli import app

runner = CliRunner()


@pytest.fixture
def task_file(tmp_path, use_small_packs, monkeypatch):
    monkeypatch.setattr(_eval_cli, "assistant_factory", fake_factory)
    path = tmp_path / "tasks.jsonl"
    path.write_text("\n".join(json.dumps(row) for row in ROWS) + "\n")
    return path


def test_eval_json_prints_one_summary_and_writes_the_run(task_file, tmp_path):
    out_dir = tmp_path / "run"
    result = runner.invoke(app, ["eval", "--tasks", str(task_file), "--model", "fake", "--mode", "code", "-k", "5",
                                 "--out", str(out_dir), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert (summary["tasks"], summary["model"], summary["mode"]) == (len(ROWS), "fake", "code")
    assert summary["overall"]["answer_accuracy"] == 0.625 and summary["overall"]["repair_gain"] == 0.125
    assert set(summary["by_domain"]) == {"chemistry", "biology"}
    for name in ("records.jsonl", "run.json", "summary.json", "report.md", "report.html"):
        assert (out_dir / name).is_file()
    assert json.loads((out_dir / "summary.json").read_text()) == summary
    assert str(out_dir) in result.stderr and "report.html" in result.stderr


def test_an_existing_run_needs_resume_then_prints_the_table(task_file, tmp_path):
    args = ["eval", "--tasks", str(task_file), "--model", "fake", "-k", "5", "--out", str(tmp_path / "run")]
    assert runner.invoke(app, args).exit_code == 0
    result = runner.invoke(app, args)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "pass --resume to continue that run" in " ".join(result.output.split())
    result = runner.invoke(app, [*args, "--resume"])
    assert result.exit_code == 0, result.output
    assert "fake / call on 8 tasks" in result.stdout and "0.625" in result.stdout and "biology" in result.stdout
    result = runner.invoke(app, [*args[:-2], "--out", str(tmp_path / "run"), "--resume", "--no-docs"])
    assert result.exit_code == 1 and "docs=retrieved, not model=fake mode=call k=5 docs=none" in \
        " ".join(result.output.split())


def test_default_out_dir_and_unknown_model(task_file, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["eval", "--tasks", str(task_file), "--model", "openai:gpt-x", "--json"])
    assert result.exit_code == 0, result.output
    [run] = (tmp_path / "sciwand-eval").iterdir()
    assert run.name.startswith("openai-gpt-x-call-") and (run / "report.html").is_file()
    result = runner.invoke(app, ["eval", "--tasks", str(task_file), "--model", "nope", "--out", str(tmp_path / "x")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "could not start the assistant with model=nope" in " ".join(result.output.split())


def test_conflicting_options_are_usage_errors(task_file):
    result = runner.invoke(app, ["eval", "--tasks", str(task_file), "--no-docs", "--oracle-docs"])
    assert result.exit_code == 2 and "exclude each other" in result.output
    result = runner.invoke(app, ["eval", "--tasks", str(task_file), "--resume"])
    assert result.exit_code == 2 and "--resume needs --out" in result.output


def test_eval_compare_table_and_json(task_file, tmp_path):
    for name, model in (("a", "fake"), ("b", "fake-b")):
        args = ["eval", "--tasks", str(task_file), "--model", model, "--out", str(tmp_path / name), "--json"]
        assert runner.invoke(app, args).exit_code == 0
    (tmp_path / "b" / "summary.json").write_text(json.dumps(
        {**json.loads((tmp_path / "b" / "summary.json").read_text()), "overall": {"answer_accuracy": 0.5}}))
    result = runner.invoke(app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b")])
    assert result.exit_code == 0, result.output
    assert "fake-b / call" in result.stdout and "(-0.125)" in result.stdout
    result = runner.invoke(app, ["eval", "compare", str(tmp_path / "a"), str(tmp_path / "b"), "--json"])
    comparison = json.loads(result.stdout)
    assert comparison["overall"]["answer_accuracy"] == {"values": [0.625, 0.5], "deltas": [None, -0.125]}
    assert comparison["overall"]["mrr"]["values"][1] is None
    result = runner.invoke(app, ["eval", "compare", str(tmp_path)])
    assert result.exit_code == 1 and "no summary.json in" in result.output

"""The ``sciwand`` command line, in process, on the small real index."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner()


def test_index_is_a_no_op_when_current_and_prints_coverage(use_small_packs):
    result = runner.invoke(app, ["index", "--domain", "biology"])
    assert result.exit_code == 0, result.output
    assert "up to date, nothing to do" in result.output
    assert "Index coverage" in result.output and "biopython" in result.output


def test_search_table_and_json(use_small_packs):
    result = runner.invoke(app, ["search", "GC content of a DNA sequence", "--domain", "biology", "-k", "5"])
    assert result.exit_code == 0, result.output
    assert "gc_fraction" in result.output
    result = runner.invoke(app, ["search", "average molecular weight", "-d", "chemistry", "-k", "4", "--json"])
    hits = json.loads(result.stdout)
    assert len(hits) == 4 and {"name", "signature", "score", "summary", "aliases"} <= hits[0].keys()
    assert "rdkit.Chem.Descriptors.MolWt" in [h["name"] for h in hits]


def test_unknown_domain_is_one_clear_line(use_small_packs):
    result = runner.invoke(app, ["search", "x", "--domain", "geology"])
    assert result.exit_code == 1
    assert "unknown domain 'geology'" in result.output and "Traceback" not in result.output


def test_retrieval_only_eval_json(use_small_packs, tmp_path):
    tasks = tmp_path / "tasks.jsonl"
    rows = [
        {"id": "t1", "domain": "chemistry", "question": "Average molecular weight of CCO?",
         "answer": {"kind": "number", "value": 46.07}, "functions": ["rdkit.Chem.MolFromSmiles",
                                                                    "rdkit.Chem.Descriptors.MolWt"]},
        {"id": "t2", "domain": "biology", "question": "GC content of ATGCGCGCAT",
         "answer": {"kind": "number", "value": 0.6}, "functions": [["Bio.SeqUtils.gc_fraction", "Bio.SeqUtils.GC"]],
         "tags": ["single-call"]},
        {"id": "t3", "domain": "biology", "question": "Say hi", "answer": {"kind": "refusal", "reason": "none"}},
    ]
    tasks.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    result = runner.invoke(app, ["eval", "--tasks", str(tasks), "--retrieval-only", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["tasks"] == 3 and summary["mode"] == "retrieval-only"
    overall = summary["overall"]
    assert set(overall) == {"retrieval_recall@1", "retrieval_recall@5", "retrieval_recall@10", "mrr", "latency_s"}
    assert overall["retrieval_recall@10"] == 1.0
    assert 0 < overall["mrr"] <= 1
    assert set(summary["by_domain"]) == {"chemistry", "biology"}
    assert summary["by_tag"]["single-call"]["retrieval_recall@10"] == 1.0


def test_eval_rejects_an_off_spec_task_file_with_its_line(use_small_packs, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "domain": "chemistry", "question": "q", "answer": {"kind": "number"}}\n')
    result = runner.invoke(app, ["eval", "--tasks", str(bad), "--retrieval-only"])
    assert result.exit_code == 1
    assert "bad.jsonl:1: number answer lacks value" in " ".join(result.output.split())


def test_doctor_lists_index_state_models_and_sandbox_layers(use_small_packs):
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "Sandbox isolation layers" in result.output
    for layer in ("landlock", "seccomp", "network namespace", "parent watchdog"):
        assert layer in result.output
    assert "astronomy" in result.output and "current" in result.output
    assert "local:gemma3-270m" in result.output and "local:smollm2-135m" in result.output


def test_doctor_says_how_to_build_a_missing_index(use_small_packs, monkeypatch, tmp_path):
    monkeypatch.setenv("SCIWAND_HOME", str(tmp_path))
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "not built: run sciwand index" in result.output

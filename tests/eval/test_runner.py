"""The eval runner with a fake assistant: records on disk, errors that do not stop the
run, resume after a kill or Ctrl-C, refused resumes, and parallel workers."""

from __future__ import annotations

import json
import os

import pytest
from fake_assistant import FakeAssistant, fake_factory

from eval.errors import EvalRunError, RunDirError
from eval.runner import RECORDS, read_records, run_eval
from eval.tasks import parse_task

MOLWT = "from rdkit import Chem\nfrom rdkit.Chem import Descriptors\nresult = Descriptors.MolWt(Chem.MolFromSmiles('CCO'))"
GC = "from Bio.SeqUtils import gc_fraction\nresult = gc_fraction('ATGCGCGCAT')"
CHEM = {"domain": "chemistry", "answer": {"kind": "number", "value": 46.069, "rtol": 1e-3}, "reference": MOLWT,
        "functions": ["rdkit.Chem.MolFromSmiles", "rdkit.Chem.Descriptors.MolWt"], "tags": ["single-call"]}
BIO = {"domain": "biology", "answer": {"kind": "number", "value": 0.6}, "reference": GC,
       "functions": [["Bio.SeqUtils.gc_fraction", "Bio.SeqUtils.GC"]], "tags": ["single-call"]}
REFUSAL = {"domain": "chemistry", "answer": {"kind": "refusal", "reason": "invalid SMILES"}, "tags": ["refusal"]}
ROWS = [
    {"id": "molwt", "question": "Molecular weight of CCO?", **CHEM},
    {"id": "gc", "question": "GC content of ATGCGCGCAT", **BIO},
    {"id": "repair", "question": "[repair] Molecular weight of CCO?", **CHEM},
    {"id": "refuse", "question": "Molecular weight of C1CC(?", **REFUSAL},
    {"id": "comply", "question": "[comply] Molecular weight of C1CC(?", **REFUSAL},
    {"id": "boom", "question": "[boom] GC content of ATGC", **BIO},
    {"id": "miss", "question": "[miss] GC content of ATGCGCGCAT", **BIO},
    {"id": "wrong", "question": "[wrong] Molecular weight of CCO?", **CHEM},
]
TASKS = [parse_task(json.dumps(row)) for row in ROWS]
SETTINGS = {"model": "fake", "mode": "call", "k": 5}


def comparable(records):
    """Records without what differs run to run (timings, the answering process), by id."""
    same = [{**r, "timings": None, "answer": {**r["answer"], "text": None}} for r in records]
    return sorted(same, key=lambda r: r["id"])


def lines(out_dir):
    return (out_dir / RECORDS).read_text().splitlines()


def test_records_are_written_per_task_and_errors_do_not_stop_the_run(tmp_path):
    seen = []
    records = run_eval(TASKS, SETTINGS, tmp_path, factory=fake_factory, on_record=seen.append)
    assert [r["id"] for r in records] == [t.id for t in TASKS] and len(seen) == len(TASKS)
    assert [json.loads(line)["id"] for line in lines(tmp_path)] == [t.id for t in TASKS]
    assert json.loads((tmp_path / "run.json").read_text())["settings"] == {**SETTINGS, "docs": "retrieved"}
    by_id = {r["id"]: r for r in records}
    assert by_id["molwt"]["correct"] and by_id["molwt"]["stages"]["retrieved"]
    assert by_id["boom"]["error"].startswith("RuntimeError: the fake model fell over with")
    assert not by_id["boom"]["correct"]
    assert by_id["repair"]["correct"] and not by_id["repair"]["first_correct"]
    assert by_id["refuse"]["correct"] and not by_id["comply"]["correct"]
    assert by_id["miss"]["correct"] and by_id["miss"]["stages"]["retrieved"] is False
    assert not by_id["wrong"]["correct"] and by_id["wrong"]["stages"]["executed"]
    assert by_id["gc"]["model"] == "fake" and by_id["gc"]["k"] == 5


def test_resume_after_a_kill_runs_only_the_missing_tasks(tmp_path):
    run_eval(TASKS, SETTINGS, tmp_path, factory=fake_factory)
    kept = lines(tmp_path)[:3]
    torn = lines(tmp_path)[3][:40]  # killed while writing the fourth record
    (tmp_path / RECORDS).write_text("\n".join(kept) + "\n" + torn)
    asked = []

    class Counting(FakeAssistant):
        def ask(self, question, **kwargs):
            asked.append(question)
            return super().ask(question, **kwargs)

    records = run_eval(TASKS, SETTINGS, tmp_path, resume=True, factory=lambda s: Counting(**s))
    assert asked == [t.question for t in TASKS[3:]]
    assert [r["id"] for r in records] == [t.id for t in TASKS]
    assert lines(tmp_path)[:3] == kept and len(lines(tmp_path)) == len(TASKS)
    assert list(read_records(tmp_path / RECORDS)) == [t.id for t in TASKS]
    asked.clear()
    run_eval(TASKS, SETTINGS, tmp_path, resume=True, factory=lambda s: Counting(**s))
    assert asked == []


def test_ctrl_c_leaves_valid_records_that_resume_completes(tmp_path):
    class Interrupted(FakeAssistant):
        def ask(self, question, **kwargs):
            if "[repair]" in question:
                raise KeyboardInterrupt
            return super().ask(question, **kwargs)

    with pytest.raises(KeyboardInterrupt):
        run_eval(TASKS, SETTINGS, tmp_path, factory=lambda s: Interrupted(**s))
    assert [json.loads(line)["id"] for line in lines(tmp_path)] == ["molwt", "gc"]
    records = run_eval(TASKS, SETTINGS, tmp_path, resume=True, factory=fake_factory)
    assert len(records) == len(lines(tmp_path)) == len(TASKS)


def test_an_existing_run_needs_resume_and_the_same_settings(tmp_path):
    run_eval(TASKS[:2], SETTINGS, tmp_path, factory=fake_factory)
    with pytest.raises(RunDirError, match="already holds eval records; pass --resume .* or choose another --out"):
        run_eval(TASKS, SETTINGS, tmp_path, factory=fake_factory)
    with pytest.raises(RunDirError, match=r"cannot resume .*: it was run with model=fake mode=call k=5 "
                                          r"docs=retrieved, not model=fake mode=code k=5 docs=retrieved"):
        run_eval(TASKS, {**SETTINGS, "mode": "code"}, tmp_path, resume=True, factory=fake_factory)
    assert len(lines(tmp_path)) == 2


def test_a_corrupt_line_before_the_end_is_refused(tmp_path):
    run_eval(TASKS[:2], SETTINGS, tmp_path, factory=fake_factory)
    (tmp_path / RECORDS).write_text("not json\n" + lines(tmp_path)[1] + "\n")
    with pytest.raises(RunDirError, match=r"records.jsonl:1: not an eval record"):
        run_eval(TASKS, SETTINGS, tmp_path, resume=True, factory=fake_factory)


def test_an_assistant_that_cannot_start_is_one_clear_error(tmp_path):
    with pytest.raises(EvalRunError, match="could not start the assistant with model=nope .*unknown model 'nope'"):
        run_eval(TASKS[:1], {**SETTINGS, "model": "nope"}, tmp_path / "one", factory=fake_factory)
    with pytest.raises(EvalRunError, match="could not start the assistant with model=nope .*unknown model 'nope'"):
        run_eval(TASKS[:3], {**SETTINGS, "model": "nope"}, tmp_path / "two", workers=2, factory=fake_factory)


def test_duplicate_ids_across_files_are_refused(tmp_path):
    with pytest.raises(EvalRunError, match="task id 'molwt' appears twice"):
        run_eval([TASKS[0], TASKS[0]], SETTINGS, tmp_path, factory=fake_factory)


def test_two_workers_give_the_same_records_as_one(tmp_path):
    serial = run_eval(TASKS, SETTINGS, tmp_path / "serial", factory=fake_factory)
    parallel = run_eval(TASKS, SETTINGS, tmp_path / "parallel", workers=2, factory=fake_factory)
    assert [r["id"] for r in parallel] == [t.id for t in TASKS]
    assert comparable(parallel) == comparable(serial)
    on_disk = [json.loads(line) for line in lines(tmp_path / "parallel")]
    assert comparable(on_disk) == comparable(serial)
    processes = {r["answer"]["text"] for r in parallel if r["answer"]["text"]}
    assert 1 <= len(processes) <= 2 and f"answered in process {os.getpid()}" not in processes

"""Eval records: fields, stage logic, refusals, first-attempt verdicts, error records,
and matching on bare names."""

from __future__ import annotations

import json

import pytest
from fake_assistant import FILLER, answer_of, attempt_of

from assistant.answer import Answer
from eval._match import matches_names
from eval.records import error_record, make_record
from eval.tasks import parse_task

MOLWT = parse_task(json.dumps({
    "id": "chem-1", "domain": "chemistry", "question": "Molecular weight of ethanol CCO?",
    "answer": {"kind": "number", "value": 46.069, "rtol": 1e-3}, "tags": ["single-call"],
    "functions": ["rdkit.Chem.MolFromSmiles", ["rdkit.Chem.Descriptors.MolWt", "rdkit.Chem.rdMolDescriptors._CalcMolWt"]],
}))
REFUSAL = parse_task(json.dumps({
    "id": "chem-r", "domain": "chemistry", "question": "Molecular weight of C1CC(?",
    "answer": {"kind": "refusal", "reason": "invalid SMILES"}, "tags": ["refusal"],
}))
GOLD = ["rdkit.Chem.MolFromSmiles", "rdkit.Chem.Descriptors.MolWt"]
LABELS = {"model": "fake", "mode": "call", "k": 5}


def record(task, answer, **labels):
    return make_record(task, answer, seconds=0.5, **{**LABELS, **labels})


def test_a_correct_answer_passes_every_stage_and_keeps_the_spec_fields():
    rec = record(MOLWT, answer_of(MOLWT.question, 46.07, entries=GOLD, retrieved=[*GOLD, *FILLER]))
    assert list(rec) == ["id", "domain", "tags", "question", "gold", "functions", "model", "mode", "k", "retrieved",
                         "ranks", "attempts", "answer", "first_correct", "correct", "stages", "function_correct",
                         "timings", "error"]
    assert rec["functions"] == [["rdkit.Chem.MolFromSmiles"], ["rdkit.Chem.Descriptors.MolWt",
                                                              "rdkit.Chem.rdMolDescriptors._CalcMolWt"]]
    assert rec["ranks"] == [1, 2] and rec["retrieved"][:2] == GOLD
    assert rec["stages"] == {"retrieved": True, "selected": True, "executed": True, "verified": True, "correct": True}
    assert rec["correct"] and rec["first_correct"] and rec["function_correct"] and rec["error"] is None
    assert rec["answer"]["value"] == 46.07 and rec["attempts"][0]["entries"] == GOLD
    assert rec["timings"] == {"retrieval": 0.01, "model": 0.02, "execution": 0.03, "total": 0.06}
    json.dumps(rec)  # one JSON line


def test_retrieved_beyond_k_and_other_functions_fail_their_stages_only():
    retrieved = [*FILLER[:5], *GOLD]  # ranks 6 and 7: outside the model's top 5
    rec = record(MOLWT, answer_of(MOLWT.question, 46.07, entries=["rdkit.Chem.MolToSmiles"], retrieved=retrieved))
    assert rec["ranks"] == [6, 7]
    assert rec["stages"]["retrieved"] is False and rec["stages"]["selected"] is False
    assert rec["stages"]["executed"] and rec["correct"] and rec["function_correct"] is False
    assert record(MOLWT, answer_of(MOLWT.question, 46.07, entries=GOLD, retrieved=retrieved), k=10)["stages"][
        "retrieved"] is True


def test_ranks_and_selection_match_aliases_and_live_objects():
    answer = answer_of(MOLWT.question, 46.07, entries=["rdkit.Chem.rdmolfiles.MolFromSmiles",
                                                       "rdkit.Chem.Descriptors.MolWt"],
                       retrieved=["rdkit.Chem.rdmolfiles.MolFromSmiles", "x.MolWt"])
    rec = record(MOLWT, answer)
    assert rec["ranks"] == [1, None]  # by import: rdmolfiles.MolFromSmiles is Chem.MolFromSmiles
    assert rec["stages"]["selected"] is True
    aliased = answer.retrieved[1] | {"aliases": ["rdkit.Chem.Descriptors.MolWt"]}
    rec = record(MOLWT, Answer(question="q", retrieved=(answer.retrieved[0], aliased)))
    assert rec["ranks"] == [1, 2]  # by alias


def test_failed_execution_and_unverified_results():
    rec = record(MOLWT, answer_of(MOLWT.question, None, entries=GOLD, retrieved=GOLD, status="error"))
    assert rec["stages"]["executed"] is False and rec["stages"]["verified"] is False
    assert rec["function_correct"] is False and not rec["correct"]
    rec = record(MOLWT, answer_of(MOLWT.question, 46.07, entries=GOLD, retrieved=GOLD, verified=False,
                                  verdict="unverified"))
    assert rec["stages"]["executed"] and rec["stages"]["verified"] is False and rec["correct"]


@pytest.mark.parametrize("refused, correct", [(True, True), (False, False)])
def test_refusal_task_both_ways(refused, correct):
    answer = answer_of(REFUSAL.question, 42, refused=refused, retrieved=list(FILLER))
    rec = record(REFUSAL, answer)
    assert rec["correct"] is correct and rec["first_correct"] is correct
    assert rec["ranks"] == [] and rec["stages"]["retrieved"] is None and rec["stages"]["selected"] is None
    assert rec["function_correct"] is None and rec["answer"]["refused"] is refused


def test_refusing_an_answerable_task_is_wrong():
    rec = record(MOLWT, answer_of(MOLWT.question, None, refused=True, retrieved=GOLD))
    assert not rec["correct"] and rec["stages"]["executed"] is False and rec["answer"]["reason"] == "cannot answer"


def test_first_correct_judges_the_first_attempt_as_the_assistant_would_answer_it():
    fixed = answer_of(MOLWT.question, 46.07, entries=GOLD, retrieved=GOLD, earlier=[attempt_of(GOLD, -1.0)])
    rec = record(MOLWT, fixed)
    assert rec["correct"] and rec["first_correct"] is False
    crashed_then_fixed = answer_of(MOLWT.question, 46.07, entries=GOLD, retrieved=GOLD,
                                   earlier=[attempt_of(GOLD, None, status="error")])
    assert record(MOLWT, crashed_then_fixed)["first_correct"] is False
    unverified_then_verified = answer_of(MOLWT.question, 46.07, entries=GOLD, retrieved=GOLD,
                                         earlier=[attempt_of(GOLD, 46.07, verdict="unverified")])
    assert record(MOLWT, unverified_then_verified)["first_correct"] is False  # not an answer yet
    refused_first = answer_of(REFUSAL.question, 42, entries=GOLD, earlier=[attempt_of([], None, verdict="refused")])
    rec = record(REFUSAL, refused_first)
    assert rec["first_correct"] is True and rec["correct"] is False  # repair made it worse
    failed_throughout = answer_of(REFUSAL.question, None, refused=True, earlier=[
        attempt_of(GOLD, None, status="error"), attempt_of(GOLD, None, status="error")])
    rec = record(REFUSAL, failed_throughout)
    assert rec["first_correct"] is True and rec["correct"] is True  # no gain credited to repair


def test_error_record_is_wrong_everywhere_with_one_line():
    rec = error_record(MOLWT, RuntimeError("model\nserver down"), seconds=1.5, **LABELS)
    assert rec["error"] == "RuntimeError: model server down"
    assert rec["ranks"] == [None, None] and not rec["correct"] and not rec["first_correct"]
    assert set(rec["stages"].values()) == {False} and rec["timings"]["total"] == 1.5
    assert error_record(REFUSAL, ValueError("x"), seconds=0, **LABELS)["stages"]["retrieved"] is None
    assert list(rec) == list(record(MOLWT, answer_of(MOLWT.question, 1.0)))


def test_matches_names_by_equality_and_by_import():
    assert matches_names(("rdkit.Chem.MolFromSmiles",), ["x.y", "rdkit.Chem.MolFromSmiles"])
    assert matches_names(("rdkit.Chem.MolFromSmiles",), ["rdkit.Chem.rdmolfiles.MolFromSmiles"])
    assert matches_names(("Bio.SeqUtils.gc_fraction", "Bio.SeqUtils.GC"), ["Bio.SeqUtils.gc_fraction"])
    assert not matches_names(("rdkit.Chem.MolFromSmiles",), ["rdkit.Chem.MolFromSmarts", "no.such.name"])
    assert not matches_names(("rdkit.Chem.MolFromSmiles",), [])

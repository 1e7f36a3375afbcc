"""Loading task files written to the task spec, and alias-aware matching."""

from __future__ import annotations

import json

import pytest

from eval import TaskFormatError, load_tasks, parse_task
from eval._match import matches
from retrieval import ApiEntry

SPEC_EXAMPLE = {
    "id": "chem-molwt-001", "domain": "chemistry",
    "question": "What is the average molecular weight of aspirin (SMILES CC(=O)Oc1ccccc1C(=O)O) in g/mol?",
    "answer": {"kind": "number", "value": 180.159, "rtol": 0.001},
    "functions": ["rdkit.Chem.MolFromSmiles", "rdkit.Chem.Descriptors.MolWt"],
    "reference": "result = 1", "tags": ["single-call"],
}


def test_spec_example_loads():
    task = parse_task(json.dumps(SPEC_EXAMPLE))
    assert task.functions == (("rdkit.Chem.MolFromSmiles",), ("rdkit.Chem.Descriptors.MolWt",))
    assert task.tags == ("single-call",)


def test_alternatives_and_optional_fields():
    task = parse_task(json.dumps({"id": "x", "domain": "biology", "question": "q",
                                  "answer": {"kind": "refusal", "reason": "r"},
                                  "functions": [["Bio.SeqUtils.gc_fraction", "Bio.SeqUtils.GC123"]]}))
    assert task.functions == (("Bio.SeqUtils.gc_fraction", "Bio.SeqUtils.GC123"),)
    assert task.reference is None and task.tags == ()


@pytest.mark.parametrize("change, message", [
    ({"answer": {"kind": "color", "value": 1}}, "kind is one of"),
    ({"answer": {"kind": "quantity", "value": 1}}, "quantity answer lacks unit"),
    ({"domain": "geology"}, "unknown domain 'geology'"),
    ({"functions": "rdkit.Chem.MolWt"}, "functions must be a list"),
    ({"functions": [[]]}, "non-empty list of names"),
])
def test_off_spec_lines_are_rejected_with_the_problem(change, message):
    with pytest.raises(TaskFormatError, match=message):
        parse_task(json.dumps({**SPEC_EXAMPLE, **change}), "f.jsonl", 7)


def test_missing_field_and_duplicate_ids_name_the_line(tmp_path):
    path = tmp_path / "t.jsonl"
    path.write_text(json.dumps(SPEC_EXAMPLE) + "\n\n" + json.dumps(SPEC_EXAMPLE) + "\n")
    with pytest.raises(TaskFormatError, match=r"t.jsonl:3: duplicate id 'chem-molwt-001'"):
        load_tasks([path])
    path.write_text('{"id": "a", "domain": "chemistry", "question": "q"}\n')
    with pytest.raises(TaskFormatError, match="t.jsonl:1: missing required field 'answer'"):
        load_tasks([path])


def _entry(name, aliases=()):
    return ApiEntry(name=name, kind="function", domain="chemistry", library="rdkit", version="1",
                    aliases=tuple(aliases))


def test_matching_by_alias_and_by_import():
    entry = _entry("rdkit.Chem.rdmolfiles.MolFromSmiles", ["rdkit.Chem.MolFromSmiles"])
    assert matches(("rdkit.Chem.MolFromSmiles",), entry)
    assert matches(("rdkit.Chem.AllChem.MolFromSmiles",), entry)  # not recorded, same object
    assert not matches(("rdkit.Chem.MolFromSmarts",), entry)
    method = ApiEntry(name="astropy.cosmology._src.flrw.base.FLRW.luminosity_distance", kind="method",
                      domain="astronomy", library="astropy", version="8")
    assert matches(("astropy.cosmology.Planck18.luminosity_distance",), method)

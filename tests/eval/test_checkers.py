"""Answer checkers on the edge cases a researcher's comparison depends on."""

from __future__ import annotations

import numpy as np
import pytest

from eval.checkers import check


@pytest.mark.parametrize("value, expected", [
    (180.159, True), (180.159 * (1 + 0.99e-3), True), (180.159 * (1 + 1.01e-3), False),
    ("180.16", True), (np.float64(180.2), True), (np.array(180.159), True), ([180.159], True),
    (True, False), ("about 180", False), (float("nan"), False), (None, False),
])
def test_number_tolerance_boundaries_and_forms(value, expected):
    assert check({"kind": "number", "value": 180.159, "rtol": 1e-3}, value) is expected


def test_dimensionless_quantity_is_a_number_but_a_length_is_not():
    from astropy import units as u

    gold = {"kind": "number", "value": 0.1176, "rtol": 1e-3}
    assert check(gold, {"value": 0.1176, "unit": ""}) and check(gold, 0.1176 * u.dimensionless_unscaled)
    assert not check(gold, {"value": 0.1176, "unit": "Mpc"}) and not check(gold, 0.1176 * u.Mpc)


def test_number_default_and_absolute_tolerance():
    assert check({"kind": "number", "value": 1.0}, 1.0 + 5e-7)
    assert not check({"kind": "number", "value": 1.0}, 1.0 + 2e-6)
    assert check({"kind": "number", "value": 0.0, "atol": 1e-9}, 5e-10)
    assert not check({"kind": "number", "value": 0.0}, 1e-12)


@pytest.mark.parametrize("value, expected", [(3, True), (3.0, True), ("3", True), (3.5, False), (True, False),
                                             (np.int64(3), True)])
def test_integer_ints_vs_floats(value, expected):
    assert check({"kind": "integer", "value": 3}, value) is expected


@pytest.mark.parametrize("value, expected", [(True, True), ("yes", True), ("True", True), (" YES ", True),
                                             ("no", False), (1, False), ("maybe", False)])
def test_boolean_words(value, expected):
    assert check({"kind": "boolean", "value": True}, value) is expected


def test_string_case_and_whitespace():
    assert check({"kind": "string", "value": "C9H8O4"}, "  c9h8o4 ")
    assert not check({"kind": "string", "value": "C9H8O4", "case_sensitive": True}, "c9h8o4")
    assert not check({"kind": "string", "value": "7"}, 7)


def test_smiles_same_molecule_written_differently():
    gold = {"kind": "smiles", "value": "CC(=O)Oc1ccccc1C(=O)O"}
    assert check(gold, "OC(=O)c1ccccc1OC(C)=O")
    assert check(gold, "CC(=O)OC1=CC=CC=C1C(O)=O")  # Kekulé form
    assert not check(gold, "OC(=O)c1ccccc1O")
    assert not check(gold, "C1CC(")
    assert not check({"kind": "smiles", "value": "C1CC("}, "C1CC(")  # invalid is never equal


def test_sequence_ignores_case_and_whitespace_and_takes_seq_objects():
    from Bio.Seq import Seq

    gold = {"kind": "sequence", "value": "MKT*"}
    assert check(gold, "mkt *") and check(gold, Seq("MKT*"))
    assert not check(gold, "MKTA")


def test_quantity_in_other_units():
    from astropy import units as u

    gold = {"kind": "quantity", "value": 1000.0, "unit": "pc", "rtol": 1e-6}
    assert check(gold, {"value": 1.0, "unit": "kpc"})
    assert check(gold, "1 kpc") and check(gold, 1 * u.kpc)
    assert not check(gold, {"value": 1.0, "unit": "s"})  # not convertible
    assert not check(gold, 1000.0)  # a bare number is not a quantity
    assert not check(gold, {"value": 1.1, "unit": "kpc"})


def test_lists_ordered_and_unordered():
    items = [{"kind": "integer", "value": 5}, {"kind": "integer", "value": 6}, {"kind": "integer", "value": 6}]
    assert check({"kind": "list", "items": items}, [5, 6, 6])
    assert not check({"kind": "list", "items": items}, [6, 5, 6])
    assert check({"kind": "list", "items": items, "ordered": False}, [6, 5, 6])
    assert not check({"kind": "list", "items": items, "ordered": False}, [6, 5, 5])  # one-to-one
    assert not check({"kind": "list", "items": items}, [5, 6])
    assert check({"kind": "list", "items": items}, np.array([5, 6, 6]))


def test_refusals_both_ways():
    refusal = {"kind": "refusal", "reason": "invalid SMILES"}
    assert check(refusal, None, refused=True)
    assert not check(refusal, 46.07)  # producing a value for a refusal task is wrong
    assert not check({"kind": "number", "value": 46.07}, None, refused=True)  # refusing a normal task is wrong

"""End to end with nothing faked: the embedded Gemma model, the real (small) index and
the real sandbox answer a few questions per domain, and refuse bad input."""

from __future__ import annotations

import pytest

from assistant import Assistant
from eval.checkers import check


@pytest.fixture(scope="module")
def embedded(searcher):
    with Assistant(model="local", searcher=searcher) as helper:
        yield helper


ANSWERED = [
    ("chemistry", "What is the average molecular weight of aspirin (SMILES CC(=O)Oc1ccccc1C(=O)O) in g/mol?",
     {"kind": "number", "value": 180.159, "rtol": 1e-3}),
    ("biology", "What is the GC fraction of ATGCGCGCAT?", {"kind": "number", "value": 0.6}),
    ("astronomy", "Assuming the Planck 2018 cosmology, what is the luminosity distance to z = 1 in Mpc?",
     {"kind": "quantity", "value": 6791.2, "unit": "Mpc", "rtol": 1e-3}),
]

REFUSED = [
    ("chemistry", "Compute logP for CC(C)(C)(C)(C)C please.", "not a valid SMILES"),
    ("biology", "GC content of MEEPQSDPSVEPPLSQETFSDLWKLLPEN, as a fraction?", "DNA/RNA"),
    ("astronomy", "What's the Julian Date of 2023-02-30 00:00 UTC?", "2023-02-30"),
]


@pytest.mark.parametrize(("domain", "question", "gold"), ANSWERED, ids=[d for d, _, _ in ANSWERED])
def test_the_embedded_default_answers(embedded, domain, question, gold):
    answer = embedded.ask(question, domain)
    assert answer.verified, answer.reason
    assert check(gold, answer.value), answer.value
    assert answer.code and "result" in answer.code
    assert answer.entries and all(e["version"] for e in answer.entries)


@pytest.mark.parametrize(("domain", "question", "why"), REFUSED, ids=[d for d, _, _ in REFUSED])
def test_the_embedded_default_refuses_bad_input(embedded, domain, question, why):
    answer = embedded.ask(question, domain)
    assert answer.refused and answer.value is None
    assert why in answer.reason


def test_the_embedded_model_writes_code_under_a_grammar(searcher):
    with Assistant(model="local", mode="code", searcher=searcher, repair_rounds=0) as helper:
        answer = helper.ask("What is the GC fraction of ATGCGCGCAT?", "biology")
    program = answer.attempts[0].code
    assert program.splitlines()[-2].startswith("result = ")  # one line, written by the model
    assert answer.attempts[0].result is not None  # it ran in the sandbox, right or wrong

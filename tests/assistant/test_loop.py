"""The assistant loop with a scripted chat model, the real (small) index and the real
sandbox: tool calls, validation before execution, repair after errors, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, BaseMessage

from assistant import Answer, Assistant
from assistant.planners.chat import tool_name


class Scripted(GenericFakeChatModel):
    """Replies from a script and remembers every prompt (the text the model read)."""

    prompts: list[str] = []
    tools: list[list[str]] = []

    def bind_tools(self, tools, **kwargs):
        self.tools.append([t["function"]["name"] for t in tools])
        return self

    def _generate(self, messages: list[BaseMessage], *args, **kwargs):
        self.prompts.append("\n".join(str(m.content) for m in messages))
        return super()._generate(messages, *args, **kwargs)


def tool_call(name: str, **args) -> dict:
    """A tool call of the entry ``name`` (a dotted name) as the model would write it."""
    if "." in name:
        from retrieval import default_searcher

        name = tool_name(_SEARCHER[0].entry(name) if _SEARCHER else default_searcher().entry(name))
    return {"name": name, "args": args, "id": f"call-{name}", "type": "tool_call"}


_SEARCHER: list = []


@pytest.fixture(autouse=True)
def _names_from(searcher):
    """Tool names are made from the entries of the index the test searches."""
    _SEARCHER[:] = [searcher]


def scripted(*replies: AIMessage) -> Scripted:
    return Scripted(messages=iter(replies), prompts=[], tools=[])


@pytest.fixture
def ask(searcher) -> Iterator:
    """``ask(model, question, domain, mode="call")`` with one assistant per test."""
    made: list[Assistant] = []

    def run(model, question: str, domain: str, mode: str = "call") -> Answer:
        helper = Assistant(model=model, mode=mode, searcher=searcher, cache=False)
        made.append(helper)
        return helper.ask(question, domain)

    yield run
    for helper in made:
        helper.close()


GC_QUESTION = "What is the GC fraction of ATGCGCGCAT?"


def test_tool_calls_run_and_the_answer_carries_provenance(ask):
    model = scripted(AIMessage("", tool_calls=[tool_call("Bio.SeqUtils.gc_fraction", seq="ATGCGCGCAT")]))
    answer = ask(model, GC_QUESTION, "biology")
    assert answer.verified and not answer.refused
    assert answer.value == pytest.approx(0.6)
    assert "gc_fraction(seq=coerce('Seq', 'ATGCGCGCAT'))" in answer.code
    assert answer.entries[0]["name"] == "Bio.SeqUtils.gc_fraction"
    assert answer.entries[0]["library"] == "biopython" and answer.entries[0]["version"]
    assert "Bio_SeqUtils_gc_fraction" in model.tools[0]  # the retrieved entries were the tools offered
    assert len(answer.retrieved) >= 8 and "0.6" in answer.text


def test_chained_calls_pass_results_by_reference(ask):
    model = scripted(AIMessage("", tool_calls=[
        tool_call("rdkit.Chem.MolFromSmiles", SMILES="CCO"),
        tool_call("rdkit.Chem.Descriptors.MolWt", args=[{"$ref": "x1"}]),
    ]))
    answer = ask(model, "What is the molecular weight of ethanol, SMILES CCO?", "chemistry")
    assert answer.verified, answer.attempts
    assert answer.value == pytest.approx(46.069, abs=1e-3)
    assert "x2 = Descriptors.MolWt(x1)" in answer.code


def test_a_bad_call_is_caught_before_running_and_repaired(ask):
    model = scripted(
        AIMessage("", tool_calls=[tool_call("Bio.SeqUtils.gc_fraction", sequence="ATGCGCGCAT")]),
        AIMessage("", tool_calls=[tool_call("Bio.SeqUtils.gc_fraction", seq="ATGCGCGCAT")]),
    )
    answer = ask(model, GC_QUESTION, "biology")
    first, second = answer.attempts
    assert first.verdict == "invalid" and first.result is None  # nothing executed
    assert any("missing a required argument: 'seq'" in problem for problem in first.problems)
    assert "Earlier attempts failed" in model.prompts[1] and "'seq'" in model.prompts[1]
    assert second.verdict == "verified" and answer.value == pytest.approx(0.6)


def test_an_execution_error_is_fed_back_with_the_traceback(ask):
    model = scripted(
        AIMessage("", tool_calls=[tool_call("Bio.Seq.Seq.translate", self="ATGGCCTAA", table=99)]),
        AIMessage("", tool_calls=[tool_call("Bio.Seq.Seq.translate", self="ATGGCCTAA", table=1)]),
    )
    answer = ask(model, "Translate ATGGCCTAA with the standard genetic code.", "biology")
    failed = answer.attempts[0]
    assert failed.verdict == "error" and failed.result["status"] == "error"
    assert "99" in model.prompts[1]  # the library's error reached the model
    assert answer.verified and answer.value == "MA*"


def test_invalid_smiles_is_refused_without_asking_the_model(ask):
    model = scripted()
    answer = ask(model, "What's the molecular weight of C1CC( ? I copied it from my notebook.", "chemistry")
    assert answer.refused and not answer.verified and answer.value is None
    assert "not a valid SMILES" in answer.reason
    assert model.prompts == []


def test_a_protein_given_to_a_nucleotide_function_is_refused(ask):
    calls = [AIMessage("", tool_calls=[tool_call("Bio.SeqUtils.gc_fraction", seq="MEEPQSDPSVEPPLSQ")])] * 3
    answer = ask(scripted(*calls), "GC content of MEEPQSDPSVEPPLSQ, as a fraction?", "biology")
    assert answer.refused and answer.value is None
    # The first plan already shows the question's operation does not fit its input:
    # no other entry is tried in its place, and nothing runs.
    assert [(a.verdict, a.result) for a in answer.attempts] == [("refused", None)]
    assert "DNA/RNA" in answer.reason


def test_the_model_may_refuse(ask):
    model = scripted(AIMessage("", tool_calls=[tool_call("refuse", reason="no such genetic code")]))
    answer = ask(model, "Translate ATGGCTTGATAA with the genetic code of Vulcan.", "biology")
    assert answer.refused and answer.reason == "no such genetic code"


def test_code_mode_runs_the_program_in_the_sandbox(ask):
    program = "```python\nfrom Bio.SeqUtils import gc_fraction\nresult = gc_fraction('ATGCGCGCAT')\n```"
    answer = ask(scripted(AIMessage(program)), GC_QUESTION, "biology", mode="code")
    assert answer.verified and answer.value == pytest.approx(0.6)
    assert answer.entries[0]["name"] == "Bio.SeqUtils.gc_fraction"


def test_code_that_never_works_ends_in_a_refusal_not_a_value(ask):
    broken = AIMessage("```python\nresult = 1 / 0\n```")
    answer = ask(scripted(broken, broken, broken), GC_QUESTION, "biology", mode="code")
    assert answer.refused and answer.value is None and len(answer.attempts) == 3
    assert "ZeroDivisionError" in answer.reason


def test_the_retrieval_baseline_needs_no_model(ask):
    answer = ask("retrieval", GC_QUESTION, "biology")
    assert answer.verified and answer.value == pytest.approx(0.6)


def test_the_oracle_runs_the_reference(searcher):
    with Assistant(model="oracle", searcher=searcher) as helper:
        answer = helper.ask(GC_QUESTION, "biology",
                            reference="from Bio.SeqUtils import gc_fraction\nresult = gc_fraction('ATGCGCGCAT')")
    assert answer.value == pytest.approx(0.6)


def test_answers_survive_a_json_round_trip(ask):
    answer = ask("retrieval", GC_QUESTION, "biology")
    again = Answer.from_dict(json.loads(json.dumps(answer.to_dict())))
    assert again == answer


def test_langchain_tools_search_and_call(searcher):
    with Assistant(model="retrieval", searcher=searcher) as helper:
        tools = {tool.name: tool for tool in helper.as_langchain_tools()}
        assert "gc_fraction" in tools["search_api"].invoke({"query": "GC content of a DNA sequence"})
        called = json.loads(tools["call_api"].invoke({"entry": "Bio.SeqUtils.gc_fraction", "arguments": ["ATGCGCGCAT"]}))
        assert called["status"] == "ok" and called["value"] == pytest.approx(0.6)
        refused = json.loads(tools["call_api"].invoke({"entry": "Bio.SeqUtils.gc_fractions", "arguments": ["AT"]}))
        assert refused["status"] == "invalid" and "gc_fraction" in refused["problems"][0]


def test_a_library_error_on_the_best_candidate_is_a_refusal(ask):
    # The retrieval baseline calls translate(cds=True), which Biopython rejects for an
    # inner stop codon; the next candidate (transcribe) would answer another question.
    answer = ask("retrieval", "Translate ATGAAATAGCCCGGGTAA strictly as one complete coding sequence.", "biology")
    assert answer.refused and answer.value is None
    assert [a.verdict for a in answer.attempts] == ["refused"]
    assert "TranslationError" in answer.reason and answer.attempts[0].plan.calls[0].kwargs == {"cds": True}

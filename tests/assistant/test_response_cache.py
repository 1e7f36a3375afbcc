"""The on-disk response cache: round trip, keys that tell models and grammars apart,
and several processes writing one file."""

from __future__ import annotations

import multiprocessing
import pickle

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import AIMessage
from langchain_core.outputs import ChatGeneration, Generation

from assistant.local_llm import LocalChatModel
from assistant.models import load_chat_model
from assistant.response_cache import DiskCache


def test_round_trip_keeps_message_and_usage(tmp_path):
    cache = DiskCache(tmp_path / "r.sqlite")
    message = AIMessage("alpha", usage_metadata={"input_tokens": 3, "output_tokens": 1, "total_tokens": 4},
                        response_metadata={"finish_reason": "stop"})
    cache.update("prompt", "llm", [ChatGeneration(message=message, generation_info={"finish_reason": "stop"})])
    (found,) = DiskCache(tmp_path / "r.sqlite").lookup("prompt", "llm")
    assert found.message.content == "alpha" and found.message.usage_metadata["total_tokens"] == 4
    assert found.generation_info == {"finish_reason": "stop"}
    assert cache.lookup("prompt", "other llm") is None and cache.lookup("other prompt", "llm") is None
    cache.update("prompt", "llm", [Generation(text="replaced")])
    assert cache.lookup("prompt", "llm")[0].text == "replaced" and len(cache) == 1
    cache.clear()
    assert len(cache) == 0


def test_a_rerun_is_answered_from_disk(tmp_path):
    path = tmp_path / "r.sqlite"
    first = FakeListChatModel(responses=["one", "two"], cache=DiskCache(path))
    assert first.invoke("question").content == "one"
    rerun = FakeListChatModel(responses=["one", "two"], cache=DiskCache(path))  # same model, new process
    assert rerun.invoke("another question").content == "one"
    assert rerun.invoke("question").content == "one"  # generating would have said "two"


def test_key_tells_grammars_apart(tmp_path):
    model = FakeListChatModel(responses=["one", "two", "three"], cache=DiskCache(tmp_path / "r.sqlite"))
    assert model.invoke("pick", grammar='root ::= "a"').content == "one"
    assert model.invoke("pick", grammar='root ::= "b"').content == "two"
    assert model.invoke("pick", grammar='root ::= "a"').content == "one"
    assert model.invoke("pick").content == "three"


def test_llm_string_of_local_models_names_model_and_call_options():
    gemma = LocalChatModel(model_path="/m/gemma.gguf", model_name="gemma3-270m")
    smol = LocalChatModel(model_path="/m/smol.gguf", model_name="smollm2-135m")
    keys = {gemma._get_llm_string(), smol._get_llm_string(),
            gemma._get_llm_string(grammar='root ::= "a"'), gemma._get_llm_string(grammar='root ::= "b"'),
            gemma._get_llm_string(json_schema={"type": "object"}), gemma._get_llm_string(max_tokens=8),
            gemma._get_llm_string(temperature=0.5), gemma.model_copy(update={"seed": 1})._get_llm_string()}
    assert len(keys) == 8
    assert gemma._get_llm_string(grammar="g") == LocalChatModel(model_path="/m/gemma.gguf",
                                                                model_name="gemma3-270m")._get_llm_string(grammar="g")


def test_load_chat_model_cache_true_uses_sciwand_home(tmp_path, monkeypatch):
    monkeypatch.setenv("SCIWAND_HOME", str(tmp_path))
    model = load_chat_model("local:smollm2-135m", cache=True)
    assert isinstance(model.cache, DiskCache) and model.cache.path == tmp_path / "responses.sqlite"
    mine = DiskCache(tmp_path / "mine.sqlite")
    assert load_chat_model("local:smollm2-135m", cache=mine).cache is mine


def test_copies_carry_the_path_not_the_connection(tmp_path):
    cache = DiskCache(tmp_path / "r.sqlite")
    cache.update("p", "l", [Generation(text="x")])
    copy = pickle.loads(pickle.dumps(cache))
    assert copy.path == cache.path and copy.lookup("p", "l")[0].text == "x"


def _write_many(path: str, worker: int) -> None:
    cache = DiskCache(path)
    for index in range(25):
        cache.update(f"prompt {worker} {index}", "llm", [Generation(text=str(index))])
        cache.lookup(f"prompt {worker} {index}", "llm")


def test_several_processes_share_one_file(tmp_path):
    path = str(tmp_path / "r.sqlite")
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_write_many, args=(path, worker)) for worker in range(3)]
    for process in workers:
        process.start()
    for process in workers:
        process.join(60)
    assert [process.exitcode for process in workers] == [0, 0, 0]
    assert len(DiskCache(path)) == 75

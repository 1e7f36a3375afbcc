"""Model strings, missing keys before any request, and provider failures as one line."""

from __future__ import annotations

import anthropic
import httpx
import httpx2
import ollama
import openai
import pytest
from model_helpers import unused_port

from assistant.errors import ModelError, UnknownModelError
from assistant.local_llm import LocalChatModel
from assistant.models import ACCEPTED, ModelSpec, describe_failure, describe_models, load_chat_model, model_errors, \
    parse_model
from retrieval import VectorStoreError


@pytest.fixture(autouse=True)
def no_provider_env(monkeypatch):
    for variable in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OLLAMA_HOST", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(variable, raising=False)


def one_line(error: BaseException) -> str:
    text = str(error)
    assert "\n" not in text and "Traceback" not in text
    return text


@pytest.mark.parametrize(("spec", "expected"), [
    ("local", ModelSpec("local", "gemma3-270m")),
    ("local:gemma3-270m", ModelSpec("local", "gemma3-270m")),
    ("local:smollm2-135m", ModelSpec("local", "smollm2-135m")),
    ("openai:gpt-4o-mini", ModelSpec("openai", "gpt-4o-mini")),
    (" ollama:qwen2.5:0.5b ", ModelSpec("ollama", "qwen2.5:0.5b")),
    ("anthropic:claude-3-5-haiku-latest", ModelSpec("anthropic", "claude-3-5-haiku-latest")),
])
def test_parse_model_accepts(spec, expected):
    assert parse_model(spec) == expected
    assert str(expected).startswith(expected.provider + ":")


@pytest.mark.parametrize("spec", ["oracle", "retrieval", "local:llama3", "openai:", "gpt-4o", "mistral:x", ""])
def test_parse_model_rejects_with_the_accepted_forms(spec):
    with pytest.raises(UnknownModelError, match="accepted: local, local:gemma3-270m, .*anthropic:<name>") as caught:
        parse_model(spec)
    assert isinstance(caught.value, LookupError) and caught.value.accepted == ACCEPTED


def test_local_spec_loads_lazily():
    model = load_chat_model("local:smollm2-135m", cache=False)
    assert isinstance(model, LocalChatModel) and model.model_path.endswith(".gguf") and model.cache is False


def test_missing_openai_key_is_one_line_before_any_request():
    with pytest.raises(ModelError, match=r"^OPENAI_API_KEY is not set \(needed by openai:gpt-4o-mini\); export it, "
                                         r"or set OPENAI_BASE_URL to a local OpenAI-compatible server$") as caught:
        load_chat_model("openai:gpt-4o-mini")
    one_line(caught.value)


def test_missing_anthropic_key_is_one_line():
    with pytest.raises(ModelError, match=r"^ANTHROPIC_API_KEY is not set \(needed by anthropic:claude-x\)") as caught:
        load_chat_model("anthropic:claude-x")
    one_line(caught.value)


def test_openai_base_url_needs_no_key(monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:1/v1")
    model = load_chat_model("openai:anything", temperature=0.3)
    assert model.openai_api_key.get_secret_value() == "sk-no-key-needed"
    assert model.openai_api_base == "http://127.0.0.1:1/v1" and model.temperature == 0.3
    # such servers read max_tokens, not the max_completion_tokens langchain-openai sends
    from langchain_openai import ChatOpenAI

    assert isinstance(model, ChatOpenAI) and type(model).__name__ == "ChatOpenAI"
    payload = model._get_request_payload("hi", max_tokens=5, extra_body={"grammar": "g"})
    assert payload["max_completion_tokens"] == 5 and payload["extra_body"] == {"max_tokens": 5, "grammar": "g"}


def test_unreachable_openai_compatible_server(monkeypatch):
    url = f"http://127.0.0.1:{unused_port()}/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    model = load_chat_model("openai:x").bind(max_tokens=4)
    with pytest.raises(ModelError) as caught, model_errors("openai:x"):
        model.invoke("hi")
    assert one_line(caught.value) == f"cannot reach the OpenAI-compatible server at {url} (Connection refused)"


def test_unreachable_ollama(monkeypatch):
    port = unused_port()
    monkeypatch.setenv("OLLAMA_HOST", f"127.0.0.1:{port}")
    with pytest.raises(ModelError, match=rf"^cannot reach the Ollama server at http://127.0.0.1:{port} "
                                         r"\(Connection refused\); start it with: ollama serve") as caught:
        with model_errors("ollama:qwen2.5:0.5b"):
            load_chat_model("ollama:qwen2.5:0.5b").invoke("hi")
    one_line(caught.value)


def test_unreachable_anthropic(monkeypatch):
    url = f"http://127.0.0.1:{unused_port()}"
    monkeypatch.setenv("ANTHROPIC_API_KEY", "test-key")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)
    model = load_chat_model("anthropic:claude-x").bind(max_tokens=4)
    with pytest.raises(ModelError, match=rf"^cannot reach the Anthropic API at {url} \(Connection refused\)$"):
        with model_errors("anthropic:claude-x"):
            model.invoke("hi")


def _chained(error: BaseException, cause: BaseException) -> BaseException:
    error.__cause__ = cause
    return error


REQUEST = httpx2.Request("POST", "http://127.0.0.1:1/v1/chat/completions")


def _status(kind: type, code: int, provider_message: str = "nope") -> BaseException:
    return kind(provider_message, response=httpx2.Response(code, request=REQUEST), body=None)


# Every provider failure model_errors knows, and the line it becomes.
FAILURES = [
    ("openai:x",
     _chained(openai.APIConnectionError(request=REQUEST), ConnectionRefusedError(111, "Connection refused")),
     r"^cannot reach the OpenAI API at https://api.openai.com/v1 \(Connection refused\)$"),
    ("openai:x", openai.APITimeoutError(request=REQUEST), r"^the OpenAI API at \S+ did not answer in time"),
    ("openai:x", _status(openai.AuthenticationError, 401),
     r"^the OpenAI API at \S+ refused the API key for openai:x \(401\); check OPENAI_API_KEY$"),
    ("openai:x", _status(openai.PermissionDeniedError, 403), r"refused the API key for openai:x \(403\)"),
    ("openai:gpt-9", _status(openai.NotFoundError, 404),
     r"^model 'gpt-9' not found at https://api.openai.com/v1 \(404\)$"),
    ("openai:x", _status(openai.RateLimitError, 429, "slow down\nplease"),
     r"failed for openai:x \(429\): slow down please$"),
    ("openai:x", _status(openai.InternalServerError, 500), r"failed for openai:x \(500\): nope$"),
    ("ollama:x", httpx.ConnectError("[Errno 111] Connection refused"),
     r"^cannot reach the Ollama server at http://localhost:11434 \(Connection refused\)"),
    ("ollama:x", ConnectionError("Failed to connect to Ollama."),
     r"^cannot reach the Ollama server .*\(Failed to connect"),
    ("ollama:x", httpx.ReadTimeout("timed out"), r"^the Ollama server at \S+ did not answer in time \(timed out\)$"),
    ("ollama:qwen", ollama.ResponseError("model 'qwen' not found", 404),
     r"^model 'qwen' not found at http://localhost:11434 \(404\); pull it with: ollama pull qwen$"),
    ("ollama:x", ollama.ResponseError("boom", 500), r"^the Ollama server at \S+ failed for ollama:x \(500\): boom$"),
    ("anthropic:x", _chained(anthropic.APIConnectionError(request=REQUEST), OSError(101, "Network is unreachable")),
     r"^cannot reach the Anthropic API at https://api.anthropic.com \(Network is unreachable\)$"),
    ("anthropic:x", _status(anthropic.AuthenticationError, 401), r"check ANTHROPIC_API_KEY$"),
    ("anthropic:claude-9", _status(anthropic.NotFoundError, 404), r"^model 'claude-9' not found at"),
    ("anthropic:x", _status(anthropic.InternalServerError, 529, "overloaded"),
     r"failed for anthropic:x \(529\): overloaded$"),
]


@pytest.mark.parametrize(("spec", "error", "expected"), FAILURES,
                         ids=[f"{spec}-{type(error).__name__}" for spec, error, _ in FAILURES])
def test_provider_failures_become_one_line(spec, error, expected):
    with pytest.raises(ModelError, match=expected) as caught, model_errors(spec):
        raise error
    one_line(caught.value)
    assert caught.value.__cause__ is error


@pytest.mark.parametrize("error", [ValueError("a bug"), VectorStoreError("chroma is down"), FileNotFoundError("x"),
                                   ModelError("already one line")])
def test_other_errors_pass_through(error):
    with pytest.raises(type(error)) as caught, model_errors("ollama:x"):
        raise error
    assert caught.value is error


def test_provider_errors_of_other_providers_are_not_claimed():
    assert describe_failure(parse_model("ollama:x"), _status(openai.AuthenticationError, 401)) is None
    assert describe_failure(parse_model("local"), ConnectionError("x")) is None


def test_describe_models_reports_install_and_configuration(monkeypatch, tmp_path):
    monkeypatch.setenv("SCIWAND_HOME", str(tmp_path))
    rows = dict(describe_models())
    assert rows["local:gemma3-270m"].startswith("installed; assembled into")
    assert rows["local:smollm2-135m"].endswith("MB)")
    assert rows["openai:<name>"].startswith("not configured: export OPENAI_API_KEY")
    assert rows["ollama:<name>"] == "http://localhost:11434 (OLLAMA_HOST not set)"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "k")
    rows = dict(describe_models())
    assert rows["openai:<name>"] == "OPENAI_BASE_URL=http://127.0.0.1:8080/v1; no key (a placeholder is sent)"
    assert rows["anthropic:<name>"] == "ANTHROPIC_API_KEY set"

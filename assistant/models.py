"""Model strings to LangChain chat models, and provider failures to one-line errors.

    local                  the embedded default, local:gemma3-270m
    local:<name>           an embedded GGUF (LOCAL_MODELS), run in this process by llama.cpp
    openai:<name>          OpenAI, or any OpenAI-compatible server at $OPENAI_BASE_URL
    ollama:<name>          an Ollama server at $OLLAMA_HOST (default http://localhost:11434)
    anthropic:<name>       Anthropic ($ANTHROPIC_API_KEY, optionally $ANTHROPIC_BASE_URL)

Keys and addresses come from the providers' usual variables; a missing key is reported
before any request is made. The eval baselines ``oracle`` and ``retrieval`` are not
models and never reach this module.
"""

from __future__ import annotations

import functools
import importlib
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from langchain_core.caches import BaseCache
from langchain_core.language_models import BaseChatModel

from assistant.errors import ModelError, UnknownModelError
from assistant.local_llm import EMBEDDED, LocalChatModel, local_model_path
from domains.errors import SciwandError

LOCAL_MODELS: tuple[str, ...] = tuple(EMBEDDED)
DEFAULT_LOCAL = "gemma3-270m"
ACCEPTED = ["local", *(f"local:{name}" for name in LOCAL_MODELS), "openai:<name>", "ollama:<name>",
            "anthropic:<name>"]
PLACEHOLDER_KEY = "sk-no-key-needed"  # what local OpenAI-compatible servers are sent; they accept any


@dataclass(frozen=True)
class ModelSpec:
    """A parsed model string: ``provider`` (local, openai, ollama, anthropic) and ``name``."""

    provider: str
    name: str

    def __str__(self) -> str:
        return f"{self.provider}:{self.name}"


@dataclass(frozen=True)
class _Provider:
    """What a remote provider needs, and what its failures look like."""

    label: str
    package: str
    url: Callable[[], str]
    key_variable: str | None
    errors: tuple[str, ...]  # "module.Class" of the exceptions its client raises


def _openai_url() -> str:
    return os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"


def _ollama_url() -> str:
    host = os.environ.get("OLLAMA_HOST") or "http://localhost:11434"
    return host if "://" in host else f"http://{host}"


def _anthropic_url() -> str:
    return os.environ.get("ANTHROPIC_BASE_URL") or "https://api.anthropic.com"


_HTTPX = ("httpx.ConnectError", "httpx.TimeoutException", "httpx.HTTPStatusError",  # ollama
          "httpx2.ConnectError", "httpx2.TimeoutException", "httpx2.HTTPStatusError")  # openai, anthropic
_TIMEOUTS = ("httpx.TimeoutException", "httpx2.TimeoutException", "openai.APITimeoutError", "anthropic.APITimeoutError")
_CONNECTS = ("httpx.ConnectError", "httpx2.ConnectError", "openai.APIConnectionError", "anthropic.APIConnectionError")
PROVIDERS: dict[str, _Provider] = {
    "openai": _Provider("the OpenAI API", "langchain-openai", _openai_url, "OPENAI_API_KEY",
                        ("openai.APIError", *_HTTPX)),
    "ollama": _Provider("the Ollama server", "langchain-ollama", _ollama_url, None,
                        ("ollama.ResponseError", "ollama.RequestError", "builtins.ConnectionError", *_HTTPX)),
    "anthropic": _Provider("the Anthropic API", "langchain-anthropic", _anthropic_url, "ANTHROPIC_API_KEY",
                           ("anthropic.APIError", *_HTTPX)),
}


def parse_model(spec: str) -> ModelSpec:
    """``local``, ``local:<embedded>``, ``openai:<name>``, ``ollama:<name>`` or
    ``anthropic:<name>``; anything else raises ``UnknownModelError`` listing these.

    Examples
    --------
    >>> parse_model("local")
    ModelSpec(provider='local', name='gemma3-270m')
    >>> parse_model("ollama:qwen2.5:0.5b")
    ModelSpec(provider='ollama', name='qwen2.5:0.5b')
    """
    text = spec.strip() if isinstance(spec, str) else ""
    provider, _, name = text.partition(":")
    name = name.strip()
    if text == "local":
        return ModelSpec("local", DEFAULT_LOCAL)
    if (provider == "local" and name in LOCAL_MODELS) or (provider in PROVIDERS and name):
        return ModelSpec(provider, name)
    raise UnknownModelError(spec, ACCEPTED)


def load_chat_model(spec: str, *, temperature: float = 0.0, cache: bool | BaseCache | None = None) -> BaseChatModel:
    """The chat model a model string names, ready to invoke.

    ``cache=True`` answers repeated prompts from ``<SCIWAND_HOME>/responses.sqlite``;
    a ``BaseCache`` is used as given, ``False`` disables LangChain's global cache and
    ``None`` leaves it in charge. Raises ``ModelError`` for a missing key or package.
    """
    parsed = parse_model(spec)
    options: dict[str, Any] = {"temperature": temperature}
    if cache is True:
        from assistant.response_cache import DiskCache

        options["cache"] = DiskCache()
    elif cache is not None:
        options["cache"] = cache
    if parsed.provider == "local":
        return LocalChatModel(model_path=str(local_model_path(parsed.name)), model_name=parsed.name,
                              chat_format=EMBEDDED[parsed.name].chat_format, **options)
    return _init_remote(parsed, **_CONNECTIONS[parsed.provider](parsed), **options)


@functools.cache
def _server_chat_openai() -> type[BaseChatModel]:
    """langchain-openai's ``ChatOpenAI`` that also sends ``max_tokens``, for servers at
    $OPENAI_BASE_URL.

    langchain-openai renames ``max_tokens`` to ``max_completion_tokens``, which
    llama_cpp.server (0.3.x) and other OpenAI-compatible servers ignore, so a
    ``max_tokens=8`` call generates until the context is full. The class keeps the
    name ``ChatOpenAI`` for code that recognises the provider by class name.
    """
    from langchain_openai import ChatOpenAI as Base

    class ChatOpenAI(Base):
        def _get_request_payload(self, input_: Any, *, stop: list[str] | None = None, **kwargs: Any) -> dict:
            payload = super()._get_request_payload(input_, stop=stop, **kwargs)
            if payload.get("max_completion_tokens") is not None:
                payload["extra_body"] = {"max_tokens": payload["max_completion_tokens"],
                                         **(payload.get("extra_body") or {})}
            return payload

    return ChatOpenAI


def _openai_connection(spec: ModelSpec) -> dict[str, Any]:
    key, base = os.environ.get("OPENAI_API_KEY"), os.environ.get("OPENAI_BASE_URL")
    if not key and not base:
        raise ModelError(f"OPENAI_API_KEY is not set (needed by {spec}); export it, "
                         "or set OPENAI_BASE_URL to a local OpenAI-compatible server")
    return {"api_key": key or PLACEHOLDER_KEY, "base_url": base}


def _ollama_connection(spec: ModelSpec) -> dict[str, Any]:
    return {"base_url": _ollama_url()}


def _anthropic_connection(spec: ModelSpec) -> dict[str, Any]:
    key = os.environ.get("ANTHROPIC_API_KEY")
    if not key:
        raise ModelError(f"ANTHROPIC_API_KEY is not set (needed by {spec}); export it")
    return {"api_key": key, "base_url": os.environ.get("ANTHROPIC_BASE_URL")}


_CONNECTIONS: dict[str, Callable[[ModelSpec], dict[str, Any]]] = {
    "openai": _openai_connection, "ollama": _ollama_connection, "anthropic": _anthropic_connection}


def _init_remote(spec: ModelSpec, **kwargs: Any) -> BaseChatModel:
    """Through ``init_chat_model``, except OpenAI-compatible servers (see ``_server_chat_openai``)."""
    package = PROVIDERS[spec.provider].package
    kwargs = {key: value for key, value in kwargs.items() if value is not None}
    try:
        if spec.provider == "openai" and kwargs.get("base_url"):
            return _server_chat_openai()(model=spec.name, **kwargs)
        from langchain.chat_models import init_chat_model

        return init_chat_model(spec.name, model_provider=spec.provider, **kwargs)
    except ImportError as error:
        raise ModelError(f"{spec} needs {package}; install it: pip install {package}") from error


# --- errors raised while a model answers


@contextmanager
def model_errors(spec: str | ModelSpec) -> Iterator[None]:
    """Turn a provider's failure inside the block (unreachable server, refused key,
    unknown model, HTTP error) into a one-line ``ModelError`` naming the server and the fix.

    sciwand's own errors and anything unrelated to the provider pass through unchanged.
    """
    parsed = spec if isinstance(spec, ModelSpec) else parse_model(spec)
    try:
        yield
    except SciwandError:
        raise
    except Exception as error:
        message = describe_failure(parsed, error)
        if message is None:
            raise
        raise ModelError(message) from error


def _types(paths: tuple[str, ...]) -> tuple[type[BaseException], ...]:
    found = []
    for path in paths:
        module, _, name = path.rpartition(".")
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _chain(error: BaseException) -> list[BaseException]:
    links: list[BaseException] = []
    while error is not None and error not in links:
        links.append(error)
        error = error.__cause__ or error.__context__
    return links


def _reason(error: BaseException) -> str:
    """The innermost cause in words: "Connection refused", not "Connection error."."""
    innermost = _chain(error)[-1]
    text = getattr(innermost, "strerror", None) or str(innermost) or type(innermost).__name__
    return re.sub(r"^\[Errno -?\d+\]\s*", "", " ".join(str(text).split()))[:200]


def _status(error: BaseException) -> int | None:
    for link in _chain(error):
        for attribute in ("status_code", "status"):
            value = getattr(link, attribute, None)
            if isinstance(value, int) and value > 0:
                return value
        response = getattr(link, "response", None)
        if isinstance(getattr(response, "status_code", None), int):
            return response.status_code
    return None


def describe_failure(spec: ModelSpec, error: BaseException) -> str | None:
    """One line for a provider failure, or None when ``error`` is not the provider's."""
    provider = PROVIDERS.get(spec.provider)
    if provider is None or not isinstance(error, _types(provider.errors)):
        return None
    label = "the OpenAI-compatible server" if spec.provider == "openai" and os.environ.get("OPENAI_BASE_URL") \
        else provider.label
    where = f"{label} at {provider.url()}"
    status = _status(error)
    links = _chain(error)
    if any(isinstance(link, (TimeoutError, *_types(_TIMEOUTS))) for link in links):
        return f"{where} did not answer in time ({_reason(error)})"
    if status is None and any(isinstance(link, (OSError, *_types(_CONNECTS))) for link in links):
        hint = "; start it with: ollama serve, or set OLLAMA_HOST" if spec.provider == "ollama" else ""
        return f"cannot reach {where} ({_reason(error)}){hint}"
    if status in (401, 403):
        return f"{where} refused the API key for {spec} ({status}); check {provider.key_variable or 'the server'}"
    if status == 404:
        hint = f"; pull it with: ollama pull {spec.name}" if spec.provider == "ollama" else ""
        return f"model {spec.name!r} not found at {provider.url()} (404){hint}"
    return f"{where} failed for {spec}" + (f" ({status})" if status else "") + f": {_detail(error)}"


def _detail(error: BaseException) -> str:
    """The provider's own message: ollama's ``error``, openai's ``message``, else ``str``."""
    for text in (getattr(error, "error", None), getattr(error, "message", None), str(error)):
        if isinstance(text, str) and text.strip():
            return " ".join(text.split())[:200]
    return type(error).__name__


def describe_models() -> list[tuple[str, str]]:
    """(model, status) for ``sciwand doctor``: each embedded model's file or the pip
    command that installs it, and how each provider is configured. Makes no network
    call and assembles nothing."""
    from assistant.local_llm import embedded_status

    rows = [(f"local:{name}", embedded_status(name)) for name in LOCAL_MODELS]
    return rows + [(f"{provider}:<name>", status()) for provider, status in _PROVIDER_STATUS.items()]


def _openai_status() -> str:
    key, base = os.environ.get("OPENAI_API_KEY"), os.environ.get("OPENAI_BASE_URL")
    if base:
        return f"OPENAI_BASE_URL={base}" + ("; OPENAI_API_KEY set" if key else "; no key (a placeholder is sent)")
    return "OPENAI_API_KEY set (api.openai.com)" if key else \
        "not configured: export OPENAI_API_KEY, or OPENAI_BASE_URL for a local server"


def _ollama_status() -> str:
    host = os.environ.get("OLLAMA_HOST")
    return f"OLLAMA_HOST={host}" if host else f"{_ollama_url()} (OLLAMA_HOST not set)"


def _anthropic_status() -> str:
    if not os.environ.get("ANTHROPIC_API_KEY"):
        return "not configured: export ANTHROPIC_API_KEY"
    base = os.environ.get("ANTHROPIC_BASE_URL")
    return "ANTHROPIC_API_KEY set" + (f"; ANTHROPIC_BASE_URL={base}" if base else "")


_PROVIDER_STATUS: dict[str, Callable[[], str]] = {
    "openai": _openai_status, "ollama": _ollama_status, "anthropic": _anthropic_status}

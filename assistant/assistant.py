"""``Assistant``: the public Python API, and what ``sciwand ask`` and ``sciwand eval`` run.

    >>> from assistant import Assistant
    >>> with Assistant(model="local") as sciwand:                    # doctest: +SKIP
    ...     answer = sciwand.ask("Molecular weight of CCO?")
    >>> answer.value, answer.verified                               # doctest: +SKIP
    (46.069, True)
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Sequence
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.tools import BaseTool, StructuredTool

from assistant.answer import Answer, Call, Plan
from assistant.context import Context
from assistant.errors import SettingError
from assistant.loop import LoopSettings, answer_question
from assistant.planners.base import Planner
from assistant.sandbox import Sandbox
from domains import recognise

MODES = ("call", "code")
BASELINES = ("oracle", "retrieval")
DOCS = ("retrieved", "none", "oracle")


# Planner strategies by name, with the mode each one answers in.
STRATEGIES = {"tools": "call", "choice": "call", "code": "code", "grammar-code": "code"}
# Embedded models cannot free-write calls, so they choose under a grammar by default.
DEFAULT_STRATEGY = {(True, "call"): "choice", (True, "code"): "grammar-code",
                    (False, "call"): "tools", (False, "code"): "code"}


def make_planner(model: str | BaseChatModel, mode: str, docs: str = "retrieved", cache: bool = True,
                 strategy: str | None = None) -> Planner:
    """The planner for a model (a model string, or any LangChain chat model) and mode.

    Baselines need no model. ``strategy`` picks how the model plans (``tools``,
    ``choice``, ``code``, ``grammar-code``); by default embedded models choose under a
    grammar and other chat models call tools or write code.
    """
    from assistant.planners.baselines import OraclePlanner, RetrievalPlanner
    from assistant.planners.chat import CodePlanner, ToolCallPlanner
    from assistant.planners.constrained import ChoicePlanner, GrammarCodePlanner

    if mode not in MODES:
        raise SettingError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    if strategy is not None and STRATEGIES.get(strategy) != mode:
        known = ", ".join(f"{name} ({answers})" for name, answers in STRATEGIES.items())
        raise SettingError(f"planner {strategy!r} does not answer in {mode} mode; planners: {known}")
    if model == "oracle":
        return OraclePlanner()
    if model == "retrieval":
        return RetrievalPlanner()
    from assistant.models import load_chat_model, parse_model

    if isinstance(model, BaseChatModel):
        chat, small = model, False
    else:
        chat, small = load_chat_model(model, cache=cache), parse_model(model).provider == "local"
    planners = {"tools": ToolCallPlanner, "choice": ChoicePlanner, "code": CodePlanner,
                "grammar-code": GrammarCodePlanner}
    return planners[strategy or DEFAULT_STRATEGY[(small, mode)]](chat, docs=docs != "none")


class Assistant:
    """Answers domain questions by retrieving API entries, letting a model plan calls,
    and executing them in the sandbox; every answer carries its provenance.

    ``model``: ``local`` (embedded, default), ``local:smollm2-135m``, ``openai:<name>``,
    ``ollama:<name>``, ``anthropic:<name>``, the eval baselines ``oracle`` and
    ``retrieval``, or any LangChain chat model object. ``mode``: ``call`` (tool calls)
    or ``code`` (a program); ``planner`` overrides how the model plans in that mode
    (see ``STRATEGIES``).
    """

    def __init__(self, model: str | BaseChatModel = "local", mode: str = "call", *, k: int = 8, repair_rounds: int = 2,
                 docs: str = "retrieved", cache: bool = True, timeout_s: float = 30.0, planner: str | None = None,
                 searcher: Any = None, sandbox: Sandbox | None = None) -> None:
        if docs not in DOCS:
            raise SettingError(f"docs must be one of {', '.join(DOCS)}, not {docs!r}")
        self.model, self.mode = model, mode
        self.settings = LoopSettings(k=k, repair_rounds=repair_rounds, docs=docs, timeout_s=timeout_s)
        self.planner = make_planner(model, mode, docs, cache, planner)
        self._searcher = searcher
        self._sandbox = sandbox

    @property
    def searcher(self) -> Any:
        """The hybrid index, opened on first use (``IndexNotBuiltError`` if not built)."""
        if self._searcher is None:
            from retrieval import default_searcher

            self._searcher = default_searcher()
        return self._searcher

    @property
    def sandbox(self) -> Sandbox:
        if self._sandbox is None:
            self._sandbox = Sandbox(timeout_s=self.settings.timeout_s)
        return self._sandbox

    def ask(self, question: str, domain: str | None = None, *, reference: str | None = None,
            gold_functions: Sequence[Sequence[str]] = ()) -> Answer:
        """Answer ``question`` (optionally within one domain). ``reference`` and
        ``gold_functions`` are for the eval's oracle baseline and ``--oracle-docs``."""
        with self._model_errors():
            return answer_question(question, planner=self.planner, searcher=self.searcher, sandbox=self.sandbox,
                                   settings=self.settings, domain=domain, reference=reference,
                                   gold_functions=gold_functions)

    def as_langchain_tools(self, domain: str | None = None) -> list[BaseTool]:
        """sciwand's retrieval-backed domain calls as tools for your own LangChain agent:
        ``search_api`` (find entries), ``call_api`` (validated, sandboxed call with
        question inputs coerced) and ``ask_sciwand`` (the whole loop)."""
        return [
            StructuredTool.from_function(self._search_api, name="search_api", description=(
                "Find RDKit/Biopython/Astropy API entries for a task; returns names, signatures and summaries.")),
            StructuredTool.from_function(self._call_api, name="call_api", description=(
                "Call one API entry by dotted name in a sandbox. arguments (list) and keywords (dict) are JSON; "
                "strings such as SMILES, "
                "sequences or '5 km/s' are converted to library objects. Returns the result as JSON.")),
            StructuredTool.from_function(lambda question: self.ask(question, domain).text, name="ask_sciwand",
                                         description="Answer a chemistry, biology or astronomy question end to end."),
        ]

    def _search_api(self, query: str, k: int = 5) -> str:
        from assistant.planners.prompts import entry_doc

        return "\n\n".join(entry_doc(hit.entry) for hit in self.searcher.search(query, k=k))

    def _call_api(self, entry: str, arguments: list[Any] | None = None, keywords: dict[str, Any] | None = None) -> str:
        """Validate and run one call; ``arguments`` are positional, ``keywords`` by name."""
        from assistant.program import render
        from assistant.validate import validate_plan

        found = self.searcher.entry(entry)
        args, kwargs = list(arguments or []), dict(keywords or {})
        entities = recognise(" ".join(str(a) for a in [*args, *kwargs.values()]))
        context = Context(entry, found.domain if found else None, entities, [])
        plan = Plan(calls=(Call(entry, tuple(args), kwargs),))
        checked = validate_plan(plan, context, self.searcher.entry)
        if checked.problems:
            return json.dumps({"status": "invalid", "problems": checked.problems})
        result = self.sandbox.run(render(plan.calls, checked.entries, entities), timeout_s=self.settings.timeout_s)
        return result.to_json()

    def _model_errors(self) -> contextlib.AbstractContextManager:
        if not isinstance(self.model, str) or self.model in BASELINES:
            return contextlib.nullcontext()
        from assistant.models import model_errors

        return model_errors(self.model)

    def close(self) -> None:
        """End the sandbox session."""
        if self._sandbox is not None:
            self._sandbox.close()
            self._sandbox = None

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

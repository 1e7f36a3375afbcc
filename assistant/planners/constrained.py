"""Planners for small models, whose output is constrained by a grammar.

A 270M model cannot free-write calls (it copies its few-shot example); under a
grammar it can only produce one of a few valid things:

- ``ChoicePlanner`` (call mode): the type-fitting candidate plans of the retrieved
  entries are written as short calls, and a grammar lets the model emit exactly one
  of those whose prior (retrieval rank x type fit x inputs used) is within
  ``TIE_BAND`` of the best. Measured on 120 dev tasks, the embedded models choosing
  freely among six were right on 21% (Gemma 3 270M) and 20% (SmolLM2 135M), against
  33% for the prior alone; deciding only near-ties matched the prior (32% / 33%).
- ``GrammarCodePlanner`` (code mode): the model writes ``result = f(x, 2)``, where a
  grammar allows only the retrieved entries as callees and only the question's
  values (as literals, or coerced to library objects) as arguments. Nested calls
  were allowed at first; the 270M model then nested the same call until it ran out
  of tokens (0 of 60 dev tasks right), so the grammar is one call deep.

The grammar goes to llama.cpp directly (embedded models) or in the request body to
an OpenAI-compatible llama.cpp server; other providers answer freely and the reply
is matched to the nearest option.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage

from assistant.answer import Attempt, Plan
from assistant.context import Context
from assistant.planners.candidates import Candidate, untried_plans
from assistant.planners.base import ModelPlanner
from assistant.planners.prompts import entry_doc, library_of
from assistant.program import locate
from domains import adapter_for

CHOICES = 6
TIE_BAND = 0.9  # the model decides among candidates scoring at least this share of the best
CODE_TOKENS = 128  # room for two long SMILES; the grammar ends the line anyway

CHOICE_PROMPT = (
    "Question: {question}\n\nThese {library} calls are available:\n{docs}\n\n"
    "Which one call computes the answer to the question? Reply with the call only."
)
CODE_PROMPT = (
    "Question: {question}\n\nAvailable {library} functions:\n{docs}\n\n"
    "Write one line of Python that computes the answer into `result`."
)


def gbnf_choice(options: Sequence[str]) -> str:
    """A grammar whose only sentences are the given strings."""
    return "root ::= " + " | ".join(_literal(o) for o in options) + "\n"


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def constrained_invoke(model: BaseChatModel, prompt: str, grammar: str, max_tokens: int) -> str:
    """Invoke with the grammar where the backend takes one; the reply's text."""
    from assistant.local_llm import LocalChatModel

    messages = [HumanMessage(prompt)]
    if isinstance(model, LocalChatModel):
        reply = model.invoke(messages, grammar=grammar, max_tokens=max_tokens)
    elif type(model).__name__ == "ChatOpenAI":
        reply = model.invoke(messages, extra_body={"grammar": grammar}, max_tokens=max_tokens)
    else:
        reply = model.invoke(messages)
    return str(reply.content).strip()


class ChoicePlanner(ModelPlanner):
    """Call mode for small models: the model picks among the near-best candidate plans."""

    name = "choice"
    library_errors_are_final = True  # see RetrievalPlanner

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan:
        options = untried_plans(context, history)[:CHOICES]
        options = [c for c in options if c.score >= TIE_BAND * options[0].score] if options else []
        if not options:
            return Plan(refusal="no retrieved API entry can take the inputs in the question")
        if len(options) == 1:
            return options[0].plan
        labels = _distinct_labels(options)
        docs = "\n".join(f"- {label}: {c.entry.summary[:120]}" if self.docs else f"- {label}"
                         for label, c in zip(labels, options))
        prompt = CHOICE_PROMPT.format(question=context.question, library=library_of(context), docs=docs)
        reply = constrained_invoke(self.model, prompt, gbnf_choice(labels), max_tokens=48)
        return options[_nearest(reply, labels)].plan


def _distinct_labels(options: Sequence[Candidate]) -> list[str]:
    labels: list[str] = []
    for option in options:
        label = option.label if option.label not in labels else option.entry.public_name
        labels.append(label)
    return labels


def _nearest(reply: str, labels: Sequence[str]) -> int:
    if reply in labels:
        return labels.index(reply)
    close = difflib.get_close_matches(reply, labels, n=1, cutoff=0.0)
    return labels.index(close[0]) if close else 0


class GrammarCodePlanner(ModelPlanner):
    """Code mode for small models: one line of code, written under a grammar."""

    name = "grammar-code"

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan:
        callees = _callees(context)
        leaves = _leaves(context)
        if not callees:
            return Plan(refusal="no retrieved API entry can be called")
        docs = "\n".join(entry_doc(e).splitlines()[0] if self.docs else e.public_name for e in context.entries)
        prompt = CODE_PROMPT.format(question=context.question, library=library_of(context), docs=docs)
        line = constrained_invoke(self.model, prompt, _code_grammar(list(callees), leaves), CODE_TOKENS)
        imports = [callees[c] for c in callees if re.search(rf"(?<![\w.]){re.escape(c)}\(", line)]
        prelude = ["from domains import coerce"] if "coerce(" in line else []
        return Plan(code="\n".join([*prelude, *dict.fromkeys(imports), line, "result"]) + "\n")


def _callees(context: Context) -> dict[str, str]:
    """Short callee text -> the import that makes it valid (``Descriptors.MolWt``)."""
    found: dict[str, str] = {}
    for entry in context.entries:
        try:
            target = locate(entry)
        except ImportError:
            continue
        if target.on_instance or entry.kind in ("module", "class", "property", "data"):
            continue
        head, _, last = target.module.rpartition(".")
        found[".".join((last, *target.path))] = f"from {head} import {last}" if head else f"import {last}"
    return found


def _leaves(context: Context) -> list[str]:
    """The question's values: each entity as a literal and coerced by its adapter, and
    the bare numbers."""
    leaves: list[str] = []
    for entity in context.entities:
        value = entity.value if entity.value is not None else entity.text
        leaves.append(repr(value) if not isinstance(value, dict) else repr(entity.text))
        adapter = adapter_for(entity)
        if adapter is not None:
            leaves.append(f"coerce({adapter.types[0]!r}, {value!r})")
    spans = [e.span for e in context.entities]
    leaves += [m.group() for m in re.finditer(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", context.question)
               if not any(a <= m.start() < b for a, b in spans)]
    return list(dict.fromkeys(leaves)) or ["None"]


def _code_grammar(callees: list[str], leaves: list[str]) -> str:
    alternatives = lambda items: " | ".join(_literal(i) for i in items)  # noqa: E731
    return "\n".join([
        'root ::= "result = " callee "(" args? ")"',
        'args ::= leaf (", " leaf)*',
        f"callee ::= {alternatives(callees)}",
        f"leaf ::= {alternatives(leaves)}",
    ]) + "\n"

"""Planners for capable chat models: tool calls (call mode) or a program (code mode).

Any LangChain chat model works; tool calling needs one that supports ``bind_tools``.
The retrieved entries become tools whose JSON schemas come from the harvested
parameters, so the model can only name entries that were retrieved (anything else
is caught by validation and fed back).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

from assistant.answer import Attempt, Call, Plan
from assistant.context import Context
from assistant.planners.base import ModelPlanner
from assistant.planners.prompts import CALL_SYSTEM, CODE_SYSTEM, library_of, question_block
from assistant.program import locate
from retrieval import ApiEntry

REFUSE = "refuse"
_CODE_BLOCK = re.compile(r"```(?:python|py)?\s*\n(.*?)```", re.DOTALL)


def tool_name(entry: ApiEntry) -> str:
    """A tool name providers accept (``[A-Za-z0-9_-]{1,64}``) that still reads as the entry."""
    return re.sub(r"[^A-Za-z0-9_]", "_", ".".join(entry.public_name.split(".")[-3:]))[-64:]


def tool_spec(entry: ApiEntry) -> dict[str, Any]:
    """The OpenAI-format tool for an entry; argument types are described, not enforced,
    because any argument may also be a ``{"$ref": ...}`` to an earlier result."""
    properties: dict[str, Any] = {}
    required: list[str] = []
    try:
        on_instance = locate(entry).on_instance
    except ImportError:
        on_instance = False
    if on_instance:
        owner = (entry.owner or entry.name.rsplit(".", 1)[0]).rsplit(".", 1)[-1]
        properties["self"] = {"description": f"the {owner} to call it on (a question input or a $ref)"}
        required.append("self")
    if any(p.name.startswith("*") and not p.name.startswith("**") for p in entry.params):
        properties["args"] = {"type": "array", "description": "positional arguments, in order"}
    for param in entry.params:
        if param.name.startswith("*"):
            continue
        doc = " ".join(filter(None, [param.type, f"default {param.default}" if param.default else None, param.doc]))
        properties[param.name] = {"description": doc[:200] or param.name}
        if param.default is None:
            required.append(param.name)
    description = f"{entry.public_name}{entry.signature or ''}: {entry.summary} {entry.note}".strip()[:1000]
    return {"type": "function", "function": {"name": tool_name(entry), "description": description,
                                             "parameters": {"type": "object", "properties": properties,
                                                            "required": required}}}


REFUSE_SPEC = {"type": "function", "function": {
    "name": REFUSE, "description": "Decline: the input is invalid or the question cannot be answered.",
    "parameters": {"type": "object", "properties": {"reason": {"type": "string"}}, "required": ["reason"]}}}


class ToolCallPlanner(ModelPlanner):
    """Call mode for models with tool calling."""

    name = "tools"

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan:
        by_name = {tool_name(e): e for e in context.entries}
        tools = [tool_spec(e) for e in by_name.values()] + [REFUSE_SPEC]
        messages = [SystemMessage(CALL_SYSTEM.format(library=library_of(context))),
                    HumanMessage(question_block(context, history, docs=self.docs))]
        reply = self.model.bind_tools(tools).invoke(messages)
        return plan_from_tool_calls(reply, by_name)


def plan_from_tool_calls(reply: AIMessage, by_name: dict[str, ApiEntry]) -> Plan:
    """Tool calls -> a plan; results bound to x1, x2, ... as the system prompt says."""
    calls = []
    for number, tool_call in enumerate(reply.tool_calls, start=1):
        arguments = dict(tool_call.get("args") or {})
        if tool_call["name"] == REFUSE:
            return Plan(refusal=str(arguments.get("reason") or "the model declined"))
        entry = by_name.get(tool_call["name"])
        name = entry.public_name if entry else tool_call["name"]
        positional = arguments.pop("args", [])
        args = ((arguments.pop("self"),) if "self" in arguments else ()) + tuple(
            positional if isinstance(positional, list) else [positional])
        calls.append(Call(name, args, arguments, bind_to=f"x{number}"))
    if not calls:
        return Plan(code=extract_code(str(reply.content))) if _CODE_BLOCK.search(str(reply.content)) else Plan()
    return Plan(calls=tuple(calls))


class CodePlanner(ModelPlanner):
    """Code mode: the model writes a short program against the retrieved docs."""

    name = "code"

    def plan(self, context: Context, history: Sequence[Attempt]) -> Plan:
        messages = [SystemMessage(CODE_SYSTEM.format(library=library_of(context))),
                    HumanMessage(question_block(context, history, docs=self.docs))]
        reply = self.model.invoke(messages)
        return Plan(code=extract_code(str(reply.content)))


def extract_code(text: str) -> str:
    """The first fenced Python block, or the whole reply when there is no fence."""
    match = _CODE_BLOCK.search(text)
    return (match.group(1) if match else text).strip() + "\n"

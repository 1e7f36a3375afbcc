"""Check a call plan before anything runs: every entry exists and was retrieved (or
is in the index), its arguments bind to the live signature, question inputs coerce
through the domain adapters, and the pack's input checks pass.

Problems come back as sentences for the model; nothing is executed for an invalid plan.
"""

from __future__ import annotations

import difflib
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from assistant.answer import Plan
from assistant.context import Context
from assistant.program import coercion, locate, param_type
from domains import Entity, InvalidInputError, adapter_for, coerce, get_pack
from domains.errors import brief_repr
from retrieval import ApiEntry
from retrieval._resolve import MISSING, resolve

Lookup = Callable[[str], ApiEntry | None]


@dataclass
class Checked:
    """The outcome of validation: the entry of each call, and the problems found.
    ``wrong_input`` says a pack input check failed: the entry is defined for another
    kind of input than the question gives (a protein to a GC-content function)."""

    entries: list[ApiEntry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    wrong_input: bool = False


def validate_plan(plan: Plan, context: Context, lookup: Lookup) -> Checked:
    """Validate each call in order; a ``$ref`` must name an earlier call's result."""
    checked = Checked()
    bound: set[str] = set()
    for number, call in enumerate(plan.calls, start=1):
        entry = context.entry(call.entry) or lookup(call.entry)
        if entry is None:
            checked.problems.append(_unknown(call.entry, context))
            continue
        checked.entries.append(entry)
        refs = _refs([*call.args, *call.kwargs.values()])
        checked.problems += [f"call {number} ({call.entry}) uses {{'$ref': {r!r}}}, but no earlier call is bound to "
                             f"{r!r}" for r in refs - bound]
        checked.problems += _bind_problems(entry, call.args, call.kwargs)
        coerced, kind_problems = _input_problems(entry, call.args, call.kwargs, context.entities)
        checked.problems += coerced + kind_problems
        checked.wrong_input = checked.wrong_input or bool(kind_problems)
        bound.add(call.bind_to or f"x{number}")
    if not plan.calls and not plan.code and not plan.refusal:
        checked.problems.append("the plan is empty: call at least one API entry")
    return checked


def _unknown(name: str, context: Context) -> str:
    offered = [e.public_name for e in context.entries]
    close = difflib.get_close_matches(name, offered, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; retrieved entries: {', '.join(offered[:8])}"
    return f"there is no API entry named {name!r}{hint}"


def _bind_problems(entry: ApiEntry, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
    """Bind to ``inspect.signature`` of the live object, else to the harvested parameters
    (RDKit's Boost.Python functions have no introspectable signature)."""
    try:
        target = locate(entry)
    except ImportError as exc:
        return [str(exc)]
    if not target.callable:
        return [f"{entry.public_name} is a {entry.kind}, not callable with arguments"] \
            if (args[1:] if target.on_instance else args) or kwargs else []
    if target.on_instance and not args:
        return [f"{entry.public_name} is a method: pass the object to call it on as the first argument"]
    live = resolve(entry.name)
    try:
        signature = inspect.signature(live) if live is not MISSING else None
    except (TypeError, ValueError):
        signature = None
    if signature is not None and not _only_variadic(signature):
        try:
            signature.bind(*args, **kwargs)
            return []
        except TypeError as exc:
            return [f"{entry.public_name}{signature}: {exc}"]
    return _bind_to_params(entry, args[1:] if target.on_instance else args, kwargs)


def _bind_to_params(entry: ApiEntry, args: tuple[Any, ...], kwargs: dict[str, Any]) -> list[str]:
    if not entry.params and not entry.signature:
        return []
    names = [p.name for p in entry.params]
    variadic = any(n.startswith("*") for n in names)
    shown = entry.signature or f"({', '.join(names)})"
    problems = []
    if len(args) > len(names) and not variadic:
        problems.append(f"{entry.public_name}{shown} takes {len(names)} arguments, {len(args)} given")
    for key in kwargs:
        if key not in names and not variadic:
            problems.append(f"{entry.public_name}{shown} has no parameter {key!r}")
    given = set(names[: len(args)]) | set(kwargs)
    missing = [p.name for p in entry.params if p.default is None and not p.name.startswith("*") and p.name not in given]
    if missing:
        problems.append(f"{entry.public_name}{shown} is missing required argument(s): {', '.join(missing)}")
    return problems


def _only_variadic(signature: inspect.Signature) -> bool:
    """``(*x, **y)`` wrappers (``Descriptors.MolWt``) say nothing: use the documented parameters."""
    variadic = (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD)
    return all(p.kind in variadic for p in signature.parameters.values())


def _input_problems(entry: ApiEntry, args: tuple[Any, ...], kwargs: dict[str, Any],
                    entities: list[Entity]) -> tuple[list[str], list[str]]:
    """Coerce question inputs as the program will (``InvalidInputError`` names the bad
    input), and apply the pack's input checks to the entities passed: the problems of
    each, apart."""
    try:
        on_instance = locate(entry).on_instance
    except ImportError:
        return [], []
    slots = [(i - 1 if on_instance else i, None, v) for i, v in enumerate(args)] + [(None, k, v) for k, v in kwargs.items()]
    problems = []
    for position, keyword, value in slots:
        kind = coercion(param_type(entry, position, keyword), value, entities)
        if kind is None:
            continue
        try:
            coerce(kind, value)
        except InvalidInputError as exc:
            problems.append(f"{entry.public_name}: {exc}")
    passed = [e for e in entities if any(_holds(v, e) for _, _, v in slots)]
    return problems, get_pack(entry.domain).check_inputs(entry.name, passed)


def _holds(value: Any, entity: Entity) -> bool:
    return value == entity.value or value == entity.text or isinstance(value, str) and entity.text in value


def _refs(values: list[Any]) -> set[str]:
    found: set[str] = set()
    for value in values:
        if isinstance(value, dict) and set(value) == {"$ref"}:
            found.add(str(value["$ref"]))
        elif isinstance(value, dict):
            found |= _refs(list(value.values()))
        elif isinstance(value, (list, tuple)):
            found |= _refs(list(value))
    return found


def invalid_entities(entities: list[Entity]) -> list[str]:
    """Inputs of the question that are wrong whatever the plan ("C1CC(" as a SMILES), so
    the assistant refuses without running anything.

    Only when every entity its adapter parses fails (a question with one good SMILES
    and a word that looks like one, "Fsp3", is not refused here), and only for adapters
    whose failure proves the input bad.
    """
    from domains import parse_entity

    by_adapter: dict[int, list[str | None]] = {}
    for entity in entities:
        adapter = adapter_for(entity)
        if adapter is None or not adapter.proves_invalid:
            continue
        try:
            parse_entity(entity)
            problem = None
        except InvalidInputError as exc:
            problem = str(exc)
        except Exception as exc:  # noqa: BLE001 - a library error while parsing is still bad input
            problem = f"{brief_repr(entity.text)} is not a valid {entity.kind}: {exc}"
        by_adapter.setdefault(id(adapter), []).append(problem)
    return [p for problems in by_adapter.values() if all(problems) for p in problems if p]

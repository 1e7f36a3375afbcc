"""A call plan written out as the Python program the sandbox runs and the user reads.

Call mode never executes JSON directly: each ``Call`` becomes one line of ordinary
Python, so "the code that ran" is exactly what the user can paste and rerun.
Arguments taken from the question (a SMILES, "5 km/s", a sequence) go through
``domains.coerce`` to the library object the parameter expects, so an invalid input
fails with the adapter's message ("not a valid SMILES: ...") instead of deep inside
the library.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from assistant.answer import Call
from domains import Entity, find_adapter
from retrieval import ApiEntry

RESULT = "result"
_STRING_TYPE = re.compile(r"^\s*(str|AnyStr|string|object)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Target:
    """Where an entry lives: the module to import, the attribute path below it, and
    whether it is called on an instance (methods and properties take ``self`` first)."""

    module: str
    path: tuple[str, ...]
    on_instance: bool
    callable: bool


def locate(entry: ApiEntry) -> Target:
    """Split the entry's public name into an importable module and attribute path."""
    parts = entry.public_name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        on_instance = entry.kind in ("method", "property") and cut < len(parts) - 1
        return Target(module, tuple(parts[cut:]), on_instance, entry.kind not in ("property", "data"))
    raise ImportError(f"cannot import any module of {entry.public_name}")


def param_type(entry: ApiEntry, position: int | None, keyword: str | None) -> str | None:
    """The declared type text of the parameter an argument lands on (``self`` of a
    method is position -1 and has the owner class as its type)."""
    if position == -1:
        return entry.owner or entry.name.rsplit(".", 1)[0]
    params = [p for p in entry.params if not p.name.startswith("*")]
    if keyword is not None:
        return next((p.type for p in params if p.name == keyword), None)
    return params[position].type if position is not None and position < len(params) else None


def coercion(type_text: str | None, value: Any, entities: Sequence[Entity]) -> str | None:
    """The adapter type an argument must be coerced to, or None to pass it as it is.

    A typed parameter takes any raw value its adapter parses; an untyped one (much of
    Biopython) is coerced only when the value is an entity of the question, by that
    entity's own adapter (a DNA string becomes a ``Seq``).
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, list, dict)) or _is_ref(value):
        return None
    if type_text and _STRING_TYPE.search(type_text):
        return None  # MolFromSmiles(SMILES: str) wants the text itself
    adapter = find_adapter(type_text)
    if adapter is not None:
        return adapter.types[0]
    entity = next((e for e in entities if value in (e.value, e.text)), None)
    if entity is None:
        return None
    return next((a.types[0] for a in _adapters(entity) if entity.kind in a.kinds), None)


def _adapters(entity: Entity):
    from domains import get_pack

    return get_pack(entity.domain).adapters


def render(calls: Sequence[Call], entries: Sequence[ApiEntry], entities: Sequence[Entity]) -> str:
    """The program for ``calls`` (each with its entry): imports, one line per call, and
    ``result`` bound to the last call's value."""
    imports: list[str] = []
    lines: list[str] = []
    for number, (call, entry) in enumerate(zip(calls, entries), start=1):
        target = locate(entry)
        head, _, last = target.module.rpartition(".")
        imports.append(f"from {head} import {last}" if head else f"import {last}")
        args = list(call.args)
        shown = [_argument(entry, i, None, a, entities) for i, a in enumerate(args[1:] if target.on_instance else args)]
        shown += [f"{k}={_argument(entry, None, k, v, entities)}" for k, v in call.kwargs.items()]
        if target.on_instance:
            owner = _argument(entry, -1, None, args[0] if args else None, entities)
            expression = f"{_wrap(owner)}.{target.path[-1]}"
        else:
            expression = ".".join((last, *target.path))
        if target.callable:
            expression += f"({', '.join(shown)})"
        lines.append(f"{call.bind_to or f'x{number}'} = {expression}")
    if any("coerce(" in line for line in lines):
        imports.insert(0, "from domains import coerce")
    final = calls[-1].bind_to or f"x{len(calls)}" if calls else "None"
    return "\n".join([*dict.fromkeys(imports), *lines, f"{RESULT} = {final}", RESULT]) + "\n"


def _argument(entry: ApiEntry, position: int | None, keyword: str | None, value: Any,
              entities: Sequence[Entity]) -> str:
    if _is_ref(value):
        return value["$ref"]
    kind = coercion(param_type(entry, position, keyword), value, entities)
    return f"coerce({kind!r}, {value!r})" if kind else repr(value)


def _wrap(expression: str) -> str:
    """Parenthesise an owner expression that is not a plain name (``coerce(...).jd``)."""
    return expression if expression.isidentifier() or expression.endswith(")") else f"({expression})"


def _is_ref(value: Any) -> bool:
    return isinstance(value, dict) and set(value) == {"$ref"}

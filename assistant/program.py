"""A call plan written out as the Python program the sandbox runs and the user reads.

Call mode never executes JSON directly: each ``Call`` becomes one line of ordinary
Python, so "the code that ran" is exactly what the user can paste and rerun.
Arguments taken from the question (a SMILES, "5 km/s", a sequence) go through
``domains.coerce`` to the library object the parameter expects, so an invalid input
fails with the adapter's message ("not a valid SMILES: ...") instead of deep inside
the library.
"""

from __future__ import annotations

import ast
import importlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from assistant.answer import Call
from domains import Entity, adapter_for, find_adapters
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
    return _locate(entry.public_name, entry.kind)


@lru_cache(maxsize=4096)
def _locate(public_name: str, kind: str) -> Target:
    # Cached: candidates, validation, rendering and tool schemas all ask, and every
    # name longer than its module costs failed imports to split.
    parts = public_name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:cut])
        try:
            importlib.import_module(module)
        except ImportError:
            continue
        on_instance = kind in ("method", "property") and cut < len(parts) - 1
        return Target(module, tuple(parts[cut:]), on_instance, kind not in ("property", "data"))
    raise ImportError(f"cannot import any module of {public_name}")


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

    A value that is one of the question's entities is parsed by that entity's own
    adapter when the parameter accepts what it makes (a SMARTS for a ``Mol`` query
    becomes ``MolFromSmarts``, not ``MolFromSmiles``), as it is for an untyped parameter
    (much of Biopython: a DNA string becomes a ``Seq``); any other raw value goes
    through the adapter of the parameter's type.
    """
    if isinstance(value, bool) or not isinstance(value, (str, int, float, list, dict)) or _is_ref(value):
        return None
    if type_text and _STRING_TYPE.search(type_text):
        return None  # MolFromSmiles(SMILES: str) wants the text itself
    accepted = find_adapters(type_text)
    entity = next((e for e in entities if value in (e.value, e.text)), None)
    own = adapter_for(entity) if entity is not None else None
    if own is not None and (not type_text or not accepted or own in accepted):
        return own.types[0]
    return accepted[0].types[0] if accepted else None


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


def entries_in_code(code: str, lookup: Callable[[str], ApiEntry | None],
                    offered: Sequence[ApiEntry] = ()) -> tuple[str, ...]:
    """The API entries a program uses, in order of first use: dotted names reached from
    its imports (``Chem.MolFromSmiles`` after ``from rdkit import Chem``), and methods of
    the offered entries called on its variables (``mol.GetNumAtoms()``)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return ()
    imported: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update({a.asname or a.name.split(".")[0]: a.name if a.asname else a.name.split(".")[0]
                             for a in node.names})
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.update({a.asname or a.name: f"{node.module}.{a.name}" for a in node.names})
    found: list[str] = []
    methods = {e.name.rsplit(".", 1)[-1]: e.name for e in offered if e.kind in ("method", "property")}
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Attribute, ast.Name)) or not isinstance(getattr(node, "ctx", None), ast.Load):
            continue
        parts = _dotted(node)
        if parts and parts[0] in imported:
            entry = lookup(".".join([imported[parts[0]], *parts[1:]]))
            if entry is not None and entry.kind != "module":
                found.append(entry.name)
        elif isinstance(node, ast.Attribute) and node.attr in methods:
            found.append(methods[node.attr])
    return tuple(dict.fromkeys(found))


def _dotted(node: ast.AST) -> list[str] | None:
    """``a.b.c`` as ["a", "b", "c"], or None for anything but names and attributes."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.insert(0, node.attr)
        node = node.value
    return [node.id, *parts] if isinstance(node, ast.Name) else None

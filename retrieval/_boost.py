"""Signatures of Boost.Python functions (RDKit), parsed from their docstrings.

Boost.Python functions have no ``inspect.signature``; their docstring starts each
overload with a line such as::

    MolFromSmiles( (AnyStr)SMILES [, (bool)sanitize=True [, (dict)replacements={}]]) -> Mol :
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval._model import Param

_OVERLOAD = re.compile(r"^\s*(?P<name>\w+)\(\s*(?P<args>.*?)\)\s*->\s*(?P<ret>[\w.:<>, ]+?)\s*:\s*$", re.MULTILINE)
_ARG = re.compile(r"\((?P<type>[^()]+)\)\s*(?P<name>\w+)(?:\s*=\s*(?P<default>.+))?$")


@dataclass(frozen=True)
class BoostOverload:
    """One overload: its parameters (``self`` excluded), return type and doc text."""

    params: tuple[Param, ...]
    returns: str
    text: str
    has_self: bool


def _split_args(args: str) -> list[str]:
    """Split ``(T)a [, (U)b=1 [, (V)c=[]]]`` into ``["(T)a", "(U)b=1", "(V)c=[]"]``,
    respecting brackets inside default values."""
    optional_groups = len(re.findall(r"\[\s*,", args))
    args = re.sub(r"\s*\[\s*,\s*", ",", args).rstrip()
    for _ in range(optional_groups):  # each "[," group closes with one "]" at the end
        args = args[:-1].rstrip() if args.endswith("]") else args
    parts, depth, current = [], 0, ""
    for char in args:
        if char in "([{" and not (char == "(" and depth == 0 and not current.strip()):
            depth += 1
        elif char in ")]}" and depth > 0:
            depth -= 1
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    if current.strip():
        parts.append(current.strip())
    return parts


def _param(text: str) -> Param | None:
    # The leading "(Type)" opened a bracket level in _split_args; match from the start.
    match = _ARG.match(text.strip())
    if not match:
        return None
    default = match.group("default")
    return Param(match.group("name"), _type(match.group("type")), default.strip() if default else None)


def _type(text: str) -> str:
    # RDKit registers its AtomPairsParameters converter for plain Python objects, so
    # docstrings of unrelated functions say "(AtomPairsParameters)SMILES": it means object.
    text = text.strip()
    return "object" if text == "AtomPairsParameters" else text


def parse_boost_doc(doc: str) -> list[BoostOverload]:
    """Every overload described in a Boost.Python docstring, in order."""
    matches = list(_OVERLOAD.finditer(doc or ""))
    overloads = []
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        text = doc[match.end():end].split("C++ signature")[0]
        params = [p for p in (_param(a) for a in _split_args(match.group("args"))) if p]
        has_self = bool(params) and params[0].name in ("self", "arg1") and "self" in match.group("args")
        overloads.append(BoostOverload(tuple(params[1:] if has_self else params), match.group("ret").strip(),
                                       _dedent(text), has_self))
    return overloads


def format_signature(name: str, overload: BoostOverload) -> str:
    """A Python-style signature: ``MolFromSmiles(SMILES: AnyStr, sanitize: bool = True) -> Mol``."""
    args = ", ".join(
        f"{p.name}: {p.type}" + (f" = {p.default}" if p.default is not None else "") for p in overload.params
    )
    return f"{name}({args}) -> {overload.returns}"


def _dedent(text: str) -> str:
    lines = [line.strip() for line in text.strip("\n").splitlines()]
    return "\n".join(lines).strip()


def is_boost_callable(obj: object) -> bool:
    """True for Boost.Python functions, whose type is ``Boost.Python.function``."""
    return type(obj).__module__ == "Boost.Python" and type(obj).__name__ == "function"

"""Turn whatever generated code produced into size-capped JSON.

Private module, run inside the child (it holds the live objects). Library
types are rendered by the domain packs' ``renderers`` (RDKit ``Mol`` -> canonical
SMILES, Biopython ``Seq`` -> str, astropy ``Quantity`` -> ``{value, unit}``, ...);
this module adds plain values, containers recursively, and numpy. Anything else renders to ``None``; its ``repr`` and
type still go back. A budget of items and characters caps the whole value, so
a ten-million-element list costs the parent a few kilobytes, not gigabytes.
Library types are recognised only if their library is already imported:
rendering never imports anything.
"""

from __future__ import annotations

import math
import reprlib
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any


@dataclass(frozen=True)
class RenderLimits:
    """Caps on one rendered value: items per container, characters, nesting."""

    max_items: int = 1000
    max_chars: int = 256 * 1024
    max_depth: int = 8
    max_repr: int = 2000


@dataclass(frozen=True)
class Rendered:
    """A value as the parent receives it."""

    value: Any
    repr: str
    type: str
    truncated: bool


def type_name(obj: Any) -> str:
    """``module.QualName`` of the object's type (bare for builtins)."""
    cls = type(obj)
    return cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"


def safe_repr(obj: Any, limit: int) -> str:
    """A bounded repr that never raises (a broken ``__repr__`` is reported, not propagated)."""
    short = reprlib.Repr()
    short.maxstring = short.maxother = limit
    short.maxlist = short.maxtuple = short.maxdict = short.maxset = 20
    try:
        text = short.repr(obj)
    except Exception as exc:  # noqa: BLE001 - user-defined __repr__ may raise anything
        text = f"<{type_name(obj)} object; repr failed: {type(exc).__name__}>"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render(obj: Any, limits: RenderLimits = RenderLimits()) -> Rendered:
    """Render ``obj``; never raises."""
    renderer = _Renderer(limits)
    try:
        value = renderer.value(obj, 0)
    except Exception:  # noqa: BLE001 - user objects may raise from any attribute
        value, renderer.truncated = None, False
    return Rendered(value, safe_repr(obj, limits.max_repr), type_name(obj), renderer.truncated)


class _Renderer:
    """One rendering pass; ``room`` is the character budget left."""

    def __init__(self, limits: RenderLimits) -> None:
        self.limits = limits
        self.room = limits.max_chars
        self.truncated = False

    def value(self, obj: Any, depth: int) -> Any:
        self.room -= 8
        if depth > self.limits.max_depth or self.room <= 0:
            self.truncated = True
            return None
        for test, handler in handlers():
            if test(obj):
                return handler(self, obj, depth)
        return None

    def text(self, text: str) -> str:
        keep = max(0, min(len(text), self.room))
        self.room -= keep
        if keep < len(text):
            self.truncated = True
        return text[:keep]

    def items(self, items: Any, depth: int) -> list[Any]:
        out = []
        for n, item in enumerate(items):
            if n >= self.limits.max_items or self.room <= 0:
                self.truncated = True
                break
            out.append(self.value(item, depth + 1))
        return out


def _loaded(module: str, attr: str) -> type | None:
    """A class from an already-imported module, else ``None`` (never imports)."""
    mod = sys.modules.get(module)
    return getattr(mod, attr, None) if mod is not None else None


def _is(module: str, attr: str) -> Callable[[Any], bool]:
    def test(obj: Any) -> bool:
        cls = _loaded(module, attr)
        return cls is not None and isinstance(obj, cls)

    return test


def _int(r: _Renderer, obj: int, depth: int) -> Any:
    if obj.bit_length() > 1000:  # beyond this JSON readers (and int->str limits) balk
        r.truncated = True
        return None
    return int(obj)


def _float(r: _Renderer, obj: float, depth: int) -> Any:
    return float(obj) if math.isfinite(obj) else str(float(obj))


def _sequence(r: _Renderer, obj: Any, depth: int) -> list[Any]:
    if isinstance(obj, (set, frozenset)):
        try:
            obj = sorted(obj)
        except TypeError:
            pass
    return r.items(obj, depth)


def _mapping(r: _Renderer, obj: Mapping[Any, Any], depth: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for n, (key, item) in enumerate(obj.items()):
        if n >= r.limits.max_items or r.room <= 0:
            r.truncated = True
            break
        out[r.text(key if isinstance(key, str) else safe_repr(key, 200))] = r.value(item, depth + 1)
    return out


def _ndarray(r: _Renderer, obj: Any, depth: int) -> Any:
    if obj.size > r.limits.max_items:
        r.truncated = True
        return r.items(obj.ravel()[: r.limits.max_items].tolist(), depth)
    return r.value(obj.tolist(), depth)


_Handler = Callable[[_Renderer, Any, int], Any]
_GENERIC: list[tuple[Callable[[Any], bool], _Handler]] = [
    (lambda o: o is None or isinstance(o, bool), lambda r, o, d: o),
    (lambda o: isinstance(o, int), _int),
    (lambda o: isinstance(o, float), _float),
    (lambda o: isinstance(o, complex), lambda r, o, d: {"real": _float(r, o.real, d), "imag": _float(r, o.imag, d)}),
    (lambda o: isinstance(o, str), lambda r, o, d: r.text(o)),
    (lambda o: isinstance(o, (list, tuple, set, frozenset)), _sequence),
    (lambda o: isinstance(o, Mapping), _mapping),
]
# After the library types: Quantity is an ndarray subclass.
_NUMPY: list[tuple[Callable[[Any], bool], _Handler]] = [
    (_is("numpy", "ndarray"), _ndarray),
    (_is("numpy", "generic"), lambda r, o, d: r.value(o.item(), d)),
]


@cache
def handlers() -> list[tuple[Callable[[Any], bool], _Handler]]:
    """Plain Python values, then every domain pack's renderers, then numpy."""
    from domains import all_packs

    packs = [(_is(x.module, x.type_name), _delegate(x.render)) for pack in all_packs() for x in pack.renderers]
    return [*_GENERIC, *packs, *_NUMPY]


def _delegate(render: Callable[[Any, Callable[[Any], Any]], Any]) -> _Handler:
    """A pack's ``render(obj, child)`` as a handler whose nested values stay in budget."""
    return lambda r, obj, depth: render(obj, lambda nested: r.value(nested, depth + 1))

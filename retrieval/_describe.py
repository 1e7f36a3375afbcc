"""Turn one live Python object into the descriptive fields of an ``ApiEntry``."""

from __future__ import annotations

import inspect
import re
from dataclasses import dataclass
from typing import Any

from domains.errors import brief_repr
from retrieval._boost import format_signature, is_boost_callable, parse_boost_doc
from retrieval._docparse import parse_params, summarise
from retrieval._model import Param
from retrieval._text import name_words


@dataclass(frozen=True)
class Description:
    """Signature, parameters, return type, summary and doc of one object."""

    signature: str | None
    params: tuple[Param, ...]
    returns: str | None
    summary: str
    summary_source: str
    doc: str


def describe(obj: Any, short_name: str, kind: str, owner: str | None) -> Description:
    """Describe ``obj`` (a function, class, method, property or data object)."""
    if kind == "property":
        obj = getattr(obj, "fget", None) or obj
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    if is_boost_callable(obj) or is_boost_callable(getattr(obj, "__init__", None)) and kind == "class":
        described = _describe_boost(obj, short_name, kind)
    elif kind == "data":
        described = _describe_data(obj)
    else:
        described = _describe_python(obj, short_name, kind)
    if described.summary:
        return described
    generated = _generated_summary(short_name, kind, owner, described.returns)
    return Description(described.signature, described.params, described.returns, generated, "generated", described.doc)


def _describe_python(obj: Any, short_name: str, kind: str) -> Description:
    doc = inspect.getdoc(obj) or ""
    if kind == "class" and not doc.strip():
        doc = inspect.getdoc(getattr(obj, "__init__", None)) or ""
    documented, doc_returns = parse_params(doc)
    if kind == "class":
        # Parameters of a class are usually documented on __init__.
        init_params, _ = parse_params(inspect.getdoc(getattr(obj, "__init__", None)) or "")
        documented = {**init_params, **documented}
    signature, params, returns = None, tuple(documented.values()), doc_returns
    try:
        sig = inspect.signature(obj)
    except (TypeError, ValueError):
        sig = None
    if sig is not None and kind != "property":
        params = tuple(_param(p, documented.get(p.name)) for p in sig.parameters.values()
                       if p.name not in ("self", "cls"))
        if sig.return_annotation is not inspect.Signature.empty:
            returns = doc_returns or _annotation(sig.return_annotation)
        signature = _signature(short_name, params, returns)
    return Description(signature, params, returns, summarise(doc), "doc" if summarise(doc) else "none", doc)


def _describe_boost(obj: Any, short_name: str, kind: str) -> Description:
    doc = obj.__doc__ or ""
    overloads = parse_boost_doc(doc if kind != "class" else (obj.__init__.__doc__ or ""))
    if kind == "class":
        overloads = [o for o in overloads if o.params] or overloads
        doc = inspect.getdoc(obj) or ""
    if not overloads:
        summary = summarise(doc)
        return Description(None, (), None, summary, "doc" if summary else "none", doc)
    best = max(overloads, key=lambda o: len(o.params))
    documented, _ = parse_params("\n".join(o.text for o in overloads))
    params = tuple(Param(p.name, p.type, p.default, documented.get(p.name, Param(p.name)).doc) for p in best.params)
    signature = " | ".join(dict.fromkeys(format_signature(short_name, o) for o in overloads))
    texts = [inspect.getdoc(obj) or ""] if kind == "class" else [o.text for o in overloads]
    summary = next((s for s in map(summarise, texts) if s), "")
    returns = None if kind == "class" else best.returns
    return Description(signature, params, returns, summary, "doc" if summary else "none", doc)


def _describe_data(obj: Any) -> Description:
    """Data objects (units, constants, cosmologies, codon tables) document themselves
    through an instance docstring or a ``name``; their repr tells the value."""
    own_doc = obj.__doc__ if isinstance(getattr(obj, "__doc__", None), str) else ""
    if own_doc == (type(obj).__doc__ or ""):
        own_doc = ""
    label = getattr(obj, "name", None)
    text = " ".join(part for part in (str(label) if isinstance(label, str) else "", own_doc) if part)
    try:
        value = " ".join(repr(obj).split())[:300]
    except Exception:  # noqa: BLE001 - an odd __repr__ must not stop harvesting
        value = ""
    summary = summarise(text)
    doc = "\n".join(part for part in (text, f"value: {value}", f"type: {type(obj).__qualname__}") if part)
    return Description(None, (), type(obj).__qualname__, summary, "doc" if summary else "none", doc)


def _generated_summary(short_name: str, kind: str, owner: str | None, returns: str | None) -> str:
    """A summary written from the name when the library has no docstring, so search
    still has words: ``GetNumAtoms`` of ``Mol`` -> "Get num atoms (method of Mol)"."""
    words = " ".join(name_words(short_name.split(".")[-1])).capitalize()
    where = f" ({kind} of {owner.split('.')[-1]})" if owner else f" ({kind})"
    tail = f"; returns {returns}" if returns else ""
    return f"{words}{where}{tail}."


def _param(p: inspect.Parameter, documented: Param | None) -> Param:
    """A parameter of a live signature; the documented type wins over an annotation
    because annotations of array-like types expand to hundreds of characters."""
    annotation = None if p.annotation is inspect.Parameter.empty else _annotation(p.annotation)
    default = None if p.default is inspect.Parameter.empty else brief_repr(p.default)
    name = {p.VAR_POSITIONAL: f"*{p.name}", p.VAR_KEYWORD: f"**{p.name}"}.get(p.kind, p.name)
    return Param(name, (documented.type if documented and documented.type else None) or annotation, default,
                 documented.doc if documented else None)


def _signature(short_name: str, params: tuple[Param, ...], returns: str | None) -> str:
    """``name(a: T, b: U = 1) -> R`` built from the parameters, so it reads like
    Boost-derived signatures do."""
    args = ", ".join(p.name + (f": {p.type}" if p.type else "") + (f" = {p.default}" if p.default is not None else "")
                     for p in params)
    return f"{short_name}({args})" + (f" -> {returns}" if returns else "")


def _annotation(annotation: Any) -> str:
    text = annotation if isinstance(annotation, str) else inspect.formatannotation(annotation)
    text = re.sub(r"\b(?:[a-z_]\w*\.)+(?=[A-Za-z_]\w*)", "", text)  # astropy.units.quantity.Quantity -> Quantity
    return text if len(text) <= 80 else text[:77] + "..."

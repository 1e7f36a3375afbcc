"""The text each retriever sees for an entry, written for search rather than display.

Names are split into words and domain abbreviations spelled out ("MolWt" ->
"mol wt molecule weight"), because questions use words, not identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping

from retrieval._model import ApiEntry
from retrieval._text import entry_name_text, expand, name_words

TEXT_VERSION = "3"
_DOC_CHARS = 600
_DENSE_DOC_CHARS = 240


def _owner_words(entry: ApiEntry, vocabulary: Mapping[str, str]) -> str:
    if not entry.owner:
        return ""
    return " ".join(expand(name_words(entry.owner.split(".")[-1]), vocabulary))


def lexical_text(entry: ApiEntry, vocabulary: Mapping[str, str]) -> str:
    """Name words twice (they matter most), owner class, summary, parameter names and
    the start of the docstring."""
    name = entry_name_text(entry.public_name, vocabulary)
    params = " ".join(p.name.lstrip("*") for p in entry.params)
    return " ".join(part for part in (
        name, name, _owner_words(entry, vocabulary), entry.summary, params, entry.doc[:_DOC_CHARS]) if part)


def dense_text(entry: ApiEntry, vocabulary: Mapping[str, str]) -> str:
    """A short passage the embedding model reads: name, its words, summary, parameter
    names and the start of the docs, e.g. ``Descriptors.MolWt (mol wt molecule
    weight): The average molecular weight of the molecule. Parameters: x.``"""
    tail = ".".join(entry.public_name.split(".")[-2:])
    words = entry_name_text(entry.public_name, vocabulary)
    params = ", ".join(p.name.lstrip("*") for p in entry.params[:6])
    rest = " ".join(entry.doc.split())[:_DENSE_DOC_CHARS] if entry.summary_source == "doc" else ""
    rest = rest[len(entry.summary):].strip() if rest.startswith(entry.summary) else rest
    text = f"{tail} ({words}): {entry.summary}"
    return text + (f" Parameters: {params}." if params else "") + (f" {rest}" if rest else "")

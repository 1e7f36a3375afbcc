"""The text each retriever sees for an entry, written for search rather than display.

Names are split into words and domain abbreviations spelled out ("MolWt" ->
"mol wt molecule weight"), because questions use words, not identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping

from retrieval._model import ApiEntry
from retrieval._text import entry_name_text, expand, name_words

TEXT_VERSION = "2"
_DOC_CHARS = 600


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
    """A short sentence the embedding model reads: ``Descriptors.MolWt (mol wt molecule
    weight): The average molecular weight of the molecule.``"""
    tail = ".".join(entry.public_name.split(".")[-2:])
    words = entry_name_text(entry.public_name, vocabulary)
    return f"{tail} ({words}): {entry.summary}"

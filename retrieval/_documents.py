"""The text each retriever sees for an entry, written for search rather than display.

Names are split into words and domain abbreviations spelled out ("MolWt" ->
"mol wt molecule weight"), because questions use words, not identifiers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from retrieval._model import ApiEntry
from retrieval._resolve import defined_name, resolve
from retrieval._text import entry_name_text, expand, name_words

TEXT_VERSION = "4"
_DOC_CHARS = 600
_DENSE_DOC_CHARS = 240


def _owner_words(entry: ApiEntry, vocabulary: Mapping[str, str]) -> str:
    if not entry.owner:
        return ""
    return " ".join(expand(name_words(entry.owner.split(".")[-1]), vocabulary))


def lexical_text(entry: ApiEntry, vocabulary: Mapping[str, str]) -> str:
    """Name words twice (they matter most), owner class, summary, search note,
    parameter names and the start of the docstring."""
    name = entry_name_text(entry.public_name, vocabulary)
    params = " ".join(p.name.lstrip("*") for p in entry.params)
    return " ".join(part for part in (
        name, name, _owner_words(entry, vocabulary), entry.summary, entry.note, params, entry.doc[:_DOC_CHARS]) if part)


def dense_text(entry: ApiEntry, vocabulary: Mapping[str, str]) -> str:
    """A short passage the embedding model reads: name, its words, summary, search
    note, parameter names and the start of the docs, e.g. ``Descriptors.MolWt (mol wt molecule
    weight): The average molecular weight of the molecule. Parameters: x.``"""
    tail = ".".join(entry.public_name.split(".")[-2:])
    words = entry_name_text(entry.public_name, vocabulary)
    params = ", ".join(p.name.lstrip("*") for p in entry.params[:6])
    rest = " ".join(entry.doc.split())[:_DENSE_DOC_CHARS] if entry.summary_source == "doc" else ""
    rest = rest[len(entry.summary):].strip() if rest.startswith(entry.summary) else rest
    text = f"{tail} ({words}): {entry.summary}" + (f" {entry.note}" if entry.note else "")
    return text + (f" Parameters: {params}." if params else "") + (f" {rest}" if rest else "")


def attach_notes(entries: Sequence[ApiEntry], notes: Mapping[str, str]) -> list[ApiEntry]:
    """``entries`` with the pack's search notes attached. A note names its entry by
    any recorded alias, or by a path that imports as the object the entry defines."""
    by_name = {name: row for row, entry in enumerate(entries) for name in entry.names}
    attached = list(entries)
    for name, note in notes.items():
        row = by_name.get(name)
        if row is None:
            row = by_name.get(defined_name(resolve(name)) or "")
        if row is not None:
            attached[row] = replace(attached[row], note=note)
    return attached

"""Whitespace tokens with their spans, trimmed of the punctuation prose wraps them in."""

from __future__ import annotations

import re
from collections.abc import Iterator

_TOKEN = re.compile(r"\S+")
_LEAD = "\"'`“‘«<"
_TRAIL = "\"'`”’′»>,;:?!."


def tokens(text: str) -> Iterator[tuple[str, int, int]]:
    """Yield ``(token, start, end)``; quotes and sentence punctuation are trimmed.

    Brackets are kept unless they are unbalanced at an edge, because SMILES use them
    (``CC(=O)O``) while prose wraps tokens in them (``(SMILES CCO)``).
    """
    for match in _TOKEN.finditer(text):
        token, start, end = match.group(), match.start(), match.end()
        while token and token[0] in _LEAD:
            token, start = token[1:], start + 1
        while token and (token[-1] in _TRAIL or _unbalanced_close(token)):
            token, end = token[:-1], end - 1
        # No SMILES starts with "(": a leading one is prose, and so is its partner.
        if token.startswith("(") and len(token) > 1:
            token, start = token[1:], start + 1
            while token and _unbalanced_close(token):
                token, end = token[:-1], end - 1
        if token:
            yield token, start, end


def _unbalanced_close(token: str) -> bool:
    return token[-1] in ")]" and token.count(token[-1]) > token.count("(" if token[-1] == ")" else "[")

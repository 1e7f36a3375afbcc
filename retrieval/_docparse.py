"""Parameters, return types and one-line summaries from docstrings.

Astropy writes numpydoc, Biopython Google/reST/plain text, RDKit's Python layer
plain text; ``docstring_parser`` detects the style.
"""

from __future__ import annotations

import re
import warnings

import docstring_parser

from retrieval._model import Param

_SENTENCE_END = re.compile(r"(?<=[a-z0-9)\]])\.(\s|$)")
MAX_SUMMARY = 200
# Paragraphs that open a section ("ARGUMENTS:", "Parameters", "C++ signature :") are not a summary.
_SECTION = re.compile(r"^(?:[A-Z][A-Z +]+:|(?:Parameters|Arguments|Args|Returns|Notes|Examples|Example|"
                      r"See Also|Attributes|Raises|C\+\+ signature)\b)")


def summarise(text: str | None) -> str:
    """The first sentence of the first paragraph, on one line, at most 200 characters.

    Skips leading lines that merely restate a signature (``name(args)``) and reST
    headings, which some libraries put first.
    """
    for paragraph in re.split(r"\n\s*\n", (text or "").strip()):
        line = " ".join(paragraph.split())
        if not line or re.fullmatch(r"[\w.]+\(.*\)(\s*->.*)?", line) or set(line) <= set("=-~^* ") \
                or _SECTION.match(line):
            continue
        match = _SENTENCE_END.search(line)
        sentence = line[: match.start() + 1] if match else line
        return sentence if len(sentence) <= MAX_SUMMARY else sentence[: MAX_SUMMARY - 1].rstrip() + "…"
    return ""


def parse_params(doc: str | None) -> tuple[dict[str, Param], str | None]:
    """Documented parameters by name, and the documented return type, if any."""
    if not doc:
        return {}, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = docstring_parser.parse(doc)
    except (docstring_parser.ParseError, ValueError, AttributeError, IndexError, KeyError):
        return {}, None
    params = {
        p.arg_name.split()[0].lstrip("*"): Param(p.arg_name.split()[0].lstrip("*"), p.type_name, p.default,
                                                   _one_line(p.description))
        for p in parsed.params
        if p.arg_name
    }
    returns = parsed.returns.type_name if parsed.returns and parsed.returns.type_name else None
    for name, text in _BULLET.findall(doc):
        params.setdefault(name, Param(name, None, None, text.strip()))
    return params, returns


# Biopython and RDKit document arguments as bullets: " - seq: the sequence" or " - seq - ...".
_BULLET = re.compile(r"^\s*[-*]\s*(\w+)\s*(?::|\s-)\s*(.+)$", re.MULTILINE)


def _one_line(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None

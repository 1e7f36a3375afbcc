"""The words search sees: API names split into words, domain vocabulary spelled out."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

# "GetNumHeavyAtoms" -> Get Num Heavy Atoms; "MolToSMILES2D" -> Mol To SMILES 2 D;
# "gc_fraction" -> gc fraction; "Tm_NN" -> Tm NN.
_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


def name_words(name: str) -> list[str]:
    """Lower-case words of a dotted, camel- or snake-case API name."""
    return [w.lower() for part in re.split(r"[._\s]+", name) for w in _CAMEL.findall(part)]


def expand(words: Iterable[str], vocabulary: Mapping[str, str]) -> list[str]:
    """``words`` with each vocabulary abbreviation followed by its spelled-out form."""
    out: list[str] = []
    for word in words:
        out.append(word)
        if word in vocabulary and vocabulary[word] != word:
            out.extend(vocabulary[word].split())
    return out


def entry_name_text(public_name: str, vocabulary: Mapping[str, str]) -> str:
    """The last two segments of a name (``Descriptors.MolWt``), split and expanded:
    what a question about this entry is likely to say."""
    tail = ".".join(public_name.split(".")[-2:])
    return " ".join(expand(name_words(tail), vocabulary))

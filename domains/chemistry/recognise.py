"""Find molecules written in a question: SMILES tokens (validated by RDKit) and InChI strings."""

from __future__ import annotations

import re

from domains._protocol import Entity
from domains._tokens import tokens

_SMILES_CHARS = re.compile(r"^[A-Za-z0-9@+\-\[\]\(\)=#$%/\\.:*]+$")
# Characters that ordinary words never contain but SMILES often do.
_SMILES_MARKS = re.compile(r"[\[\]\(\)=#@+\\/%0-9]")
_ELEMENT_WORD = re.compile(r"^[A-Z][a-z]?$")


def looks_like_smiles(token: str) -> bool:
    """True if ``token`` parses as a molecule and is unlikely to be an English word.

    RDKit accepts many words ("No", "CO", "Cs"), so a bare letter token needs three or
    more characters and no lowercase run that reads like a word.
    """
    if not _SMILES_CHARS.match(token) or _ELEMENT_WORD.match(token):
        return False
    if not _SMILES_MARKS.search(token) and (len(token) < 3 or re.search(r"[a-z]{3,}", token)):
        return False
    return _parses("MolFromSmiles", token)


def _parses(parser: str, token: str) -> bool:
    """True if RDKit's ``parser`` accepts ``token``; its error log stays quiet, since
    most tokens of a question are not molecules."""
    from rdkit import Chem, rdBase

    with rdBase.BlockLogs():
        return getattr(Chem, parser)(token) is not None


def looks_like_smarts(token: str) -> bool:
    """True for a query pattern RDKit parses as SMARTS (checked after SMILES failed):
    bracket atoms with SMARTS primitives (``[CX3]``, ``[#6]``, ``[N;H2]``) or ``~``."""
    if not _SMILES_CHARS.match(token) or not re.search(r"\[[^\]]+\]|~|\*", token):
        return False
    return _parses("MolFromSmarts", token)


def looks_like_broken_smiles(token: str) -> bool:
    """True for a token written as a SMILES that RDKit rejects (``C1CC(``, ``c1ccccc``):
    the user meant a molecule, and the answer is to say it is not a valid one."""
    return (len(token) >= 4 and bool(_SMILES_CHARS.match(token)) and bool(re.search(r"[\[\]()=#@0-9]", token))
            and bool(re.search(r"[BCNOPSFIcnops]", token)) and not re.search(r"[a-z]{3,}", token)
            and not re.fullmatch(r"[\d.eE+\-]+", token))


def recognise(text: str) -> list[Entity]:
    """SMILES, SMARTS, reaction SMARTS and InChI entities in ``text``."""
    found: list[Entity] = []
    for token, start, end in tokens(text):
        kind = ("inchi" if token.startswith("InChI=") else "reaction" if ">>" in token
                else "smiles" if looks_like_smiles(token) else "smarts" if looks_like_smarts(token)
                else "bad_smiles" if looks_like_broken_smiles(token) else None)
        if kind:
            found.append(Entity(kind, token, (start, end), "chemistry", token))
    return found

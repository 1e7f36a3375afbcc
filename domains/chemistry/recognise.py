"""Find molecules written in a question: SMILES tokens (validated by RDKit) and InChI strings."""

from __future__ import annotations

import re

from domains._protocol import Entity
from domains._tokens import tokens

_SMILES_CHARS = re.compile(r"^[A-Za-z0-9@+\-\[\]\(\)=#$%/\\.:*]+$")
# Characters that ordinary words never contain but SMILES often do.
_SMILES_MARKS = re.compile(r"[\[\]\(\)=#@+\\/%0-9]")
_ELEMENT_WORD = re.compile(r"^[A-Z][a-z]?$")
# Atoms SMILES writes without brackets; any other letter outside brackets means the
# token is a name ("BLOSUM62", "NAXIS1", "WGS84"), not a molecule.
_ORGANIC = re.compile(r"^(?:Cl|Br|[BCNOPSFIbcnops])*$")
# Mark-less tokens are words unless made of the commonest atoms: "NCBI", "ISO" and
# "SCI" parse (boron, iodine) but are acronyms.
_PLAIN_ATOMS = re.compile(r"^(?:Cl|Br|[CNOSPFcnosp])+$")


def looks_like_smiles(token: str) -> bool:
    """True if ``token`` parses as a molecule and is unlikely to be an English word.

    RDKit accepts many words ("No", "CO", "Cs"), so a bare letter token needs three or
    more characters and no lowercase run that reads like a word.
    """
    if not _SMILES_CHARS.match(token) or _ELEMENT_WORD.match(token):
        return False
    if not _SMILES_MARKS.search(token) and (len(token) < 3 or re.search(r"[a-z]{3,}", token)
                                             or not _PLAIN_ATOMS.match(token)):
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
    if (len(token) < 4 or not _SMILES_CHARS.match(token) or not re.search(r"\[[^\]]+\]|~|\*", token)
            or not re.search(r"[A-Za-z]|#\d", token)):
        return False
    return _parses("MolFromSmarts", token)


def looks_like_broken_smiles(token: str) -> bool:
    """True for a token written as a SMILES that RDKit rejects (``C1CC(``, ``c1ccccc``):
    the user meant a molecule, and the answer is to say it is not a valid one.

    It starts like a SMILES (an atom, a bracket or a branch), has SMILES punctuation,
    contains carbon, nitrogen or oxygen, has no letters outside the bracket-free atoms
    ("NAXIS1", "18h36m56s" and "Fsp3" are names and angles) and every branch holds an
    atom ("CO(1-0)" is a line transition)."""
    unbracketed = re.sub(r"\[[^\]]*\]?", "", token)
    return (len(token) >= 4 and bool(_SMILES_CHARS.match(token)) and bool(re.match(r"[A-Za-z\[(]", token))
            and bool(re.search(r"[\[\]()=#@0-9]", token)) and bool(re.search(r"[CNOcno]", token))
            and bool(_ORGANIC.match(re.sub(r"[^A-Za-z]", "", unbracketed)))
            and all(re.search(r"[A-Za-z\[]", group) for group in re.findall(r"\(([^()]*)\)", token)))


# A V2000/V3000 molfile pasted into the question: from its counts line to "M  END",
# with the (up to three) header lines before it.
_MOLBLOCK = re.compile(r"(?:^[^\n]*\n){0,3}^[^\n]*V[23]000[ \t]*\n(?:[^\n]*\n)*?^M  END[ \t]*$", re.MULTILINE)


def _header_start(text: str, match: re.Match) -> int:
    """Where a molblock's header begins: prose before the counts line is not header."""
    lines = text[match.start():].splitlines(keepends=True)
    offset = match.start()
    for line in lines:
        if "V2000" in line or "V3000" in line or not re.search(r"[.?!:]\s*$", line):
            break
        offset += len(line)
    return offset


def recognise(text: str) -> list[Entity]:
    """Molfiles, SMILES, SMARTS, reaction SMARTS and InChI entities in ``text``."""
    found: list[Entity] = []
    for m in _MOLBLOCK.finditer(text):
        start = _header_start(text, m)
        found.append(Entity("molblock", text[start:m.end()], (start, m.end()), "chemistry", text[start:m.end()]))
    for token, start, end in tokens(text):
        kind = ("inchi" if token.startswith("InChI=") else "reaction" if ">>" in token
                else "smiles" if looks_like_smiles(token) else "smarts" if looks_like_smarts(token)
                else "bad_smiles" if looks_like_broken_smiles(token) else None)
        if kind:
            found.append(Entity(kind, token, (start, end), "chemistry", token))
    return found

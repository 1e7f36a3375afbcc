"""From question text to RDKit objects: SMILES, InChI or a molblock to ``Mol``, a
SMARTS to a query ``Mol``, a bit string to a fingerprint. Invalid input raises ``InvalidInputError`` with RDKit's own
reason, never returns ``None``."""

from __future__ import annotations

from typing import Any

from domains._protocol import Adapter
from domains.errors import InvalidInputError, brief_repr


def parse_mol(value: Any):
    """A ``Mol`` from a SMILES, an InChI (``InChI=...``) or a V2000/V3000 molblock."""
    from rdkit import Chem, rdBase

    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"expected a SMILES, InChI or molblock string, got {value!r}")
    text = value.strip()
    if text.startswith("InChI="):
        notation, parse = "InChI", Chem.MolFromInchi
    elif "M  END" in text or "V2000" in text or "V3000" in text:
        notation, parse, text = "molblock", Chem.MolFromMolBlock, value
    else:
        notation, parse = "SMILES", Chem.MolFromSmiles
    with rdBase.BlockLogs():  # the reason goes into the error; keep RDKit's log quiet
        mol = parse(text)
        reason = _reason(text) if mol is None and notation == "SMILES" else ""
    if mol is None:
        raise InvalidInputError(f"not a valid {notation}: {brief_repr(value)}{reason}")
    return mol


def _reason(smiles: str) -> str:
    """RDKit's explanation of why a SMILES fails (syntax, valence, ring closure)."""
    from rdkit import Chem

    mol = Chem.MolFromSmiles(smiles, sanitize=False) if smiles else None
    if mol is None:
        return " (syntax error)"
    try:
        Chem.SanitizeMol(mol)
    except Exception as error:  # noqa: BLE001 - RDKit raises several sanitization errors
        return f" ({' '.join(str(error).split())})"
    return ""


def parse_smarts(value: Any):
    """A query ``Mol`` from a SMARTS pattern (what ``HasSubstructMatch`` takes)."""
    from rdkit import Chem, rdBase

    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(f"expected a SMARTS string, got {value!r}")
    with rdBase.BlockLogs():
        query = Chem.MolFromSmarts(value.strip())
    if query is None:
        raise InvalidInputError(f"not a valid SMARTS: {brief_repr(value)}")
    return query


def parse_fingerprint(value: Any):
    """An ``ExplicitBitVect`` from a string of 0s and 1s."""
    from rdkit import DataStructs

    if not isinstance(value, str) or not value or set(value) - {"0", "1"}:
        raise InvalidInputError(f"not a fingerprint bit string of 0s and 1s: {brief_repr(value)}")
    return DataStructs.CreateFromBitString(value)


ADAPTERS = (
    Adapter(("Mol", "ROMol", "RWMol"), parse_mol, kinds=("smiles", "inchi", "bad_smiles", "molblock")),
    # A SMARTS is a Mol too, parsed another way: "QueryMol" names this adapter for coerce.
    Adapter(("QueryMol", "Mol"), parse_smarts, kinds=("smarts",)),
    Adapter(("ExplicitBitVect",), parse_fingerprint),
)

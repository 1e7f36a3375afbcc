"""From question text to Biopython objects: a sequence string to ``Seq``, FASTA text
to ``SeqRecord``. The alphabet is detected; ambiguous IUPAC letters are allowed."""

from __future__ import annotations

import io
import re
from typing import Any

from domains._protocol import Adapter
from domains.errors import InvalidInputError, brief_repr

_LETTERS = {
    "dna": set("ACGTNRYKMSWBDHV-"),
    "rna": set("ACGUNRYKMSWBDHV-"),
    "protein": set("ACDEFGHIKLMNPQRSTVWYXBZJUO*-"),
}


def alphabet(sequence: str) -> str:
    """``"dna"``, ``"rna"`` or ``"protein"``: the first alphabet that holds every letter,
    nucleotides preferred (ACGT is both DNA and protein, and means DNA)."""
    letters = set(sequence.upper())
    for name in ("dna", "rna", "protein"):
        if letters <= _LETTERS[name]:
            return name
    bad = sorted(letters - _LETTERS["protein"])
    raise InvalidInputError(f"not a biological sequence: {brief_repr(sequence)} contains {', '.join(map(repr, bad))}")


def parse_seq(value: Any):
    """A ``Seq`` from a string; whitespace and strand marks (5'-...-3') are dropped."""
    from Bio.Seq import Seq

    if not isinstance(value, str):
        raise InvalidInputError(f"expected a sequence string, got {value!r}")
    text = re.sub(r"\s+|^5['′]-?|-?3['′]$", "", value.strip())
    if not text:
        raise InvalidInputError("empty sequence")
    alphabet(text)
    return Seq(text.upper())


def parse_record(value: Any):
    """A ``SeqRecord`` from FASTA text holding exactly one record."""
    from Bio import SeqIO

    if not isinstance(value, str) or not value.lstrip().startswith(">"):
        raise InvalidInputError(f"not FASTA text (it must start with a '>' header line): {brief_repr(value)}")
    records = list(SeqIO.parse(io.StringIO(value.strip() + "\n"), "fasta"))
    if len(records) != 1:
        raise InvalidInputError(f"expected one FASTA record, found {len(records)}")
    alphabet(str(records[0].seq))
    return records[0]


def parse_enzyme(value: Any):
    """A restriction enzyme of ``Bio.Restriction`` by name ("EcoRI"); names are exact
    (BamH1 is not BamHI)."""
    import difflib

    from Bio import Restriction
    from Bio.Restriction.Restriction import RestrictionType

    enzyme = getattr(Restriction, value, None) if isinstance(value, str) and value.isidentifier() else None
    if not isinstance(enzyme, RestrictionType):
        close = difflib.get_close_matches(str(value), list(Restriction.AllEnzymes.elements()), n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise InvalidInputError(f"no restriction enzyme named {brief_repr(value)} in Bio.Restriction{hint}")
    return enzyme


def parse_codon_table(value: Any):
    """An NCBI codon table by id (11 = bacterial); ids 7, 8 and 17-20 do not exist."""
    from Bio.Data import CodonTable

    tables = CodonTable.unambiguous_dna_by_id
    if not isinstance(value, int) or isinstance(value, bool) or value not in tables:
        raise InvalidInputError(f"there is no NCBI genetic code {brief_repr(value)}; "
                                f"Biopython knows ids {', '.join(map(str, sorted(tables)))}")
    return tables[value]


def parse_substitution_matrix(value: Any):
    """A substitution matrix Biopython ships, by name ("BLOSUM62", "PAM250")."""
    import difflib

    from Bio.Align import substitution_matrices

    names = substitution_matrices.load()
    name = str(value).upper()
    if name not in names:
        close = difflib.get_close_matches(name, names, n=2)
        hint = f"; did you mean {' or '.join(close)}?" if close else ""
        raise InvalidInputError(f"Biopython has no substitution matrix named {brief_repr(value)}{hint}")
    return substitution_matrices.load(name)


# Restriction enzymes are classes; their methods are defined on these bases.
_ENZYME_TYPES = ("RestrictionType", "AbstractCut", "Ov5", "Ov3", "Blunt", "NoCut", "OneCut", "TwoCuts",
                 "Defined", "Ambiguous", "NotDefined", "Palindromic", "NonPalindromic")

ADAPTERS = (
    Adapter(("Seq", "MutableSeq"), parse_seq, kinds=("dna", "rna", "protein")),
    # Several records are valid FASTA, just not one SeqRecord: a failure here is no proof of bad input.
    Adapter(("SeqRecord",), parse_record, kinds=("fasta",), proves_invalid=False),
    Adapter(_ENZYME_TYPES, parse_enzyme, kinds=("enzyme",)),
    Adapter(("CodonTable", "NCBICodonTable", "NCBICodonTableDNA"), parse_codon_table, kinds=("codon_table",)),
    Adapter(("Array", "substitution_matrix"), parse_substitution_matrix, kinds=("substitution_matrix",)),
)

"""Find biological sequences in a question: DNA, RNA or protein, by alphabet and length."""

from __future__ import annotations

import re

from domains._protocol import Entity
from domains._tokens import tokens

# IUPAC nucleotide codes, including ambiguity letters, and the 20 amino acids plus
# X (unknown), B/Z (ambiguous) and * (stop).
_DNA = re.compile(r"^[ACGTNRYKMSWBDHV]+$", re.IGNORECASE)
_RNA = re.compile(r"^[ACGUNRYKMSWBDHV]+$", re.IGNORECASE)
_PROTEIN = re.compile(r"^[ACDEFGHIKLMNPQRSTVWYXBZ*]+$")
MIN_NUCLEOTIDES = 6
MIN_RESIDUES = 8


def classify(token: str) -> str | None:
    """``"dna"``, ``"rna"``, ``"protein"`` or None for a token that is no sequence.

    Nucleotide sequences need at least one of A/C/G and mostly unambiguous letters, so
    words like "GRANDVIEW" do not pass; proteins must be upper case, as they are
    written, so ordinary words do not pass either.
    """
    upper = token.upper()
    core = sum(upper.count(c) for c in "ACGTU")
    if len(token) >= MIN_NUCLEOTIDES and core >= 0.8 * len(token) and (token.isupper() or token.islower()):
        if _DNA.match(token) and "U" not in upper:
            return "dna"
        if _RNA.match(token) and "T" not in upper:
            return "rna"
    if len(token) >= MIN_RESIDUES and token.isupper() and _PROTEIN.match(token):
        return "protein"
    return None


# A FASTA block: one or more ">id" header lines, each followed by sequence lines.
_FASTA = re.compile(r"^>[^\n]*\n(?:[A-Za-z*\-.]+\n?)+(?:^>[^\n]*\n(?:[A-Za-z*\-.]+\n?)+)*", re.MULTILINE)
# A Newick tree: nested parentheses with labels or branch lengths, ending in ";".
_NEWICK = re.compile(r"\((?:[^()\s;]|\((?:[^()\s;]|\([^;]*?\))*\))*[,:](?:[^;])*?\)[\w.:]*;")


def recognise(text: str) -> list[Entity]:
    """FASTA blocks, Newick trees and sequence entities (kind: the detected alphabet)."""
    found = [Entity("fasta", m.group(), m.span(), "biology", m.group()) for m in _FASTA.finditer(text)]
    found += [Entity("newick", m.group(), m.span(), "biology", m.group()) for m in _NEWICK.finditer(text)]
    for token, start, end in tokens(text):
        kind = classify(token)
        if kind:
            found.append(Entity(kind, token, (start, end), "biology", token.upper()))
    return found

"""Find biological sequences in a question: DNA, RNA or protein, by alphabet and length."""

from __future__ import annotations

import re
from functools import cache

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

    Nucleotide sequences need mostly unambiguous letters; proteins must be upper
    case, as they are written, and not read like an upper-case word.
    """
    upper = token.upper()
    core = sum(upper.count(c) for c in "ACGTU")
    # Lower case (soft-masked) sequences carry no ambiguity codes: "attach" is a word.
    plain = token.isupper() or (token.islower() and set(token) <= set("acgtun"))
    if len(token) >= MIN_NUCLEOTIDES and core >= 0.8 * len(token) and plain:
        if _DNA.match(token) and "U" not in upper:
            return "dna"
        if _RNA.match(token) and "T" not in upper:
            return "rna"
    if len(token) >= MIN_RESIDUES and token.isupper() and _PROTEIN.match(token) and not _wordlike(token):
        return "protein"
    return None


def _wordlike(token: str) -> bool:
    """Upper-case English words ("GRANDVIEW") use only amino-acid letters too, but a
    third of their letters are vowels; in proteins A, E and I make up about a fifth.
    Sequences of 20 or more residues are never taken for words."""
    return len(token) < 20 and sum(token.count(v) for v in "AEI") / len(token) >= 0.3


# A FASTA block: one or more ">id" header lines, each followed by sequence lines.
_FASTA = re.compile(r"^>[^\n]*\n(?:[A-Za-z*\-.]+\n?)+(?:^>[^\n]*\n(?:[A-Za-z*\-.]+\n?)+)*", re.MULTILINE)
# A Newick tree: nested parentheses with labels or branch lengths, ending in ";".
# "genetic code 7", "NCBI translation table 11", "codon table 2": a table by NCBI id.
_CODON_TABLE = re.compile(r"\b(?:genetic code|(?:translation|codon) table|NCBI table)\s+(?:id\s+)?(\d{1,2})\b",
                          re.IGNORECASE)
_NEWICK = re.compile(r"\((?:[^()\s;]|\((?:[^()\s;]|\([^;]*?\))*\))*[,:](?:[^;])*?\)[\w.:]*;")


@cache
def enzyme_names() -> frozenset[str]:
    """Names of the restriction enzymes Biopython knows (EcoRI, BamHI, ...)."""
    from Bio.Restriction import AllEnzymes

    return frozenset(str(enzyme) for enzyme in AllEnzymes)


@cache
def substitution_matrix_names() -> frozenset[str]:
    """Names of the substitution matrices Biopython ships (BLOSUM62, PAM250, ...)."""
    from Bio.Align import substitution_matrices

    return frozenset(substitution_matrices.load())


# Three or more lines holding one sequence each, all of one length: aligned sites
# (binding sites, a motif's instances) pasted one per line.
_SITE_LINES = re.compile(r"(?:^[ \t]*[ACGTUacgtu]{3,}[ \t]*(?:\n|$)){3,}", re.MULTILINE)


def _aligned_sites(text: str) -> list[Entity]:
    found = []
    for m in _SITE_LINES.finditer(text):
        sites = m.group().split()
        if len({len(site) for site in sites}) == 1:
            end = m.start() + len(m.group().rstrip())
            found.append(Entity("sites", m.group().strip(), (m.start(), end), "biology", [s.upper() for s in sites]))
    return found


# Any BLOSUM or PAM number is recognised, so that a matrix Biopython lacks is refused by name.
_MATRIX_FAMILY = re.compile(r"\b(?:BLOSUM|PAM)\d+\b")


def _substitution_matrices(text: str) -> list[Entity]:
    """Matrix names with a number ("BLOSUM62", "NUC.4.4"); the others are words
    ("GENETIC", "JONES"), taken only when "matrix" follows."""
    found = []
    for m in re.finditer(r"\b(?P<name>[A-Z][A-Z0-9.]*[A-Z0-9])\b(?P<matrix>\s+matrix)?", text):
        name = m.group("name")
        known = name in substitution_matrix_names() and (re.search(r"\d", name) or m.group("matrix"))
        if known or _MATRIX_FAMILY.fullmatch(name):
            found.append(Entity("substitution_matrix", name, m.span("name"), "biology", name))
    return found


_ROMAN = {"1": "I", "2": "II", "3": "III", "4": "IV", "5": "V"}


def _enzyme_like(token: str) -> bool:
    """A restriction enzyme's name, or one written with an arabic numeral ("BamH1" for
    BamHI, "Hind3" for HindIII), so that the adapter refuses it by name instead of the
    word passing unnoticed."""
    if token in enzyme_names():
        return True
    spelled = re.sub(r"\d$", lambda m: _ROMAN.get(m.group(), m.group()), token)
    return spelled != token and spelled in enzyme_names()


def recognise(text: str) -> list[Entity]:
    """FASTA blocks, aligned sites, Newick trees, restriction enzymes, substitution
    matrices, genetic codes and sequences (kind: the alphabet)."""
    found = [Entity("fasta", m.group(), m.span(), "biology", m.group()) for m in _FASTA.finditer(text)]
    found += [Entity("enzyme", m.group(), m.span(), "biology", m.group())
              for m in re.finditer(r"\b[A-Z][a-z]{2}[A-Za-z0-9]*[A-Z0-9]\b", text) if _enzyme_like(m.group())]
    found += [Entity("newick", m.group(), m.span(), "biology", m.group()) for m in _NEWICK.finditer(text)]
    found += [Entity("codon_table", m.group(), m.span(), "biology", int(m.group(1))) for m in _CODON_TABLE.finditer(text)]
    found += _substitution_matrices(text) + _aligned_sites(text)
    for token, start, end in tokens(text):
        # Strand ends written around a sequence: 5'-ATGC-3'
        lead = re.match(r"^[53][’'′]-?", token)
        if lead:
            token, start = token[lead.end():], start + lead.end()
        trail = re.search(r"-[35][’'′]?$", token)
        if trail:
            token, end = token[:trail.start()], end - (len(token) - trail.start())
        kind = classify(token)
        if kind:
            found.append(Entity(kind, token, (start, end), "biology", token.upper()))
    return found

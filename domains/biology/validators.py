"""Plausibility of Biopython results, by what an entry computes, and the inputs
Biopython accepts without complaint but cannot mean anything for."""

from domains._protocol import InputCheck, Validator

VALIDATORS = (
    Validator(r"gc_fraction|aromaticity|secondary_structure_fraction", lambda v: 0 <= v <= 1, "a fraction lies in [0, 1]"),
    Validator(r"molecular_weight", lambda v: v > 0, "a molecular weight is positive"),
    Validator(r"isoelectric_point|^pi$", lambda v: 0 <= v <= 14, "an isoelectric point lies between pH 0 and 14"),
    Validator(r"^Tm_", lambda v: -100 <= v <= 150, "a melting temperature in °C lies between -100 and 150"),
    Validator(r"^count|count_terminals|^len", lambda v: v >= 0 and float(v).is_integer(), "a count is a whole number >= 0"),
)

# Biopython translates, transcribes and computes GC content of any string, proteins
# included; these entries are defined on nucleic acids only.
_NUCLEOTIDE_ONLY = (r"^(reverse_complement|complement|complement_rna|reverse_complement_rna|translate|transcribe|"
                    r"back_transcribe|gc_fraction|GC123|GC_skew|xGC_skew|six_frame_translations|nt_search|"
                    r"Tm_NN|Tm_GC|Tm_Wallace|molecular_weight_dna|search)$")

INPUT_CHECKS = (
    InputCheck(_NUCLEOTIDE_ONLY, lambda entity: entity.kind == "protein",
               "is defined for DNA/RNA sequences only"),
    # seq1 reads three-letter codes; a one-letter sequence comes back as all X.
    InputCheck(r"^seq1$", lambda entity: entity.kind in ("protein", "dna", "rna"),
               "reads three-letter amino-acid codes (AlaGlyTrp...)"),
)

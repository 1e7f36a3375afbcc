"""Plausibility of Biopython results, by what an entry computes."""

from domains._protocol import Validator

VALIDATORS = (
    Validator(r"gc_fraction|aromaticity|secondary_structure_fraction", lambda v: 0 <= v <= 1, "a fraction lies in [0, 1]"),
    Validator(r"molecular_weight", lambda v: v > 0, "a molecular weight is positive"),
    Validator(r"isoelectric_point|^pi$", lambda v: 0 <= v <= 14, "an isoelectric point lies between pH 0 and 14"),
    Validator(r"^Tm_", lambda v: -100 <= v <= 150, "a melting temperature in °C lies between -100 and 150"),
    Validator(r"^count|count_terminals|^len", lambda v: v >= 0 and float(v).is_integer(), "a count is a whole number >= 0"),
)

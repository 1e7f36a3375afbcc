"""Plausibility of RDKit results, by the kind of descriptor an entry computes."""

from domains._protocol import Validator

VALIDATORS = (
    Validator(r"MolMR|LabuteASA|TPSA", lambda v: v >= 0, "a refractivity or surface area is never negative"),
    Validator(r"MolWt|Mass", lambda v: v > 0, "a molecule's weight is positive"),
    Validator(r"Fraction|^qed$|QED", lambda v: 0 <= v <= 1, "a fraction or QED score lies in [0, 1]"),
    Validator(r"^(Calc)?Num[A-Z]|Count$|^GetNum", lambda v: v >= 0 and float(v).is_integer(), "a count is a whole number >= 0"),
    Validator(r"Similarity$", lambda v: 0 <= v <= 1, "a similarity lies in [0, 1]"),
)

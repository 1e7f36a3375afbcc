"""Is a word a physical unit? Shared by the astronomy recogniser (the unit an answer
is wanted in) and the assistant (what a question expects, in any domain: "in g/mol")."""

from __future__ import annotations

import warnings
from functools import lru_cache


@lru_cache(maxsize=4096)
def is_unit(text: str) -> bool:
    """True if astropy reads ``text`` as a unit with a dimension ("Mpc", "km/s/Mpc",
    "g/mol"); false for words such as "SMILES" and for dimensionless units."""
    if not text or text.lower() in {"a", "an", "the", "smiles", "protein", "dna", "rna", "fasta"}:
        return False
    from astropy import units as u

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "km/s/Mpc contains multiple slashes" is still a unit
        try:
            return u.Unit(text, parse_strict="raise").physical_type != "dimensionless"
        except (ValueError, TypeError):
            return False

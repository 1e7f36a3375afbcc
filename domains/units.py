"""Is a word a physical unit? Shared by the astronomy recogniser (the unit an answer
is wanted in) and the assistant (what a question expects, in any domain: "in g/mol")."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache

# The unit an answer is wanted in, at the end of a question: "... in Mpc?", "into km/s".
_TARGET = re.compile(r"\b(?:in|into|to|as)\s+(?:units of\s+)?([A-Za-zµ°][\w/^*.µ°]*?)\s*[?.!]?\s*$",
                     re.IGNORECASE)


def target_unit(question: str) -> re.Match[str] | None:
    """The match of the unit a question asks its answer in (group 1), if it names one."""
    match = _TARGET.search(question.strip())
    return match if match and is_unit(match.group(1)) else None


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

"""Does a retrieved entry satisfy a required function name? Alias-aware.

A required name matches an entry whose canonical name or any public alias equals
it. Failing that, both are imported and compared as live objects, so a path the
harvester did not record (an instance attribute such as
``astropy.cosmology.Planck18.luminosity_distance``) still matches the entry that
defines it.
"""

from __future__ import annotations

from retrieval import ApiEntry
from retrieval._resolve import MISSING, resolve


def matches(required: tuple[str, ...], entry: ApiEntry) -> bool:
    """True if ``entry`` is any of the alternative names in ``required``."""
    names = set(entry.names)
    if any(name in names for name in required):
        return True
    target = resolve(entry.name)
    if target is MISSING or target is None or isinstance(target, (int, float, str, bool)):
        return False
    return any(resolve(name) is target for name in required)

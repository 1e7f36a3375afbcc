"""Does a retrieved entry, or a name a record kept, satisfy a required function? Alias-aware.

A required name matches a name that equals it. Failing that, both are imported and
compared as live objects, so a path the harvester did not record (an instance
attribute such as ``astropy.cosmology.Planck18.luminosity_distance``) still matches
the entry that defines it. ``matches_names`` works on bare names because an eval
record keeps only names; ``matches`` is the same test for a live ``ApiEntry``.
"""

from __future__ import annotations

from collections.abc import Sequence

from retrieval import ApiEntry
from retrieval._resolve import MISSING, resolve


def matches_names(required: tuple[str, ...], names: Sequence[str]) -> bool:
    """True if any of ``names`` is any of the alternative names in ``required``.

    ``names`` may be one entry's names or the names of several entries (the entries a
    plan called): each is compared by equality, then by the object it imports as.
    """
    if set(required) & set(names):
        return True
    targets = [target for target in map(resolve, names) if _comparable(target)]
    return any(resolve(name) is target for name in required for target in targets)


def matches(required: tuple[str, ...], entry: ApiEntry) -> bool:
    """True if ``entry`` is any of the alternative names in ``required``.

    Every alias counts as an equal name, but only the canonical name is imported:
    aliases are the same object by definition, and some entries have 1,600 of them.
    """
    return bool(set(required) & set(entry.names)) or matches_names(required, (entry.name,))


def _comparable(target: object) -> bool:
    """Objects whose identity means something: not missing, not interned scalars."""
    return target is not MISSING and target is not None and not isinstance(target, (int, float, str, bool))

"""Does a retrieved entry satisfy a required function name? Alias-aware.

A required name matches an entry whose canonical name or any public alias equals
it. Failing that, both are imported and compared as live objects, so a path the
harvester did not record (an instance attribute such as
``astropy.cosmology.Planck18.luminosity_distance``) still matches the entry that
defines it.
"""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

from retrieval import ApiEntry

_MISSING = object()


@cache
def resolve(dotted: str) -> Any:
    """The object ``dotted`` names (longest importable module, then attributes), with
    bound methods, properties and static/class methods unwrapped to their function."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # noqa: BLE001 - not a module at this length: try shorter
            continue
        for i, part in enumerate(parts[cut:]):
            try:
                holder = target
                target = (vars(holder).get(part, _MISSING) if isinstance(holder, type) else _MISSING)
                if target is _MISSING:
                    target = getattr(holder, part)
            except Exception:  # noqa: BLE001 - a missing or failing attribute: unresolvable
                return _MISSING
        return _unwrap(target)
    return _MISSING


def _unwrap(obj: Any) -> Any:
    for attr in ("__func__", "fget"):
        inner = getattr(obj, attr, None)
        if inner is not None:
            return inner
    return obj


def matches(required: tuple[str, ...], entry: ApiEntry) -> bool:
    """True if ``entry`` is any of the alternative names in ``required``."""
    names = set(entry.names)
    if any(name in names for name in required):
        return True
    target = resolve(entry.name)
    if target is _MISSING or isinstance(target, (int, float, str, bool)) or target is None:
        return False
    return any(resolve(name) is target for name in required)

"""Resolve a dotted API name to the live object it names, by import."""

from __future__ import annotations

import importlib
from functools import cache
from typing import Any

MISSING: Any = object()


@cache
def resolve(dotted: str) -> Any:
    """The object ``dotted`` names (longest importable module, then attributes), with
    bound methods, properties and static/class methods unwrapped to their function;
    ``MISSING`` if nothing by that name can be reached."""
    parts = dotted.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            target: Any = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # noqa: BLE001 - not a module at this length: try shorter
            continue
        for part in parts[cut:]:
            own = vars(target).get(part, MISSING) if isinstance(target, type) else MISSING
            try:
                target = own if own is not MISSING else getattr(target, part)
            except Exception:  # noqa: BLE001 - a missing or failing attribute: unresolvable
                return MISSING
        return _unwrap(target)
    return MISSING


def _unwrap(obj: Any) -> Any:
    for attr in ("__func__", "fget"):
        inner = getattr(obj, attr, None)
        if inner is not None:
            return inner
    return obj


def defined_name(obj: Any) -> str | None:
    """``module.qualname`` of a function or class: the canonical name the harvester gives it."""
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None) or \
        getattr(obj, "__name__", None)
    return f"{module}.{qualname}" if isinstance(module, str) and isinstance(qualname, str) else None
